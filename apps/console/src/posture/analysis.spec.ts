import type { ComplianceScore, Finding, GuardrailInfo, ScorePoint } from '../api/operations';
import { failingByControl, scoreLines, seriesWindow, topRiskyResources } from './analysis';

const finding = (guardrailId: string, resourceId: string, severity: string): Finding => ({
  findingId: `${guardrailId}@${resourceId}`,
  tenantId: 't',
  guardrailId,
  title: guardrailId,
  severity,
  status: 'open',
  resourceId,
  resourceType: 'microsoft.web/sites',
  reason: '',
  openedAt: '2026-11-01T00:00:00Z',
  resolvedAt: null,
  resolution: null,
});
const catalog: GuardrailInfo[] = [
  { id: 'web-auth', title: 'Web app without authentication', severity: 'high', remediation: '', controls: [{ framework: 'MCSB', control: 'IM-1' }, { framework: 'ISO27001', control: 'A.8.5' }] },
  { id: 'tls', title: 'Weak TLS', severity: 'medium', remediation: '', controls: [{ framework: 'MCSB', control: 'DP-3' }, { framework: 'ISO27001', control: 'A.8.5' }] },
];
const tally = (score: number | null) => ({ score, compliant: 0, nonCompliant: 0, error: 0, exempt: 0 });

describe('posture analysis', () => {
  it('counts open findings per control, a guardrail counting for each control it maps to', () => {
    const rows = failingByControl([finding('web-auth', 'a', 'high'), finding('web-auth', 'b', 'high'), finding('tls', 'a', 'medium'), finding('unknown', 'c', 'low')], catalog);
    expect(rows.map((r) => [`${r.framework} ${r.control}`, r.findings, r.resources])).toEqual([
      ['ISO27001 A.8.5', 3, 2],
      ['MCSB IM-1', 2, 2],
      ['MCSB DP-3', 1, 1],
    ]);
    expect(rows[0].guardrails).toEqual([
      { id: 'web-auth', title: 'Web app without authentication', findings: 2 },
      { id: 'tls', title: 'Weak TLS', findings: 1 },
    ]);
  });

  it('ranks resources by the weight of their open findings', () => {
    const risky = topRiskyResources([finding('a', 'r1', 'medium'), finding('b', 'r1', 'medium'), finding('c', 'r2', 'critical'), finding('d', 'r3', 'low')], 2);
    expect(risky).toEqual([
      { resourceId: 'r2', resourceType: 'microsoft.web/sites', risk: 10, findings: 1, worst: 'critical' },
      { resourceId: 'r1', resourceType: 'microsoft.web/sites', risk: 4, findings: 2, worst: 'medium' },
    ]);
  });

  it('draws overall and one line per baseline, closed by the score at the end instant', () => {
    const end = Date.parse('2026-11-02T10:30:00Z');
    const points: ScorePoint[] = [
      { at: '2026-11-02T09:00:00.000Z', overall: { score: null }, baselines: [], frameworks: [] },
      { at: '2026-11-02T10:00:00.000Z', overall: { score: 0.5 }, baselines: [{ baselineId: 'core', score: 0.5 }], frameworks: [{ framework: 'MCSB', score: 0.5 }] },
      { at: '2026-11-02T11:00:00.000Z', overall: { score: 0.9 }, baselines: [], frameworks: [] },
    ];
    const coverage = { resources: 4, evaluated: 4, notEvaluated: 0, score: 1, oldestEvidenceAt: '2026-11-02T08:00:00.000Z', maxEvidenceAgeHours: 168, evaluatedThrough: null };
    const current: ComplianceScore = { overall: tally(0.75), baselines: [{ ...tally(0.75), baselineId: 'core' }, { ...tally(1), baselineId: 'cis' }], frameworks: [], coverage };
    const lines = scoreLines(points, current, end, 'baseline', new Map([['core', 'Landing zone core']]));
    expect(lines.map((l) => l.label)).toEqual(['Overall', 'cis', 'Landing zone core']);
    expect(lines[0].points).toEqual([
      { x: Date.parse('2026-11-02T09:00:00Z'), y: null },
      { x: Date.parse('2026-11-02T10:00:00Z'), y: 0.5 },
      { x: end, y: 0.75 },
    ]);
    expect(lines[1].points.map((p) => p.y)).toEqual([null, null, 1]);
    expect(scoreLines(points, undefined, end, 'framework').map((l) => l.key)).toEqual(['overall', 'MCSB']);
  });

  it('asks for hourly points over a week and daily ones beyond', () => {
    const end = Date.parse('2026-11-29T12:00:00Z');
    expect(seriesWindow('7d', end)).toEqual({ from: '2026-11-22T12:00:00.000Z', to: '2026-11-29T12:00:00.000Z', bucket: 'HOUR' });
    expect(seriesWindow('90d', end).bucket).toBe('DAY');
  });
});
