// Ingestion against a real (embedded) store, with the corpus ARM examples as the tenant's cloud.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reject, type EventStore, type TenantStanding } from '@rampart/event-sourcing';
import { SqlEventStore } from '@rampart/event-store';
import { pgliteTestDatabase, type TestDatabase } from '@rampart/event-store/testing';
import { MAX_RESOURCE_BYTES, RESOURCE_EVENT_TYPES } from '@rampart/inventory';
import { itemsOf, readResourceFile, type FileItem } from './file-source';
import { ingest, IngestionRefusedError, type IngestOptions } from './ingest';

const examplesDir = join(__dirname, '..', '..', 'inventory', 'src', 'testing', 'arm-examples');
// The corpus examples reuse a few ids (they are shape references); keep one body per id.
const corpus = [
  ...new Map(
    readdirSync(examplesDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(examplesDir, f), 'utf8')) as { id: string; properties?: Record<string, unknown> })
      .map((body) => [body.id.toLowerCase(), body] as const),
  ).values(),
];

// Tenancy answers a tenant's standing in production (the platform wires it); these tenants may be
// collected, except where a test says otherwise.
const collectable: TenantStanding = async () => undefined;

const options = (tenantId: string, extra: Partial<IngestOptions> = {}): IngestOptions => ({
  tenantId,
  standing: collectable,
  actor: { kind: 'system', id: 'ingestion-test' },
  source: 'file',
  scope: '*',
  complete: false,
  ...extra,
});

/** (resource key, event type, content hash after) of every resource event of a tenant, in order. */
const resourceHistory = async (store: EventStore, tenantId: string) => {
  const { events } = await store.readAll({ filter: { tenantId, eventTypes: RESOURCE_EVENT_TYPES }, maxCount: 10_000 });
  return events.map((e) => {
    const d = e.data as { resourceKey: string; contentHash?: string; afterHash?: string; lastHash?: string };
    return `${e.type} ${d.resourceKey} ${d.contentHash ?? d.afterHash ?? d.lastHash}`;
  });
};

describe('ingesting a snapshot', () => {
  let db: TestDatabase;
  let store: SqlEventStore;
  let dir: string;
  beforeAll(async () => {
    db = await pgliteTestDatabase('ingest');
    store = await SqlEventStore.open(db.sql, { schema: db.schema });
    dir = mkdtempSync(join(tmpdir(), 'rampart-ingest-'));
  });
  afterAll(async () => {
    await store.close();
    await db.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('discovers every resource once; the same snapshot again appends nothing', async () => {
    const first = await ingest(store, itemsOf(corpus), options('acme'));
    expect(first.counts).toMatchObject({ seen: corpus.length, discovered: corpus.length, changed: 0, unchanged: 0, rejected: 0 });
    const head = await store.headPosition();
    const again = await ingest(store, itemsOf(corpus), options('acme', { runId: 'second-run' }));
    expect(again.counts).toMatchObject({ discovered: 0, changed: 0, unchanged: corpus.length });
    // only the run's own started/completed events were appended
    const after = await store.readAll({ from: head, filter: { tenantId: 'acme' } });
    expect(after.events.map((e) => e.type)).toEqual(['inventory.IngestionRunStarted.v1', 'inventory.IngestionRunCompleted.v1']);
  });

  it("asks the tenant's standing before anything: a refused run records nothing and names the refusal", async () => {
    const asked: string[] = [];
    const offboarded: TenantStanding = async (tenantId, intent) => {
      asked.push(`${tenantId} ${intent}`);
      return reject('tenant-offboarded', `tenant "${tenantId}" was offboarded`);
    };
    const head = await store.headPosition();
    const refused = await ingest(store, itemsOf(corpus), options('initech', { standing: offboarded })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(IngestionRefusedError);
    expect(refused).toMatchObject({ code: 'tenant-offboarded' });
    expect(asked).toEqual(['initech collects']);
    expect(await store.headPosition()).toEqual(head);
  });

  it('records a change with its patch, and removes only when the snapshot is complete', async () => {
    await ingest(store, itemsOf(corpus), options('globex'));
    const changed = corpus.map((r, i) => (i === 0 ? { ...r, properties: { ...r.properties, publicNetworkAccess: 'Disabled' } } : r));
    const partial = await ingest(store, itemsOf(changed.slice(0, -1)), options('globex'));
    expect(partial.counts).toMatchObject({ changed: 1, removed: 0 });
    const [change] = (await store.readAll({ filter: { tenantId: 'globex', eventTypes: ['inventory.ResourceConfigurationChanged.v1'] } })).events;
    expect((change.data as { patch: unknown[] }).patch).toContainEqual({ op: 'add', path: '/properties/publicNetworkAccess', value: 'Disabled' });
    const complete = await ingest(store, itemsOf(changed.slice(0, -1)), options('globex', { complete: true }));
    expect(complete.counts).toMatchObject({ changed: 0, removed: 1 });
  });

  it('rejects bad rows one by one with a reason, and ingests the rest', async () => {
    const bad = [{ name: 'no-id' }, 'not an object', { id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Web/sites/a', tags: { env: 7 } }];
    const result = await ingest(store, itemsOf([...bad, corpus[0], corpus[0]]), options('initech'));
    expect(result.counts).toMatchObject({ seen: 5, discovered: 1, rejected: 4 });
    expect(result.rejections.map((r) => r.reason)).toEqual([
      expect.stringMatching(/missing or invalid "id"/),
      'not a JSON object',
      expect.stringMatching(/"tags" .* strings/),
      'appears twice in this snapshot; the first one was used',
    ]);
    const [completed] = (await store.readStream(`t-initech:ingestion-${result.runId}`)).slice(-1);
    expect(completed.data).toMatchObject({ counts: { rejected: 4 } });
  });

  it('keeps a scoped run inside its scope', async () => {
    const inSub = corpus.filter((r) => r.id.toLowerCase().startsWith('/subscriptions/subid/'));
    const result = await ingest(store, itemsOf(corpus), options('umbrella', { scope: '/subscriptions/subid', complete: true }));
    expect(result.counts.discovered).toBe(inSub.length);
    expect(result.counts.rejected).toBe(corpus.length - inSub.length);
  });

  it('a run killed half-way and run again converges to the events of one clean run', async () => {
    await ingest(store, itemsOf(corpus), options('clean', { complete: true }));
    let processed = 0;
    await expect(
      ingest(store, itemsOf(corpus), {
        ...options('crashy', { complete: true }),
        concurrency: 1,
        batchSize: 4,
        onProgress: () => {
          if (++processed === 3) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    await ingest(store, itemsOf(corpus), options('crashy', { complete: true }));
    const strip = (lines: string[]) => lines.map((l) => l.split(' ').slice(0, 3).join(' ')).sort();
    expect(strip(await resourceHistory(store, 'crashy'))).toEqual(strip(await resourceHistory(store, 'clean')));
  });

  it('a stream the fast path did not expect (stale knowledge, or a resource removed earlier) takes the general path', async () => {
    await ingest(store, itemsOf(corpus), options('hooli'));
    // Knowledge that claims nothing is present: every batched discovery meets an existing stream.
    const stale = await ingest(store, itemsOf(corpus), options('hooli', { presentResources: async () => new Map(), batchSize: 8 }));
    expect(stale.counts).toMatchObject({ discovered: 0, changed: 0, unchanged: corpus.length });
    const history = await resourceHistory(store, 'hooli');
    expect(history.filter((l) => l.startsWith('inventory.ResourceDiscovered.v1'))).toHaveLength(corpus.length);

    // Removed by a complete snapshot, then seen again: its stream exists, so it is rediscovered there.
    await ingest(store, itemsOf(corpus.slice(1)), options('hooli', { complete: true }));
    const back = await ingest(store, itemsOf(corpus), options('hooli', { batchSize: 8 }));
    expect(back.counts).toMatchObject({ discovered: 1, unchanged: corpus.length - 1 });
    const events = await store.readAll({ filter: { tenantId: 'hooli', eventTypes: RESOURCE_EVENT_TYPES }, maxCount: 10_000 });
    const revisions = events.events.filter((e) => (e.data as { resourceKey: string }).resourceKey === corpus[0].id.toLowerCase()).map((e) => [e.type, e.revision]);
    expect(revisions).toEqual([
      ['inventory.ResourceDiscovered.v1', 0],
      ['inventory.ResourceRemoved.v1', 1],
      ['inventory.ResourceDiscovered.v1', 2],
    ]);
  });

  describe('files', () => {
    const write = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    const collect = async (path: string) => {
      const out: FileItem[] = [];
      for await (const item of readResourceFile(path)) out.push(item);
      return out;
    };

    it('reads NDJSON, a JSON array and `az graph query` output, streaming', async () => {
      const two = corpus.slice(0, 2);
      const ndjson = await collect(write('r.ndjson', `${two.map((r) => JSON.stringify(r)).join('\n')}\n\nnot json\n`));
      expect(ndjson.map((i) => i.ok)).toEqual([true, true, false]);
      expect(ndjson[2]).toMatchObject({ ok: false, reason: expect.stringMatching(/^line 4:/) });
      expect(await collect(write('r.json', JSON.stringify(two)))).toEqual(two.map((value) => ({ ok: true, value })));
      const az = await collect(write('az.json', JSON.stringify({ count: 2, data: two, skip_token: null, total_records: 2 })));
      expect(az).toEqual(two.map((value) => ({ ok: true, value })));
    });

    it('refuses an oversize NDJSON line by its length, and ingests the rest', async () => {
      const big = { ...corpus[0], properties: { blob: 'x'.repeat(MAX_RESOURCE_BYTES) } };
      const path = write('big.ndjson', [big, corpus[1]].map((r) => JSON.stringify(r)).join('\n'));
      const result = await ingest(store, readResourceFile(path), options('wonka'));
      expect(result.counts).toMatchObject({ seen: 2, discovered: 1, rejected: 1 });
      expect(result.rejections[0].reason).toMatch(/bytes; the limit is/);
    });

    it('reports a truncated JSON file after the elements before the damage', async () => {
      const text = JSON.stringify(corpus.slice(0, 3));
      const items = await collect(write('cut.json', text.slice(0, text.length - 40)));
      expect(items.filter((i) => i.ok)).toHaveLength(2);
      expect(items[items.length - 1]).toMatchObject({ ok: false, reason: expect.stringMatching(/invalid JSON/) });
    });
  });
});
