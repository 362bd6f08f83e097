// `--profile`: where the server's main thread spends its time during a measured load, from a
// node:inspector CPU profile (sampled every 250 µs) of the process the server runs in. Each sample
// is charged to one layer: SQL and JWT frames anywhere on the stack take precedence (their cost is
// what a request waits on, whoever called them), otherwise the frame nearest the leaf that belongs
// to a known layer. Printed as milliseconds of main-thread CPU per request.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** Layers in the order a leaf-to-root walk tests them; the first that matches a frame wins. */
const LAYERS: readonly { readonly layer: string; readonly test: (url: string, fn: string) => boolean }[] = [
  { layer: 'read models and event store (SQL: driver, engine, row parsing)', test: (u) => /node_modules\/(pg|pg-protocol|pg-types|pgpass|@electric-sql)\/|libs\/event-store\/src\/sql\//.test(u) },
  { layer: 'authentication (JWT verification, API keys)', test: (u) => /node_modules\/jose\/|graphql-api\/src\/auth\//.test(u) },
  { layer: 'domain and use cases (scores, SLA, coverage, policies)', test: (u) => /libs\/(guardrails|guardrails-application|incidents|incidents-application|platform|tenancy|tenancy-application|inventory|event-sourcing)\/src\//.test(u) },
  { layer: 'authorization (schema wrapping, reach)', test: (u) => /graphql-api\/src\/authorization\/|libs\/auth\/src\//.test(u) },
  { layer: 'resolvers and request context', test: (u) => /graphql-api\/src\/(graphql|context)/.test(u) },
  { layer: 'query limits (armor, token count)', test: (u) => /graphql-armor|http\/token-limit/.test(u) },
  { layer: 'graphql-js execution', test: (u) => /node_modules\/graphql\//.test(u) },
  { layer: 'Apollo Server pipeline and plugins', test: (u) => /node_modules\/@apollo\/|node_modules\/@as-integrations\/|graphql-api\/src\/http\/observability/.test(u) },
  { layer: 'HTTP stack (Node http, Express, Nest, middleware)', test: (u) => /node_modules\/(express|router|body-parser|raw-body|@nestjs|finalhandler|send|on-finished|type-is|content-type|iconv-lite)\/|node:_http|node:net|node:stream|graphql-api\/src\/http\//.test(u) },
];

const SPECIAL = new Map([
  ['(garbage collector)', 'garbage collection'],
  ['(program)', 'other (native, promise jobs)'],
  ['(idle)', 'idle'],
]);

export interface LayerRow {
  readonly layer: string;
  readonly msPerRequest: number;
  readonly share: number;
}

export class Profiler {
  private readonly session = new Session();
  private connected = false;

  async start(): Promise<void> {
    if (!this.connected) {
      this.session.connect();
      this.connected = true;
      await this.session.post('Profiler.enable');
      await this.session.post('Profiler.setSamplingInterval', { interval: 250 });
    }
    await this.session.post('Profiler.start');
  }

  /** Stops and charges the samples to layers, per request of `requests`; with `saveAs`, also writes the profile there (open it in Chrome's DevTools). */
  async stop(requests: number, saveAs?: string): Promise<LayerRow[]> {
    const { profile } = (await this.session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
    if (saveAs) {
      mkdirSync(path.dirname(saveAs), { recursive: true });
      writeFileSync(saveAs, JSON.stringify(profile));
    }
    return attribute(profile, requests);
  }

  close(): void {
    if (this.connected) this.session.disconnect();
    this.connected = false;
  }
}

export const attribute = (profile: CpuProfile, requests: number): LayerRow[] => {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const layerOf = new Map<number, string>();
  const classify = (leaf: number): string => {
    const cached = layerOf.get(leaf);
    if (cached) return cached;
    const leafFrame = byId.get(leaf)?.callFrame;
    let layer = leafFrame ? SPECIAL.get(leafFrame.functionName) : undefined;
    if (!layer) {
      const stack: ProfileNode[] = [];
      for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
        const node = byId.get(id);
        if (node) stack.push(node);
      }
      // SQL and JWT anywhere on the stack first, then the nearest known layer.
      for (const precedence of LAYERS.slice(0, 2)) if (stack.some((n) => precedence.test(n.callFrame.url, n.callFrame.functionName))) layer ??= precedence.layer;
      for (const node of stack) {
        if (layer) break;
        layer = LAYERS.find((l) => l.test(node.callFrame.url, node.callFrame.functionName))?.layer;
      }
      layer ??= 'other (native, promise jobs)';
    }
    layerOf.set(leaf, layer);
    return layer;
  };
  const micros = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const layer = classify(id);
    micros.set(layer, (micros.get(layer) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const busy = [...micros].filter(([layer]) => layer !== 'idle').reduce((sum, [, us]) => sum + us, 0);
  return [...micros]
    .filter(([layer]) => layer !== 'idle')
    .map(([layer, us]) => ({ layer, msPerRequest: us / 1000 / Math.max(1, requests), share: us / Math.max(1, busy) }))
    .sort((a, b) => b.msPerRequest - a.msPerRequest);
};
