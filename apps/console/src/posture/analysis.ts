// What the posture dashboard derives from the API's answers: the score series to draw, the
// failing guardrails per control, and the resources carrying the most risk. Pure.
import type { LineSeries } from '../charts/charts';
import type { ComplianceScore, Finding, GuardrailInfo, ScorePoint } from '../api/operations';

export type RangeKey = '24h' | '7d' | '30d' | '90d';
export const RANGES: readonly { key: RangeKey; label: string; ms: number; bucket: 'HOUR' | 'DAY' }[] = [
  { key: '24h', label: 'Last 24 hours', ms: 86_400_000, bucket: 'HOUR' },
  { key: '7d', label: 'Last 7 days', ms: 7 * 86_400_000, bucket: 'HOUR' },
  { key: '30d', label: 'Last 30 days', ms: 30 * 86_400_000, bucket: 'DAY' },
  { key: '90d', label: 'Last 90 days', ms: 90 * 86_400_000, bucket: 'DAY' },
];

export const seriesWindow = (range: RangeKey, end: number): { from: string; to: string; bucket: 'HOUR' | 'DAY' } => {
  const r = RANGES.find((x) => x.key === range) ?? RANGES[1];
  return { from: new Date(end - r.ms).toISOString(), to: new Date(end).toISOString(), bucket: r.bucket };
};

export type Breakdown = 'baseline' | 'framework';

/**
 * The lines to draw: overall, then one per baseline or framework. The series' points sit on whole
 * hours or days; `current` (the score at `end`: now, or the as-of instant) closes each line, so what
 * changed since the last whole hour shows too.
 */
export const scoreLines = (points: readonly ScorePoint[], current: ComplianceScore | undefined, end: number, breakdown: Breakdown, titles: ReadonlyMap<string, string> = new Map()): LineSeries[] => {
  const all: ScorePoint[] = [...points.filter((p) => Date.parse(p.at) < end)];
  if (current) all.push({ at: new Date(end).toISOString(), overall: current.overall, baselines: current.baselines, frameworks: current.frameworks });
  const x = (p: ScorePoint) => Date.parse(p.at);
  const keys = new Set<string>();
  for (const p of all) (breakdown === 'baseline' ? p.baselines.map((b) => b.baselineId) : p.frameworks.map((f) => f.framework)).forEach((k) => keys.add(k));
  const part = (p: ScorePoint, key: string) =>
    (breakdown === 'baseline' ? p.baselines.find((b) => b.baselineId === key)?.score : p.frameworks.find((f) => f.framework === key)?.score) ?? null;
  return [
    { key: 'overall', label: 'Overall', points: all.map((p) => ({ x: x(p), y: p.overall.score })) },
    ...[...keys].sort().map((key) => ({ key, label: titles.get(key) ?? key, points: all.map((p) => ({ x: x(p), y: part(p, key) })) })),
  ];
};

export interface ControlFailures {
  readonly framework: string;
  readonly control: string;
  readonly guardrails: readonly { id: string; title: string; findings: number }[];
  readonly findings: number;
  readonly resources: number;
}

/** Open findings per framework control (a guardrail maps to controls of several frameworks), worst first. */
export const failingByControl = (findings: readonly Finding[], catalog: readonly GuardrailInfo[]): ControlFailures[] => {
  const byId = new Map(catalog.map((g) => [g.id, g]));
  const groups = new Map<string, { framework: string; control: string; guardrails: Map<string, number>; resources: Set<string>; findings: number }>();
  for (const f of findings) {
    for (const c of byId.get(f.guardrailId)?.controls ?? []) {
      const key = `${c.framework}\u0000${c.control}`;
      const g = groups.get(key) ?? { framework: c.framework, control: c.control, guardrails: new Map(), resources: new Set(), findings: 0 };
      g.guardrails.set(f.guardrailId, (g.guardrails.get(f.guardrailId) ?? 0) + 1);
      g.resources.add(f.resourceId);
      g.findings++;
      groups.set(key, g);
    }
  }
  return [...groups.values()]
    .map((g) => ({
      framework: g.framework,
      control: g.control,
      findings: g.findings,
      resources: g.resources.size,
      guardrails: [...g.guardrails].map(([id, n]) => ({ id, title: byId.get(id)?.title ?? id, findings: n })).sort((a, b) => b.findings - a.findings || a.id.localeCompare(b.id)),
    }))
    .sort((a, b) => b.findings - a.findings || a.framework.localeCompare(b.framework) || a.control.localeCompare(b.control, undefined, { numeric: true }));
};

const SEVERITY_WEIGHT: Record<string, number> = { critical: 10, high: 5, medium: 2, low: 1 };

export interface RiskyResource {
  readonly resourceId: string;
  readonly resourceType: string;
  readonly risk: number;
  readonly findings: number;
  readonly worst: string;
}

/** Resources by the weight of their open findings (critical 10, high 5, medium 2, low 1). */
export const topRiskyResources = (findings: readonly Finding[], limit = 10): RiskyResource[] => {
  const byResource = new Map<string, { resourceType: string; risk: number; findings: number; worst: string }>();
  for (const f of findings) {
    const r = byResource.get(f.resourceId) ?? { resourceType: f.resourceType, risk: 0, findings: 0, worst: 'low' };
    r.risk += SEVERITY_WEIGHT[f.severity] ?? 1;
    r.findings++;
    if ((SEVERITY_WEIGHT[f.severity] ?? 0) > (SEVERITY_WEIGHT[r.worst] ?? 0)) r.worst = f.severity;
    byResource.set(f.resourceId, r);
  }
  return [...byResource]
    .map(([resourceId, r]) => ({ resourceId, ...r }))
    .sort((a, b) => b.risk - a.risk || a.resourceId.localeCompare(b.resourceId))
    .slice(0, limit);
};
