// The incidents context's process manager: it follows the guardrails' findings. A finding the
// tenant's reporting policy marks as incident-worthy opens an incident, or joins the open one on the
// same resource, and the playbook's response actions are proposed (for an incident an external
// alert opened, the playbook answering its detection type); a finding resolved as compliant
// verifies the succeeded actions on that resource. Every minute it records SLA breaches as they
// happen. At-least-once, idempotent: ids are derived from what caused them. Tenancy's standing rule
// holds here as at every edge: a suspended tenant's finding opens no incident (the finding still
// stands in guardrails), an offboarded tenant's record gets nothing; what was skipped is logged.
import { randomUUID } from 'node:crypto';
import { formatPosition, handleCommand, type Rejection, type RecordedEvent, type TenantStanding } from '@rampart/event-sourcing';
import type { FindingOpened, FindingResolved } from '@rampart/guardrails-contract';
import {
  actionDecider,
  actionStreamId,
  correlate,
  DEFAULT_INCIDENT_POLICY,
  dueBreaches,
  incidentDecider,
  incidentIdFor,
  incidentPolicyStreamId,
  incidentStreamId,
  INCIDENT_COMMAND_INTENTS,
  openIncidentView,
  playbookForAlertType,
  shippedPlaybooks,
  stepsFor,
  withSignal,
  type ActionEntry,
  type IncidentEntry,
  type IncidentOpened,
  type IncidentPolicy,
  type IncidentPolicySet,
  type OpenIncidentView,
  type Playbook,
  type Signal,
} from '@rampart/incidents';
import { every, followLog, READ_MODEL_SCHEMA, type Logger, type Stores } from '@rampart/runtime';

const SYSTEM = { kind: 'system', id: 'incident-reactor' } as const;
export const INCIDENT_REACTOR_SUBSCRIPTION = 'incident-reactor';
export const INCIDENT_REACTOR_EVENT_TYPES = ['guardrails.FindingOpened.v1', 'guardrails.FindingResolved.v1', 'incidents.IncidentOpened.v1'];


export interface IncidentReactorOptions {
  /** Tenancy's standing rule, asked before each command the reactor takes. */
  readonly standing: TenantStanding;
  readonly schema?: string;
  readonly now?: () => Date;
  /** Where the reactor says what it did not do, and why (a tenant's standing). */
  readonly log?: Pick<Logger, 'info'>;
}

/** A tenant's incident policy (SLA targets, pre-approved actions, correlation window): its small stream folded. */
export const incidentPolicyOf = async (stores: Pick<Stores, 'eventStore'>, tenantId: string): Promise<IncidentPolicy> => {
  const events = await stores.eventStore.readStream(incidentPolicyStreamId(tenantId), { direction: 'backwards', maxCount: 1 });
  return events.length ? (events[0] as unknown as IncidentPolicySet).data : DEFAULT_INCIDENT_POLICY;
};

type ReactorStores = Pick<Stores, 'eventStore' | 'readModels'>;

export class IncidentReactor {
  private readonly schema: string;
  private readonly now: () => Date;
  private readonly log: Pick<Logger, 'info'> | undefined;
  private readonly standing: TenantStanding;

  constructor(
    private readonly stores: ReactorStores,
    options: IncidentReactorOptions,
  ) {
    this.standing = options.standing;
    this.schema = options.schema ?? READ_MODEL_SCHEMA;
    this.now = options.now ?? (() => new Date());
    this.log = options.log;
  }

  /** Tenants' standings, asked once per batch and intent (a tenant suspended mid-batch is seen by the next). */
  private readonly statuses = new Map<string, Promise<Rejection | undefined>>();

  /** Tenancy's rule for the command the reactor is about to take; a refusal is logged with its cause. */
  private async refused(tenantId: string, kind: keyof typeof INCIDENT_COMMAND_INTENTS, cause: RecordedEvent | null, quiet = false): Promise<Rejection | undefined> {
    const intent = INCIDENT_COMMAND_INTENTS[kind];
    let answer = this.statuses.get(`${tenantId}\u0000${intent}`);
    if (!answer) this.statuses.set(`${tenantId}\u0000${intent}`, (answer = this.standing(tenantId, intent)));
    const refusal = await answer;
    if (refusal && !quiet) {
      this.log?.info(
        { tenantId, command: kind, intent, code: refusal.code, causeEventId: cause?.eventId ?? null, causeType: cause?.type ?? null },
        `incident reactor: ${kind} not taken: ${refusal.message}`,
      );
    }
    return refusal;
  }

  async handle(events: readonly RecordedEvent[]): Promise<void> {
    // Each tenant's open incidents, read once per batch and kept current as the batch opens or
    // joins incidents (the read model shows those only later).
    const views = new Map<string, OpenIncidentView[]>();
    this.policies.clear();
    this.statuses.clear();
    for (const e of events) {
      if (e.type === 'guardrails.FindingOpened.v1') {
        const finding = (e as unknown as FindingOpened).data;
        if (!finding.raiseIncident) continue;
        const tenantId = e.metadata.tenantId;
        const known = views.get(tenantId) ?? (await this.activeIncidents(tenantId));
        views.set(tenantId, await this.raiseFromFinding(e, finding, known));
      } else if (e.type === 'guardrails.FindingResolved.v1') {
        const resolved = (e as unknown as FindingResolved).data;
        if (resolved.resolution === 'compliant') await this.verifyActions(e, resolved);
      } else if (e.type === 'incidents.IncidentOpened.v1') {
        await this.answerAlert(e, (e as unknown as IncidentOpened).data);
      }
    }
  }

  private readonly policies = new Map<string, Promise<IncidentPolicy>>();

  private policy(tenantId: string): Promise<IncidentPolicy> {
    let policy = this.policies.get(tenantId);
    if (!policy) this.policies.set(tenantId, (policy = incidentPolicyOf(this.stores, tenantId)));
    return policy;
  }

  private context(tenantId: string, cause: RecordedEvent | null) {
    return {
      tenantId,
      actor: SYSTEM,
      correlationId: cause?.metadata.correlationId ?? randomUUID(),
      causationId: cause?.eventId ?? null,
      now: this.now(),
    };
  }

  private async activeIncidents(tenantId: string): Promise<OpenIncidentView[]> {
    const { rows } = await this.stores.readModels.query<{ doc: IncidentEntry }>(
      `SELECT doc FROM "${this.schema}".incidents WHERE tenant_id = $1 AND doc->>'status' NOT IN ('closed', 'merged')`,
      [tenantId],
    );
    return rows.map(({ doc }) => openIncidentView(doc));
  }

  /** Opens or joins an incident for the finding; returns the tenant's views with it. */
  private async raiseFromFinding(e: RecordedEvent, finding: FindingOpened['data'], known: OpenIncidentView[]): Promise<OpenIncidentView[]> {
    const tenantId = e.metadata.tenantId;
    // A finding opens or joins an incident: new work, judged as opening one whichever it does.
    if (await this.refused(tenantId, 'OpenIncident', e)) return known;
    const signal: Signal = {
      kind: 'finding',
      ref: finding.findingId,
      title: finding.title,
      severity: finding.severity,
      resourceKeys: [finding.resourceKey],
      entities: [],
      detectedAt: e.recordedAt,
    };
    const policy = await this.policy(tenantId);
    const correlation = correlate(signal, known, policy.correlationWindowMinutes);
    const ownIncidentId = incidentIdFor(tenantId, finding.findingId);
    const playbook = shippedPlaybooks().get(finding.playbookId);
    const propose = () =>
      playbook
        ? this.proposePlaybook(tenantId, ownIncidentId, playbook, finding.resourceKey, { guardrailId: finding.guardrailId, resourceId: finding.resourceId, incidentId: ownIncidentId }, e)
        : Promise.resolve();
    if (correlation.decision === 'duplicate') {
      // Delivered again. If this finding opened the incident, the worker may have died between
      // opening it and proposing its playbook: proposing again finishes the step (action ids are
      // derived, so what was proposed is not proposed twice).
      if (correlation.incidentId === ownIncidentId) await propose();
      return known;
    }
    if (correlation.decision === 'attach') {
      await handleCommand(this.stores.eventStore, incidentDecider, incidentStreamId(tenantId, correlation.incidentId), { kind: 'AttachSignal', signal }, this.context(tenantId, e));
      return withSignal(known, correlation.incidentId, signal);
    }
    const opened = await handleCommand(
      this.stores.eventStore,
      incidentDecider,
      incidentStreamId(tenantId, ownIncidentId),
      { kind: 'OpenIncident', incidentId: ownIncidentId, title: finding.title, signal },
      this.context(tenantId, e),
    );
    if (!opened.ok && opened.rejection.code !== 'incident-exists') throw new Error(`incident ${ownIncidentId} not opened: ${opened.rejection.code}`);
    await propose();
    return withSignal(known, ownIncidentId, signal);
  }

  /** An incident an external alert opened: the playbook answering its detection type, on what the alert names. */
  private async answerAlert(e: RecordedEvent, opened: IncidentOpened['data']): Promise<void> {
    const { signal } = opened;
    if (signal.kind !== 'alert' || !signal.detectionType) return;
    const playbook = playbookForAlertType(shippedPlaybooks(), signal.detectionType);
    // An alert about no resource and no entity gives an action nothing to act on: people decide.
    const target = signal.resourceKeys[0] ?? signal.entities[0];
    if (!playbook || !target) return;
    if (await this.refused(e.metadata.tenantId, 'ProposeAction', e)) return;
    await this.proposePlaybook(e.metadata.tenantId, opened.incidentId, playbook, target, {
      resourceId: signal.resourceKeys[0],
      principalId: signal.entities.find((entity) => entity.startsWith('account:'))?.slice('account:'.length),
      incidentId: opened.incidentId,
    }, e);
  }

  /** The playbook's respond-phase actions, proposed for people to approve (ids derived: a redelivery proposes nothing twice). */
  private async proposePlaybook(
    tenantId: string,
    incidentId: string,
    playbook: Playbook,
    target: string,
    context: Parameters<typeof stepsFor>[2],
    e: RecordedEvent,
  ): Promise<void> {
    const steps = stepsFor(playbook, 'respond', context);
    const { preApprovedActions } = await this.policy(tenantId);
    for (const [i, step] of steps.entries()) {
      const actionId = `act-${incidentId.slice(4)}-${step.phase}-${i + 1}`;
      await handleCommand(
        this.stores.eventStore,
        actionDecider,
        actionStreamId(tenantId, actionId),
        {
          kind: 'ProposeAction',
          actionId,
          incidentId,
          actionKind: step.actionKind,
          phase: step.phase,
          target,
          parameters: step.parameters,
          proposedBy: `playbook:${playbook.id}@${playbook.version}`,
          playbookId: playbook.id,
          preApproved: preApprovedActions.includes(step.actionKind),
        },
        this.context(tenantId, e),
      );
    }
  }

  /** Closes the loop: the resource is compliant again after succeeded actions on it. */
  private async verifyActions(e: RecordedEvent, resolved: FindingResolved['data']): Promise<void> {
    const tenantId = e.metadata.tenantId;
    if (await this.refused(tenantId, 'VerifyAction', e)) return;
    const { rows } = await this.stores.readModels.query<{ doc: ActionEntry }>(
      // A dry run changed nothing: the resource complying since is not its doing.
      `SELECT doc FROM "${this.schema}".response_actions WHERE tenant_id = $1 AND doc->>'target' = $2 AND doc->>'status' = 'succeeded'
         AND NOT (doc->>'verified')::boolean AND doc->>'executor' IS DISTINCT FROM 'dry-run'`,
      [tenantId, resolved.resourceKey],
    );
    for (const { doc } of rows) {
      await handleCommand(
        this.stores.eventStore,
        actionDecider,
        actionStreamId(tenantId, doc.actionId),
        { kind: 'VerifyAction', evidence: `finding ${resolved.findingId} (${resolved.guardrailId}) resolved as compliant at ${formatPosition(e.globalPosition)}` },
        this.context(tenantId, e),
      );
    }
  }

  /** Records every SLA target that passed without its milestone, at the moment it is noticed. */
  async recordSlaBreaches(): Promise<{ tenantId: string; incidentId: string; target: string }[]> {
    const now = this.now();
    const { rows } = await this.stores.readModels.query<{ doc: IncidentEntry }>(
      `SELECT doc FROM "${this.schema}".incidents WHERE doc->>'status' NOT IN ('resolved', 'closed', 'merged') ORDER BY id`,
    );
    const recorded: { tenantId: string; incidentId: string; target: string }[] = [];
    this.policies.clear();
    this.statuses.clear();
    for (const { doc } of rows) {
      // An offboarded tenant's incidents stay as they were closed off: no breach is recorded, every
      // minute, without a word in the log.
      if (await this.refused(doc.tenantId, 'RecordSlaBreach', null, true)) continue;
      const { sla } = await this.policy(doc.tenantId);
      for (const breach of dueBreaches(doc, now, sla)) {
        const outcome = await handleCommand(
          this.stores.eventStore,
          incidentDecider,
          incidentStreamId(doc.tenantId, doc.incidentId),
          { kind: 'RecordSlaBreach', target: breach.target, dueAt: breach.dueAt },
          this.context(doc.tenantId, null),
        );
        if (outcome.ok && outcome.events.length) recorded.push({ tenantId: doc.tenantId, incidentId: doc.incidentId, target: breach.target });
      }
    }
    return recorded;
  }
}

/** Runs the reactor from its checkpoint until stopped, and checks SLAs every minute. */
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
  return {
    reactor,
    async stop() {
      await sla.stop();
      await following.stop();
    },
  };
};
