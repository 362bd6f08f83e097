// The measured workloads: the event store against raw SQL on a plain table holding the same rows.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { START, streamIdFor, type NewEvent } from '@rampart/event-sourcing';
import { quoteIdent, SqlEventStore, type SqlClient } from '@rampart/event-store';
import { testEvent, uniqueTenant } from '@rampart/event-store/testing';
import type { Row } from './report';

export const EVENT_TYPE = 'bench.IncidentNoted.v1';
export const TENANT_COUNT = 10;

/** A realistic small payload (a few hundred bytes of JSON), unlike the fixtures' `{ n }`. */
const payload = (i: number) => ({
  n: i,
  incidentId: `inc-${i}`,
  title: 'Impossible travel sign-in for a privileged account',
  severity: ['low', 'medium', 'high', 'critical'][i % 4],
  source: { kind: 'siem', ruleId: 'R-1042', host: `host-${i % 97}.corp.example` },
  tags: ['identity', 'mfa', 'geo'],
});

export interface Batch {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
}

export const makeTenants = (): string[] => Array.from({ length: TENANT_COUNT }, () => uniqueTenant('bench'));

/** `total` events in batches of `size`, one new stream per batch, tenants round-robin over batches. */
export const makeBatches = (tenants: readonly string[], total: number, size: number, streamSize = size): Batch[] => {
  const batches: Batch[] = [];
  let streamId = '';
  for (let done = 0; done < total; ) {
    const n = Math.min(size, total - done);
    const tenant = tenants[Math.floor(done / streamSize) % tenants.length];
    if (done % streamSize === 0) streamId = streamIdFor(tenant, 'incident', randomUUID());
    batches.push({ streamId, events: Array.from({ length: n }, (_, i) => testEvent(tenant, EVENT_TYPE, payload(done + i))) });
    done += n;
  }
  return batches;
};

export const averageEventBytes = (batches: readonly Batch[]): number => {
  const events = batches.flatMap((b) => b.events).slice(0, 1000);
  const bytes = events.reduce((sum, e) => sum + JSON.stringify(e.data).length + JSON.stringify(e.metadata).length, 0);
  return bytes / Math.max(1, events.length);
};

// ---------------------------------------------------------------------------------------------
// The baseline: the same columns as the store's rows, a bigint identity primary key, nothing else.

export const rawTable = (schema: string): string => `${quoteIdent(schema)}.raw_events`;

export const createRawTable = async (sql: SqlClient, schema: string, tenantIndex = false): Promise<void> => {
  const table = rawTable(schema);
  await sql.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)};
CREATE TABLE ${table} (
  seq       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id  uuid   NOT NULL,
  stream_id text   NOT NULL,
  revision  integer NOT NULL,
  tenant_id text   NOT NULL,
  type      text   NOT NULL,
  data      jsonb  NOT NULL,
  metadata  jsonb  NOT NULL
);
${tenantIndex ? `CREATE INDEX raw_events_tenant ON ${table} (tenant_id, seq);` : ''}`);
};

/** One batch as one multi-row INSERT ... SELECT FROM unnest(...) in its own transaction. */
export const rawInsert = async (sql: SqlClient, schema: string, batch: Batch, firstRevision = 0): Promise<void> => {
  const { events } = batch;
  await sql.transaction((tx) =>
    tx.query(
      `INSERT INTO ${rawTable(schema)} (event_id, stream_id, revision, tenant_id, type, data, metadata)
       SELECT e.event_id, $1, e.revision, e.tenant_id, e.type, e.data, e.metadata
       FROM unnest($2::uuid[], $3::int[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[])
            AS e(event_id, revision, tenant_id, type, data, metadata)`,
      [
        batch.streamId,
        events.map((e) => e.eventId),
        events.map((_, i) => firstRevision + i),
        events.map((e) => e.metadata.tenantId),
        events.map((e) => e.type),
        events.map((e) => JSON.stringify(e.data)),
        events.map((e) => JSON.stringify(e.metadata)),
      ],
    ),
  );
};

// `seq::text AS seq` would make a bare `ORDER BY seq` sort the text alias, so queries order by `r.seq`.
const RAW_COLUMNS = 'r.seq::text AS seq, event_id::text AS event_id, stream_id, revision, tenant_id, type, data, metadata';

// ---------------------------------------------------------------------------------------------

export type Progress = (message: string) => void;

/** Set on Ctrl-C: workloads stop between two batches or pages, so cleanup never races a write. */
export const interruption = { requested: false };

export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

let lastYield = Date.now();

/**
 * PGlite answers through promises alone, so a loop over it never reaches the event loop's I/O
 * phase, where Node delivers SIGINT: yield once every 100 ms (a negligible cost) to notice Ctrl-C.
 */
const stopIfInterrupted = async (): Promise<void> => {
  if (Date.now() - lastYield > 100) {
    await new Promise((resolve) => setImmediate(resolve));
    lastYield = Date.now();
  }
  if (interruption.requested) throw new Interrupted();
};

const seconds = async (fn: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await fn();
  return (performance.now() - start) / 1000;
};

export interface AppendConfig {
  readonly schema: string;
  readonly batchSize: number;
  readonly events: number;
  readonly repetitions: number;
}

/**
 * Appends `events` events in batches (a new stream per batch, expectedRevision 'no_stream'),
 * and inserts the same rows into the plain table; runs alternate which goes first. A smaller
 * warm-up run goes first and is not counted. Fresh events are built outside the timed region.
 */
export const measureAppend = async (sql: SqlClient, config: AppendConfig, progress: Progress): Promise<Row & { eventBytes: number }> => {
  const { schema, batchSize, events, repetitions } = config;
  const store = await SqlEventStore.open(sql, { schema });
  try {
    await createRawTable(sql, schema);
    const tenants = makeTenants();
    const storeSeconds: number[] = [];
    const baselineSeconds: number[] = [];
    let eventBytes = 0;
    const warmUpEvents = Math.max(batchSize, Math.round(events / 4 / batchSize) * batchSize);
    for (let rep = 0; rep <= repetitions; rep++) {
      const warmUp = rep === 0;
      const batches = makeBatches(tenants, warmUp ? warmUpEvents : events, batchSize);
      eventBytes = averageEventBytes(batches);
      const runStore = () =>
        seconds(async () => {
          for (const batch of batches) {
            await stopIfInterrupted();
            await store.appendToStream(batch.streamId, batch.events, { expectedRevision: 'no_stream' });
          }
        });
      const runRaw = () =>
        seconds(async () => {
          for (const batch of batches) {
            await stopIfInterrupted();
            await rawInsert(sql, schema, batch);
          }
        });
      let s: number;
      let r: number;
      if (rep % 2 === 0) {
        s = await runStore();
        r = await runRaw();
      } else {
        r = await runRaw();
        s = await runStore();
      }
      const label = warmUp ? 'warm-up' : `run ${rep}/${repetitions}`;
      progress(`append B=${batchSize} ${label}: ${warmUp ? warmUpEvents : events} events, store ${s.toFixed(2)}s, raw ${r.toFixed(2)}s`);
      if (!warmUp) {
        storeSeconds.push(s);
        baselineSeconds.push(r);
      }
    }
    return { operation: 'append', size: batchSize, events, storeSeconds, baselineSeconds, eventBytes };
  } finally {
    await store.close();
  }
};

export interface ReadConfig {
  readonly schema: string;
  /** Events in the whole log (including the 1000-event stream). */
  readonly logEvents: number;
  /** How many times one timed readStream run reads the 1000-event stream. */
  readonly streamReads: number;
  readonly pageSizes: readonly number[];
  readonly repetitions: number;
}

export const HOT_STREAM_EVENTS = 1000;

/**
 * Fills a log of `logEvents` events (one stream of 1000 events, then streams of 100 events,
 * tenants round-robin) in the store and, in the same order, in a plain table; then times
 * readStream and paged readAll (all tenants, and each tenant in turn) against keyset-paged
 * SELECTs of the same rows ordered by the plain table's primary key.
 */
export const measureReads = async (sql: SqlClient, config: ReadConfig, progress: Progress): Promise<Row[]> => {
  const { schema, logEvents, streamReads, pageSizes, repetitions } = config;
  const store = await SqlEventStore.open(sql, { schema });
  const raw = rawTable(schema);
  try {
    // The tenant index mirrors the store's events_tenant_log_order, so the tenant-filtered
    // comparison is index scan against index scan rather than against a filtered full scan.
    await createRawTable(sql, schema, true);
    const tenants = makeTenants();
    const hot = makeBatches(tenants.slice(0, 1), HOT_STREAM_EVENTS, 100, HOT_STREAM_EVENTS);
    const rest = makeBatches(tenants, logEvents - HOT_STREAM_EVENTS, 100, 100);
    const hotStream = hot[0].streamId;
    progress(`read: filling a log of ${logEvents.toLocaleString('en-US')} events`);
    for (const [i, batch] of hot.entries()) {
      await store.appendToStream(batch.streamId, batch.events);
      await rawInsert(sql, schema, batch, i * 100);
    }
    for (const batch of rest) {
      await stopIfInterrupted();
      await store.appendToStream(batch.streamId, batch.events, { expectedRevision: 'no_stream' });
      await rawInsert(sql, schema, batch);
    }
    await sql.exec(`ANALYZE ${quoteIdent(schema)}.events; ANALYZE ${raw}`);
    const perTenant = new Map<string, number>();
    for (const batch of [...hot, ...rest]) {
      const t = batch.events[0].metadata.tenantId;
      perTenant.set(t, (perTenant.get(t) ?? 0) + batch.events.length);
    }
    const { rows: hotRange } = await sql.query<{ lo: string; hi: string }>(
      `SELECT min(seq)::text AS lo, max(seq)::text AS hi FROM ${raw} WHERE stream_id = $1`,
      [hotStream],
    );
    const { lo, hi } = hotRange[0];

    const expect = (what: string, got: number, want: number) => {
      if (got !== want) throw new Error(`${what} returned ${got} events, expected ${want}`);
    };

    /** Reads to the end in pages; returns how many events came back (`seen` collects their ids). */
    const storeReadAll = async (pageSize: number, tenantId?: string, seen?: Set<string>): Promise<number> => {
      let from = START;
      let count = 0;
      for (;;) {
        await stopIfInterrupted();
        const page = await store.readAll({ from, maxCount: pageSize, filter: tenantId ? { tenantId } : undefined });
        count += page.events.length;
        if (seen) for (const e of page.events) seen.add(e.eventId);
        from = page.position;
        if (page.isEnd) return count;
      }
    };
    const rawReadAll = async (pageSize: number, tenantId?: string): Promise<number> => {
      let after = '0';
      let count = 0;
      for (;;) {
        await stopIfInterrupted();
        const { rows } = tenantId
          ? await sql.query<{ seq: string }>(
              `SELECT ${RAW_COLUMNS} FROM ${raw} r WHERE r.tenant_id = $1 AND r.seq > $2 ORDER BY r.seq LIMIT $3`,
              [tenantId, after, pageSize],
            )
          : await sql.query<{ seq: string }>(`SELECT ${RAW_COLUMNS} FROM ${raw} r WHERE r.seq > $1 ORDER BY r.seq LIMIT $2`, [after, pageSize]);
        count += rows.length;
        if (rows.length < pageSize) return count;
        after = rows[rows.length - 1].seq;
      }
    };

    /**
     * The store's readAll is checked once, untimed, against the log it should return; a mismatch
     * is reported beside the numbers rather than aborting the run (the timed passes still read
     * to the end of the log, so their cost is what a subscriber would pay).
     */
    const checkStoreReadAll = async (pageSize: number, tenantIds: readonly (string | undefined)[]): Promise<string | undefined> => {
      const seen = new Set<string>();
      let returned = 0;
      for (const t of tenantIds) returned += await storeReadAll(pageSize, t, seen);
      if (returned === logEvents && seen.size === logEvents) return undefined;
      return (
        `store readAll (page ${pageSize}${tenantIds[0] ? ', per tenant' : ''}) returned ${returned} events, ` +
        `${seen.size} distinct, for a log of ${logEvents}: ${returned - seen.size} duplicates, ${logEvents - seen.size} never returned`
      );
    };

    interface Workload {
      readonly operation: string;
      readonly size: number;
      readonly events: number;
      readonly store: () => Promise<unknown>;
      readonly raw: () => Promise<unknown>;
      readonly check?: () => Promise<string | undefined>;
    }
    const workloads: Workload[] = [
      {
        operation: `readStream (${HOT_STREAM_EVENTS}-event stream, x${streamReads})`,
        size: HOT_STREAM_EVENTS,
        events: HOT_STREAM_EVENTS * streamReads,
        store: async () => {
          for (let i = 0; i < streamReads; i++) {
            await stopIfInterrupted();
            expect('store readStream', (await store.readStream(hotStream)).length, HOT_STREAM_EVENTS);
          }
        },
        raw: async () => {
          for (let i = 0; i < streamReads; i++) {
            await stopIfInterrupted();
            const { rows } = await sql.query(`SELECT ${RAW_COLUMNS} FROM ${raw} r WHERE r.seq BETWEEN $1 AND $2 ORDER BY r.seq`, [lo, hi]);
            expect('raw stream read', rows.length, HOT_STREAM_EVENTS);
          }
        },
      },
    ];
    for (const pageSize of pageSizes) {
      workloads.push({
        operation: 'readAll (whole log)',
        size: pageSize,
        events: logEvents,
        store: () => storeReadAll(pageSize),
        raw: async () => expect('raw readAll', await rawReadAll(pageSize), logEvents),
        check: () => checkStoreReadAll(pageSize, [undefined]),
      });
    }
    for (const pageSize of pageSizes) {
      workloads.push({
        operation: `readAll tenant filter (each of ${TENANT_COUNT})`,
        size: pageSize,
        events: logEvents,
        store: async () => {
          for (const t of tenants) await storeReadAll(pageSize, t);
        },
        raw: async () => {
          for (const t of tenants) expect('raw readAll (tenant)', await rawReadAll(pageSize, t), perTenant.get(t) ?? 0);
        },
        check: () => checkStoreReadAll(pageSize, tenants),
      });
    }

    const rows: Row[] = [];
    for (const w of workloads) {
      const warning = await w.check?.();
      if (warning) progress(`WARNING: ${warning}`);
      const storeSeconds: number[] = [];
      const baselineSeconds: number[] = [];
      for (let rep = 0; rep <= repetitions; rep++) {
        let s: number;
        let r: number;
        if (rep % 2 === 0) {
          s = await seconds(w.store);
          r = await seconds(w.raw);
        } else {
          r = await seconds(w.raw);
          s = await seconds(w.store);
        }
        progress(`${w.operation} page=${w.size} ${rep === 0 ? 'warm-up' : `run ${rep}/${repetitions}`}: store ${s.toFixed(2)}s, raw ${r.toFixed(2)}s`);
        if (rep > 0) {
          storeSeconds.push(s);
          baselineSeconds.push(r);
        }
      }
      rows.push({ operation: w.operation, size: w.size, events: w.events, storeSeconds, baselineSeconds, ...(warning ? { warning } : {}) });
    }
    return rows;
  } finally {
    await store.close();
  }
};
