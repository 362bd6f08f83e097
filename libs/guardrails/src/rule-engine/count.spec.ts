// Field count and value count: `where` sees one member at a time ("as if it were the only member"),
// `current()` returns it, and `field()` of the counted alias returns a one-element array
// (docs: definition-structure-policy-rule.md "Count", author-policies-for-arrays.md).
import { compilePolicy } from './policy';
import { definition, outcome } from '../testing/rules';
import type { PolicyResource } from './resource';

const rules = 'Microsoft.Network/networkSecurityGroups/securityRules[*]';
const nsg = (securityRules: unknown[] | undefined): PolicyResource => ({
  name: 'nsg',
  type: 'Microsoft.Network/networkSecurityGroups',
  location: 'westeurope',
  tags: { env: 'prod' },
  properties: securityRules === undefined ? {} : { securityRules },
});
const rule = (properties: Record<string, unknown>) => ({ name: 'r', properties });
const rdpOpen = rule({ access: 'Allow', direction: 'Inbound', destinationPortRange: '3389', destinationPortRanges: [] });
const httpsOpen = rule({ access: 'Allow', direction: 'Inbound', destinationPortRange: '443', destinationPortRanges: ['8000-9000', '22'] });
const denyAll = rule({ access: 'Deny', direction: 'Inbound', destinationPortRange: '*' });

describe('field count', () => {
  it('given no where, when counting, then the count is the array length', () => {
    expect(outcome({ count: { field: rules }, equals: 3 }, nsg([rdpOpen, httpsOpen, denyAll]))).toBe('match');
  });

  it('given a missing array, when counting, then the count is 0', () => {
    expect(outcome({ count: { field: rules }, equals: 0 }, nsg(undefined))).toBe('match');
  });

  it('given a where over several properties of the member, when counting, then each member is evaluated on its own', () => {
    const where = {
      allOf: [
        { field: `${rules}.access`, equals: 'Allow' },
        { field: `${rules}.direction`, equals: 'Inbound' },
      ],
    };
    expect(outcome({ count: { field: rules, where }, equals: 2 }, nsg([rdpOpen, httpsOpen, denyAll]))).toBe('match');
  });

  it('given a where that refers to a field outside the array, when counting, then the whole resource is visible', () => {
    expect(outcome({ count: { field: rules, where: { field: 'tags.env', equals: 'prod' } }, equals: 3 }, nsg([rdpOpen, httpsOpen, denyAll]))).toBe('match');
  });

  it('given current() of the counted alias and first(field()) of it, when used in where, then both are the current member', () => {
    const viaCurrent = { count: { field: `${rules}`, where: { value: `[current('${rules}').properties.destinationPortRange]`, equals: '3389' } }, equals: 1 };
    const viaField = { count: { field: `${rules}`, where: { value: `[first(field('${rules}.destinationPortRange'))]`, equals: '3389' } }, equals: 1 };
    const viaLength = { count: { field: `${rules}`, where: { value: `[length(field('${rules}'))]`, equals: 1 } }, equals: 3 };
    const resource = nsg([rdpOpen, httpsOpen, denyAll]);
    expect(outcome(viaCurrent, resource)).toBe('match');
    expect(outcome(viaField, resource)).toBe('match');
    expect(outcome(viaLength, resource)).toBe('match');
  });

  it('given nested counts, when the inner count refers to the outer member, then it only enumerates that member', () => {
    const inner = { count: { field: `${rules}.destinationPortRanges[*]` }, greater: 0 };
    expect(outcome({ count: { field: rules, where: inner }, equals: 1 }, nsg([rdpOpen, httpsOpen, denyAll]))).toBe('match');
  });

  it('given a port range in a nested member, when the documented RDP expression runs in where, then the range check works', () => {
    const inRange = `[if(and(not(empty(current('${rules}.destinationPortRanges[*]'))), contains(current('${rules}.destinationPortRanges[*]'),'-')), and(lessOrEquals(int(first(split(current('${rules}.destinationPortRanges[*]'), '-'))), 8080), greaterOrEquals(int(last(split(current('${rules}.destinationPortRanges[*]'), '-'))), 8080)), 'false')]`;
    const where = { count: { field: `${rules}.destinationPortRanges[*]`, where: { value: inRange, equals: 'true' } }, greater: 0 };
    expect(outcome({ count: { field: rules, where }, equals: 1 }, nsg([rdpOpen, httpsOpen, denyAll]))).toBe('match');
  });

  it('given a legacy alias without [*] inside a count over the same array, when read in where, then it is the current member', () => {
    const setting: PolicyResource = {
      name: 'ds',
      type: 'Microsoft.Insights/diagnosticSettings',
      properties: { logs: [{ enabled: true }, { enabled: false }, { enabled: true }] },
    };
    const condition = {
      count: { field: 'Microsoft.Insights/diagnosticSettings/logs[*]', where: { field: 'Microsoft.Insights/diagnosticSettings/logs.enabled', equals: 'true' } },
      equals: 2,
    };
    expect(outcome(condition, setting)).toBe('match');
  });

  it('given count.field that is not an array alias, when compiled, then the definition is refused', () => {
    const result = compilePolicy(definition({ count: { field: 'Microsoft.Storage/storageAccounts/networkAcls.defaultAction' }, equals: 0 }));
    expect(result).toMatchObject({ ok: false, refusal: { reason: 'invalid-rule' } });
  });
});

describe('value count', () => {
  const tagged = (tags: Record<string, string>) => ({ ...nsg([]), tags });
  const mandatoryTags = { mandatoryTags: { type: 'Array', defaultValue: ['owner', 'costcenter'] } };

  it('given an array parameter and a named index, when every tag is present, then the count equals its length', () => {
    const condition = {
      count: { value: "[parameters('mandatoryTags')]", name: 'tagName', where: { field: 'tags', containsKey: "[current('tagName')]" } },
      equals: "[length(parameters('mandatoryTags'))]",
    };
    expect(outcome(condition, tagged({ Owner: 'ana', CostCenter: '1' }), { parameters: mandatoryTags })).toBe('match');
    expect(outcome(condition, tagged({ owner: 'ana' }), { parameters: mandatoryTags })).toBe('no match');
  });

  it('given no index name, when current() is used, then it is the member being counted', () => {
    const condition = { count: { value: ['prefix1_*', 'nsg*'], where: { field: 'name', like: '[current()]' } }, greater: 0 };
    expect(outcome(condition, nsg([]))).toBe('match');
  });

  it('given a value count nested in a field count, when both members are used, then each pair is evaluated', () => {
    const resource: PolicyResource = {
      name: 'kv',
      type: 'Microsoft.KeyVault/vaults',
      properties: { networkAcls: { ipRules: [{ value: '10.0.0.0/24' }, { value: '192.168.1.7' }] } },
    };
    const parameters = { approved: { type: 'Array', defaultValue: ['10.0.0.0/16'] } };
    const condition = {
      count: {
        field: 'Microsoft.KeyVault/vaults/networkAcls.ipRules[*]',
        where: {
          count: {
            value: "[parameters('approved')]",
            name: 'approved',
            where: { value: "[ipRangeContains(current('approved'), current('Microsoft.KeyVault/vaults/networkAcls.ipRules[*].value'))]", equals: true },
          },
          equals: 0,
        },
      },
      equals: 1,
    };
    expect(outcome(condition, resource, { parameters })).toBe('match');
  });

  it('given objects in the array, when current() is followed by a property, then the property is read', () => {
    const condition = { count: { value: [{ port: 22 }, { port: 3389 }], name: 'rule', where: { value: "[current('rule').port]", greater: 1000 } }, equals: 1 };
    expect(outcome(condition, nsg([]))).toBe('match');
  });

  it('given a value that is not an array, when counted, then evaluation fails', () => {
    const parameters = { notArray: { type: 'String', defaultValue: 'owner' } };
    expect(outcome({ count: { value: "[parameters('notArray')]" }, equals: 1 }, nsg([]), { parameters })).toBe('error: type-mismatch');
  });

  it('given current() outside any count, when compiled, then the definition is refused', () => {
    const result = compilePolicy(definition({ value: '[current()]', equals: 1 }));
    expect(result).toMatchObject({ ok: false, refusal: { reason: 'invalid-rule' } });
  });

  it('given current() with a name no count defines, when compiled, then the definition is refused', () => {
    const result = compilePolicy(definition({ count: { value: [1], name: 'a', where: { value: "[current('b')]", equals: 1 } }, equals: 1 }));
    expect(result).toMatchObject({ ok: false, refusal: { reason: 'invalid-rule', message: expect.stringMatching(/no enclosing count is named "b"/) } });
  });
});
