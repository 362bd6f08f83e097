// What a newcomer's first `npm start` shows: three customers of a managed security provider, four
// weeks of their history, and the product's story played out once. Seeded on an empty store only,
// through the same commands, ingestion, evaluator, reactor and action runner the product runs —
// with the event store's clock set back, so the charts have a past. The SOC's people (ana the
// analyst, the lead) act through the use cases like the API would have them act, and work like a
// healthy SOC: within their SLA targets mostly, so its queue and its numbers look like a real one's.
import { randomUUID } from 'node:crypto';
import { handleCommand, type Actor, type Decider, type DomainEvent, type EventStore } from '@rampart/event-sourcing';
import { SqlCheckpointStore, SqlEventStore } from '@rampart/event-store';
import type { Severity, TenantGuardrailsCommand } from '@rampart/guardrails';
import {
  dueAt,
  incidentPolicyStreamId,
  type ActionEntry,
  type IncidentCommand,
  type IncidentEntry,
} from '@rampart/incidents';
import { ingest, itemsOf } from '@rampart/ingestion';
import {
  applyPolicyImport,
  changeRollout,
  changeTenantGuardrails,
  EvidenceStore,
  FINDING_NOTIFIER_SUBSCRIPTION,
  GROUP_ASSIGNMENTS_SUBSCRIPTION,
  GUARDRAIL_EVALUATOR_SUBSCRIPTION,
  recordAttestation,
} from '@rampart/guardrails-application';
import { ActionRunner, changeAction, changeIncident, INCIDENT_REACTOR_SUBSCRIPTION, setIncidentPolicy, type ActionExecutor } from '@rampart/incidents-application';
import { InlineWorker, planRollout } from '@rampart/platform';
import { type Logger, READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import { changeTenantGroup, tenantStanding } from '@rampart/tenancy-application';
import { armKey } from '@rampart/resource-model';
import { tenantDecider, tenantStreamId, type OnboardTenant } from '@rampart/tenancy';
import { authenticationOf, generateTenant, hardened, isMisconfigured, mutate, secured, seededRandom, type ArmResource, type Random } from './synthetic-tenant';

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

/** The provider's own rule for its regulated customers: storage accepts TLS 1.2 and later only (audit). */
const STORAGE_MIN_TLS = {
  name: 'Storage-MinTLS',
  properties: {
    displayName: 'Storage accounts should require TLS 1.2 or later',
    description: "The provider's landing zone rule for regulated customers.",
    mode: 'Indexed',
    metadata: { category: 'Storage', rampart: { severity: 'high', remediation: 'Set the minimum TLS version to TLS1_2.' } },
    policyRule: {
      if: { allOf: [{ field: 'type', equals: 'Microsoft.Storage/storageAccounts' }, { field: 'Microsoft.Storage/storageAccounts/minimumTlsVersion', notEquals: 'TLS1_2' }] },
      then: { effect: 'audit' },
    },
  },
};
const KEY_EXPIRY_REVIEW = `# Key expiry review, Q4\n\nReviewed every key of the bank's Key Vaults: each carries an expiration date.\nExceptions: none. Reviewer: CISO office.\n`;

const ANALYST = { kind: 'user', id: 'ana@soc.example' } as const satisfies Actor;
const LEAD = { kind: 'user', id: 'lead@soc.example' } as const satisfies Actor;
const COLLECTOR = { kind: 'system', id: 'demo-collector' } as const satisfies Actor;
const SEEDER = { kind: 'system', id: 'demo-seed' } as const satisfies Actor;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How often a customer deploys a day, on average (its pipeline pushes what it deploys as it goes). */
const RELEASES_PER_DAY = 1;
/** The share of fixes a customer pushes through its pipeline (the rest are made by hand), and of those a day or two late. */
const PUSHED_FIXES = 0.5;
const LATE_FIXES = 0.08;

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
  // The demo's weeks end just before the present and its clock only moves forwards: what the queue
  // shows right after seeding is where the SOC stands at that moment.
  const end = realNow().getTime() - 2 * 60_000;
  const origin = end - days * DAY;
  // Day 0's morning: the customers are onboarded a few hours into it.
  let at = new Date(origin + 8 * HOUR);
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
    // What each customer's estate holds, as last collected: a complete collection sends all of it
    // (unchanged resources record nothing, but the completed run proves them collected: coverage).
    const collected = new Map<string, Map<string, ArmResource>>();
    const push = (tenantId: string, resources: readonly ArmResource[], complete = false, scope = '*') => {
      let estate = collected.get(tenantId);
      if (!estate) collected.set(tenantId, (estate = new Map()));
      for (const r of resources) estate.set(armKey(r.id), r);
      const items = complete ? [...estate.entries()].filter(([key]) => scope === '*' || key.startsWith(`${scope.toLowerCase()}/`)).map(([, r]) => r) : resources;
      return ingest(store, itemsOf(items), { tenantId, standing: tenantStanding(store), actor: COLLECTOR, source: 'push', scope, complete });
    };
    /**
     * The coverage gap of the story: the collector lost its access to one of Northwind's two
     * subscriptions nine days before the end, so from then on its nightly collection is complete for
     * the other one only; changes still arrive from the pipelines, and whatever was not touched
     * ages past the week's interval: not evaluated, never passing.
     */
    const GAP = { tenantId: 'northwind-mfg', from: end - 9 * DAY };
    const nightlyScopes = (tenantId: string): string[] => {
      if (tenantId !== GAP.tenantId || at.getTime() < GAP.from) return ['*'];
      const subscriptions = [...new Set([...(collected.get(tenantId)?.keys() ?? [])].map((key) => key.split('/').slice(0, 3).join('/')))].sort();
      return subscriptions.slice(0, 1);
    };
    const rows = async <D>(sql: string, params: unknown[]) => (await stores.readModels.query<{ doc: D }>(sql, params)).rows.map((r) => r.doc);

    // The weeks run on an agenda: the customers' collections and fixes, the SOC's steps and the SLA
    // checks are tasks at their own times, run in time order, so no incident's work waits for
    // another's and every step is recorded at the time it happened.
    const agenda: { at: number; order: number; run: () => Promise<unknown> }[] = [];
    let order = 0;
    const schedule = (time: number, run: () => Promise<unknown>) => void agenda.push({ at: time, order: order++, run });
    const runUntil = async (until: number) => {
      for (;;) {
        let next = -1;
        for (let i = 0; i < agenda.length; i++) {
          const task = agenda[i];
          if (task.at <= until && (next < 0 || task.at < agenda[next].at || (task.at === agenda[next].at && task.order < agenda[next].order))) next = i;
        }
        if (next < 0) return;
        const [task] = agenda.splice(next, 1);
        advance(Math.max(0, task.at - at.getTime()));
        await task.run();
      }
    };
    /** Steps one after another, each `after` ms past the end of the one before it. */
    const chain = (steps: readonly (readonly [after: number, run: () => Promise<unknown>])[]): void => {
      const [first, ...rest] = steps;
      if (first)
        schedule(at.getTime() + first[0], async () => {
          await first[1]();
          chain(rest);
        });
    };
    const between = (random: Random, from: number, to: number) => from + random.int(to - from);
    /** The customers' pipelines deploy fixes every other hour. */
    const pipelineRun = (time: number) => origin + Math.ceil((time - origin) / (2 * HOUR)) * 2 * HOUR;

    // The story's app, deployed on the bank's payments subscription a week before the end.
    const storyDay = Math.max(1, days - 7);
    const fleetDay = Math.max(1, days - 6);
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
    const storyTitle = `Web app reachable without authentication on ${api.name}`;
    let storyIncidentId: string | undefined;

    // The customers' estates as they stand, and where each resource sits in them by its ARM key.
    const estates = new Map<string, ArmResource[]>();
    const positions = new Map<string, Map<string, number>>();

    /**
     * How the SOC works, on each incident side by side: triaged within the acknowledge target,
     * contained within the contain target (now and then a triage comes late, as in any SOC); the fix
     * is then the customer's, and once a collection shows the incident's findings resolved it is
     * walked to closure. The customers fix most within the resolve target, a few a day or two late:
     * with the late triages, those are the breaches.
     */
    const soc = seededRandom(999);
    interface Case {
      readonly tenantId: string;
      readonly incidentId: string;
      resourceKeys: readonly string[];
      contained: boolean;
      /** Fixes the customer made: one that did not resolve the incident's findings is followed by another, up to three. */
      fixes: number;
      /** A fix on its way: pushed at a time already on the agenda, or made by hand and waiting for a collection. */
      fixPending: boolean;
      /** When a fix made by hand was made: the next collection shows it. */
      fixedByHandAt?: number;
      closing: boolean;
    }
    const cases = new Map<string, Case>();
    const slaChecks = new Set<number>();

    const openIncidents = () => rows<IncidentEntry>(`SELECT doc FROM "${READ_MODEL_SCHEMA}".incidents WHERE doc->>'status' NOT IN ('resolved', 'closed', 'merged') ORDER BY id`, []);

    /** What the SOC sees after every collection: new incidents to take on, fixed ones to close, fixes still missing. */
    async function look(): Promise<void> {
      const open = await openIncidents();
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
        if (incident.title === storyTitle && incident.tenantId === 'contoso-bank' && incident.resourceKeys.includes(armKey(api.id))) {
          if (!storyIncidentId) playStory((storyIncidentId = incident.incidentId));
          continue; // the story works this one
        }
        const known = cases.get(incident.incidentId);
        if (!known) takeOn(incident);
        else {
          known.resourceKeys = incident.resourceKeys;
          if (known.closing) continue;
          if (!stillFailing(incident)) {
            if (incident.status === 'remediating') close(known, incident.severity);
          } else if (known.contained && !known.fixPending && known.fixes < 3) customerFixes(known, incident.severity);
        }
      }
    }

    /** Breaches are recorded as they happen, as the worker's check every minute would. */
    function checkSlaAt(incident: IncidentEntry) {
      for (const target of ['acknowledge', 'contain', 'resolve'] as const) {
        const due = Date.parse(dueAt(incident, target));
        if (due <= at.getTime() || due > end || slaChecks.has(due)) continue;
        slaChecks.add(due);
        schedule(due, async () => {
          await project(); // the check reads the incidents' read model, as the worker's would
          for (const b of await reactor.recordSlaBreaches()) log.debug(b, 'demo SLA breach');
        });
      }
    }

    function takeOn(incident: IncidentEntry) {
      const known: Case = { tenantId: incident.tenantId, incidentId: incident.incidentId, resourceKeys: incident.resourceKeys, contained: false, fixes: 0, fixPending: false, closing: false };
      cases.set(incident.incidentId, known);
      checkSlaAt(incident);
      if (incident.status !== 'new') return;
      const step = (command: IncidentCommand) => () => incidentStep(incident.tenantId, incident.incidentId, command);
      const critical = incident.severity === 'critical';
      const late = soc.next() < 0.03;
      const assignee = soc.next() < 0.6 ? ANALYST.id : 'sam@soc.example';
      chain([
        [critical ? between(soc, 2 * MINUTE, 11 * MINUTE) : late ? between(soc, 35 * MINUTE, 70 * MINUTE) : between(soc, 4 * MINUTE, 24 * MINUTE), step({ kind: 'TriageIncident', severity: incident.severity, assignee })],
        [critical ? between(soc, 2 * MINUTE, 8 * MINUTE) : between(soc, 10 * MINUTE, 50 * MINUTE), step({ kind: 'StartResponse', summary: 'Restricting access while the customer fixes the configuration' })],
        [
          critical ? between(soc, 10 * MINUTE, 35 * MINUTE) : between(soc, 20 * MINUTE, 2 * HOUR),
          async () => {
            await step({ kind: 'ConfirmContainment', summary: 'Exposure closed; the fix is with the customer' })();
            known.contained = true;
            customerFixes(known, incident.severity);
          },
        ],
      ]);
    }

    /**
     * The customer fixes what the SOC contained. Half push the fix through their pipeline within
     * hours; the others fix it by hand in the portal, which the next collection shows; a few are a
     * day or two late. A critical incident's fix is pushed at once (its resolve target is 4 hours).
     */
    function customerFixes(known: Case, severity: IncidentEntry['severity']) {
      known.fixPending = true;
      known.fixes++;
      const late = soc.next() < LATE_FIXES;
      const now = at.getTime();
      if (severity === 'critical') pipelinePush(known, now + (late ? between(soc, 6 * HOUR, 30 * HOUR) : between(soc, 20 * MINUTE, 90 * MINUTE)));
      else if (soc.next() < PUSHED_FIXES) pipelinePush(known, pipelineRun(now + (late ? between(soc, 36 * HOUR, 70 * HOUR) : between(soc, HOUR, 10 * HOUR))));
      else known.fixedByHandAt = now + (late ? between(soc, 36 * HOUR, 70 * HOUR) : between(soc, HOUR, 8 * HOUR));
    }

    /** The customers' pipelines push the fixes deployed at the same time together. */
    const pipeline = new Map<number, Case[]>();
    function pipelinePush(known: Case, time: number) {
      const batch = pipeline.get(time);
      if (batch) return void batch.push(known);
      pipeline.set(time, [known]);
      schedule(time, async () => {
        const fixes = pipeline.get(time) ?? [];
        pipeline.delete(time);
        for (const t of DEMO_TENANTS) {
          const changed = fixes.filter((f) => f.tenantId === t.tenantId).flatMap(fix);
          if (changed.length) await push(t.tenantId, changed);
        }
        await settle();
        await look();
      });
    }

    /** The fix itself: the incident's resources secured in the customer's estate; what changed. */
    function fix(known: Case): ArmResource[] {
      known.fixPending = false;
      known.fixedByHandAt = undefined;
      const estate = estates.get(known.tenantId) ?? [];
      const where = positions.get(known.tenantId);
      return known.resourceKeys.flatMap((key) => {
        const i = where?.get(key);
        if (i === undefined) return [];
        const [resource, ...settings] = secured(estate[i]);
        estate[i] = resource;
        return [resource, ...settings];
      });
    }

    /**
     * Walks a fixed incident to closure. The playbook's proposal nobody needed any more (the fix was
     * made at the source) is withdrawn, so the approvals inbox holds what is still waiting.
     */
    function close(known: Case, severity: IncidentEntry['severity']) {
      known.closing = true;
      const step = (command: IncidentCommand) => () => incidentStep(known.tenantId, known.incidentId, command);
      const critical = severity === 'critical';
      chain([
        [critical ? between(soc, 5 * MINUTE, 15 * MINUTE) : between(soc, 10 * MINUTE, 40 * MINUTE), step({ kind: 'ConfirmRemediation', summary: 'Configuration fixed and verified by the next collection' })],
        [critical ? between(soc, 5 * MINUTE, 10 * MINUTE) : between(soc, 5 * MINUTE, 30 * MINUTE), step({ kind: 'ConfirmRecovery', summary: 'Guardrail compliant again' })],
        [
          between(soc, 30 * MINUTE, 4 * HOUR),
          async () => {
            await step({
              kind: 'CloseIncident',
              classification: 'true-positive',
              reason: 'Misconfiguration confirmed with the customer and fixed',
              rootCause: 'Resource deployed without the landing zone defaults',
              lessonsLearned: 'Deploy from the hardened templates; enforce the guardrail at deployment',
            })();
            const waiting = await rows<ActionEntry>(
              `SELECT doc FROM "${READ_MODEL_SCHEMA}".response_actions WHERE tenant_id = $1 AND doc->>'incidentId' = $2 AND doc->>'status' = 'proposed' ORDER BY id`,
              [known.tenantId, known.incidentId],
            );
            for (const action of waiting) {
              logged(action.actionId, await changeAction(incidents, context(known.tenantId, ANALYST), action.actionId, { kind: 'CancelAction', reason: 'Not needed: the customer fixed the configuration at the source' }));
            }
          },
        ],
      ]);
    }

    // Day 0: the customers arrive, their baselines are assigned, their estates collected and evaluated.
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
      positions.set(t.tenantId, new Map(estate.map((r, i) => [armKey(r.id), i])));
      advance(5 * 60_000);
      await push(t.tenantId, estate, true);
    }
    await settle();
    await look();

    for (let day = 0; day < days; day++) {
      const dayStart = origin + day * DAY;
      if (dayStart >= end) break;
      const random = seededRandom(1_000 + day);
      // The collections, at night and at noon, show what the customers changed by hand: the fixes
      // they made by hand and, at night, part of whatever else is wrong.
      for (const [hour, nightly] of [
        [0, true],
        [12, false],
      ] as const) {
        if (day === 0 && nightly) continue; // the customers arrive in the morning
        schedule(dayStart + hour * HOUR + random.int(30 * MINUTE), async () => {
          for (const t of DEMO_TENANTS) {
            const estate = estates.get(t.tenantId) ?? [];
            const changed: ArmResource[] = [];
            for (const known of cases.values()) {
              if (known.tenantId === t.tenantId && known.fixedByHandAt !== undefined && known.fixedByHandAt <= at.getTime()) changed.push(...fix(known));
            }
            if (nightly) estate.forEach((r, i) => isMisconfigured(r) && random.next() < 0.12 && changed.push((estate[i] = hardened(r))));
            if (nightly) {
              // at night a complete snapshot (of what the collector can still reach)
              const scopes = nightlyScopes(t.tenantId);
              const outside = scopes[0] === '*' ? [] : changed.filter((r) => !scopes.some((scope) => armKey(r.id).startsWith(`${scope}/`)));
              for (const scope of scopes) await push(t.tenantId, changed, true, scope);
              if (outside.length) await push(t.tenantId, outside);
            } else if (changed.length) await push(t.tenantId, changed);
          }
          await settle();
          await look();
        });
      }
      // Their pipelines push what they deploy as it goes, from the day after they arrive. A release
      // redeploys a few apps from a template that leaves authentication off, and now and then
      // changes a setting for the worse.
      DEMO_TENANTS.forEach((t, n) => {
        for (let release = random.next(); day > 0 && release < RELEASES_PER_DAY; release++) {
          const deploy = seededRandom(day * 1_000 + n * 100 + Math.floor(release));
          schedule(dayStart + between(random, 2 * HOUR, 23 * HOUR), async () => {
            const estate = estates.get(t.tenantId) ?? [];
            const apps = estate.filter((r) => ['microsoft.web/sites', 'microsoft.app/containerapps'].includes(r.type.toLowerCase()));
            const changed = Array.from({ length: 1 + deploy.int(3) }, () => authenticationOf(deploy.pick(apps), false)).flat();
            if (deploy.next() < 0.25) {
              const i = deploy.int(estate.length);
              const [broken] = mutate([estate[i]], 1, day * 97 + t.seed).resources;
              if (broken !== estate[i]) changed.push((estate[i] = broken));
            }
            await push(t.tenantId, changed);
            await settle();
            await look();
          });
        }
      });
      if (day === fleetDay) scheduleFleetStory(dayStart);
      if (day === storyDay) {
        schedule(dayStart + 9 * HOUR, async () => {
          await push('contoso-bank', [api]);
          await settle();
          await look();
        });
      }
      await runUntil(Math.min(dayStart + DAY, end));
      if (day % 7 === 0) log.info({ day, of: days }, 'seeding the demo');
    }
    await runUntil(end);
    await project();
    for (const b of await reactor.recordSlaBreaches()) log.debug(b, 'demo SLA breach');

    /**
     * The story, step by step on the agenda: the exposed payments API is triaged, its playbook's
     * action approved and run by the customer's automation, and the next collection shows it private
     * again; the next day authentication is turned on and the incident closed with its root cause.
     */
    function playStory(incidentId: string): void {
      const step = (command: IncidentCommand, actor: Actor = ANALYST) => () => incidentStep('contoso-bank', incidentId, command, actor);
      const opened = at.getTime();
      chain([
        [25 * MINUTE, step({ kind: 'TriageIncident', severity: 'high', assignee: ANALYST.id })],
        [0, step({ kind: 'AddComment', commentId: 'c-1', text: 'payments-api answers anonymously from the Internet; asking Contoso to approve restricting public access.' })],
        [
          0,
          async () => {
            await step({ kind: 'StartResponse', summary: 'Restricting public network access through the customer automation' })();
            await settle();
          },
        ],
        [
          15 * MINUTE,
          async () => {
            const [action] = await rows<ActionEntry>(`SELECT doc FROM "${READ_MODEL_SCHEMA}".response_actions WHERE tenant_id = $1 AND doc->>'incidentId' = $2 ORDER BY id`, ['contoso-bank', incidentId]);
            if (!action) return;
            logged(action.actionId, await changeAction(incidents, context('contoso-bank', LEAD), action.actionId, { kind: 'ApproveAction', approvedBy: LEAD.id }));
            await project();
            advance(60_000);
            await actions.executeApproved();
            await project();
          },
        ],
        // The automation's work shows up in the next collection, two hours later.
        [
          2 * HOUR,
          async () => {
            await push('contoso-bank', [{ ...api, properties: { ...(api['properties'] as object), publicNetworkAccess: 'Disabled' } }]);
            await settle();
          },
        ],
        [20 * MINUTE, step({ kind: 'ConfirmContainment', summary: 'Public network access disabled; the next collection verified it' })],
      ]);
      // The next morning Contoso turns authentication on.
      schedule(opened + 15 * HOUR, async () =>
        chain([
          [
            3 * HOUR,
            async () => {
              await push('contoso-bank', [
                { ...api, properties: { ...(api['properties'] as object), publicNetworkAccess: 'Disabled' } },
                { id: `${api.id}/config/web`, name: 'web', type: 'Microsoft.Web/sites/config', properties: { siteAuthEnabled: true } },
              ]);
              await settle();
            },
          ],
          [30 * MINUTE, step({ kind: 'ConfirmRemediation', summary: 'App Service authentication with Entra ID turned on' })],
          [2 * HOUR, step({ kind: 'ConfirmRecovery', summary: 'Both guardrails compliant again' })],
          [
            30 * MINUTE,
            async () => {
              await step(
                {
                  kind: 'CloseIncident',
                  classification: 'true-positive',
                  reason: 'The payments API was reachable from the Internet without authentication',
                  rootCause: 'Deployed from a template without authentication settings or access restrictions',
                  lessonsLearned: 'App templates enable authentication and private endpoints by default',
                  prevention: { guardrailId: 'web-app-without-authentication', change: 'Switch the guardrail to deny for production subscriptions' },
                },
                LEAD,
              )();
              await settle();
            },
          ],
        ]),
      );
    }
    /**
     * The fleet's week: the SOC groups its two regulated customers, rolls a storage TLS rule out to
     * them in rings (the what-if first; the retailer as canary, its findings on arrival quiet: they
     * existed before the rule), and the bank's CISO attests a CIS control no rule can check.
     */
    function scheduleFleetStory(dayStart: number): void {
      const provider = (actor: Actor) => ({ actor, correlationId: randomUUID(), now: at });
      chain([
        [
          dayStart + 10 * HOUR - at.getTime(),
          async () => {
            logged('regulated', await changeTenantGroup(store, 'regulated', { kind: 'CreateTenantGroup', groupId: 'regulated', name: 'Regulated customers', description: 'banking and card payments: DORA, PCI DSS' }, provider(LEAD)));
            for (const tenantId of ['contoso-bank', 'fabrikam-retail']) logged('regulated', await changeTenantGroup(store, 'regulated', { kind: 'AddTenantToGroup', tenantId }, provider(LEAD)));
            await applyPolicyImport(store, [{ path: 'policyDefinitions/Storage-MinTLS.json', text: JSON.stringify(STORAGE_MIN_TLS) }], provider(LEAD));
            await settle();
          },
        ],
        [
          2 * HOUR,
          async () => {
            const { outcome } = await planRollout(
              clocked,
              {
                rolloutId: 'storage-tls-12',
                groupId: 'regulated',
                assignmentId: 'tls',
                baselineId: 'lib-definition:Storage-MinTLS',
                scope: '*',
                rings: [
                  { name: 'canary', tenants: ['fabrikam-retail'] },
                  { name: 'rest', tenants: ['*'] },
                ],
                raiseIncidentsForExisting: false,
                plannedBy: LEAD.id,
              },
              provider(LEAD),
            );
            logged('storage-tls-12', outcome);
          },
        ],
        [
          HOUR,
          async () => {
            logged('storage-tls-12', await changeRollout(store, 'storage-tls-12', { kind: 'ApproveRolloutRing', ring: 0, approvedBy: LEAD.id }, provider(LEAD)));
            await settle();
            await look();
          },
        ],
        [
          2 * DAY,
          async () => {
            const ciso: Actor = { kind: 'user', id: 'ciso@contoso-bank.example' };
            const evidence = await EvidenceStore.open(stores.readModels);
            const review = await evidence.put('contoso-bank', Buffer.from(KEY_EXPIRY_REVIEW), { name: 'key-expiry-review-q4.md', mediaType: 'text/markdown' });
            const outcome = await recordAttestation({ eventStore: store, standing: tenantStanding(store), evidence }, context('contoso-bank', ciso), {
              attestationId: 'cis-8-1-q4',
              standardId: 'cis-azure-2.0.0',
              controlId: '8.1',
              statement: 'Every key in our Key Vaults carries an expiration date; the quarterly review (attached) found no exception.',
              evidence: [{ sha256: review.sha256 }],
              attestedBy: ciso.id,
              validUntil: new Date(at.getTime() + 180 * DAY).toISOString(),
            });
            logged('cis-8-1-q4', outcome);
            await settle();
          },
        ],
      ]);
    }

    // The worker takes over from here: its process managers start after what the demo did.
    const last = await store.headPosition();
    const checkpoints = await SqlCheckpointStore.open(stores.readModels, READ_MODEL_SCHEMA);
    for (const id of [GUARDRAIL_EVALUATOR_SUBSCRIPTION, INCIDENT_REACTOR_SUBSCRIPTION, FINDING_NOTIFIER_SUBSCRIPTION, GROUP_ASSIGNMENTS_SUBSCRIPTION]) await checkpoints.save(id, last);
    const events = Number(last.prepare) - Number(head.prepare);
    log.info({ tenants: DEMO_TENANTS.length, days, events, seconds: (Date.now() - started) / 1000, storyIncidentId }, 'demo seeded');
    return { tenants: DEMO_TENANTS.length, days, events, storyIncidentId };
  } finally {
    await store.close();
  }
};
