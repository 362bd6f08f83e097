// Planning an import of the Azure Landing Zones library (the vendored custom definitions and
// initiatives) and of the other layouts people keep policies in.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtInDefinition } from '../builtins/azure-builtins';
import { contentSha256 } from './artifacts';
import { libraryKey, planLibraryImport, type LibraryEntry, type PolicyFile } from './import-plan';

const ALZ = join(__dirname, '..', '..', 'corpus', 'azure-policy', 'alz');
const alzFiles = (): PolicyFile[] =>
  ['policyDefinitions', 'policySetDefinitions'].flatMap((dir) =>
    readdirSync(join(ALZ, dir)).map((name) => ({ path: `${dir}/${name}`, text: readFileSync(join(ALZ, dir, name), 'utf8') })),
  );
const builtIns = { has: (name: string) => builtInDefinition(name) !== undefined };
const empty = new Map<string, LibraryEntry>();
const summary = (plan: ReturnType<typeof planLibraryImport>) => plan.items.map((i) => `${i.action} ${i.kind} ${i.name ?? i.path}${i.version ? ` v${i.version}` : ''}`);

describe('planning a library import', () => {
  it('adds the ALZ custom definitions, and the initiative whose members all resolve', () => {
    const plan = planLibraryImport(alzFiles(), empty, builtIns);
    expect(plan.counts).toEqual({ add: 12, change: 0, unchanged: 0, refused: 1, skipped: 0 });
    expect(summary(plan).filter((s) => s.startsWith('add definition'))).toHaveLength(11);
    expect(summary(plan)).toContain('add initiative Enforce-Guardrails-KeyVault_20260203 v1');
    const keyVault = plan.items.find((i) => i.name === 'Enforce-Guardrails-KeyVault_20260203')!;
    expect(keyVault.command).toMatchObject({ kind: 'PublishInitiative', members: expect.arrayContaining([{ referenceId: expect.any(String), source: 'built-in', name: '1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d' }]) });
  });

  it('refuses the initiative that references a definition it cannot find, naming it, and so the whole plan', () => {
    const plan = planLibraryImport(alzFiles(), empty, builtIns);
    const paas = plan.items.find((i) => i.name === 'Deny-PublicPaaSEndpoints')!;
    expect(paas.action).toBe('refused');
    expect(paas.reasons).toEqual([expect.stringMatching(/references the definition Deny-LogicApp-Public-Network, which is neither one of Azure's built-ins nor in the library/)]);
    expect(plan.applicable).toBe(false);
    // … and accepts it once the library holds that definition
    const withLogicApp = new Map(empty).set(libraryKey('definition', 'Deny-LogicApp-Public-Network'), {
      kind: 'definition',
      name: 'Deny-LogicApp-Public-Network',
      version: 1,
      sha256: 'x'.repeat(64),
      retired: false,
      revision: 0,
    } as const);
    expect(planLibraryImport(alzFiles(), withLogicApp, builtIns).applicable).toBe(true);
  });

  it('knows what the library already holds: unchanged, a new version, or one brought back', () => {
    const files = alzFiles().filter((f) => f.path.startsWith('policyDefinitions/'));
    const first = planLibraryImport(files, empty, builtIns);
    const library = new Map(
      first.items.map((i) => {
        const definition = (i.command as { definition: Record<string, unknown> }).definition;
        return [libraryKey('definition', i.name!), { kind: 'definition', name: i.name!, version: 1, sha256: contentSha256(definition), retired: false, revision: 0 } as const];
      }),
    );
    expect(planLibraryImport(files, library, builtIns).counts).toMatchObject({ add: 0, unchanged: 11 });

    const tls = files.find((f) => f.path.endsWith('Deny-Sql-minTLS.json'))!;
    const edited = { ...tls, text: tls.text.replace('"defaultValue": "Audit"', '"defaultValue": "Deny"') };
    expect(edited.text).not.toBe(tls.text);
    const changed = planLibraryImport([...files.filter((f) => f !== tls), edited], library, builtIns);
    expect(changed.counts).toMatchObject({ change: 1, unchanged: 10 });
    expect(changed.items.find((i) => i.action === 'change')).toMatchObject({ name: 'Deny-Sql-minTLS', version: 2, reasons: ['content changed since version 1'] });

    const retired = new Map<string, LibraryEntry>(library).set(libraryKey('definition', 'Deny-Sql-minTLS'), { ...library.get(libraryKey('definition', 'Deny-Sql-minTLS'))!, retired: true });
    expect(planLibraryImport(files, retired, builtIns).items.find((i) => i.name === 'Deny-Sql-minTLS')).toMatchObject({ action: 'change', version: 2, reasons: ['brings back definition retired at version 1'] });
  });

  it('reads plain definitions, ARM template exports and EPAC folders with comments; skips assignments', () => {
    const rule = { if: { field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, then: { effect: 'audit' } };
    const files: PolicyFile[] = [
      // the portal's JSON, named by the file
      { path: 'plain/storage-audit.json', text: JSON.stringify({ properties: { displayName: 'Audit storage', mode: 'Indexed', policyRule: rule } }) },
      // a bare rule body, as `az policy definition create --rules` takes it, with a name
      { path: 'plain/bare.json', text: JSON.stringify({ name: 'bare-rule', policyRule: rule, mode: 'All' }) },
      // an ARM export: two definitions and an assignment in one template
      {
        path: 'arm/export.json',
        text: JSON.stringify({
          $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
          resources: [
            { type: 'Microsoft.Authorization/policyDefinitions', apiVersion: '2021-06-01', name: 'arm-one', properties: { mode: 'Indexed', policyRule: rule } },
            { type: 'Microsoft.Authorization/policyDefinitions', apiVersion: '2021-06-01', name: 'arm-two', properties: { mode: 'Indexed', policyRule: { ...rule, then: { effect: '[[parameters(\'effect\')]' } }, parameters: { effect: { type: 'String', defaultValue: 'Audit' } } } },
            { type: 'Microsoft.Authorization/policyAssignments', apiVersion: '2022-06-01', name: 'assign', properties: {} },
          ],
        }),
      },
      // EPAC: .jsonc with comments (and a URL, whose // is no comment)
      {
        path: 'Definitions/policyDefinitions/epac.jsonc',
        text: `{\n  // ours\n  "name": "epac-def", /* inline */\n  "properties": { "description": "see https://example.com/x", "policyRule": ${JSON.stringify(rule)} }\n}`,
      },
      { path: 'Definitions/policyAssignments/root.jsonc', text: '{ "assignment": { "name": "x" }, "definitionEntry": { "policyName": "epac-def" } }' },
      { path: 'notes/readme.json', text: '{ "hello": "world" }' },
      { path: 'broken.json', text: '{ "name": ' },
    ];
    const plan = planLibraryImport(files, empty, builtIns);
    expect(summary(plan).sort()).toEqual(
      [
        'add definition arm-one v1',
        'add definition arm-two v1',
        'add definition bare-rule v1',
        'add definition epac-def v1',
        'add definition storage-audit v1',
        'refused file broken.json',
        'refused file notes/readme.json',
        'skipped file Definitions/policyAssignments/root.jsonc',
        'skipped file arm/export.json',
      ].sort(),
    );
    expect(plan.items.find((i) => i.name === 'epac-def')?.command).toMatchObject({ definition: { properties: { description: 'see https://example.com/x' } } });
    expect(plan.items.find((i) => i.name === 'arm-two')?.command).toMatchObject({ source: 'arm/export.json#resources[1]' });
    expect(plan.items.find((i) => i.path === 'broken.json')?.reasons[0]).toMatch(/^not JSON: /);
  });

  it('refuses a name defined twice in the folder, both times', () => {
    const text = readFileSync(join(ALZ, 'policyDefinitions', 'Deny-Sql-minTLS.json'), 'utf8');
    const plan = planLibraryImport(
      [
        { path: 'a/Deny-Sql-minTLS.json', text },
        { path: 'b/copy.json', text: text.replace('"name": "Deny-Sql-minTLS"', '"name": "deny-sql-mintls"') },
      ],
      empty,
      builtIns,
    );
    expect(plan.items.map((i) => [i.action, i.path])).toEqual([
      ['refused', 'a/Deny-Sql-minTLS.json'],
      ['refused', 'b/copy.json'],
    ]);
    expect(plan.items[0].reasons[0]).toMatch(/defined more than once in the folder: a\/Deny-Sql-minTLS\.json, b\/copy\.json/);
  });
});
