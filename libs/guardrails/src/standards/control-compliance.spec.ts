// The per-control state rules of a standard, as Defender for Cloud's regulatory compliance
// dashboard shows them: given a control's members, when these resources were evaluated, then the
// control is in this state with these resource counts.
import type { Refusal } from '../rule-engine/errors';
import { attestationsByControl, ControlStateTracker, standardCompliance, type ControlState, type ResourceCounts, type StandardEntry } from './control-compliance';
import type { MemberKind, Standard, StandardMember } from './standard';

type Outcome = StandardEntry['state'];
const RESOURCES_IN_SCOPE = 10;

const memberOf = (id: string, kind: MemberKind): StandardMember => ({
  guardrailId: id,
  referenceId: id,
  definitionName: id,
  displayName: `definition ${id}`,
  description: '',
  category: 'Storage',
  kind,
  effect: kind === 'manual' ? 'Manual' : 'Audit',
  parameters: {},
  initiativeParameters: {},
  unresolvedParameters: [],
  controlIds: ['C-1'],
  source: 'test',
});

/** A control's members: `auto` evaluated, `refused` automated but not compiled, `manual`, `dataPlane`. */
interface Members {
  readonly auto?: readonly string[];
  readonly refused?: readonly string[];
  readonly manual?: readonly string[];
  readonly dataPlane?: readonly string[];
}

const ATTESTATION = { attestationId: 'att-1', controlId: 'c-1', statement: 'The access policy is reviewed every quarter.', attestedBy: 'ciso@contoso.example', approvedBy: null, validUntil: '2027-06-30T00:00:00.000Z', evidence: [] };

const given = (m: Members, attested = false) => {
  const members = [
    ...(m.auto ?? []).map((id) => memberOf(id, 'automated')),
    ...(m.refused ?? []).map((id) => memberOf(id, 'automated')),
    ...(m.manual ?? []).map((id) => memberOf(id, 'manual')),
    ...(m.dataPlane ?? []).map((id) => memberOf(id, 'data-plane')),
  ];
  const standard: Standard = {
    id: 'test',
    title: 'Test standard',
    description: '',
    initiativeName: '00000000-0000-0000-0000-000000000000',
    initiativeId: '/providers/Microsoft.Authorization/policySetDefinitions/00000000-0000-0000-0000-000000000000',
    version: '1.0.0',
    category: 'Regulatory Compliance',
    controlCount: 1,
    definitionCount: members.length,
    controls: [{ id: 'C-1', group: 'Test_C-1', title: 'Control one', titleFrom: 'id', description: null, domain: null, memberIds: members.map((x) => x.guardrailId) }],
    members,
    parameters: {},
  };
  const evaluability = {
    guardrails: new Set(m.auto ?? []),
    refused: new Map<string, Refusal>((m.refused ?? []).map((id) => [id, { reason: 'unknown-alias', message: `${id}: an alias the table lacks` }])),
  };
  return {
    when: (...evaluated: [resource: string, member: string, outcome: Outcome][]) => {
      const entries: StandardEntry[] = evaluated.map(([resource, guardrailId, state]) => ({
        resourceKey: `/subscriptions/s/resourcegroups/rg/providers/microsoft.storage/storageaccounts/${resource}`,
        resourceId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${resource}`,
        resourceType: 'microsoft.storage/storageaccounts',
        guardrailId,
        state,
        reason: `${guardrailId} says ${state}`,
        exemptionId: state === 'exempt' ? 'x' : null,
      }));
      const result = standardCompliance(standard, evaluability, entries, RESOURCES_IN_SCOPE, attested ? attestationsByControl([ATTESTATION]) : new Map());
      const [control] = result.controls;
      return {
        control,
        then: (state: ControlState, counts?: Partial<ResourceCounts>): void => {
          expect(control.state).toBe(state);
          if (counts) expect(control.resources).toMatchObject(counts);
          // the incremental tracker behind scores over time decides the same state
          const tracker = new ControlStateTracker(standard, evaluability);
          for (const e of entries) tracker.add(e, 1);
          if (attested) tracker.attest(new Set(['c-1']));
          expect(tracker.states()[state]).toBe(1);
        },
      };
    },
  };
};

describe("a standard's control state", () => {
  it('is failed when any member fails on any resource, whatever the others say', () =>
    given({ auto: ['a', 'b'], refused: ['c'] })
      .when(['st1', 'a', 'compliant'], ['st1', 'b', 'nonCompliant'], ['st2', 'a', 'compliant'], ['st3', 'a', 'error'])
      .then('failed', { failed: 1, passed: 1, notEvaluable: 1, notApplicable: RESOURCES_IN_SCOPE - 3 }));

  it('is passed when members were evaluated and none fails', () =>
    given({ auto: ['a', 'b'] })
      .when(['st1', 'a', 'compliant'], ['st1', 'b', 'compliant'], ['st2', 'b', 'compliant'])
      .then('passed', { passed: 2, failed: 0, notApplicable: RESOURCES_IN_SCOPE - 2 }));

  it('counts a resource once, by the worst of its members', () =>
    given({ auto: ['a', 'b'] })
      .when(['st1', 'a', 'compliant'], ['st1', 'b', 'nonCompliant'])
      .then('failed', { passed: 0, failed: 1 }));

  it('is manual when all its definitions are manual or data-plane: it needs an attestation and is never passed', () =>
    given({ manual: ['m'], dataPlane: ['kv'] })
      .when()
      .then('manual', { passed: 0, failed: 0, notApplicable: RESOURCES_IN_SCOPE }));

  it('is manual when Azure has no definition for it at all', () => given({}).when().then('manual'));

  it('is attested when no rule can check it and an attestation holds for it', () => {
    const { control } = given({ manual: ['m'], dataPlane: ['kv'] }, true).when();
    expect(control.state).toBe('attested');
    expect(control.attestation).toMatchObject({ attestationId: 'att-1', validUntil: '2027-06-30T00:00:00.000Z' });
    given({ manual: ['m'] }, true).when().then('attested');
  });

  it('keeps the state its rules decide when they check part of it: an attestation is shown beside it, never hides a failure', () => {
    given({ auto: ['a'], manual: ['m'] }, true)
      .when(['st1', 'a', 'nonCompliant'])
      .then('failed');
    const passed = given({ auto: ['a'], manual: ['m'] }, true).when(['st1', 'a', 'compliant']);
    passed.then('passed');
    expect(passed.control.attestation?.attestationId).toBe('att-1');
  });

  it("does not let a manual member stop the automated ones from passing (they are attested apart)", () =>
    given({ auto: ['a'], manual: ['m'] })
      .when(['st1', 'a', 'compliant'])
      .then('passed'));

  it('is not evaluable, never passed, when a member the engine refuses belongs to it', () =>
    given({ auto: ['a'], refused: ['r'] })
      .when(['st1', 'a', 'compliant'])
      .then('notEvaluable', { passed: 1 }));

  it('is not evaluable when a resource could not be evaluated and none failed', () =>
    given({ auto: ['a'] })
      .when(['st1', 'a', 'compliant'], ['st2', 'a', 'error'])
      .then('notEvaluable', { passed: 1, notEvaluable: 1 }));

  it('is not applicable when nothing it checks applies to any resource in scope', () =>
    given({ auto: ['a', 'b'] })
      .when()
      .then('notApplicable', { notApplicable: RESOURCES_IN_SCOPE }));

  it('is passed when the only resources it applies to are exempt: accepted risk, counted apart', () =>
    given({ auto: ['a'] })
      .when(['st1', 'a', 'exempt'])
      .then('passed', { exempt: 1, passed: 0 }));

  it('lists the failing resources with the members they fail and why, worst first', () => {
    const evaluated = given({ auto: ['a', 'b'] }).when(['st1', 'a', 'nonCompliant'], ['st2', 'a', 'nonCompliant'], ['st2', 'b', 'nonCompliant'], ['st3', 'b', 'compliant']);
    evaluated.then('failed', { failed: 2, passed: 1 });
    const { control } = evaluated;
    expect(control.failing.map((f) => [f.resourceKey.split('/').pop(), f.failures.map((x) => x.guardrailId)])).toEqual([
      ['st2', ['a', 'b']],
      ['st1', ['a']],
    ]);
    expect(control.failing[0].failures[0].reason).toBe('a says nonCompliant');
  });
});

describe("a standard's score", () => {
  it('is the share of passed controls among those that could be assessed (manual and not-applicable ones aside)', () => {
    const members = ['a', 'b', 'c', 'm'].map((id) => memberOf(id, id === 'm' ? 'manual' : 'automated'));
    const standard: Standard = {
      id: 's',
      title: 's',
      description: '',
      initiativeName: 'x',
      initiativeId: 'x',
      version: null,
      category: '',
      controlCount: 4,
      definitionCount: 4,
      members,
      parameters: {},
      controls: ['a', 'b', 'c', 'm'].map((id) => ({ id, group: id, title: id, titleFrom: 'id' as const, description: null, domain: null, memberIds: [id] })),
    };
    const result = standardCompliance(standard, { guardrails: new Set(['a', 'b', 'c']), refused: new Map() }, [
      { resourceKey: 'r1', resourceId: 'r1', resourceType: 't', guardrailId: 'a', state: 'compliant', reason: '', exemptionId: null },
      { resourceKey: 'r1', resourceId: 'r1', resourceType: 't', guardrailId: 'b', state: 'nonCompliant', reason: '', exemptionId: null },
    ], 1);
    expect(result.states).toEqual({ passed: 1, failed: 1, notApplicable: 1, attested: 0, manual: 1, notEvaluable: 0 });
    expect(result.score).toBe(0.5);
    // an attested control counts as met: 2 of 3
    const attested = standardCompliance(standard, { guardrails: new Set(['a', 'b', 'c']), refused: new Map() }, [
      { resourceKey: 'r1', resourceId: 'r1', resourceType: 't', guardrailId: 'a', state: 'compliant', reason: '', exemptionId: null },
      { resourceKey: 'r1', resourceId: 'r1', resourceType: 't', guardrailId: 'b', state: 'nonCompliant', reason: '', exemptionId: null },
    ], 1, attestationsByControl([{ ...ATTESTATION, controlId: 'M' }]));
    expect(attested.states).toMatchObject({ attested: 1, manual: 0 });
    expect(attested.score).toBeCloseTo(2 / 3);
  });
});

describe('attestations by control', () => {
  it('let the one that holds longest speak for a control, whatever case its id was written in', () => {
    const byControl = attestationsByControl([
      { ...ATTESTATION, attestationId: 'att-1', controlId: 'AC-1', validUntil: '2027-01-01T00:00:00.000Z' },
      { ...ATTESTATION, attestationId: 'att-2', controlId: 'ac-1', validUntil: '2027-03-01T00:00:00.000Z' },
      { ...ATTESTATION, attestationId: 'att-3', controlId: 'AC-2', validUntil: '2027-01-01T00:00:00.000Z' },
    ]);
    expect([...byControl].map(([k, a]) => [k, a.attestationId])).toEqual([
      ['ac-1', 'att-2'],
      ['ac-2', 'att-3'],
    ]);
  });
});
