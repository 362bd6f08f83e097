import type { IncidentPolicy } from '../api/operations';
import {
  assignmentIdFor,
  boundProblem,
  changedParameters,
  fieldValue,
  incidentPolicyInput,
  initiativeParameterFields,
  initiativeParameterNames,
  isAssignmentId,
  isAssignmentScope,
  minutesInWords,
  namedParameterFields,
  parameterSummary,
  slaProblems,
  slaRows,
} from './policies';

const PARAMETERS = JSON.stringify({
  'effect-0961003e': { type: 'String', defaultValue: 'Audit', allowedValues: ['Audit', 'Deny', 'Disabled'], displayName: 'Effect for storage TLS' },
  minimumTlsVersion: { type: 'String', defaultValue: 'TLS1_2', displayName: 'Minimum TLS version' },
  maxDays: { type: 'Integer', defaultValue: 90 },
  allowedLocations: { type: 'Array', defaultValue: ['westeurope'] },
});

describe("a standard's parameters", () => {
  const fields = initiativeParameterFields(PARAMETERS);

  it('lists them with their labels, effects last', () => {
    expect(fields.map((f) => f.label)).toEqual(['allowedLocations', 'maxDays', 'Minimum TLS version', 'Effect for storage TLS']);
    expect(fields[3].allowedValues).toEqual(['Audit', 'Deny', 'Disabled']);
    expect(initiativeParameterFields('not json')).toEqual([]);
    expect(initiativeParameterFields('[]')).toEqual([]);
  });

  it('records only what was changed from the defaults, in the parameter types', () => {
    expect(changedParameters(fields, {})).toEqual({ ok: true, values: {} });
    // set back to its default: not recorded, so a later change of Azure's default still reaches it
    expect(changedParameters(fields, { minimumTlsVersion: 'TLS1_2' })).toEqual({ ok: true, values: {} });
    expect(changedParameters(fields, { 'effect-0961003e': 'Deny', maxDays: '30', allowedLocations: '["westeurope","northeurope"]' })).toEqual({
      ok: true,
      values: { 'effect-0961003e': 'Deny', maxDays: 30, allowedLocations: ['westeurope', 'northeurope'] },
    });
  });

  it('refuses a value that does not read as its type, naming the parameter', () => {
    expect(changedParameters(fields, { maxDays: '30.5' })).toEqual({ ok: false, message: 'maxDays: a whole number' });
    expect(changedParameters(fields, { allowedLocations: '[westeurope' })).toEqual({ ok: false, message: 'allowedLocations: JSON (array)' });
    expect(fieldValue({ name: 'b', label: 'b', type: 'Boolean', defaultValue: false }, 'yes')).toEqual({ ok: false, message: 'b: true or false' });
    expect(fieldValue({ name: 'b', label: 'b', type: 'Boolean', defaultValue: false }, 'true')).toEqual({ ok: true, value: true });
  });
});

describe("a library initiative's parameters, known by name only", () => {
  const fields = namedParameterFields(['effectStorage', 'allowedBypassOptions', 'maxDays']);

  it('lists one field per name, effects last, none filled in', () => {
    expect(fields.map((f) => f.name)).toEqual(['allowedBypassOptions', 'maxDays', 'effectStorage']);
    expect(fields.every((f) => f.defaultValue === undefined)).toBe(true);
  });

  it('sends only the values filled in: JSON numbers, booleans, arrays and objects as such, anything else as text', () => {
    expect(changedParameters(fields, {})).toEqual({ ok: true, values: {} });
    expect(changedParameters(fields, { effectStorage: '', maxDays: '  ' })).toEqual({ ok: true, values: {} });
    expect(changedParameters(fields, { effectStorage: 'Deny', maxDays: '30', allowedBypassOptions: '["AzureServices"]' })).toEqual({
      ok: true,
      values: { effectStorage: 'Deny', maxDays: 30, allowedBypassOptions: ['AzureServices'] },
    });
    expect(changedParameters(fields, { effectStorage: 'true', maxDays: '{"a":1}', allowedBypassOptions: '[AzureServices' })).toEqual({
      ok: true,
      values: { effectStorage: true, maxDays: { a: 1 }, allowedBypassOptions: '[AzureServices' },
    });
    // a JSON string or null is no number, boolean, array or object: the text as typed
    expect(changedParameters(fields, { effectStorage: '"Deny"', maxDays: 'null' })).toEqual({ ok: true, values: { effectStorage: '"Deny"', maxDays: 'null' } });
  });

  it("are read by name from a tenant's own initiative as imported, whose parameters the baselines do not list", () => {
    const initiative = { name: 'Bank-Storage', properties: { displayName: 'Storage', parameters: { effectStorage: { type: 'String', defaultValue: 'Deny' }, maxDays: { type: 'Integer' } }, policyDefinitions: [] } };
    expect(initiativeParameterNames(JSON.stringify(initiative))).toEqual(['effectStorage', 'maxDays']);
    expect(initiativeParameterNames(JSON.stringify({ Properties: { Parameters: { effect: {} } } }))).toEqual(['effect']);
    expect(initiativeParameterNames(JSON.stringify({ properties: { policyDefinitions: [] } }))).toEqual([]);
    expect(initiativeParameterNames(JSON.stringify({ properties: { parameters: ['not', 'an', 'object'] } }))).toEqual([]);
    expect(initiativeParameterNames('{ not json')).toEqual([]);
  });
});

describe('assignments', () => {
  it('accepts the scopes the domain accepts', () => {
    expect(['*', '/subscriptions/s1', '/subscriptions/s1/resourceGroups/rg-payments'].every(isAssignmentScope)).toBe(true);
    expect(['', 'subscriptions/s1', '/subscriptions/s1/providers/x', '/subscriptions/s 1'].some(isAssignmentScope)).toBe(false);
  });

  it('suggests an id the domain accepts, named for what and where, unique among the tenant’s', () => {
    expect(assignmentIdFor('cis-azure-2.0.0', '*', [])).toBe('cis-azure-2-0-0');
    expect(assignmentIdFor('mcsb', '/subscriptions/3f2c6a1e-5b7d-4c8e/resourceGroups/RG-Payments', [])).toBe('mcsb-rg-payments');
    expect(assignmentIdFor('mcsb', '/subscriptions/3f2c6a1e-5b7d-4c8e', [])).toBe('mcsb-3f2c6a1e');
    expect(assignmentIdFor('mcsb', '*', ['mcsb', 'mcsb-2'])).toBe('mcsb-3');
    expect(assignmentIdFor('x'.repeat(80), '*', [])).toMatch(/^[a-z0-9][a-z0-9-]{0,62}$/);
  });

  it("keeps a group's shorter ids within their bound, numbered when taken", () => {
    const long = 'lib-initiative:enforce-guardrails-keyvault_20260203';
    expect(assignmentIdFor('landing-zone-core', '*', [], 28)).toBe('landing-zone-core');
    expect(assignmentIdFor(long, '*', [], 28)).toBe('lib-initiative-enforc');
    const taken = Array.from({ length: 12 }, (_, i) => (i ? `lib-initiative-enforc-${i + 1}` : 'lib-initiative-enforc'));
    expect(assignmentIdFor(long, '*', taken, 28)).toBe('lib-initiative-enforc-13');
    expect(isAssignmentId(assignmentIdFor(long, '*', taken, 28), 28)).toBe(true);
    expect(isAssignmentId('a'.repeat(28), 28)).toBe(true);
    expect(isAssignmentId('a'.repeat(29), 28)).toBe(false);
    expect(isAssignmentId('a'.repeat(63))).toBe(true);
    expect(isAssignmentId('a'.repeat(64))).toBe(false);
    expect(isAssignmentId('-core')).toBe(false);
  });

  it('says whether an assignment sets parameters', () => {
    expect(parameterSummary('{}').text).toBe('Defaults');
    expect(parameterSummary('{"storage-weak-tls":{"minimumTlsVersion":"TLS1_2"}}')).toEqual({ guardrails: ['storage-weak-tls'], initiative: [], text: 'Set for 1 guardrail' });
    expect(parameterSummary('{}', '{"effect-0961003e":"Disabled"}')).toEqual({ guardrails: [], initiative: ['effect-0961003e'], text: 'Set for 1 initiative parameter' });
    expect(parameterSummary('{"a":{},"b":{}}', '{"x":1,"y":2}').text).toBe('Set for 2 initiative parameters and 2 guardrails');
    expect(parameterSummary('not json', '[]').text).toBe('Defaults');
  });
});

describe('SLA targets', () => {
  it('reads minutes as people say them', () => {
    expect(minutesInWords(30)).toBe('30 min');
    expect(minutesInWords(90)).toBe('1 h 30 min');
    expect(minutesInWords(1440)).toBe('1 day');
    expect(minutesInWords(4320 + 60)).toBe('3 days 1 h');
    expect(minutesInWords(Number.NaN)).toBe('—');
  });

  it('finds what the domain would refuse', () => {
    expect(slaProblems({ severity: 'high', acknowledgeMinutes: 30, containMinutes: 240, resolveMinutes: 1440 })).toEqual([]);
    expect(slaProblems({ severity: 'high', acknowledgeMinutes: 600, containMinutes: 240, resolveMinutes: 1440 })).toEqual(['high: acknowledge, contain and resolve must come in that order']);
    expect(slaProblems({ severity: 'low', acknowledgeMinutes: 0, containMinutes: 240, resolveMinutes: 1440 })[0]).toMatch(/whole minutes from 1/);
    expect(slaProblems({ severity: 'low', acknowledgeMinutes: Number.NaN, containMinutes: 240, resolveMinutes: 1440 })).toHaveLength(1);
  });

  it('lists severities most severe first', () => {
    const row = (severity: string) => ({ severity, acknowledgeMinutes: 1, containMinutes: 2, resolveMinutes: 3 });
    expect(slaRows([row('low'), row('critical'), row('medium'), row('high')]).map((r) => r.severity)).toEqual(['critical', 'high', 'medium', 'low']);
  });
});

describe('the incident policy change', () => {
  const current: IncidentPolicy = {
    findingSeverities: ['critical', 'high'],
    findingSeveritiesFrom: 'default',
    correlationWindowMinutes: 30,
    approvalExpiryMinutes: 1440,
    preApprovedActions: [],
    sla: [
      { severity: 'critical', acknowledgeMinutes: 15, containMinutes: 60, resolveMinutes: 240 },
      { severity: 'high', acknowledgeMinutes: 30, containMinutes: 240, resolveMinutes: 1440 },
    ],
  };
  const same = { findingSeverities: ['high', 'critical'], correlationWindowMinutes: 30, approvalExpiryMinutes: 1440, preApprovedActions: [], sla: current.sla };

  it('sends nothing when nothing changed (order of a choice does not matter)', () => {
    expect(incidentPolicyInput('t1', current, same)).toBeUndefined();
  });

  it('sends only what changed, so another person’s change of another part stands', () => {
    const sla = [current.sla[0], { ...current.sla[1], containMinutes: 120 }];
    expect(incidentPolicyInput('t1', current, { ...same, sla, preApprovedActions: ['harden-configuration'] })).toEqual({
      tenantId: 't1',
      preApprovedActions: ['harden-configuration'],
      sla: [{ severity: 'high', acknowledgeMinutes: 30, containMinutes: 120, resolveMinutes: 1440 }],
    });
    expect(incidentPolicyInput('t1', current, { ...same, findingSeverities: ['critical'], correlationWindowMinutes: 60, approvalExpiryMinutes: 240 })).toEqual({
      tenantId: 't1',
      findingSeverities: ['critical'],
      correlationWindowMinutes: 60,
      approvalExpiryMinutes: 240,
    });
  });

  it('checks the windows against the bounds the domain keeps', () => {
    expect(boundProblem('correlationWindowMinutes', 5)).toBeUndefined();
    expect(boundProblem('correlationWindowMinutes', 4)).toMatch(/from 5 to 10080/);
    expect(boundProblem('approvalExpiryMinutes', 43_200)).toBeUndefined();
    expect(boundProblem('approvalExpiryMinutes', 43_201)).toMatch(/30 days/);
    expect(boundProblem('approvalExpiryMinutes', 60.5)).toBeDefined();
  });
});
