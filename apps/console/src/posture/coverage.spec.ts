import { behindText, coverageRefusal, coverageSentence, evidenceAge, intervalDetail, intervalOf, oldestEvidenceText } from './coverage';

const summary = { resources: 100, evaluated: 97, notEvaluated: 3, score: 0.97, oldestEvidenceAt: '2026-11-28T06:00:00.000Z', maxEvidenceAgeHours: 72, evaluatedThrough: null };

describe('coverage in words', () => {
  it('says how many resources were not evaluated within the interval, in its hours', () => {
    expect(coverageSentence(summary)).toBe('3 resources not evaluated within 72 h');
    expect(coverageSentence({ ...summary, notEvaluated: 1 })).toBe('1 resource not evaluated within 72 h');
    expect(coverageSentence({ ...summary, notEvaluated: 1 }, 'in scope')).toBe('1 resource in scope not evaluated within 72 h');
  });

  it('says so when every resource was evaluated, or there is none', () => {
    expect(coverageSentence({ ...summary, notEvaluated: 0 })).toBe('All 100 resources evaluated within 72 h');
    expect(coverageSentence({ resources: 1, notEvaluated: 0, maxEvidenceAgeHours: 168 })).toBe('The one resource evaluated within 168 h');
    expect(coverageSentence({ resources: 0, notEvaluated: 0, maxEvidenceAgeHours: 168 })).toBe('No resource recorded yet');
    expect(coverageSentence({ resources: 0, notEvaluated: 0, maxEvidenceAgeHours: 168 }, 'in scope')).toBe('No resource in scope recorded yet');
  });

  it('tells the age of evidence in hours up to two days, then in days and hours, floored', () => {
    const at = '2026-12-01T09:00:00.000Z';
    expect(evidenceAge('2026-12-01T08:59:40.000Z', at)).toBe('under a minute');
    expect(evidenceAge('2026-12-01T08:15:00.000Z', at)).toBe('45 min');
    expect(evidenceAge('2026-11-30T03:30:00.000Z', at)).toBe('29 h');
    expect(evidenceAge('2026-11-28T09:00:00.000Z', at)).toBe('3 days');
    expect(evidenceAge('2026-11-21T05:00:00.000Z', Date.parse(at))).toBe('10 days 4 h');
    // evidence stamped a little after the instant asked for (clocks): not negative
    expect(evidenceAge('2026-12-01T09:00:05.000Z', at)).toBe('under a minute');
    expect(evidenceAge('never', at)).toBe('—');
  });

  it('names the oldest evidence with its age, and nothing without resources', () => {
    expect(oldestEvidenceText(summary, '2026-12-01T10:00:00.000Z')).toBe('oldest evidence 2026-11-28 06:00 UTC (3 days 4 h old)');
    expect(oldestEvidenceText({ oldestEvidenceAt: null }, '2026-12-01T10:00:00.000Z')).toBeUndefined();
  });

  it('says the evaluator is behind since when, only when it is', () => {
    expect(behindText('2026-12-01T08:00:00.000Z')).toMatch(/^The evaluator is behind since 2026-12-01 08:00 UTC: /);
    expect(behindText(null)).toBeUndefined();
  });
});

describe('the interval', () => {
  it('takes whole hours from 1 to 90 days, as the API does', () => {
    expect(intervalOf(' 72 ')).toEqual({ ok: true, hours: 72 });
    expect(intervalOf('1')).toEqual({ ok: true, hours: 1 });
    expect(intervalOf('2160')).toEqual({ ok: true, hours: 2160 });
    for (const text of ['0', '2161', '1.5', '-3', '', 'a week']) expect(intervalOf(text)).toEqual({ ok: false, problem: 'The interval is a whole number of hours from 1 to 2160 (90 days).' });
  });

  it('reads in days, with the name people know it by', () => {
    expect(intervalDetail(72)).toBe('3 days · FedRAMP 20x');
    expect(intervalDetail(168)).toBe('7 days · a week');
    expect(intervalDetail(24)).toBe('1 day');
    expect(intervalDetail(36)).toBe('1.5 days');
    expect(intervalDetail(12)).toBe('');
  });

  it("shows a refusal's code, with the API's words unless better ones are known", () => {
    expect(coverageRefusal('invalid-interval', 'a whole number of hours from 1 to 2160 (90 days)')).toBe('Refused (invalid-interval): A whole number of hours from 1 to 2160 (90 days).');
    expect(coverageRefusal('tenant-suspended', null)).toBe('Refused (tenant-suspended): The tenant is suspended: its policy changes once it is reinstated.');
    expect(coverageRefusal('something-new', null)).toBe('Refused (something-new).');
  });
});
