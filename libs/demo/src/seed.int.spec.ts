// The demo as a newcomer meets it: weeks of history for three tenants, and the product's story for
// one of them, played through the product's own commands, evaluator, reactor and action runner.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgliteImage } from '@rampart/event-store/testing';
import { incidentStreamId, slaState, type ActionEntry, type IncidentEntry } from '@rampart/incidents';
import { listRollouts, tenantStandardCompliance } from '@rampart/guardrails-application';
import { complianceSeries, postureAsOf, projectionRunners, standardComplianceSeries, tenantCoverage } from '@rampart/platform';
import { createLogger, openStores, READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import { seedDemo, type DemoSummary } from './seed';

describe('the demo seed', () => {
  let dir: string;
  let stores: Stores;
  let summary: DemoSummary | null;
  // The story at one fixed time of day (the last noon, UTC): its nights, shifts and daily buckets
  // then fall alike on every run, not by the hour the suite happens to run at.
  const DAY_MS = 86_400_000;
  const now = new Date(Math.floor((Date.now() - DAY_MS / 2) / DAY_MS) * DAY_MS + DAY_MS / 2);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-demo-'));
    stores = await openStores({ kind: 'pglite', dataDir: dir }, { pgliteImage: await pgliteImage() });
    summary = await seedDemo(stores, createLogger('silent'), { days: 12, resourcesPerTenant: 60, now: () => now });
    for (const runner of projectionRunners(stores, createLogger('silent'))) {
      await runner.prepare();
      for (;;) if ((await runner.runBatch()).caughtUp) break;
    }
  }, 180_000);
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const docs = async <D>(table: string, where = 'true', params: unknown[] = []) =>
    (await stores.readModels.query<{ doc: D }>(`SELECT doc FROM "${READ_MODEL_SCHEMA}".${table} WHERE ${where} ORDER BY id`, params)).rows.map((r) => r.doc);

  it('plays the story: exposed API -> finding -> incident -> approved action -> private again -> closed with its root cause', async () => {
    expect(summary?.storyIncidentId).toMatch(/^inc-/);
    const [story] = await docs<IncidentEntry>('incidents', "tenant_id = 'contoso-bank' AND doc->>'incidentId' = $1", [summary!.storyIncidentId]);
    expect(story).toMatchObject({ status: 'closed', classification: 'true-positive', assignee: 'ana@soc.example' });
    const actions = await docs<ActionEntry>('response_actions', "doc->>'incidentId' = $1", [summary!.storyIncidentId]);
    expect(actions).toEqual([expect.objectContaining({ actionKind: 'restrict-public-network-access', status: 'succeeded', approvedBy: 'lead@soc.example', verified: true })]);
    // the SOC's steps are recorded as done on the customer's behalf, as through the API
    const triaged = (await stores.eventStore.readStream(incidentStreamId('contoso-bank', summary!.storyIncidentId!))).find((e) => e.type === 'incidents.IncidentTriaged.v1');
    expect(triaged?.metadata.actor).toEqual({ kind: 'user', id: 'ana@soc.example', onBehalfOfTenant: 'contoso-bank' });
  });

  it('gives every tenant weeks of history, recorded in the past and never in the future', async () => {
    const { events } = await stores.eventStore.readAll({ maxCount: 1 });
    expect(Date.parse(events[0].recordedAt)).toBeLessThan(now.getTime() - 10 * 86_400_000);
    const head = await stores.eventStore.readAll({ from: undefined, maxCount: 10_000 });
    expect(head.events.every((e) => Date.parse(e.recordedAt) < now.getTime())).toBe(true);
    for (const tenantId of ['contoso-bank', 'fabrikam-retail']) {
      const series = await complianceSeries(stores, tenantId, { from: new Date(now.getTime() - 12 * 86_400_000), to: now, bucket: 'day' });
      const scores = series.map((p) => p.score.overall.score).filter((s): s is number => s !== null);
      expect(scores.length).toBeGreaterThanOrEqual(10);
      expect(scores.at(-1)!).toBeGreaterThan(scores[0]); // the customers fixed things over the weeks
      // collected completely every night: every verdict rests on fresh evidence
      expect(series.at(-1)!.coverage).toMatchObject({ notEvaluated: 0, score: 1 });
    }
  });

  it("shows Northwind's coverage gap: one subscription out of the collector's reach for nine days, its untouched resources not evaluated", async () => {
    const series = await complianceSeries(stores, 'northwind-mfg', { from: new Date(now.getTime() - 12 * 86_400_000), to: now, bucket: 'day' });
    const beforeGap = series.find((p) => Date.parse(p.at) >= now.getTime() - 9 * 86_400_000)!;
    expect(beforeGap.coverage.notEvaluated).toBe(0);
    const last = series.at(-1)!;
    expect(last.coverage.notEvaluated).toBeGreaterThan(0);
    expect(last.coverage.score!).toBeLessThan(1);
    // what those resources passed counts as not evaluable, never as passing
    expect(last.score.overall.error).toBeGreaterThan(beforeGap.score.overall.error);
    const coverage = await tenantCoverage(stores, 'northwind-mfg', { now });
    expect(coverage.notEvaluated).toBe(last.coverage.notEvaluated);
  });

  it('leaves a SOC queue with open incidents, closed ones with measured durations, and a past to look at', async () => {
    const incidents = await docs<IncidentEntry>('incidents');
    expect(incidents.filter((i) => i.status === 'closed').length).toBeGreaterThan(0);
    expect(incidents.filter((i) => !['closed', 'merged'].includes(i.status)).length).toBeGreaterThan(0);
    // the morning the bank was onboarded (12 days ago, a few hours in), before the SOC and the bank got to work
    const past = await postureAsOf(stores, 'contoso-bank', new Date(now.getTime() - 11.6 * 86_400_000));
    const today = await postureAsOf(stores, 'contoso-bank', now);
    expect(past.score.overall.nonCompliant).toBeGreaterThan(today.score.overall.nonCompliant);
  });

  it('shows an SOC that keeps its SLAs: most incidents closed within every target, the open ones mostly on time', async () => {
    const incidents = await docs<IncidentEntry>('incidents');
    const closed = incidents.filter((i) => i.status === 'closed');
    const open = incidents.filter((i) => !['resolved', 'closed', 'merged'].includes(i.status));
    // every target of every incident was checked as it fell due: a closed incident with no breach recorded met them all
    expect(closed.filter((i) => i.breached.length === 0).length).toBeGreaterThan(0.8 * closed.length);
    expect(closed.filter((i) => i.breached.length > 0).length).toBeGreaterThan(0); // ...and not all of them, as in any SOC
    const states = open.map((i) => slaState(i, now));
    expect(states.filter((s) => s === 'ok').length).toBeGreaterThan(states.length / 2);
    expect(states.filter((s) => s === 'breached').length).toBeLessThanOrEqual(2);
    // the approvals inbox: what the open incidents' playbooks still wait for, the closed ones' withdrawn
    const waiting = await docs<ActionEntry>('response_actions', "doc->>'status' = 'proposed'");
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((a) => open.some((i) => i.incidentId === a.incidentId))).toBe(true);
  });

  it('names the resource in every incident a finding opened, so a search for it finds the story', async () => {
    const incidents = await docs<IncidentEntry>('incidents');
    expect(incidents.filter((i) => i.title.toLowerCase().includes('payments')).map((i) => i.incidentId)).toEqual([summary!.storyIncidentId]);
    expect(incidents.find((i) => i.incidentId === summary!.storyIncidentId)?.title).toBe('Web app reachable without authentication on payments-api');
    expect(incidents.every((i) => / on [\w-]+$/.test(i.title))).toBe(true);
  });

  it("assesses Contoso Bank against MCSB and CIS, and Fabrikam Retail against PCI DSS, control by control, with a past", async () => {
    for (const [tenantId, standardId] of [
      ['contoso-bank', 'mcsb'],
      ['contoso-bank', 'cis-azure-2.0.0'],
      ['fabrikam-retail', 'pci-dss-4.0.1'],
    ]) {
      const compliance = (await tenantStandardCompliance(stores, tenantId, standardId))!;
      expect(compliance.assignments).toEqual([{ assignmentId: standardId.replace(/\./g, '-'), scope: '*' }]);
      expect(compliance.states.failed).toBeGreaterThan(0);
      expect(compliance.states.passed).toBeGreaterThan(0);
      expect(compliance.states.manual).toBeGreaterThan(0);
      const series = (await standardComplianceSeries(stores, tenantId, standardId, { from: new Date(now.getTime() - 12 * 86_400_000), to: now, bucket: 'day' }))!;
      expect(series.filter((p) => p.assigned).length).toBeGreaterThanOrEqual(10);
    }
    expect((await tenantStandardCompliance(stores, 'northwind-mfg', 'mcsb'))!.assignments).toEqual([]);
  });

  it('groups its two regulated customers, rolls a storage rule out to them in rings (the retailer first, quietly), and holds an attestation', async () => {
    const [rollout] = await listRollouts(stores.eventStore);
    expect(rollout).toMatchObject({ rolloutId: 'storage-tls-12', status: 'rolling-out', plan: { groupId: 'regulated', rings: [{ name: 'canary', tenants: ['fabrikam-retail'] }, { name: 'rest', tenants: ['contoso-bank'] }] } });
    expect(rollout.plan!.whatIf.map((w) => w.tenantId)).toEqual(['fabrikam-retail', 'contoso-bank']);
    const policy = await stores.readModels.query<{ doc: { assignments: { assignmentId: string; rollout?: string }[] } }>(`SELECT doc FROM "${READ_MODEL_SCHEMA}".tenant_guardrails WHERE id = $1`, ['fabrikam-retail']);
    expect(policy.rows[0].doc.assignments.filter((a) => a.rollout).map((a) => a.assignmentId)).toEqual(['rol-storage-tls-12-tls']);
    const quiet = await stores.readModels.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${READ_MODEL_SCHEMA}".findings WHERE tenant_id = 'fabrikam-retail' AND doc->>'assignmentId' = 'rol-storage-tls-12-tls' AND (doc->>'existing')::boolean`);
    expect(quiet.rows[0].n).toBeGreaterThan(0);
    const cis = (await tenantStandardCompliance(stores, 'contoso-bank', 'cis-azure-2.0.0'))!;
    expect(cis.controls.find((c) => c.control.id === '8.1')).toMatchObject({ state: 'attested', attestation: { attestationId: 'cis-8-1-q4', attestedBy: 'ciso@contoso-bank.example' } });
  });

  it('is seeded once: a second start changes nothing', async () => {
    const before = await stores.eventStore.headPosition();
    expect(await seedDemo(stores, createLogger('silent'))).toBeNull();
    expect(await stores.eventStore.headPosition()).toEqual(before);
  });
});
