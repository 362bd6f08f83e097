// History benchmark: what answering from the log costs. A synthetic tenant is ingested, evaluated
// against the financial-services baseline and changed a few times; then, in the same process, the
// baseline (reading the tenant's events without folding them) against postureAsOf (now and half
// way), complianceSeries (daily) and replayPolicy. Memory is the JS heap's peak growth while each runs. Not a
// test: it prints a table (stdout) and progress (stderr). See docs/performance.md, "History".
//
//   node tools/bin/run-ts.js tools/bench/history/main.ts                 10k and 30k resources
//   node tools/bench/history/main.ts --quick                             2k resources
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { handleCommand } from '@rampart/event-sourcing';
import { builtInCatalog, tenantGuardrailsDecider, tenantGuardrailsStreamId } from '@rampart/guardrails';
import { ingest, inventoryReader, itemsOf } from '@rampart/ingestion';
import { GuardrailEvaluator } from '@rampart/guardrails-application';
import { complianceSeries, postureAsOf, projectionRunners, replayPolicy, tenantHistory, POSTURE_EVENT_TYPES } from '@rampart/platform';
import { createLogger, openStores, type Stores } from '@rampart/runtime';
import { tenantStanding } from '@rampart/tenancy-application';
import { onboardTenants } from '@rampart/tenancy-application/testing';
import { generateTenant, mutate, type ArmResource } from '@rampart/demo';
import { alignedTable, finishRun, machineHeader } from '../shared';

const TENANT = 'bench-history';
const log = (message: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);

// Peak JS heap above what was live before: PGlite's WebAssembly memory dominates RSS and says
// nothing about the fold.
const measured = async <T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakRssMiB: number }> => {
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 25);
  const started = process.hrtime.bigint();
  try {
    const value = await fn();
    return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMiB: (Math.max(peak, process.memoryUsage().heapUsed) - before) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
};

const catchUp = async (stores: Stores) => {
  for (const runner of projectionRunners(stores, createLogger('silent'))) {
    await runner.prepare();
    for (;;) if ((await runner.runBatch()).caughtUp) break;
  }
};

const run = async (resources: number) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-bench-history-'));
  const stores = await openStores({ kind: 'pglite', dataDir: dir });
  try {
    const ctx = { tenantId: TENANT, actor: { kind: 'system' as const, id: 'bench' }, correlationId: 'bench', now: new Date() };
    await handleCommand(stores.eventStore, tenantGuardrailsDecider(builtInCatalog()), tenantGuardrailsStreamId(TENANT), { kind: 'AssignBaseline', assignmentId: 'fs', baselineId: 'financial-services', scope: '*' }, ctx);
    await onboardTenants(stores.eventStore, TENANT);
    let estate: ArmResource[] = [...generateTenant({ seed: 7, resources, misconfiguredShare: 0.25 })];
    log(`${resources}: ingesting and evaluating`);
    await ingest(stores.eventStore, itemsOf(estate), { tenantId: TENANT, standing: tenantStanding(stores.eventStore), actor: ctx.actor, source: 'push', scope: '*', complete: true });
    await catchUp(stores);
    await new GuardrailEvaluator(stores, { inventory: inventoryReader(stores.readModels) }).evaluateTenant(TENANT);
    await catchUp(stores);
    const half = new Date();
    for (let round = 1; round <= 4; round++) {
      const changed = mutate(estate, 0.02, round);
      estate = changed.resources;
      await ingest(stores.eventStore, itemsOf(estate), { tenantId: TENANT, standing: tenantStanding(stores.eventStore), actor: ctx.actor, source: 'push', scope: '*', complete: true });
      await catchUp(stores);
      await new GuardrailEvaluator(stores, { inventory: inventoryReader(stores.readModels) }).evaluateTenant(TENANT);
      await catchUp(stores);
    }
    const now = new Date(Date.now() + 1_000);
    const definition = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'libs', 'guardrails', 'corpus', 'azure-policy', 'built-in', 'Storage', 'StorageAccountMinimumTLSVersion_Audit.json'), 'utf8'));

    log(`${resources}: measuring`);
    global.gc?.();
    const scan = await measured(async () => {
      let n = 0;
      for await (const _ of tenantHistory(stores, TENANT, POSTURE_EVENT_TYPES)) n++;
      return n;
    });
    global.gc?.();
    const asOfNow = await measured(() => postureAsOf(stores, TENANT, now));
    global.gc?.();
    const asOfHalf = await measured(() => postureAsOf(stores, TENANT, half));
    global.gc?.();
    const series = await measured(() => complianceSeries(stores, TENANT, { from: new Date(Date.now() - 30 * 86_400_000), to: now, bucket: 'day' }));
    global.gc?.();
    const replay = await measured(() => replayPolicy(stores, TENANT, definition));
    const events = scan.value;
    const row = (name: string, m: { seconds: number; peakRssMiB: number }, note: string) => [
      String(resources),
      name,
      m.seconds.toFixed(2),
      (m.seconds / scan.seconds).toFixed(1),
      m.peakRssMiB.toFixed(0),
      note,
    ];
    return {
      resources,
      events,
      rows: [
        row('read the events (baseline)', scan, `${events} events`),
        row('postureAsOf(now)', asOfNow, `${asOfNow.value.resources.length} resources, ${asOfNow.value.compliance.length} states`),
        row('postureAsOf(half way)', asOfHalf, `${asOfHalf.value.events} events folded`),
        row('complianceSeries (30 days)', series, `${series.value.length} points`),
        row('replayPolicy (TLS guardrail)', replay, replay.value.ok ? `${replay.value.replay.intervals.length} intervals` : 'refused'),
      ],
    };
  } finally {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  }
};

const main = async () => {
  const options = new Command().option('--quick', 'one small tenant (2k resources)').option('--json <file>', 'write the results as JSON').parse(process.argv).opts<{ quick?: boolean; json?: string }>();
  const started = new Date();
  await machineHeader('History benchmark', options.quick ? 'quick' : 'full', started);
  const sizes = options.quick ? [2_000] : [10_000, 30_000];
  const results: Awaited<ReturnType<typeof run>>[] = [];
  for (const size of sizes) results.push(await run(size));
  console.log(
    alignedTable(
      ['resources', 'operation', 'seconds', 'x baseline', 'heap growth MiB', ''],
      [true, false, true, true, true, false],
      results.flatMap((r) => r.rows),
    ),
  );
  finishRun(started, options.json, (loadAtEnd) => ({ started: started.toISOString(), loadAtEnd, results }));
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
