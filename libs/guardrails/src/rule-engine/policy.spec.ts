// Definitions as a whole: refusals, parameters, effects, modes, applicability, auditIfNotExists and
// deployIfNotExists over related resources, explanations, and compiling once.
import { createAliasTable, shippedAliasTable, type AliasTable } from '../aliases/alias-table';
import { builtInDefinition } from '../builtins/azure-builtins';
import { compiled, definition, storageAccount } from '../testing/rules';
import { describeVerdict } from './explain';
import { compilePolicy, type RelatedResourceQuery } from './policy';
import type { PolicyResource } from './resource';

const STORAGE = 'Microsoft.Storage/storageAccounts';
const publicAccess = { field: `${STORAGE}/publicNetworkAccess`, notEquals: 'Disabled' };
const storageRule = { allOf: [{ field: 'type', equals: STORAGE }, publicAccess] };
const effectParameter = (allowedValues: string[], defaultValue = allowedValues[0]) => ({ effect: { type: 'String', defaultValue, allowedValues } });
const vault: PolicyResource = { id: '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.KeyVault/vaults/kv1', name: 'kv1', type: 'Microsoft.KeyVault/vaults', location: 'westeurope' };
const subnet: PolicyResource = {
  id: '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default',
  name: 'default',
  type: 'Microsoft.Network/virtualNetworks/subnets',
  properties: {},
};

describe('refusals at compile time', () => {
  it.each([
    ['a definition that is not an object', [], 'invalid-definition'],
    ['a definition without policyRule', { properties: { mode: 'All' } }, 'invalid-definition'],
    ['a data-plane mode', { ...definition(storageRule), properties: { ...definition(storageRule).properties, mode: 'Microsoft.KeyVault.Data' } }, 'unsupported-mode'],
    ['the Kubernetes data-plane mode', { ...definition(storageRule), properties: { ...definition(storageRule).properties, mode: 'Microsoft.Kubernetes.Data' } }, 'unsupported-mode'],
    ['an unknown operator', definition({ field: 'name', startsWith: 'a' }), 'invalid-rule'],
    ['two operators in one condition', definition({ field: 'name', equals: 'a', notEquals: 'b' }), 'invalid-rule'],
    ['a logical operator with extra keys', definition({ allOf: [], field: 'name' }), 'invalid-rule'],
    ['exists with a non-boolean', definition({ field: 'name', exists: 'yes' }), 'invalid-rule'],
    ['the manual effect', definition(storageRule, { effect: 'manual' }), 'unsupported-effect'],
    ['an effect that does not exist', definition(storageRule, { effect: 'warn' }), 'invalid-rule'],
    ['auditIfNotExists without details', definition(storageRule, { effect: 'auditIfNotExists' }), 'invalid-rule'],
    ['a default outside the allowed values', definition(storageRule, { effect: "[parameters('effect')]", parameters: effectParameter(['Audit', 'Deny'], 'Disabled') }), 'invalid-parameter'],
  ])('given %s, when compiled, then it is refused as %s', (_what, input, reason) => {
    const result = compilePolicy(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.refusal.reason).toBe(reason);
      expect(result.refusal.message).not.toBe('');
    }
  });
});

describe('parameters', () => {
  const policy = compiled(definition(storageRule, { effect: "[parameters('effect')]", parameters: effectParameter(['Audit', 'Deny', 'Disabled']) }));

  it('given no values, when bound, then defaults apply', () => {
    const bound = policy.bind();
    expect(bound.ok && bound.assignment.effect).toBe('Audit');
  });

  it('given a value outside allowedValues, when bound, then it is refused naming the parameter and the allowed values', () => {
    expect(policy.bind({ effect: 'Modify' })).toMatchObject({
      ok: false,
      refusal: { reason: 'invalid-parameter', message: expect.stringMatching(/"Modify" of parameter "effect" is not one of its allowed values \["Audit","Deny","Disabled"\]/) },
    });
  });

  it('given a value outside allowedValues, when evaluating with it, then the verdict is error, never compliant', () => {
    const verdict = policy.evaluate(storageAccount({ publicNetworkAccess: 'Disabled' }), { parameters: { effect: 'deny' } });
    expect(verdict).toMatchObject({ state: 'error', error: { reason: 'invalid-parameter' } });
  });

  it('given a value of the wrong type, an unknown name or no value without default, when bound, then each is refused', () => {
    const lists = compiled(definition({ field: 'location', in: "[parameters('allowed')]" }, { parameters: { allowed: { type: 'Array' } } }));
    expect(lists.bind({ allowed: 'westeurope' })).toMatchObject({ ok: false, refusal: { reason: 'invalid-parameter' } });
    expect(lists.bind({ allowed: ['westeurope'], other: 1 })).toMatchObject({ ok: false, refusal: { reason: 'unknown-parameter' } });
    expect(lists.bind()).toMatchObject({ ok: false, refusal: { reason: 'missing-parameter' } });
  });

  it('given an empty allowedValues list, when compiled and bound, then it restricts nothing, as Azure treats it', () => {
    const members = compiled(definition({ value: "[parameters('Members')]", equals: 'x' }, { parameters: { Members: { type: 'String', allowedValues: [], defaultValue: 'Administrator' } } }));
    expect(members.parameters).toEqual([{ name: 'Members', type: 'String', defaultValue: 'Administrator', allowedValues: undefined }]);
    expect(members.bind({ Members: 'Administrator; myUser1' }).ok).toBe(true);
    // The built-in that has one (published for Azure and Azure Government alike).
    const builtIn = compilePolicy(builtInDefinition('3d2a3320-2a72-4c67-ac5f-caa40fbee2b2'));
    expect(builtIn).toMatchObject({ ok: true });
    if (builtIn.ok) expect(builtIn.policy.bind({ Members: 'Administrator; myUser1' }).ok).toBe(true);
    // An empty effect list likewise allows every effect.
    const anyEffect = compiled(definition(storageRule, { effect: "[parameters('effect')]", parameters: { effect: { type: 'String', allowedValues: [], defaultValue: 'Deny' } } }));
    expect(anyEffect.effects).toContain('Audit');
  });

  it('given an array parameter with allowedValues, when bound, then each element must be allowed', () => {
    const skus = compiled(definition({ field: `${STORAGE}/accessTier`, in: "[parameters('tiers')]" }, {
      parameters: { tiers: { type: 'Array', defaultValue: ['Hot'], allowedValues: ['Hot', 'Cool'] } },
    }));
    expect(skus.bind({ tiers: ['Hot', 'Cool'] }).ok).toBe(true);
    expect(skus.bind({ tiers: ['Hot', 'Archive'] })).toMatchObject({ ok: false, refusal: { reason: 'invalid-parameter' } });
  });
});

describe('effects', () => {
  it('given the effect Disabled, when evaluating, then nothing is evaluated and the resource is compliant by default, labelled disabled', () => {
    // A condition that would fail, in a mode that would exclude the subnet: Azure checks Disabled first.
    const failing = compiled(
      definition({ value: "[int('x')]", equals: 1 }, { mode: 'Indexed', effect: "[parameters('effect')]", parameters: effectParameter(['Audit', 'Disabled'], 'Disabled') }),
    );
    for (const resource of [storageAccount(), subnet]) {
      const verdict = failing.evaluate(resource);
      expect(verdict).toEqual({
        state: 'compliant',
        effect: 'Disabled',
        disabled: true,
        explanation: { reason: 'effect-disabled', summary: expect.stringMatching(/^Compliant by default, not evaluated: the effect is Disabled/), conditions: [] },
      });
      expect(describeVerdict(verdict)).toMatch(/not evaluated: the effect is Disabled, so nothing was checked/);
    }
    expect(failing.evaluate(storageAccount(), { parameters: { effect: 'Audit' } })).toMatchObject({ state: 'error', error: { reason: 'function-failed' } });
    expect(failing.evaluate(storageAccount(), { parameters: { effect: 'Audit' } }).disabled).toBeUndefined();
  });

  it.each(['audit', 'deny', 'modify', 'append', 'denyAction'])('given the effect %s and a matching if, when evaluating, then the resource is non-compliant', (effect) => {
    expect(compiled(definition(storageRule, { effect })).evaluate(storageAccount()).state).toBe('nonCompliant');
    expect(compiled(definition(storageRule, { effect })).evaluate(storageAccount({ publicNetworkAccess: 'Disabled' })).state).toBe('compliant');
  });

  it('given an effect parameter that allows Audit and AuditIfNotExists but no details, when bound, then only AuditIfNotExists is refused', () => {
    const policy = compiled(definition(storageRule, { effect: "[parameters('effect')]", parameters: effectParameter(['Audit', 'AuditIfNotExists']) }));
    expect(policy.bind({ effect: 'Audit' }).ok).toBe(true);
    expect(policy.bind({ effect: 'AuditIfNotExists' })).toMatchObject({ ok: false, refusal: { reason: 'invalid-rule', path: 'then.details' } });
  });

  it('given an effect parameter without allowed values, when compiled, then any effect may be assigned', () => {
    const policy = compiled(definition(storageRule, { effect: "[parameters('effect')]", parameters: { effect: { type: 'String', defaultValue: 'Audit' } } }));
    expect(policy.effects).toContain('Deny');
    expect(policy.bind({ effect: 'Manual' })).toMatchObject({ ok: false, refusal: { reason: 'unsupported-effect' } });
  });

  it('given an effect parameter with lowercase allowed values, when resolved, then the effect has its canonical name', () => {
    const policy = compiled(definition(storageRule, { effect: "[parameters('effect')]", parameters: effectParameter(['deny', 'audit']) }));
    expect(policy.effects).toEqual(['Deny', 'Audit']);
    expect(policy.evaluate(storageAccount()).effect).toBe('Deny');
  });
});

describe('modes', () => {
  const anyResource = { field: 'name', exists: true };
  it('given mode Indexed, when a resource has no location (a subnet), then it is not applicable', () => {
    expect(compiled(definition(anyResource, { mode: 'Indexed' })).evaluate(subnet)).toMatchObject({
      state: 'notApplicable',
      explanation: { reason: 'mode-excludes-resource' },
    });
    expect(compiled(definition(anyResource, { mode: 'All' })).evaluate(subnet).state).toBe('nonCompliant');
  });

  it('given mode Indexed, when a body has no location, then its type decides (top-level yes; child, extension and authorization types no)', () => {
    const policy = compiled(definition(anyResource, { mode: 'Indexed' }));
    const bare = (type: string) => ({ name: 'x', type, properties: {} });
    expect(policy.evaluate(bare('Microsoft.Storage/storageAccounts')).state).toBe('nonCompliant');
    for (const type of ['Microsoft.Network/virtualNetworks/subnets', 'Microsoft.Authorization/roleAssignments', 'Microsoft.Insights/diagnosticSettings']) {
      expect(policy.evaluate(bare(type))).toMatchObject({ state: 'notApplicable', explanation: { reason: 'mode-excludes-resource' } });
    }
  });

  it('given no mode, when compiled, then it is Indexed (the documented backward-compatible default)', () => {
    const { properties } = definition(anyResource);
    expect(compiled({ properties: { ...properties, mode: undefined } }).mode).toBe('Indexed');
  });

  it('given resource groups and deployments, when evaluated, then Indexed skips groups and no mode evaluates deployments', () => {
    const group: PolicyResource = { name: 'rg-1', type: 'Microsoft.Resources/subscriptions/resourceGroups', location: 'westeurope' };
    const deployment: PolicyResource = { name: 'd1', type: 'Microsoft.Resources/deployments', location: 'westeurope' };
    expect(compiled(definition(anyResource, { mode: 'Indexed' })).evaluate(group).state).toBe('notApplicable');
    expect(compiled(definition(anyResource, { mode: 'All' })).evaluate(group).state).toBe('nonCompliant');
    expect(compiled(definition(anyResource, { mode: 'All' })).evaluate(deployment).state).toBe('notApplicable');
  });
});

describe('applicability (policy-applicability.md)', () => {
  const verdictOf = (condition: unknown, resource: PolicyResource) => compiled(definition(condition)).evaluate(resource).state;

  it('given type and other conditions, when the type differs, then the policy does not apply', () => {
    expect(verdictOf(storageRule, vault)).toBe('notApplicable');
  });

  it('given type and other conditions, when the type matches, then other conditions decide compliance', () => {
    expect(verdictOf(storageRule, storageAccount())).toBe('nonCompliant');
    expect(verdictOf(storageRule, storageAccount({ publicNetworkAccess: 'Disabled' }))).toBe('compliant');
  });

  it('given only kind conditions, when the kind differs, then it still applies (to all resources)', () => {
    expect(verdictOf({ field: 'kind', equals: 'BlobStorage' }, storageAccount())).toBe('compliant');
  });

  it('given only name conditions, when the name differs, then it still applies', () => {
    expect(verdictOf({ field: 'name', like: 'prod-*' }, storageAccount())).toBe('compliant');
  });

  it('given only type and name conditions, when the name differs, then only the type decides applicability', () => {
    const condition = { allOf: [{ field: 'type', equals: STORAGE }, { field: 'name', like: 'prod-*' }] };
    expect(verdictOf(condition, storageAccount())).toBe('compliant');
    expect(verdictOf(condition, vault)).toBe('notApplicable');
  });

  it('given type, name and other conditions, when the name differs, then it does not apply', () => {
    const condition = { allOf: [{ field: 'type', equals: STORAGE }, { field: 'name', like: 'prod-*' }, publicAccess] };
    expect(verdictOf(condition, storageAccount())).toBe('notApplicable');
  });

  it('given type, kind and other conditions, when the kind differs, then it does not apply', () => {
    const condition = { allOf: [{ field: 'type', equals: STORAGE }, { field: 'kind', equals: 'BlobStorage' }, publicAccess] };
    expect(verdictOf(condition, storageAccount())).toBe('notApplicable');
  });

  it('given a negated other condition next to a type, when evaluating applicability, then the negated condition counts as passing', () => {
    const condition = { allOf: [{ field: 'type', equals: STORAGE }, { not: { field: `${STORAGE}/publicNetworkAccess`, equals: 'Disabled' } }] };
    expect(verdictOf(condition, storageAccount({ publicNetworkAccess: 'Disabled' }))).toBe('compliant');
  });

  it('given a location condition, when evaluating a subscription, then the rule does not apply', () => {
    const subscription: PolicyResource = { id: '/subscriptions/sub-1', name: 'sub-1', type: 'Microsoft.Resources/subscriptions' };
    expect(compiled(definition({ field: 'location', notIn: ['westeurope'] })).evaluate(subscription).state).toBe('notApplicable');
    expect(compiled(definition({ field: 'name', equals: 'sub-1' })).evaluate(subscription).state).toBe('nonCompliant');
  });

  it('given a rule that is not applicable, when explained, then the deciding type condition is shown', () => {
    const verdict = compiled(definition(storageRule)).evaluate(vault);
    expect(verdict.explanation).toMatchObject({ reason: 'not-targeted', conditions: [{ path: 'if.allOf[0]', subject: 'type', actual: 'Microsoft.KeyVault/vaults', result: false }] });
  });
});

describe('auditIfNotExists and deployIfNotExists', () => {
  const site: PolicyResource = {
    id: '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Web/sites/app1',
    name: 'app1',
    type: 'Microsoft.Web/sites',
    location: 'westeurope',
    kind: 'app',
  };
  const config = (name: string, minTlsVersion: string): PolicyResource => ({
    id: `${site.id}/config/${name}`,
    name,
    type: 'Microsoft.Web/sites/config',
    properties: { minTlsVersion },
  });
  const tlsRule = compiled(
    definition(
      { field: 'type', equals: 'Microsoft.Web/sites' },
      {
        mode: 'Indexed',
        effect: 'AuditIfNotExists',
        details: { type: 'Microsoft.Web/sites/config', name: 'web', existenceCondition: { field: 'Microsoft.Web/sites/config/minTlsVersion', greaterOrEquals: '1.2' } },
      },
    ),
  );

  it('given a child related type and a name, when evaluating, then the caller is asked for that child of the resource', () => {
    const asked: RelatedResourceQuery[] = [];
    tlsRule.evaluate(site, { related: (q) => (asked.push(q), []) });
    expect(asked).toEqual([{ type: 'Microsoft.Web/sites/config', name: 'web', scope: 'children', resourceId: site.id, subscriptionId: 'sub-1', resourceGroup: 'rg-1' }]);
  });

  it('given a related resource that satisfies the existence condition, when evaluating, then the resource is compliant', () => {
    const verdict = tlsRule.evaluate(site, { related: () => [config('web', '1.2')] });
    expect(verdict).toMatchObject({ state: 'compliant', explanation: { reason: 'related-resource-satisfies', related: { candidates: 1 } } });
  });

  it('given only related resources that fail the existence condition, when evaluating, then it is non-compliant and shows why', () => {
    const verdict = tlsRule.evaluate(site, { related: () => [config('web', '1.0')] });
    expect(verdict.state).toBe('nonCompliant');
    expect(verdict.explanation.reason).toBe('no-related-resource-satisfies');
    expect(verdict.explanation.related?.evaluations[0].conditions[0]).toMatchObject({
      path: 'then.details.existenceCondition',
      actual: '1.0',
      operator: 'greaterOrEquals',
      expected: '1.2',
      result: false,
    });
  });

  it('given related resources of another name or type, when evaluating, then the engine ignores them', () => {
    const other: PolicyResource = { name: 'web', type: 'Microsoft.Web/sites/slots', properties: { minTlsVersion: '1.2' } };
    const verdict = tlsRule.evaluate(site, { related: () => [config('appsettings', '1.2'), other] });
    expect(verdict).toMatchObject({ state: 'nonCompliant', explanation: { reason: 'no-related-resource' } });
  });

  it('given no way to get related resources, when evaluating, then the state is error, never compliant', () => {
    expect(tlsRule.evaluate(site)).toMatchObject({ state: 'error', error: { reason: 'missing-context' } });
  });

  it('given the if condition is false, when evaluating, then the policy does not apply', () => {
    expect(tlsRule.evaluate(vault, { related: () => [] })).toMatchObject({ state: 'notApplicable', explanation: { reason: 'if-false' } });
  });

  it('given no existence condition, when any related resource of the type exists, then the resource is compliant', () => {
    const admins = compiled(definition({ field: 'type', equals: 'Microsoft.Sql/servers' }, { effect: 'auditIfNotExists', details: { type: 'Microsoft.Sql/servers/administrators' } }));
    const server: PolicyResource = { id: '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Sql/servers/s1', name: 's1', type: 'Microsoft.Sql/servers', location: 'westeurope' };
    const admin: PolicyResource = { id: `${server.id}/administrators/ActiveDirectory`, name: 'ActiveDirectory', type: 'Microsoft.Sql/servers/administrators' };
    expect(admins.evaluate(server, { related: () => [admin] }).state).toBe('compliant');
    expect(admins.evaluate(server, { related: () => [] }).state).toBe('nonCompliant');
  });

  it('given an extension type, existenceScope subscription or resourceGroupName, when evaluating, then the query says where to look', () => {
    const queryFor = (details: Record<string, unknown>) => {
      let asked: RelatedResourceQuery | undefined;
      compiled(definition({ field: 'type', equals: STORAGE }, { effect: 'deployIfNotExists', details })).evaluate(storageAccount(), {
        related: (q) => ((asked = q), []),
      });
      return asked;
    };
    expect(queryFor({ type: 'Microsoft.Insights/diagnosticSettings' })).toMatchObject({ scope: 'extension', resourceId: storageAccount().id });
    expect(queryFor({ type: 'Microsoft.Network/networkWatchers', existenceScope: 'subscription' })).toEqual({
      type: 'Microsoft.Network/networkWatchers',
      scope: 'subscription',
      subscriptionId: 'sub-1',
    });
    expect(queryFor({ type: 'Microsoft.Network/networkWatchers', resourceGroupName: 'NetworkWatcherRG' })).toMatchObject({
      scope: 'resourceGroup',
      resourceGroup: 'NetworkWatcherRG',
    });
    expect(queryFor({ type: 'Microsoft.Network/privateEndpoints' })).toMatchObject({ scope: 'resourceGroup', resourceGroup: 'rg-1' });
  });

  it('given a name with a ? segment, when matching related resources, then any child of the named parent matches', () => {
    const policy = compiled(
      definition({ field: 'type', equals: 'Microsoft.Sql/servers' }, {
        effect: 'auditIfNotExists',
        details: { type: 'Microsoft.Sql/servers/databases', name: "[concat(field('name'), '/?')]" },
      }),
    );
    const server: PolicyResource = { id: '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Sql/servers/s1', name: 's1', type: 'Microsoft.Sql/servers', location: 'westeurope' };
    const db = (parent: string): PolicyResource => ({
      id: `/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Sql/servers/${parent}/databases/db1`,
      name: 'db1',
      type: 'Microsoft.Sql/servers/databases',
    });
    expect(policy.evaluate(server, { related: () => [db('s1')] }).state).toBe('compliant');
    expect(policy.evaluate(server, { related: () => [db('s2')] }).state).toBe('nonCompliant');
  });

  describe('where related resources count (effect-audit-if-not-exists.md: under the resource, in its group or subscription)', () => {
    const SERVERS = '/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Sql/servers';
    const server: PolicyResource = { id: `${SERVERS}/s1`, name: 's1', type: 'Microsoft.Sql/servers', location: 'westeurope' };
    const auditing = (serverId: string, state: string): PolicyResource => ({ id: `${serverId}/auditingSettings/default`, name: 'default', type: 'Microsoft.Sql/servers/auditingSettings', properties: { state } });
    // As the built-in SqlServerAuditing_Audit.json has it.
    const auditRule = compiled(
      definition({ field: 'type', equals: 'Microsoft.Sql/servers' }, {
        effect: 'AuditIfNotExists',
        details: { type: 'Microsoft.Sql/servers/auditingSettings', name: 'default', existenceCondition: { field: 'Microsoft.Sql/servers/auditingSettings/state', equals: 'Enabled' } },
      }),
    );

    it('given only the audit settings of another SQL server, when evaluating, then they prove nothing about this one', () => {
      const verdict = auditRule.evaluate(server, { related: () => [auditing(`${SERVERS}/s2`, 'Enabled')] });
      expect(verdict).toMatchObject({ state: 'nonCompliant', explanation: { reason: 'no-related-resource', related: { candidates: 0, elsewhere: 1, evaluations: [] } } });
      expect(describeVerdict(verdict)).toMatch(/0 found; 1 elsewhere, not counted \(Azure looks under \/subscriptions\/sub-1\/resourceGroups\/rg-1\/providers\/Microsoft\.Sql\/servers\/s1\)/);
      // Its own (disabled) settings are evaluated; the other server's enabled ones still do not count.
      const own = auditRule.evaluate(server, { related: () => [auditing(`${SERVERS}/s2`, 'Enabled'), auditing(server.id!, 'Disabled')] });
      expect(own).toMatchObject({ state: 'nonCompliant', explanation: { reason: 'no-related-resource-satisfies', related: { candidates: 1, elsewhere: 1 } } });
      // A server whose name extends this one's is elsewhere too.
      expect(auditRule.evaluate(server, { related: () => [auditing(`${SERVERS}/s10`, 'Enabled')] }).state).toBe('nonCompliant');
    });

    it('given its own settings with the id as Resource Graph lowercases it, when evaluating, then they count', () => {
      const verdict = auditRule.evaluate(server, { related: () => [auditing(server.id!.toLowerCase(), 'Enabled')] });
      expect(verdict).toMatchObject({ state: 'compliant', explanation: { reason: 'related-resource-satisfies', related: { candidates: 1 } } });
      expect(verdict.explanation.related).not.toHaveProperty('elsewhere');
    });

    it('given resourceGroupName or existenceScope subscription, when evaluating, then only that group or subscription counts', () => {
      const watchers = (details: Record<string, unknown>) =>
        compiled(definition({ field: 'type', equals: STORAGE }, { effect: 'auditIfNotExists', details: { type: 'Microsoft.Network/networkWatchers', ...details } }));
      const watcher = (subscription: string, group: string): PolicyResource => ({
        id: `/subscriptions/${subscription}/resourceGroups/${group}/providers/Microsoft.Network/networkWatchers/nw`,
        name: 'nw',
        type: 'Microsoft.Network/networkWatchers',
      });
      const inGroup = watchers({ resourceGroupName: 'NetworkWatcherRG' });
      expect(inGroup.evaluate(storageAccount(), { related: () => [watcher('sub-1', 'networkwatcherrg')] }).state).toBe('compliant');
      expect(inGroup.evaluate(storageAccount(), { related: () => [watcher('sub-1', 'rg-1'), watcher('sub-2', 'NetworkWatcherRG')] }).state).toBe('nonCompliant');
      const ownGroup = watchers({});
      expect(ownGroup.evaluate(storageAccount(), { related: () => [watcher('sub-1', 'rg-1')] }).state).toBe('compliant');
      expect(ownGroup.evaluate(storageAccount(), { related: () => [watcher('sub-1', 'rg-2')] }).state).toBe('nonCompliant');
      const inSubscription = watchers({ existenceScope: 'Subscription' });
      expect(inSubscription.evaluate(storageAccount(), { related: () => [watcher('sub-1', 'rg-2')] }).state).toBe('compliant');
      expect(inSubscription.evaluate(storageAccount(), { related: () => [watcher('sub-2', 'rg-1')] }).state).toBe('nonCompliant');
    });

    it('given diagnostic settings, when evaluating, then only those on the resource itself count', () => {
      const diagnostics = compiled(definition({ field: 'type', equals: STORAGE }, { effect: 'auditIfNotExists', details: { type: 'Microsoft.Insights/diagnosticSettings' } }));
      const setting = (on: string): PolicyResource => ({ id: `${on}/providers/Microsoft.Insights/diagnosticSettings/ds`, name: 'ds', type: 'Microsoft.Insights/diagnosticSettings' });
      const account = storageAccount();
      expect(diagnostics.evaluate(account, { related: () => [setting(account.id!)] }).state).toBe('compliant');
      // On its blob service (a child), on another account: not the account's.
      expect(diagnostics.evaluate(account, { related: () => [setting(`${account.id}/blobServices/default`), setting(`${account.id}2`)] }).state).toBe('nonCompliant');
    });

    it('given a related resource or an evaluated resource that cannot be placed, when evaluating, then the state is error, never compliant', () => {
      const noId: PolicyResource = { name: 'default', type: 'Microsoft.Sql/servers/auditingSettings', properties: { state: 'Enabled' } };
      expect(auditRule.evaluate(server, { related: () => [noId] })).toMatchObject({ state: 'error', error: { reason: 'missing-context', message: expect.stringMatching(/has no id/) } });
      const bare: PolicyResource = { name: 's1', type: 'Microsoft.Sql/servers', location: 'westeurope' };
      expect(auditRule.evaluate(bare, { related: () => [auditing(server.id!, 'Enabled')] })).toMatchObject({ state: 'error', error: { reason: 'missing-context' } });
      // With nothing of the type offered, none exists wherever Azure would look.
      expect(auditRule.evaluate(bare, { related: () => [] })).toMatchObject({ state: 'nonCompliant', explanation: { reason: 'no-related-resource' } });
    });
  });

  it('given field() in the existence condition, when evaluating, then it reads the resource the policy is evaluated for', () => {
    const sameLocation = compiled(
      definition({ field: 'type', equals: 'Microsoft.Web/sites' }, {
        effect: 'auditIfNotExists',
        details: { type: 'Microsoft.Web/sites/config', existenceCondition: { value: "[field('location')]", equals: 'westeurope' } },
      }),
    );
    expect(sameLocation.evaluate(site, { related: () => [config('web', '1.2')] }).state).toBe('compliant');
  });
});

describe('explanations', () => {
  const policy = compiled(
    definition({
      allOf: [
        { field: 'type', equals: STORAGE },
        { anyOf: [{ field: `${STORAGE}/minimumTlsVersion`, exists: false }, { field: `${STORAGE}/minimumTlsVersion`, notEquals: 'TLS1_2' }] },
        { count: { field: `${STORAGE}/networkAcls.ipRules[*]`, where: { field: `${STORAGE}/networkAcls.ipRules[*].action`, equals: 'Allow' } }, greater: 0 },
      ],
    }),
  );

  it('given a matching rule, when explained, then each deciding condition has its path, the value found and the value expected', () => {
    const verdict = policy.evaluate(storageAccount({ minimumTlsVersion: 'TLS1_0', networkAcls: { ipRules: [{ action: 'Allow' }, { action: 'Deny' }] } }));
    expect(verdict.state).toBe('nonCompliant');
    expect(verdict.explanation.conditions).toEqual([
      { path: 'if.allOf[0]', kind: 'field', subject: 'type', operator: 'equals', expected: STORAGE, actual: STORAGE, result: true },
      // anyOf: only the member that held explains it (exists false did not)
      { path: 'if.allOf[1].anyOf[1]', kind: 'field', subject: `${STORAGE}/minimumTlsVersion`, operator: 'notEquals', expected: 'TLS1_2', actual: 'TLS1_0', result: true },
      { path: 'if.allOf[2]', kind: 'count', subject: `count(${STORAGE}/networkAcls.ipRules[*] where …)`, operator: 'greater', expected: 0, actual: 1, of: 2, result: true },
    ]);
  });

  it('given a compliant resource, when explained, then the allOf member that failed is the only reason given', () => {
    const verdict = policy.evaluate(storageAccount({ minimumTlsVersion: 'TLS1_2' }));
    expect(verdict.state).toBe('compliant');
    expect(verdict.explanation.conditions).toEqual([
      { path: 'if.allOf[1].anyOf[0]', kind: 'field', subject: `${STORAGE}/minimumTlsVersion`, operator: 'exists', expected: false, actual: 'TLS1_2', result: false },
      { path: 'if.allOf[1].anyOf[1]', kind: 'field', subject: `${STORAGE}/minimumTlsVersion`, operator: 'notEquals', expected: 'TLS1_2', actual: 'TLS1_2', result: false },
    ]);
  });

  it('given a missing field, when explained and printed, then it says the field is missing', () => {
    const verdict = policy.evaluate(storageAccount({ networkAcls: { ipRules: [{ action: 'Allow' }] } }));
    expect(verdict.explanation.conditions[1]).toMatchObject({ path: 'if.allOf[1].anyOf[0]', missing: true, result: true });
    expect(describeVerdict(verdict)).toContain(`if.allOf[1].anyOf[0]: field ${STORAGE}/minimumTlsVersion is missing; exists false is true`);
  });
});

describe('compiling once', () => {
  it('given a compiled policy, when evaluating many resources, then no alias is looked up again', () => {
    let lookups = 0;
    const shipped = shippedAliasTable();
    const counting: AliasTable = { find: (name) => (lookups++, shipped.find(name)), apiVersion: (type) => shipped.apiVersion(type) };
    const result = compilePolicy(definition(storageRule), { aliases: counting });
    if (!result.ok) throw new Error(result.refusal.message);
    const afterCompile = lookups;
    for (let i = 0; i < 100; i++) result.policy.evaluate(storageAccount({ publicNetworkAccess: i % 2 ? 'Enabled' : 'Disabled' }));
    expect(afterCompile).toBeGreaterThan(0);
    expect(lookups).toBe(afterCompile);
  });

  it('given a custom alias table, when compiling, then its aliases are used', () => {
    const table = createAliasTable({ types: [{ type: 'Contoso.Widgets/widgets', aliases: { color: '' } }] });
    const widget: PolicyResource = { name: 'w', type: 'contoso.widgets/widgets', properties: { color: 'red' } };
    expect(compiled(definition({ field: 'Contoso.Widgets/widgets/color', equals: 'RED' }), { aliases: table }).evaluate(widget).state).toBe('nonCompliant');
  });
});

describe('remembering not-targeted verdicts by type', () => {
  const typeOnly = { allOf: [{ field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, { field: 'Microsoft.Storage/storageAccounts/allowBlobPublicAccess', equals: true }] };
  const withName = { allOf: [{ field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, { field: 'name', like: 'prod*' }, { field: 'Microsoft.Storage/storageAccounts/allowBlobPublicAccess', equals: true }] };
  const account = (name: string, allow: boolean) => ({ name, type: 'Microsoft.Storage/storageAccounts', location: 'westeurope', properties: { allowBlobPublicAccess: allow } });
  const vault = { name: 'kv', type: 'Microsoft.KeyVault/vaults', location: 'westeurope', properties: {} };

  it('given a rule on type alone, when resources of another type repeat, then each is not targeted and targeted ones still evaluate', () => {
    const policy = compiled(definition(typeOnly, { mode: 'Indexed' }));
    expect(policy.evaluate(vault).state).toBe('notApplicable');
    expect(policy.evaluate(vault).state).toBe('notApplicable');
    expect(policy.evaluate(account('a', true)).state).toBe('nonCompliant');
    expect(policy.evaluate(account('b', false)).state).toBe('compliant');
  });

  it('given a rule with a name condition, when resources of one type differ by name, then applicability is decided for each', () => {
    const policy = compiled(definition(withName, { mode: 'Indexed' }));
    expect(policy.evaluate(account('test1', true)).state).toBe('notApplicable');
    expect(policy.evaluate(account('prod1', true)).state).toBe('nonCompliant');
    expect(policy.evaluate(account('test2', true)).state).toBe('notApplicable');
  });
});

describe('remembering not-targeted verdicts by type and kind', () => {
  const byKind = { allOf: [{ field: 'type', equals: 'Microsoft.Web/sites' }, { field: 'kind', notContains: 'functionapp' }, { field: 'Microsoft.Web/sites/httpsOnly', equals: false }] };
  const site = (kind: string, httpsOnly: boolean) => ({ name: 'x', type: 'Microsoft.Web/sites', kind, location: 'westeurope', properties: { httpsOnly } });

  it('given a rule with a kind condition, when one type comes with different kinds, then each kind is decided on its own', () => {
    const policy = compiled(definition(byKind, { mode: 'Indexed' }));
    expect(policy.evaluate(site('functionapp', false)).state).toBe('notApplicable');
    expect(policy.evaluate(site('app', false)).state).toBe('nonCompliant');
    expect(policy.evaluate(site('functionapp,linux', false)).state).toBe('notApplicable');
    expect(policy.evaluate(site('app', true)).state).toBe('compliant');
  });
});

describe('explain: false', () => {
  const rule = { allOf: [{ field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, { field: 'Microsoft.Storage/storageAccounts/allowBlobPublicAccess', equals: true }] };
  const account = { name: 'a', type: 'Microsoft.Storage/storageAccounts', location: 'westeurope', properties: { allowBlobPublicAccess: true } };
  const vault = { name: 'kv', type: 'Microsoft.KeyVault/vaults', location: 'westeurope', properties: {} };

  it('given explain false, when evaluated, then the state and effect are the same and no conditions are recorded', () => {
    const bound = compiled(definition(rule, { mode: 'Indexed' })).bind({});
    if (!bound.ok) throw new Error(bound.refusal.message);
    const quiet = bound.assignment.evaluate(account, { explain: false });
    const explained = bound.assignment.evaluate(account);
    expect([quiet.state, quiet.effect]).toEqual([explained.state, explained.effect]);
    expect(quiet.explanation.conditions).toEqual([]);
    expect(explained.explanation.conditions.length).toBeGreaterThan(0);
    // a quiet not-targeted verdict is not remembered in place of an explained one
    expect(bound.assignment.evaluate(vault, { explain: false }).state).toBe('notApplicable');
    expect(bound.assignment.evaluate(vault).explanation.conditions.length).toBeGreaterThan(0);
  });
});
