// Azure's verdicts beside Rampart's: given what Azure Policy says about each resource and what
// Rampart's guardrails say, which agree, which differ, which only one side judged — per guardrail,
// with the agreement rate; and a state that names no guardrail Rampart has is counted, not compared.
import { builtInCatalog } from '../catalog/guardrail';
import { agreementLookup, azureAgreement, azureVerdictOf, type AgreementLookup, type AzureVerdictInput, type RampartVerdictInput } from './azure-agreement';

const KEY = (name: string) => `/subscriptions/s1/resourcegroups/rg/providers/microsoft.storage/storageaccounts/${name}`;
const azure = (name: string, complianceState: string, over: Partial<AzureVerdictInput> = {}): AzureVerdictInput => ({
  resourceKey: KEY(name),
  resourceId: KEY(name),
  policyDefinitionName: 'secure-transfer-guid',
  policySetDefinitionName: 'cis-guid',
  policyDefinitionReferenceId: 'SecureTransfer',
  complianceState,
  ...over,
});
const rampart = (name: string, state: RampartVerdictInput['state'], guardrailId = 'cis:securetransfer'): RampartVerdictInput => ({ resourceKey: KEY(name), resourceId: KEY(name), guardrailId, state });
const lookup: AgreementLookup = {
  memberOf: (initiative, ref) => (initiative === 'cis-guid' && ref.toLowerCase() === 'securetransfer' ? 'cis:securetransfer' : undefined),
  guardrailsOfDefinition: (name) => (name === 'secure-transfer-guid' ? ['storage-secure-transfer'] : []),
};

describe("agreement with Azure's own verdicts", () => {
  it('pairs verdicts per guardrail and resource: agree, differ, judged by one side only', () => {
    const result = azureAgreement(
      [azure('same', 'Compliant'), azure('broken', 'NonCompliant'), azure('mismatch', 'Compliant'), azure('azureonly', 'NonCompliant'), azure('custom', 'NonCompliant', { policySetDefinitionName: null, policyDefinitionReferenceId: null, policyDefinitionName: 'my-custom' })],
      [rampart('same', 'compliant'), rampart('broken', 'nonCompliant'), rampart('mismatch', 'nonCompliant'), rampart('rampartonly', 'compliant'), rampart('other', 'compliant', 'not-assigned-in-azure')],
      lookup,
    );
    expect(result.rows.map((r) => [r.resourceKey.split('/').pop(), r.kind, r.azure, r.rampart])).toEqual([
      ['mismatch', 'differ', 'compliant', 'nonCompliant'],
      ['azureonly', 'azureOnly', 'nonCompliant', null],
      ['rampartonly', 'rampartOnly', null, 'compliant'],
      ['broken', 'agree', 'nonCompliant', 'nonCompliant'],
      ['same', 'agree', 'compliant', 'compliant'],
    ]);
    expect(result.guardrails).toEqual([{ guardrailId: 'cis:securetransfer', agree: 2, differ: 1, azureOnly: 1, rampartOnly: 1, rate: 2 / 3 }]);
    expect(result.notComparable).toBe(1);
  });

  it('names a curated guardrail by the built-in it is built on when the state is not an initiative member', () => {
    const result = azureAgreement([azure('a', 'Compliant', { policySetDefinitionName: null, policyDefinitionReferenceId: null })], [rampart('a', 'error', 'storage-secure-transfer')], lookup);
    // Rampart could not evaluate what Azure passed: that is a difference, never agreement
    expect(result.rows).toEqual([expect.objectContaining({ guardrailId: 'storage-secure-transfer', azure: 'compliant', rampart: 'error', kind: 'differ' })]);
    expect(azureVerdictOf('NotStarted')).toBe('unknown');
  });

  it("finds a standard's member by the initiative Azure assigned and its reference id, whatever its case", () => {
    const catalog = builtInCatalog();
    const cis = catalog.standards!.get('cis-azure-2.0.0')!;
    const member = cis.members.find((m) => m.kind === 'automated')!;
    const found = agreementLookup(catalog);
    expect(found.memberOf(cis.initiativeName.toUpperCase(), member.referenceId.toUpperCase())).toBe(member.guardrailId);
    expect(found.memberOf('00000000-0000-0000-0000-000000000000', member.referenceId)).toBeUndefined();
  });
});
