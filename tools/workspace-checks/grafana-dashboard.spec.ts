// The sample Grafana dashboard (docs/grafana/rampart-dashboard.json) asks only for what Rampart
// exports: every metric its queries name is one a real registry of the process writes out (as
// /metrics serves it), with labels that metric has, so renaming a metric or a label fails here
// instead of leaving an empty panel. The dashboard must also import as Grafana expects: a
// Prometheus data-source variable, no data source fixed by uid, panels that do not overlap.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMetrics } from '@rampart/runtime';

const root = join(__dirname, '..', '..');
const dashboard = JSON.parse(readFileSync(join(root, 'docs', 'grafana', 'rampart-dashboard.json'), 'utf8')) as {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query: unknown; datasource?: unknown }[] };
  __inputs: { name: string; type: string; pluginId: string }[];
};
interface Panel {
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: { expr: string; datasource?: { type: string; uid: string } }[];
  panels?: Panel[];
}

const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
const queries = [
  ...panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr }))),
  ...dashboard.templating.list.filter((v) => v.type === 'query').map((v) => ({ panel: `variable ${v.name}`, expr: (v.query as { query: string }).query })),
];
/** Labels Prometheus adds to every series it scrapes. */
const TARGET_LABELS = new Set(['job', 'instance']);

/** `rampart_…` metric names a query uses, each with the label names its selector and `by (…)` clauses name. */
const usesOf = (expr: string): { metric: string; labels: string[] }[] => {
  const grouping = [...expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap((m) => m[1].split(',').map((l) => l.trim()).filter(Boolean));
  return [...expr.matchAll(/\b(rampart_[a-z0-9_]+)\b(\{[^}]*\})?/g)].map((m) => ({
    metric: m[1],
    labels: [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1]).concat(grouping.filter((l) => l !== 'le')),
  }));
};

describe('the sample Grafana dashboard', () => {
  let exported: Map<string, Set<string>>;

  beforeAll(async () => {
    const registry = createMetrics(async () => [
      { name: 'incidents', version: 1, position: '0/0', eventsApplied: 0, eventsBehind: 0, eventsBehindIsLowerBound: false, secondsBehind: 0, updatedAt: null },
    ]);
    // The names as the scrape shows them: `# TYPE` lines, a histogram's series with their suffixes.
    const text = await registry.metrics();
    exported = new Map();
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      const labels = new Set<string>((registry.getSingleMetric(name) as unknown as { labelNames?: string[] } | undefined)?.labelNames ?? []);
      for (const series of type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name]) exported.set(series, labels);
    }
  });

  it('queries only metrics the registry exports, by labels they have', () => {
    expect(queries.length).toBeGreaterThan(15);
    const problems: string[] = [];
    for (const { panel, expr } of queries) {
      const uses = usesOf(expr);
      if (uses.length === 0) problems.push(`${panel}: no rampart_ metric in ${expr}`);
      for (const { metric, labels } of uses) {
        const known = exported.get(metric);
        if (!known) problems.push(`${panel}: ${metric} is not exported`);
        else for (const label of labels) if (!known.has(label) && !TARGET_LABELS.has(label)) problems.push(`${panel}: ${metric} has no label ${label}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('charts every metric of the work and the lag, the Node process, and requests', () => {
    const charted = new Set(queries.flatMap((q) => usesOf(q.expr).map((u) => u.metric.replace(/_(bucket|sum|count)$/, ''))));
    const ours = [...exported.keys()].filter((name) => !/^rampart_(process|nodejs)_/.test(name) && !/_(bucket|sum|count)$/.test(name));
    // the projection count gauge is a total since the last rebuild; the lag gauges are what to watch
    expect(ours.filter((name) => !charted.has(name) && name !== 'rampart_projection_events_applied')).toEqual([]);
    for (const name of ['rampart_process_resident_memory_bytes', 'rampart_nodejs_eventloop_lag_p99_seconds', 'rampart_process_cpu_seconds_total']) expect(charted).toContain(name);
  });

  it('imports with the Prometheus the user picks, its panels side by side without overlapping', () => {
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dashboard.__inputs).toContainEqual(expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }));
    expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }));
    for (const p of panels.filter((p) => p.type !== 'row')) {
      expect({ panel: p.title, uid: p.datasource?.uid }).toEqual({ panel: p.title, uid: '${datasource}' });
      for (const t of p.targets ?? []) expect(t.datasource?.uid).toBe('${datasource}');
    }
    const cells = new Set<string>();
    for (const { title, gridPos: g } of panels) {
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++)
        for (let y = g.y; y < g.y + g.h; y++) {
          expect({ title, cell: cells.has(`${x},${y}`) }).toEqual({ title, cell: false });
          cells.add(`${x},${y}`);
        }
    }
  });
});
