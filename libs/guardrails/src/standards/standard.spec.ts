// Azure's regulatory initiatives imported as standards: real initiatives from the vendored
// corpus, their controls and members unchanged, parameters resolved as an assignment would.
import { givenWhenThen } from '@rampart/event-sourcing';
import { builtInDefinition, builtInDefinitions, builtInInitiative, builtInInitiatives, builtInNameOf } from '../builtins/azure-builtins';
import { BUILT_IN_GUARDRAILS } from '../catalog/built-in';
import { BUILT_IN_BASELINES, builtInCatalog } from '../catalog/guardrail';
import { tenantGuardrailsDecider } from '../tenant-guardrails/tenant-guardrails';
import { defaultSeverity } from './member-guardrail';
import { importStandard, type DefinitionSource } from './standard';
import { memberValuesFrom } from '../catalog/guardrail';
import { MCSB_INITIATIVE, STANDARD_IDS } from './standard-ids';
import { azureStandards, standardInitiatives } from './standards-catalog';

const catalog = builtInCatalog();
const standards = catalog.standards!;
const CIS = 'cis-azure-2.0.0';
const cis = standards.get(CIS)!;
const member = (guardrailId: string) => cis.members.find((m) => m.guardrailId === guardrailId)!;
const control = (id: string) => cis.controls.find((c) => c.id === id)!;

describe('a regulatory initiative imported as a standard (CIS Microsoft Azure Foundations Benchmark v2.0.0)', () => {
  it("keeps every control and member of Azure's initiative, with the initiative's GUID as its reference", () => {
    expect(cis).toMatchObject({
      id: CIS,
      title: 'CIS Microsoft Azure Foundations Benchmark v2.0.0',
      initiativeName: '06f19060-9e68-4070-92ca-f15cc126059e',
      initiativeId: '/providers/Microsoft.Authorization/policySetDefinitions/06f19060-9e68-4070-92ca-f15cc126059e',
      category: 'Regulatory Compliance',
      controlCount: 85,
      definitionCount: 108,
    });
    expect(cis.controls).toHaveLength(85);
    expect(cis.members).toHaveLength(108);
    // every member evidences at least one control, and every control lists its members back
    for (const m of cis.members) for (const id of m.controlIds) expect(control(id).memberIds).toContain(m.guardrailId);
  });

  it('names controls by their recommendation number, in their section, with a title from what they check', () => {
    expect(control('3.1')).toMatchObject({
      group: 'CIS_Azure_2.0.0_3.1',
      domain: 'Storage accounts',
      title: 'Secure transfer to storage accounts should be enabled',
      titleFrom: 'definitions',
      memberIds: [`${CIS}:404c3081-a854-4457-ae30-26a93ef643f9`],
    });
    // a recommendation Azure has no policy for: only its number to go on, and it needs an attestation
    expect(control('8.8')).toMatchObject({ title: '8.8', titleFrom: 'id', memberIds: [] });
  });

  it("resolves the members' parameters against the initiative's defaults, literal values kept", () => {
    // [parameters('effect-3b98…')] and a literal operationName, as the initiative gives them
    expect(member(`${CIS}:3b980d31-7904-4bb7-8575-5665739a8052-0`)).toMatchObject({
      parameters: { effect: 'AuditIfNotExists', operationName: 'Microsoft.Security/policies/write' },
      initiativeParameters: { effect: 'effect-3b980d31-7904-4bb7-8575-5665739a8052' },
      effect: 'AuditIfNotExists',
      kind: 'automated',
    });
    expect(member(`${CIS}:a6fb4358-5bf4-4ad7-ba82-2cd2f41ce5e9`).parameters).toEqual({ effect: 'AuditIfNotExists', setting: 'enabled' });
    expect(member(`${CIS}:cf820ca0-f99e-4f3e-84fb-66e913812d21`).parameters).toEqual({ effect: 'AuditIfNotExists', requiredRetentionDays: '365' });
  });

  it('tells data-plane definitions (Key Vault keys and secrets) from the ones evaluated on resources', () => {
    expect(member(`${CIS}:152b15f7-8e1f-4c1f-ab71-8c010ba5dbc0`)).toMatchObject({ kind: 'data-plane', controlIds: ['8.1', '8.2'] });
    expect(cis.members.filter((m) => m.kind === 'automated')).toHaveLength(106);
  });

  it("keeps Rampart's severity, controls, remediation and playbook where the curated catalog has the same definition", () => {
    const compiled = standards.compiled(CIS)!;
    const secureTransfer = compiled.guardrails.get(`${CIS}:404c3081-a854-4457-ae30-26a93ef643f9`)!.guardrail;
    const curated = BUILT_IN_GUARDRAILS.find((g) => g.id === 'storage-http-allowed')!;
    expect(compiled.curated.get(secureTransfer.id)).toBe('storage-http-allowed');
    expect(secureTransfer).toMatchObject({ title: curated.title, severity: curated.severity, remediation: curated.remediation, playbookId: curated.playbookId, parameters: { effect: 'Audit' } });
    expect(secureTransfer.controls).toEqual(expect.arrayContaining([...curated.controls, { framework: 'CIS-Azure', control: '3.1' }]));
    expect(compiled.curated.size).toBeGreaterThanOrEqual(9);
  });

  it('gives every other definition readable defaults: its display name, a severity from category and effect, a remediation from its description', () => {
    const auditing = standards.compiled(CIS)!.guardrails.get(`${CIS}:a6fb4358-5bf4-4ad7-ba82-2cd2f41ce5e9`)!.guardrail;
    expect(auditing).toMatchObject({ title: 'Auditing on SQL server should be enabled', severity: 'medium', controls: [{ framework: 'CIS-Azure', control: '4.1.1' }] });
    expect(auditing.remediation).toMatch(/^Bring the resource in line with "Auditing on SQL server should be enabled"\. Auditing on your SQL Server should be enabled/);
    expect(defaultSeverity('Monitoring', 'AuditIfNotExists')).toBe('low');
    expect(defaultSeverity('Storage', 'Audit')).toBe('medium');
    expect(defaultSeverity('Some New Service', 'AuditIfNotExists')).toBe('low');
    // never high or critical: only a curated guardrail raises an incident under the default reporting policy
    for (const { guardrail } of standards.compiled(CIS)!.guardrails.values()) if (!standards.compiled(CIS)!.curated.has(guardrail.id)) expect(['low', 'medium']).toContain(guardrail.severity);
  });

  it('gives initiative-level parameter values to the members that take them, as Azure applies them', () => {
    const values = { 'EFFECT-3b980d31-7904-4bb7-8575-5665739a8052': 'Disabled' };
    const given = [...standards.compiled(CIS)!.guardrails.values()].filter(({ guardrail }) => Object.keys(memberValuesFrom(guardrail, values)).length > 0);
    expect(given.map(({ guardrail }) => [guardrail.id, memberValuesFrom(guardrail, values)])).toEqual([
      [`${CIS}:3b980d31-7904-4bb7-8575-5665739a8052-0`, { effect: 'Disabled' }],
      [`${CIS}:3b980d31-7904-4bb7-8575-5665739a8052-1`, { effect: 'Disabled' }],
      [`${CIS}:3b980d31-7904-4bb7-8575-5665739a8052-2`, { effect: 'Disabled' }],
    ]);
    expect(standards.baseline(CIS)?.parameters).toContain('effect-3b980d31-7904-4bb7-8575-5665739a8052');
  });
});

describe('the Microsoft cloud security benchmark', () => {
  it("is Defender for Cloud's default initiative, found by its display name, and named mcsb", () => {
    const entry = builtInInitiatives().find((i) => i.displayName === 'Microsoft cloud security benchmark');
    expect(entry?.name).toBe(MCSB_INITIATIVE);
    expect(STANDARD_IDS.get(MCSB_INITIATIVE)).toBe('mcsb');
    expect(standardInitiatives()[0]).toEqual({ id: 'mcsb', name: MCSB_INITIATIVE });
  });

  it('titles all 85 controls, those without an Azure Policy member too, each in its domain', () => {
    const mcsb = standards.get('mcsb')!;
    expect(mcsb.controls).toHaveLength(85);
    expect(mcsb.controls.every((c) => c.titleFrom === 'curated' && c.domain)).toBe(true);
    expect(mcsb.controls.find((c) => c.id === 'NS-4')).toMatchObject({ title: 'Deploy intrusion detection/intrusion prevention systems (IDS/IPS)', domain: 'Network security', memberIds: [] });
    expect(mcsb.members.find((m) => m.referenceId === 'secureTransferToStorageAccountMonitoring')).toMatchObject({ guardrailId: 'mcsb:secureTransferToStorageAccountMonitoring', controlIds: ['DP-3'] });
  });
});

describe('control titles, from what each initiative carries', () => {
  const controlOf = (id: string, controlId: string) => standards.get(id)!.controls.find((c) => c.id === controlId)!;

  it('uses a title in the group name (NL BIO Cloud Theme V2, Spain ENS)', () => {
    expect(controlOf('nl-bio-cloud-v2', 'B.01')).toMatchObject({ title: 'Laws and Regulations', titleFrom: 'group', domain: 'B.01 Laws and Regulations' });
    expect(controlOf('spain-ens', 'org.1')).toMatchObject({ title: 'Security policy', titleFrom: 'group' });
  });

  it("uses the group's description and category (New Zealand ISM)", () => {
    expect(controlOf('nz-ism', '06.2.5.C.01')).toMatchObject({ title: 'Agencies SHOULD conduct vulnerability assessments in order to establish a baseline.', domain: '06. Information security monitoring' });
  });

  it('falls back on what the member definitions check, manual activities included (NIST SP 800-53 Rev. 5)', () => {
    expect(controlOf('nist-sp-800-53-r5', 'AC-1')).toMatchObject({ title: 'Develop access control policies and procedures (+3 more)', titleFrom: 'definitions', domain: 'Access control' });
    const nist = standards.get('nist-sp-800-53-r5')!;
    expect(nist.members.filter((m) => m.kind === 'manual').length).toBeGreaterThan(400);
  });
});

describe('the standards catalog', () => {
  it('pins an id for every regulatory initiative, unique and usable as a baseline id', () => {
    const regulatory = builtInInitiatives().filter((i) => i.category === 'Regulatory Compliance');
    expect(regulatory).toHaveLength(70);
    for (const i of regulatory) expect(STANDARD_IDS.get(i.name)).toMatch(/^[a-z0-9][a-z0-9.-]{1,62}$/);
    expect(new Set(STANDARD_IDS.values()).size).toBe(STANDARD_IDS.size);
    expect(standards.list().map((s) => s.id)).toEqual(expect.arrayContaining(['mcsb', 'cis-azure-2.0.0', 'pci-dss-4.0.1', 'iso-27001-2022', 'nist-sp-800-53-r5']));
    expect(standards.list()).toHaveLength(71);
  });

  it('is lazy: listing and assigning read no definition, only evaluating compiles them, once per process', () => {
    let reads = 0;
    const index = new Map(builtInDefinitions().map((e) => [e.name, e]));
    const counting: DefinitionSource = {
      entry: (idOrName) => index.get(builtInNameOf(idOrName)),
      definition: (idOrName) => {
        reads++;
        return builtInDefinition(idOrName);
      },
    };
    const lazy = azureStandards(BUILT_IN_GUARDRAILS, counting);
    expect(lazy.list()).toHaveLength(71);
    expect(lazy.baseline('iso-27001-2022')?.guardrailIds).toHaveLength(58);
    expect(reads).toBe(0);
    const first = lazy.compiled('iso-27001-2022')!;
    expect(reads).toBeGreaterThanOrEqual(58);
    expect(lazy.compiled('iso-27001-2022')).toBe(first);
  });

  it('finds standards and their members through the catalog, while listing only the curated baselines and guardrails', () => {
    expect([...catalog.baselines.keys()]).toEqual(BUILT_IN_BASELINES.map((b) => b.id));
    expect(catalog.guardrails.size).toBe(BUILT_IN_GUARDRAILS.length);
    expect(catalog.baselines.get(CIS)).toMatchObject({ id: CIS, initiativeId: cis.initiativeId });
    expect(catalog.baselines.get(CIS)!.guardrailIds).toHaveLength(108);
    expect(catalog.guardrails.get(`${CIS}:404c3081-a854-4457-ae30-26a93ef643f9`)?.guardrail.severity).toBe('medium');
    // a data-plane member stays a member of the baseline, with nothing to evaluate
    expect(catalog.baselines.get(CIS)!.guardrailIds).toContain(`${CIS}:152b15f7-8e1f-4c1f-ab71-8c010ba5dbc0`);
    expect(catalog.guardrails.has(`${CIS}:152b15f7-8e1f-4c1f-ab71-8c010ba5dbc0`)).toBe(false);
    expect(catalog.baselines.has('nist-everything')).toBe(false);
  });

  it('is assigned like a baseline, with parameter overrides per member checked against the definition', () => {
    const given = givenWhenThen(tenantGuardrailsDecider(catalog));
    const secureTransfer = `${CIS}:404c3081-a854-4457-ae30-26a93ef643f9`;
    given()
      .when({ kind: 'AssignBaseline', assignmentId: 'cis', baselineId: CIS, scope: '*', parameters: { [secureTransfer]: { effect: 'Deny' } } })
      .then({ type: 'guardrails.BaselineAssigned.v1', data: { assignmentId: 'cis', baselineId: CIS, scope: '*', parameters: { [secureTransfer]: { effect: 'Deny' } } } });
    given()
      .when({ kind: 'AssignBaseline', assignmentId: 'cis', baselineId: CIS, scope: '*', parameters: { [secureTransfer]: { effect: 'Explode' } } })
      .thenRejects('invalid-parameters');
  });

  it('imports an initiative from any source: the import is pure', () => {
    const initiative = builtInInitiative('5e4ff661-23bf-42fa-8e3a-309a55091cc7');
    const source: DefinitionSource = { entry: () => undefined, definition: () => undefined };
    const iso = importStandard('iso-27001-2022', initiative, source);
    expect(iso.controls).toHaveLength(12);
    expect(iso.members.every((m) => m.source.startsWith('missing:'))).toBe(true);
  });
});
