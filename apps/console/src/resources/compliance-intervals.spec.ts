import { complianceTimelines, type ComplianceChange } from './compliance-intervals';

const change = (guardrailId: string, from: string | null, to: string, recordedAt: string, assignmentId = 'core'): ComplianceChange => ({
  assignmentId,
  baselineId: 'landing-zone-core',
  guardrailId,
  from,
  to,
  recordedAt,
  reason: `${to} because`,
});
const t = (iso: string) => Date.parse(iso);

describe('compliance over time', () => {
  it('turns state changes into periods of failure, error and exemption per guardrail', () => {
    const timelines = complianceTimelines([
      change('web-auth', null, 'nonCompliant', '2026-11-01T08:00:00Z'),
      change('tls', null, 'compliant', '2026-11-01T08:00:00Z'),
      change('web-auth', 'nonCompliant', 'exempt', '2026-11-03T08:00:00Z'),
      change('web-auth', 'exempt', 'nonCompliant', '2026-11-05T08:00:00Z'),
      change('web-auth', 'nonCompliant', 'compliant', '2026-11-06T08:00:00Z'),
      change('tls', 'compliant', 'error', '2026-11-07T08:00:00Z'),
    ]);
    expect(timelines).toEqual([
      {
        key: 'core/web-auth',
        guardrailId: 'web-auth',
        baselineId: 'landing-zone-core',
        current: 'compliant',
        periods: [
          { state: 'nonCompliant', from: t('2026-11-01T08:00:00Z'), to: t('2026-11-03T08:00:00Z'), reason: 'nonCompliant because' },
          { state: 'exempt', from: t('2026-11-03T08:00:00Z'), to: t('2026-11-05T08:00:00Z'), reason: 'exempt because' },
          { state: 'nonCompliant', from: t('2026-11-05T08:00:00Z'), to: t('2026-11-06T08:00:00Z'), reason: 'nonCompliant because' },
        ],
      },
      { key: 'core/tls', guardrailId: 'tls', baselineId: 'landing-zone-core', current: 'error', periods: [{ state: 'error', from: t('2026-11-07T08:00:00Z'), to: null, reason: 'error because' }] },
    ]);
  });

  it('keeps the same guardrail of two assignments apart, and reads the changes in time order', () => {
    const timelines = complianceTimelines([
      change('web-auth', 'nonCompliant', 'notApplicable', '2026-11-02T00:00:00Z', 'prod'),
      change('web-auth', null, 'nonCompliant', '2026-11-01T00:00:00Z', 'prod'),
      change('web-auth', null, 'compliant', '2026-11-01T00:00:00Z', 'core'),
    ]);
    expect(timelines.map((x) => [x.key, x.current, x.periods.length])).toEqual([
      ['prod/web-auth', 'notApplicable', 1],
      ['core/web-auth', 'compliant', 0],
    ]);
  });
});
