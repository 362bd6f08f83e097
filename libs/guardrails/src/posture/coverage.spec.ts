// Proof of coverage: a verdict is as fresh as the configuration it was decided on. Given when each
// resource was last collected and how far the evaluator had got, when is it evaluated within the
// interval, and what does the coverage say.
import { checkMaxEvidenceAge, coverageHoldsUntil, coverageOf, notEvaluatedKeys, staleReason } from './coverage';

const AT = new Date('2026-12-07T12:00:00Z');
const resource = (name: string, lastCollectedAt: string) => ({
  resourceKey: `/subscriptions/s/resourcegroups/rg/providers/microsoft.storage/storageaccounts/${name}`,
  resourceId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${name}`,
  resourceType: 'microsoft.storage/storageaccounts',
  lastCollectedAt,
});

describe('proof of coverage', () => {
  const fresh = resource('fresh', '2026-12-06T12:00:00.000Z'); // a day old
  const edge = resource('edge', '2026-12-04T12:00:00.000Z'); // exactly 72 h old
  const stale = resource('stale', '2026-12-01T00:00:00.000Z'); // six and a half days old

  it('counts a resource evaluated while its evidence is within the interval, and reports the rest not evaluated, oldest first', () => {
    const c = coverageOf([fresh, stale, edge], { at: AT, maxEvidenceAgeHours: 72, evaluatedThrough: null });
    expect(c).toMatchObject({ resources: 3, evaluated: 2, notEvaluated: 1, oldestEvidenceAt: stale.lastCollectedAt, maxEvidenceAgeHours: 72 });
    expect(c.score).toBeCloseTo(2 / 3);
    expect(c.perResource.map((r) => [r.resourceKey.split('/').pop(), r.evaluated])).toEqual([
      ['stale', false],
      ['edge', true],
      ['fresh', true],
    ]);
    expect([...notEvaluatedKeys(c)]).toEqual([stale.resourceKey]);
    expect(staleReason(c.perResource[0], 72)).toBe('not evaluated within 72 h: its configuration was last collected and evaluated at 2026-12-01T00:00:00.000Z');
  });

  it('rests a verdict on what the evaluator had handled: a collection it has not caught up with proves nothing yet', () => {
    // the evaluator stopped four days ago: the fresh collection was never evaluated
    const c = coverageOf([fresh], { at: AT, maxEvidenceAgeHours: 72, evaluatedThrough: '2026-12-03T12:00:00.000Z' });
    expect(c.perResource[0]).toMatchObject({ lastCollectedAt: fresh.lastCollectedAt, evaluatedAt: '2026-12-03T12:00:00.000Z', evaluated: false });
    expect(coverageOf([fresh], { at: AT, maxEvidenceAgeHours: 72, evaluatedThrough: '2026-12-07T11:00:00.000Z' }).perResource[0]).toMatchObject({ evaluatedAt: fresh.lastCollectedAt, evaluated: true });
  });

  it('has no score without resources, and takes an interval of whole hours up to 90 days', () => {
    expect(coverageOf([], { at: AT, maxEvidenceAgeHours: 72, evaluatedThrough: null })).toMatchObject({ resources: 0, score: null, oldestEvidenceAt: null });
    expect(checkMaxEvidenceAge(72)).toBeNull();
    expect(checkMaxEvidenceAge(0)).toMatchObject({ code: 'invalid-interval' });
    expect(checkMaxEvidenceAge(1.5)).toMatchObject({ code: 'invalid-interval' });
    expect(checkMaxEvidenceAge(91 * 24)).toMatchObject({ code: 'invalid-interval' });
  });

  it('holds until the first evidence now within the interval ages past it, and then says something else', () => {
    const c = coverageOf([fresh, stale, edge], { at: AT, maxEvidenceAgeHours: 72, evaluatedThrough: null });
    const until = coverageHoldsUntil(c);
    // the edge resource is exactly 72 h old: evaluated now, not a millisecond later
    expect(until).toBe(Date.parse(edge.lastCollectedAt) + 72 * 3_600_000 + 1);
    expect(coverageOf([fresh, stale, edge], { at: new Date((until ?? 0) - 1), maxEvidenceAgeHours: 72, evaluatedThrough: null }).evaluated).toBe(2);
    expect(coverageOf([fresh, stale, edge], { at: new Date(until ?? 0), maxEvidenceAgeHours: 72, evaluatedThrough: null }).evaluated).toBe(1);
    // nothing evaluated: the clock can change nothing
    expect(coverageHoldsUntil(coverageOf([stale], { at: AT, maxEvidenceAgeHours: 72, evaluatedThrough: null }))).toBeUndefined();
  });
});
