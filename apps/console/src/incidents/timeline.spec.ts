import { categorize, summarize } from './timeline';

const e = (type: string, data: unknown) => ({ type, data: JSON.stringify(data) });

describe('incident timeline', () => {
  it('sorts entries into posture, alerts, actions, comments and the incident itself', () => {
    expect(categorize(e('guardrails.FindingOpened.v1', {}))).toBe('posture');
    expect(categorize(e('inventory.ResourceConfigurationChanged.v1', {}))).toBe('posture');
    expect(categorize(e('incidents.ActionApproved.v1', {}))).toBe('action');
    expect(categorize(e('incidents.CommentAdded.v1', {}))).toBe('comment');
    expect(categorize(e('incidents.SignalAttached.v1', { signal: { kind: 'alert' } }))).toBe('alert');
    expect(categorize(e('incidents.IncidentOpened.v1', { signal: { kind: 'alert' } }))).toBe('alert');
    expect(categorize(e('incidents.IncidentOpened.v1', { signal: { kind: 'finding' } }))).toBe('incident');
    expect(categorize({ type: 'incidents.IncidentTriaged.v1', data: 'not json' })).toBe('incident');
  });

  it('says in one line what happened', () => {
    expect(summarize(e('incidents.IncidentTriaged.v1', { severity: 'high', assignee: 'ana@soc.example' }))).toBe('Triaged as high, assigned to ana@soc.example');
    expect(summarize(e('incidents.ActionProposed.v1', { actionKind: 'restrict-public-network-access', target: '/subscriptions/s/providers/Microsoft.Web/sites/app', destructive: true }))).toBe(
      'Action proposed: restrict-public-network-access on app (destructive)',
    );
    expect(summarize(e('incidents.ActionApproved.v1', { approvedBy: 'tenant-policy', preApproved: true }))).toBe('Action approved by tenant-policy (pre-approved by tenant policy)');
    expect(summarize(e('incidents.CommentAdded.v1', { text: 'Called the app owner' }))).toBe('Called the app owner');
    expect(summarize(e('guardrails.FindingResolved.v1', { resolution: 'compliant', resourceId: '/subscriptions/s/sites/app' }))).toBe('Finding resolved (compliant) on app');
    expect(summarize(e('incidents.SomethingNew.v1', {}))).toBe('Something new');
    expect(summarize(e('guardrails.ComplianceStateChanged.v1', { guardrailId: 'web-app-without-authentication', from: null, to: 'nonCompliant', resourceId: '/subscriptions/s/sites/app' }))).toBe(
      'web-app-without-authentication: not evaluated → non-compliant on app',
    );
  });
});
