// The incidents context's process manager in the worker: it follows guardrails' findings and the
// incidents external alerts open, and hands each to `raiseSignal`, which decides with the incident
// process (libs/incidents, process/) and carries the commands out. A finding the tenant's incident
// policy names opens an incident, or joins the open one on the same resource, and the playbook's
// response actions are proposed (for an incident an external alert opened, the playbook answering
// its detection type); a finding resolved as compliant verifies the succeeded actions on that
// resource. Every minute it records SLA breaches as they happen, and the expiry of proposals nobody
// approved within the tenant's approval lifetime. At-least-once, idempotent: ids are
// derived from what caused them, and what was done is read from the streams they name. Tenancy's
// standing rule holds here as at every edge: a suspended tenant's finding opens no incident (the
// finding still stands in guardrails), an offboarded tenant's record gets nothing; what was skipped,
// or refused, is logged.
import { randomUUID } from 'node:crypto';
import { formatPosition, handleCommand, type Rejection, type RecordedEvent, type TenantStanding } from '@rampart/event-sourcing';
import type { FindingOpened, FindingResolved } from '@rampart/guardrails-contract';
import {
  actionDecider,
  actionStreamId,
  approvalExpiresAt,
  approvalExpiryMinutesOf,
  dueBreaches,
  incidentDecider,
  incidentStreamId,
  INCIDENT_COMMAND_INTENTS,
  type ActionEntry,
  type IncidentEntry,
  type IncidentOpened,
  type IncidentPolicy,
  type IncidentTrigger,
} from '@rampart/incidents';
import { every, followLog, READ_MODEL_SCHEMA, type Logger, type Stores } from '@rampart/runtime';
import { incidentPolicyOf } from './incident-policy';
import { raiseSignal, SignalBatch, type IncidentsDeps, type ReportingChoice } from './raise-signal';

const SYSTEM = { kind: 'system', id: 'incident-reactor' } as const;
export const INCIDENT_REACTOR_SUBSCRIPTION = 'incident-reactor';
export const INCIDENT_REACTOR_EVENT_TYPES = ['guardrails.FindingOpened.v1', 'guardrails.FindingResolved.v1', 'incidents.IncidentOpened.v1'];

export interface IncidentReactorOptions {
  /** Tenancy's standing rule, asked before each command the reactor takes. */
  readonly standing: TenantStanding;
  /** What a tenant named for incidents in guardrails' reporting policy, for a tenant whose incident policy names no finding severities. */
  readonly reportingChoice?: ReportingChoice;
  readonly schema?: string;
  readonly now?: () => Date;
  /** Where the reactor says what it did not do, and why (a tenant's standing, a refused command). */
  readonly log?: Pick<Logger, 'info' | 'warn'>;
}

/** The trigger an event of the log is for the incident process. */
export const triggerOf = (e: RecordedEvent): IncidentTrigger | undefined => {
  const tenantId = e.metadata.tenantId;
  if (e.type === 'guardrails.FindingOpened.v1') return { kind: 'FindingOpened', tenantId, finding: (e as unknown as FindingOpened).data, detectedAt: e.recordedAt };
  if (e.type === 'guardrails.FindingResolved.v1') return { kind: 'FindingResolved', tenantId, resolved: (e as unknown as FindingResolved).data, position: formatPosition(e.globalPosition) };
  if (e.type === 'incidents.IncidentOpened.v1') return { kind: 'IncidentOpened', tenantId, opened: (e as unknown as IncidentOpened).data };
  return undefined;
};

type ReactorStores = Pick<Stores, 'eventStore' | 'readModels'>;

export class IncidentReactor {
  private readonly schema: string;
  private readonly now: () => Date;
  private readonly log: Pick<Logger, 'info' | 'warn'> | undefined;
  private readonly standing: TenantStanding;
  private readonly deps: IncidentsDeps;

  constructor(
    private readonly stores: ReactorStores,
    options: IncidentReactorOptions,
  ) {
    this.standing = options.standing;
    this.schema = options.schema ?? READ_MODEL_SCHEMA;
    this.now = options.now ?? (() => new Date());
    this.log = options.log;
    this.deps = { stores, standing: options.standing, reportingChoice: options.reportingChoice, schema: this.schema };
  }

  async handle(events: readonly RecordedEvent[]): Promise<void> {
    // A batch asks each tenant's standing, policy and incidents once, and keeps the incidents current
    // as it opens or joins them (a tenant suspended mid-batch is seen by the next).
    const batch = new SignalBatch();
    for (const e of events) {
      const trigger = triggerOf(e);
      if (!trigger) continue;
      const outcome = await raiseSignal(this.deps, trigger, { actor: SYSTEM, correlationId: e.metadata.correlationId, causationId: e.eventId, now: this.now() }, batch);
      if (outcome.ok) continue;
      const { tenantId } = trigger;
      const said = { tenantId, command: outcome.command, code: outcome.rejection.code, causeEventId: e.eventId, causeType: e.type };
      // A refused command is an expected refusal, not a broken worker: delivering the event again
      // would be refused again, so it is said and the reactor moves on.
      if (outcome.intent) this.log?.info({ ...said, intent: outcome.intent }, `incident reactor: ${outcome.command} not taken: ${outcome.rejection.message ?? outcome.rejection.code}`);
      else this.log?.warn(said, `incident reactor: ${outcome.command} refused: ${outcome.rejection.message ?? outcome.rejection.code}`);
    }
  }

  /**
   * A sweep's answers, asked once per tenant and pass: its incident policy and its standing for an
   * intent. Fresh for every pass, so the SLA check and the expiry check, on their own timers, never
   * share (or clear) each other's answers.
   */
  private passLookups() {
    const policies = new Map<string, Promise<IncidentPolicy>>();
    const standings = new Map<string, Promise<Rejection | undefined>>();
    return {
      policy: (tenantId: string): Promise<IncidentPolicy> => {
        let policy = policies.get(tenantId);
        if (!policy) policies.set(tenantId, (policy = incidentPolicyOf(this.stores, tenantId)));
        return policy;
      },
      refused: (tenantId: string, kind: keyof typeof INCIDENT_COMMAND_INTENTS): Promise<Rejection | undefined> => {
        const intent = INCIDENT_COMMAND_INTENTS[kind];
        let answer = standings.get(`${tenantId}\u0000${intent}`);
        if (!answer) standings.set(`${tenantId}\u0000${intent}`, (answer = this.standing(tenantId, intent)));
        return answer;
      },
    };
  }

  /** Records every SLA target that passed without its milestone, at the moment it is noticed. */
  async recordSlaBreaches(): Promise<{ tenantId: string; incidentId: string; target: string }[]> {
    const now = this.now();
    const { rows } = await this.stores.readModels.query<{ doc: IncidentEntry }>(
      `SELECT doc FROM "${this.schema}".incidents WHERE doc->>'status' NOT IN ('resolved', 'closed', 'merged') ORDER BY id`,
    );
    const recorded: { tenantId: string; incidentId: string; target: string }[] = [];
    const lookups = this.passLookups();
    for (const { doc } of rows) {
      // An offboarded tenant's incidents stay as they were closed off: no breach is recorded, every
      // minute, without a word in the log.
      if (await lookups.refused(doc.tenantId, 'RecordSlaBreach')) continue;
      const { sla } = await lookups.policy(doc.tenantId);
      for (const breach of dueBreaches(doc, now, sla)) {
        const outcome = await handleCommand(
          this.stores.eventStore,
          incidentDecider,
          incidentStreamId(doc.tenantId, doc.incidentId),
          { kind: 'RecordSlaBreach', target: breach.target, dueAt: breach.dueAt },
          { tenantId: doc.tenantId, actor: SYSTEM, correlationId: randomUUID(), causationId: null, now: this.now() },
        );
        if (outcome.ok && outcome.events.length) recorded.push({ tenantId: doc.tenantId, incidentId: doc.incidentId, target: breach.target });
      }
    }
    return recorded;
  }

  /**
   * Records the expiry of every proposal that waited longer than its tenant's approval lifetime,
   * oldest first (up to 1,000 a pass; the next pass takes the rest). Approving one is refused from
   * the clock already; this makes the end a fact in the action's stream, so the inbox, the incident
   * and the audit trail say so. Safe with several workers: each append expects the stream's revision
   * as read, so of two workers one records the expiry and the other, re-reading, finds it recorded
   * and appends nothing; the read model may lag, the action's stream decides.
   */
  async recordExpiredProposals(): Promise<{ tenantId: string; actionId: string; incidentId: string; expiredAt: string }[]> {
    const now = this.now();
    const { rows } = await this.stores.readModels.query<{ doc: ActionEntry }>(
      `SELECT doc FROM "${this.schema}".response_actions WHERE doc->>'status' = 'proposed' ORDER BY doc->>'proposedAt', id LIMIT 1000`,
    );
    const lookups = this.passLookups();
    const recorded: { tenantId: string; actionId: string; incidentId: string; expiredAt: string }[] = [];
    for (const { doc } of rows) {
      const { tenantId, actionId } = doc;
      const approvalExpiryMinutes = approvalExpiryMinutesOf(await lookups.policy(tenantId));
      const expiresAt = approvalExpiresAt(doc.proposedAt, approvalExpiryMinutes);
      if (!expiresAt || expiresAt.getTime() > now.getTime()) continue;
      // An offboarded tenant's proposals stay as they were closed off, like its incidents' SLAs.
      if (await lookups.refused(tenantId, 'ExpireAction')) continue;
      const outcome = await handleCommand(
        this.stores.eventStore,
        actionDecider,
        actionStreamId(tenantId, actionId),
        { kind: 'ExpireAction', now, approvalExpiryMinutes },
        { tenantId, actor: SYSTEM, correlationId: randomUUID(), causationId: null, now },
      );
      if (outcome.ok) {
        for (const e of outcome.events) {
          if (e.type === 'incidents.ActionExpired.v1') recorded.push({ tenantId, actionId, incidentId: doc.incidentId, expiredAt: (e.data as { expiredAt: string }).expiredAt });
        }
      } else if (outcome.rejection.code !== 'invalid-transition' && outcome.rejection.code !== 'not-yet-expired') {
        // Approved, cancelled or given a longer lifetime since the read model was written: nothing to
        // say. Anything else is unexpected.
        this.log?.warn({ tenantId, actionId, code: outcome.rejection.code }, `incident reactor: expiry not recorded: ${outcome.rejection.message ?? outcome.rejection.code}`);
      }
    }
    return recorded;
  }
}

/** Runs the reactor from its checkpoint until stopped, and checks SLAs and approval lifetimes every minute. */
export const startIncidentReactor = async (
  stores: Stores,
  log: Logger,
  options: IncidentReactorOptions & { slaIntervalMs?: number; leaseMs?: number; partitions?: number },
): Promise<{ reactor: IncidentReactor; stop(): Promise<void> }> => {
  const reactor = new IncidentReactor(stores, { log, ...options });
  const following = await followLog(stores, log, {
    subscriptionId: INCIDENT_REACTOR_SUBSCRIPTION,
    eventTypes: INCIDENT_REACTOR_EVENT_TYPES,
    schema: options.schema,
    leaseMs: options.leaseMs,
    partitions: options.partitions,
    handle: (events) => reactor.handle(events),
  });
  const sla = every(options.slaIntervalMs ?? 60_000, log, 'checking SLAs', async () => {
    for (const b of await reactor.recordSlaBreaches()) log.warn(b, 'SLA breached');
  });
  // Its own timer: an SLA check that fails does not keep stale proposals waiting, nor the other way round.
  const expiries = every(options.slaIntervalMs ?? 60_000, log, 'checking approval lifetimes', async () => {
    for (const e of await reactor.recordExpiredProposals()) log.info(e, 'response action proposal expired unapproved');
  });
  return {
    reactor,
    async stop() {
      await expiries.stop();
      await sla.stop();
      await following.stop();
    },
  };
};
