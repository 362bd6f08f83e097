// What a newcomer's first `npm start` shows: three customers of a managed security provider, four
// weeks of their history, and the product's story played out once. Seeded on an empty store only,
// through the same commands, ingestion, evaluator, reactor and action runner the product runs —
// with the event store's clock set back, day by day, so the charts have a past. The SOC's people
// (ana the analyst, the lead) act through the deciders like the API would have them act.
import { randomUUID } from 'node:crypto';
import { handleCommand, type Actor, type Decider, type DomainEvent, type EventStore } from '@rampart/event-sourcing';
import { SqlCheckpointStore, SqlEventStore } from '@rampart/event-store';
import type { Severity, TenantGuardrailsCommand } from '@rampart/guardrails';
import {
  incidentPolicyStreamId,
  type ActionEntry,
  type IncidentCommand,
  type IncidentEntry,
} from '@rampart/incidents';
import { ingest, itemsOf } from '@rampart/ingestion';
import { changeTenantGuardrails, FINDING_NOTIFIER_SUBSCRIPTION, GUARDRAIL_EVALUATOR_SUBSCRIPTION } from '@rampart/guardrails-application';
import { ActionRunner, changeAction, changeIncident, INCIDENT_REACTOR_SUBSCRIPTION, setIncidentPolicy, type ActionExecutor } from '@rampart/incidents-application';
import { InlineWorker } from '@rampart/platform';
import { type Logger, READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import { tenantStanding } from '@rampart/tenancy-application';
import { tenantDecider, tenantStreamId, type OnboardTenant } from '@rampart/tenancy';
import { generateTenant, hardened, isMisconfigured, mutate, seededRandom, type ArmResource } from './synthetic-tenant';

export interface DemoTenant extends Omit<OnboardTenant, 'kind'> {
  readonly socTeam: string;
  readonly baselineId: string;
  /** Azure's regulatory standards it is assessed against, besides its baseline. */
  readonly standards: readonly string[];
  /** Severities of findings that open an incident (its incident policy). */
  readonly findingSeverities: readonly Severity[];
  readonly seed: number;
  readonly misconfiguredShare: number;
}

export const DEMO_TENANTS: readonly DemoTenant[] = [
  {
    tenantId: 'contoso-bank',
    displayName: 'Contoso Bank',
    sector: 'finance',
    contactEmail: 'secops@contoso-bank.example',
    socTeam: 'blue',
    baselineId: 'financial-services',
    standards: ['mcsb', 'cis-azure-2.0.0'],
    findingSeverities: ['critical', 'high'],
    seed: 11,
    misconfiguredShare: 0.3,
  },
  {
    tenantId: 'fabrikam-retail',
    displayName: 'Fabrikam Retail',
    sector: 'retail',
    contactEmail: 'it@fabrikam.example',
    socTeam: 'blue',
    baselineId: 'landing-zone-core',
    standards: ['pci-dss-4.0.1'],
    findingSeverities: ['critical', 'high'],
    seed: 23,
    misconfiguredShare: 0.35,
  },
  {
    tenantId: 'northwind-mfg',
    displayName: 'Northwind Manufacturing',
    sector: 'manufacturing',
    contactEmail: 'ot-security@northwind.example',
    socTeam: 'red',
    baselineId: 'landing-zone-core',
    standards: [],
    findingSeverities: ['critical', 'high'],
    seed: 37,
    misconfiguredShare: 0.4,
  },
];

/** `tenants`: the three tenants and their SOC teams only (tests); `full`: their history too. */
export type DemoKind = 'full' | 'tenants';

export interface DemoOptions {
  readonly days?: number;
  readonly resourcesPerTenant?: number;
  readonly now?: () => Date;
}

export interface DemoSummary {
  readonly tenants: number;
  readonly days: number;
  readonly events: number;
  readonly storyIncidentId?: string;
}

const ANALYST = { kind: 'user', id: 'ana@soc.example' } as const satisfies Actor;
const LEAD = { kind: 'user', id: 'lead@soc.example' } as const satisfies Actor;
const COLLECTOR = { kind: 'system', id: 'demo-collector' } as const satisfies Actor;
const SEEDER = { kind: 'system', id: 'demo-seed' } as const satisfies Actor;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Onboards the demo tenants and assigns their SOC teams (idempotent): what tests build on. */
export const seedDemoTenants = async (store: EventStore, log: Logger): Promise<number> => {
  let seeded = 0;
  for (const t of DEMO_TENANTS) {
    const context = { tenantId: t.tenantId, actor: SEEDER, correlationId: randomUUID(), now: new Date() };
    const streamId = tenantStreamId(t.tenantId);
    const onboarded = await handleCommand(store, tenantDecider, streamId, { kind: 'OnboardTenant', tenantId: t.tenantId, displayName: t.displayName, sector: t.sector, contactEmail: t.contactEmail }, context);
    const assigned = await handleCommand(store, tenantDecider, streamId, { kind: 'AssignSocTeam', tenantId: t.tenantId, socTeam: t.socTeam }, context);
    if (onboarded.ok) seeded++;
    for (const outcome of [onboarded, assigned]) {
      if (!outcome.ok && !['tenant-already-onboarded', 'soc-team-already-assigned'].includes(outcome.rejection.code)) {
        log.warn({ tenantId: t.tenantId, rejection: outcome.rejection }, 'demo tenant not seeded');
      }
    }
  }
  if (seeded > 0) log.info({ seeded }, 'demo tenants seeded');
  return seeded;
};

/** The customer's automation in the story: a Logic App that restricts access and answers 202. */
const customerAutomation: ActionExecutor = {
  kind: 'webhook',
  worstCaseMs: 10_000,
  execute: async (request) => ({ ok: true, outcome: `HTTP 202: Logic App run 08585${request.actionId.slice(-6)} accepted (${request.actionKind})` }),
};

/**
 * Seeds the full demo on an empty SQL store (PGlite or PostgreSQL) and returns what it did; on a
 * store that already has the demo tenants, or on EventStoreDB (whose clock cannot be set back), it
 * seeds the tenants only.
 */
export const seedDemo = async (stores: Stores, log: Logger, options: DemoOptions = {}): Promise<DemoSummary | null> => {
  if ((await stores.eventStore.readStream(tenantStreamId(DEMO_TENANTS[0].tenantId), { maxCount: 1 })).length > 0) return null;
  if (stores.eventStore.kind === 'eventstoredb') {
    await seedDemoTenants(stores.eventStore, log);
    return { tenants: DEMO_TENANTS.length, days: 0, events: 0 };
  }
  const days = options.days ?? 28;
  const realNow = options.now ?? (() => new Date());
  const started = Date.now();
  // The clock starts `days` ago at 08:00 and only moves forwards, staying behind the present.
  let at = new Date(Math.floor((realNow().getTime() - days * DAY) / DAY) * DAY + 8 * HOUR);
  const advance = (ms: number) => {
    at = new Date(Math.min(at.getTime() + ms, realNow().getTime() - 60_000));
  };
  const store = await SqlEventStore.open(stores.readModels, { clock: () => at });
  const clocked = { eventStore: store as EventStore, readModels: stores.readModels };
  const head = await store.headPosition();
  try {
    const worker = await InlineWorker.start(clocked, { now: () => at, from: head });
    const reactor = worker.reactor;
    const actions = new ActionRunner(clocked, customerAutomation, { now: () => at, standing: tenantStanding(store) });
    const project = () => worker.project();
    const settle = () => worker.settle();
    // SOC staff act for the customer: the tenant sees their work as done on its behalf, as through the API.
    const SOC_STAFF = new Set([ANALYST.id, LEAD.id, 'sam@soc.example']);
    const context = (tenantId: string, actor: Actor = SEEDER) => ({
      tenantId,
      actor: SOC_STAFF.has(actor.id) ? { ...actor, onBehalfOfTenant: tenantId } : actor,
      correlationId: randomUUID(),
      now: at,
    });
    const decide = async <C, S, E extends DomainEvent>(decider: Decider<C, S, E>, streamId: string, command: C, tenantId: string, actor: Actor) => {
      const outcome = await handleCommand(store, decider, streamId, command, context(tenantId, actor));
      if (!outcome.ok) log.debug({ streamId, rejection: outcome.rejection }, 'demo step refused');
      return outcome;
    };
    // The demo's people act through the incidents' use cases, as they would through the API.
    const incidents = { stores: clocked, standing: tenantStanding(store) };
    const logged = <T extends { ok: boolean }>(streamId: string, outcome: T) => {
      if (!outcome.ok) log.debug({ streamId, rejection: (outcome as { rejection?: unknown }).rejection }, 'demo step refused');
      return outcome;
    };
    const incidentStep = async (tenantId: string, incidentId: string, command: IncidentCommand, actor: Actor = ANALYST) =>
      logged(incidentId, await changeIncident(incidents, context(tenantId, actor), incidentId, command));
    const push = (tenantId: string, resources: readonly ArmResource[], complete = false) =>
      ingest(store, itemsOf(resources), { tenantId, standing: tenantStanding(store), actor: COLLECTOR, source: 'push', scope: '*', complete });
    const rows = async <D>(sql: string, params: unknown[]) => (await stores.readModels.query<{ doc: D }>(sql, params)).rows.map((r) => r.doc);

    // The story's app, deployed on the bank's payments subscription a week before the end.
    const storyDay = Math.max(1, days - 7);
    const bankSubscription = '3f2c6a1e-5b7d-4c8e-9a01-2b3c4d5e6f70';
    const api: ArmResource = {
      id: `/subscriptions/${bankSubscription}/resourceGroups/rg-payments-prod/providers/Microsoft.Web/sites/payments-api`,
      name: 'payments-api',
      type: 'Microsoft.Web/sites',
      kind: 'app',
      location: 'westeurope',
      tags: { env: 'prod', owner: 'payments@contoso-bank.example', app: 'payments' },
      properties: { state: 'Running', httpsOnly: true, publicNetworkAccess: 'Enabled', siteConfig: { minTlsVersion: '1.2', ftpsState: 'Disabled' } },
    };
    let storyIncidentId: string | undefined;

    // Day 0: the customers arrive, their baselines are assigned, their estates collected and evaluated.
    const estates = new Map<string, ArmResource[]>();
    for (const t of DEMO_TENANTS) {
      await decide(tenantDecider, tenantStreamId(t.tenantId), { kind: 'OnboardTenant', tenantId: t.tenantId, displayName: t.displayName, sector: t.sector, contactEmail: t.contactEmail }, t.tenantId, SEEDER);
      await decide(tenantDecider, tenantStreamId(t.tenantId), { kind: 'AssignSocTeam', tenantId: t.tenantId, socTeam: t.socTeam }, t.tenantId, SEEDER);
      const policy = async (command: TenantGuardrailsCommand) => {
        const outcome = await changeTenantGuardrails({ eventStore: store, standing: tenantStanding(store) }, context(t.tenantId, { kind: 'user', id: t.contactEmail }), command);
        if (!outcome.ok) log.debug({ tenantId: t.tenantId, rejection: outcome.rejection }, 'demo step refused');
        return outcome;
      };
      await policy({ kind: 'AssignBaseline', assignmentId: t.baselineId, baselineId: t.baselineId, scope: '*' });
      // Assessed against Azure's standards as Defender for Cloud would: assignment ids are the standards' ids, dots as dashes.
      for (const standardId of t.standards) await policy({ kind: 'AssignBaseline', assignmentId: standardId.replace(/\./g, '-'), baselineId: standardId, scope: '*' });
      await policy({ kind: 'SetReportingPolicy', notifySeverities: ['medium'] });
      logged(
        incidentPolicyStreamId(t.tenantId),
        await setIncidentPolicy(incidents, t.tenantId, { kind: 'SetIncidentPolicy', findingSeverities: t.findingSeverities }, { ...context(t.tenantId, { kind: 'user', id: t.contactEmail }), causationId: null }),
      );
      const estate = [...generateTenant({ seed: t.seed, resources: options.resourcesPerTenant ?? 120, misconfiguredShare: t.misconfiguredShare, subscriptions: 2 })];
      estates.set(t.tenantId, estate);
      advance(5 * 60_000);
      await push(t.tenantId, estate, true);
    }
    await settle();
    await socDay(seededRandom(999));


    for (let day = 1; day < days; day++) {
      at = new Date(at.getTime() - (at.getTime() % DAY) + DAY + 8 * HOUR); // next morning, 08:00
      if (at.getTime() > realNow().getTime() - HOUR) break;
      const random = seededRandom(1_000 + day);
      // The customers fix part of what is wrong each day, and now and then break something new.
      for (const t of DEMO_TENANTS) {
        const estate = estates.get(t.tenantId) ?? [];
        const wrong = estate.map((r, i) => [r, i] as const).filter(([r]) => isMisconfigured(r));
        const fixes = wrong.filter(() => random.next() < 0.12);
        const changed: ArmResource[] = [];
        for (const [r, i] of fixes) changed.push((estate[i] = hardened(r)));
        if (random.next() < 0.35) {
          const i = random.int(estate.length);
          const [broken] = mutate([estate[i]], 1, day * 97 + t.seed).resources;
          if (broken !== estate[i]) changed.push((estate[i] = broken));
        }
        advance(random.int(4 * HOUR));
        if (changed.length) await push(t.tenantId, changed);
      }
      if (day === storyDay) {
        advance(30 * 60_000);
        await push('contoso-bank', [api]);
      }
      await settle();

      await socDay(random);
      await settle();
      for (const b of await reactor.recordSlaBreaches()) log.debug(b, 'demo SLA breach');

      if (day === storyDay) storyIncidentId = await playStory(storyIncidentId);
      if (day === storyDay + 1 && storyIncidentId) await finishStory(storyIncidentId);
      if (day % 7 === 0) log.info({ day, of: days }, 'seeding the demo');
    }

    /**
     * The SOC's day: new incidents are triaged within the hour and contained within a few hours;
     * the ones whose resources comply again are walked to closure over the afternoon.
     */
    async function socDay(random: ReturnType<typeof seededRandom>): Promise<void> {
      // The SOC works its incidents side by side: each gets its own times from the start of the
      // pass, and the steps are then recorded in time order (the log's clock only moves forwards).
      const start = at.getTime();
      const planned: { at: number; run: () => Promise<unknown> }[] = [];
      const plan = (offset: number, run: () => Promise<unknown>) => planned.push({ at: start + offset, run });
      const open = await rows<IncidentEntry>(`SELECT doc FROM "${READ_MODEL_SCHEMA}".incidents WHERE doc->>'status' NOT IN ('closed', 'merged') ORDER BY id`, []);
      // An incident is fixed when the findings that raised it are resolved (other findings on its
      // resources, e.g. a standard's medium ones, are not the incident's); one with no finding among
      // its signals, when none of its resources has an open finding.
      const { rows: openFindings } = await stores.readModels.query<{ key: string; finding: string }>(
        `SELECT tenant_id || '|' || (doc->>'resourceKey') AS key, tenant_id || '|' || (doc->>'findingId') AS finding FROM "${READ_MODEL_SCHEMA}".findings WHERE doc->>'status' = 'open'`,
      );
      const failing = new Set(openFindings.map((r) => r.key));
      const openIds = new Set(openFindings.map((r) => r.finding));
      const stillFailing = (incident: IncidentEntry) => {
        const raisedBy = incident.signals.filter((s) => s.kind === 'finding').map((s) => `${incident.tenantId}|${s.ref}`);
        return raisedBy.length ? raisedBy.some((id) => openIds.has(id)) : incident.resourceKeys.some((key) => failing.has(`${incident.tenantId}|${key}`));
      };
      for (const incident of open) {
        const step = (command: IncidentCommand) => () => incidentStep(incident.tenantId, incident.incidentId, command);
        if (incident.title === 'Web app reachable without authentication' && incident.tenantId === 'contoso-bank' && incident.resourceKeys.includes(api.id.toLowerCase())) {
          storyIncidentId = incident.incidentId;
          continue; // the story works this one
        }
        if (incident.status === 'new') {
          let t = 5 * 60_000 + random.int(40 * 60_000);
          plan(t, step({ kind: 'TriageIncident', severity: incident.severity, assignee: random.next() < 0.6 ? ANALYST.id : 'sam@soc.example' }));
          if (random.next() < 0.8) {
            t += 20 * 60_000 + random.int(2 * HOUR);
            plan(t, step({ kind: 'StartResponse', summary: 'Restricting access while the customer fixes the configuration' }));
            t += 30 * 60_000 + random.int(2 * HOUR);
            plan(t, step({ kind: 'ConfirmContainment', summary: 'Exposure closed; the fix is with the customer' }));
          }
          continue;
        }
        if (stillFailing(incident)) continue;
        const steps: IncidentCommand[] = [
          ...(incident.status === 'triaged' ? [{ kind: 'StartResponse', summary: 'Working with the customer on the fix' } as const] : []),
          ...(['triaged', 'responding'].includes(incident.status) ? [{ kind: 'ConfirmContainment', summary: 'Exposure closed by the customer' } as const] : []),
          { kind: 'ConfirmRemediation', summary: 'Configuration fixed and verified by the next collection' },
          { kind: 'ConfirmRecovery', summary: 'Guardrail compliant again' },
          {
            kind: 'CloseIncident',
            classification: 'true-positive',
            reason: 'Misconfiguration confirmed with the customer and fixed',
            rootCause: 'Resource deployed without the landing zone defaults',
            lessonsLearned: 'Deploy from the hardened templates; enforce the guardrail at deployment',
          },
        ];
        let t = HOUR + random.int(4 * HOUR);
        for (const command of steps) {
          plan(t, step(command));
          t += 10 * 60_000 + random.int(40 * 60_000);
        }
      }
      planned.sort((a, b) => a.at - b.at);
      for (const p of planned) {
        advance(Math.max(0, p.at - at.getTime()));
        await p.run();
      }
      await settle();
    }

    async function playStory(incidentId: string | undefined): Promise<string | undefined> {
      if (!incidentId) return undefined;
      advance(25 * 60_000);
      await incidentStep('contoso-bank', incidentId, { kind: 'TriageIncident', severity: 'high', assignee: ANALYST.id });
      await incidentStep('contoso-bank', incidentId, { kind: 'AddComment', commentId: 'c-1', text: 'payments-api answers anonymously from the Internet; asking Contoso to approve restricting public access.' });
      await incidentStep('contoso-bank', incidentId, { kind: 'StartResponse', summary: 'Restricting public network access through the customer automation' });
      await settle();
      const [action] = await rows<ActionEntry>(`SELECT doc FROM "${READ_MODEL_SCHEMA}".response_actions WHERE tenant_id = $1 AND doc->>'incidentId' = $2 ORDER BY id`, ['contoso-bank', incidentId]);
      if (action) {
        advance(15 * 60_000);
        logged(action.actionId, await changeAction(incidents, context('contoso-bank', LEAD), action.actionId, { kind: 'ApproveAction', approvedBy: LEAD.id }));
        await project();
        advance(60_000);
        await actions.executeApproved();
        await project();
      }
      // The automation's work shows up in the next collection, two hours later.
      advance(2 * HOUR);
      await push('contoso-bank', [{ ...api, properties: { ...(api['properties'] as object), publicNetworkAccess: 'Disabled' } }]);
      await settle();
      advance(20 * 60_000);
      await incidentStep('contoso-bank', incidentId, { kind: 'ConfirmContainment', summary: 'Public network access disabled; the next collection verified it' });
      return incidentId;
    }

    async function finishStory(incidentId: string): Promise<void> {
      advance(3 * HOUR);
      await push('contoso-bank', [
        { ...api, properties: { ...(api['properties'] as object), publicNetworkAccess: 'Disabled' } },
        { id: `${api.id}/config/web`, name: 'web', type: 'Microsoft.Web/sites/config', properties: { siteAuthEnabled: true } },
      ]);
      await settle();
      advance(30 * 60_000);
      await incidentStep('contoso-bank', incidentId, { kind: 'ConfirmRemediation', summary: 'App Service authentication with Entra ID turned on' });
      advance(2 * HOUR);
      await incidentStep('contoso-bank', incidentId, { kind: 'ConfirmRecovery', summary: 'Both guardrails compliant again' });
      advance(30 * 60_000);
      await incidentStep(
        'contoso-bank',
        incidentId,
        {
          kind: 'CloseIncident',
          classification: 'true-positive',
          reason: 'The payments API was reachable from the Internet without authentication',
          rootCause: 'Deployed from a template without authentication settings or access restrictions',
          lessonsLearned: 'App templates enable authentication and private endpoints by default',
          prevention: { guardrailId: 'web-app-without-authentication', change: 'Switch the guardrail to deny for production subscriptions' },
        },
        LEAD,
      );
      await settle();
    }

    // The worker takes over from here: its process managers start after what the demo did.
    const end = await store.headPosition();
    const checkpoints = await SqlCheckpointStore.open(stores.readModels, READ_MODEL_SCHEMA);
    for (const id of [GUARDRAIL_EVALUATOR_SUBSCRIPTION, INCIDENT_REACTOR_SUBSCRIPTION, FINDING_NOTIFIER_SUBSCRIPTION]) await checkpoints.save(id, end);
    const events = Number(end.prepare) - Number(head.prepare);
    log.info({ tenants: DEMO_TENANTS.length, days, events, seconds: (Date.now() - started) / 1000, storyIncidentId }, 'demo seeded');
    return { tenants: DEMO_TENANTS.length, days, events, storyIncidentId };
  } finally {
    await store.close();
  }
};
