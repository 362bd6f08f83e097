// The response-action runner, a process manager in the worker: each approved action is executed
// at most once. A worker claims an action by appending StartExecution at the revision it read
// (only one append can win), then calls the executor and records the outcome. An action a dead
// worker left Executing is never called again: once no live call can still be running, it is
// recorded as failed for a person to check.
import { setTimeout as sleep } from 'node:timers/promises';
import { fold, handleCommand, type CommandContext, type RecordedEvent, type TenantStanding } from '@rampart/event-sourcing';
import {
  actionDecider,
  actionKind,
  actionStreamId,
  INCIDENT_COMMAND_INTENTS,
  type ActionCommand,
  type ActionEvent,
  type ActionExecutionStarted,
  type ActionProposed,
} from '@rampart/incidents';
import {
  dryRunExecutor,
  manualExecutor,
  webhookExecutor,
  type ActionExecutor,
  type ExecutionRequest,
  type ExecutionResult,
} from './action-executor';
import { createLogger, instruments, READ_MODEL_SCHEMA, webhookWorstCaseMs, type ActionExecutorConfig, type Logger, type Stores } from '@rampart/runtime';

const SYSTEM = { kind: 'system', id: 'action-runner' } as const;

/** Beyond the executor's worst case before an Executing action is taken for interrupted: clock skew, a slow database. */
export const INTERRUPTED_GRACE_MS = 60_000;

/**
 * The key a receiver de-duplicates on: one per execution, and an action executes once. It names
 * the tenant because one SOC automation serves many tenants and action ids are unique only
 * within one; `:1` leaves room for a deliberate second execution should the domain ever allow it.
 */
export const idempotencyKeyFor = (tenantId: string, actionId: string): string => `${tenantId}:${actionId}:1`;

export const interruptedReason = (idempotencyKey: string, detail = 'the worker stopped during the call'): string =>
  `interrupted: ${detail}; the action was sent at most once, under idempotency key ${idempotencyKey}, and will not be sent again — ` +
  'check with the receiver whether it acted and resolve the outcome (resolveUncertainAction), or propose the action again';

const requestOf = (tenantId: string, proposed: ActionProposed, idempotencyKey: string): ExecutionRequest => ({
  tenantId,
  actionId: proposed.data.actionId,
  incidentId: proposed.data.incidentId,
  actionKind: proposed.data.actionKind,
  target: proposed.data.target,
  parameters: proposed.data.parameters,
  idempotencyKey,
});

const outcomeCommand = (result: Exclude<ExecutionResult, { ok: 'pending' }>): ActionCommand =>
  result.ok ? { kind: 'RecordSuccess', outcome: result.outcome } : { kind: 'RecordFailure', reason: result.reason, uncertain: result.uncertain === true };

export const executorFor = (config: ActionExecutorConfig): ActionExecutor => {
  switch (config.executor) {
    case 'webhook':
      return webhookExecutor({ url: config.webhookUrl, secret: config.webhookSecret, previousSecret: config.webhookPreviousSecret });
    case 'manual':
      return manualExecutor();
    case 'dry-run':
      return dryRunExecutor();
  }
};

export interface ActionRunnerOptions {
  /** Tenancy's standing rule: whose approved actions may start now (a suspended tenant's wait). */
  readonly standing: TenantStanding;
  readonly schema?: string;
  readonly now?: () => Date;
  readonly log?: Logger;
  /** Actions this runner executes at the same time (default 4). */
  readonly concurrency?: number;
  /** How long a webhook action may stay Executing before it is recorded as interrupted (default: the webhook's worst case + a minute). */
  readonly interruptedAfterMs?: number;
}

export interface ActionRun {
  readonly tenantId: string;
  readonly actionId: string;
  /**
   * `not-claimed`: another worker started it first, or it changed since it was listed.
   * `outcome-rejected`: the call ended after the action moved on (it was recorded as interrupted).
   */
  readonly status: 'succeeded' | 'failed' | 'pending' | 'not-claimed' | 'outcome-rejected' | 'error';
  readonly detail?: string;
  readonly error?: unknown;
}

type ActionRecorded = RecordedEvent & ActionEvent;
type Listed = { tenant_id: string; action_id: string };

/**
 * Work is found by polling the response_actions read model, not by following ActionApproved with a
 * checkpointed subscription: what needs doing is a state (approved; executing for too long) rather
 * than an event — no event announces an action a dead worker left behind — and without a checkpoint
 * there is nothing to keep in step with the claims. The stream, re-read before acting, decides.
 */
export class ActionRunner {
  private readonly schema: string;
  private readonly now: () => Date;
  private readonly log: Logger;
  private readonly concurrency: number;
  private readonly interruptedAfterMs: number;
  private readonly inFlight = new Set<string>();
  private readonly standing: TenantStanding;

  constructor(
    private readonly stores: Pick<Stores, 'eventStore' | 'readModels'>,
    readonly executor: ActionExecutor,
    options: ActionRunnerOptions,
  ) {
    this.standing = options.standing;
    this.schema = options.schema ?? READ_MODEL_SCHEMA;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? createLogger('silent');
    this.concurrency = options.concurrency ?? 4;
    // Actions started by any worker are judged by the webhook's worst case, whatever this worker runs now.
    const worstCase = executor.kind === 'webhook' ? executor.worstCaseMs : webhookWorstCaseMs();
    this.interruptedAfterMs = options.interruptedAfterMs ?? worstCase + INTERRUPTED_GRACE_MS;
  }

  /**
   * Claims and executes the approved actions there is room for (oldest approval first) and
   * resolves when those are done. The read model may lag: each action's stream decides.
   */
  async executeApproved(signal: AbortSignal = new AbortController().signal): Promise<ActionRun[]> {
    if (this.inFlight.size >= this.concurrency || signal.aborted) return [];
    const { rows } = await this.stores.readModels.query<Listed>(
      `SELECT tenant_id, doc->>'actionId' AS action_id FROM "${this.schema}".response_actions
        WHERE doc->>'status' = 'approved' ORDER BY updated_at, id LIMIT 1000`,
    );
    // Each listed tenant's standing, so that the approved actions of a tenant that may not start
    // work (suspended: they wait for its reinstatement) do not take the room of the others.
    const admitted = new Set<string>();
    for (const tenantId of new Set(rows.map((r) => r.tenant_id))) {
      if (!(await this.standing(tenantId, INCIDENT_COMMAND_INTENTS.StartExecution))) admitted.add(tenantId);
    }
    if (signal.aborted) return [];
    // Claimed in this synchronous stretch, so a concurrent pass of this runner skips them; the room
    // is counted again after the standing reads, during which another pass may have claimed some.
    const room = this.concurrency - this.inFlight.size;
    const mine = rows
      .filter((r) => admitted.has(r.tenant_id))
      .filter((r) => !this.inFlight.has(`${r.tenant_id}|${r.action_id}`))
      .slice(0, room);
    for (const r of mine) this.inFlight.add(`${r.tenant_id}|${r.action_id}`);
    return Promise.all(
      mine.map((r) =>
        this.execute(r.tenant_id, r.action_id, signal)
          .catch((error: unknown): ActionRun => ({ tenantId: r.tenant_id, actionId: r.action_id, status: 'error', error }))
          .finally(() => this.inFlight.delete(`${r.tenant_id}|${r.action_id}`)),
      ),
    );
  }

  private async execute(tenantId: string, actionId: string, signal: AbortSignal): Promise<ActionRun> {
    const streamId = actionStreamId(tenantId, actionId);
    const history = (await this.stores.eventStore.readStream(streamId)) as ActionRecorded[];
    const proposed = history.find((e): e is RecordedEvent & ActionProposed => e.type === 'incidents.ActionProposed.v1');
    const approval = history.find((e) => e.type === 'incidents.ActionApproved.v1');
    const state = fold(actionDecider, history);
    // Stopping: leave it approved for the next worker rather than claim what cannot be called.
    if (!proposed || !approval || !state.exists || state.status !== 'approved' || signal.aborted) return { tenantId, actionId, status: 'not-claimed' };
    // The read model may lag behind a suspension: the tenant's own stream decides before the claim.
    const refused = await this.standing(tenantId, INCIDENT_COMMAND_INTENTS.StartExecution);
    if (refused) {
      this.log.info({ tenantId, actionId, code: refused.code }, `response action not executed: ${refused.message}`);
      return { tenantId, actionId, status: 'not-claimed', detail: refused.code };
    }

    const idempotencyKey = idempotencyKeyFor(tenantId, actionId);
    // The claim: StartExecution at the revision just read. Of two workers, the second finds the
    // stream moved and is refused, so it never reaches the call below.
    const claim = await handleCommand(
      this.stores.eventStore,
      actionDecider,
      streamId,
      { kind: 'StartExecution', executor: this.executor.kind, idempotencyKey },
      this.context(tenantId, approval),
      { expectedRevision: history[history.length - 1].revision },
    );
    if (!claim.ok || !claim.append) return { tenantId, actionId, status: 'not-claimed', detail: claim.ok ? undefined : claim.rejection.code };
    this.log.info({ tenantId, actionId, executor: this.executor.kind, idempotencyKey }, 'response action execution started');

    let result: ExecutionResult;
    try {
      result = await this.executor.execute(requestOf(tenantId, proposed, idempotencyKey), signal);
    } catch (error) {
      // Whether the receiver acted is unknown either way; it is not called again.
      result = {
        ok: false,
        uncertain: true,
        reason: signal.aborted ? interruptedReason(idempotencyKey) : interruptedReason(idempotencyKey, `the executor failed (${(error as Error).message ?? 'unknown'})`),
      };
    }
    // A label from the catalog only: a proposal may name a kind of its own.
    const kind = actionKind(proposed.data.actionKind) ? proposed.data.actionKind : 'other';
    const executor = this.executor.kind;
    if (result.ok === 'pending') {
      instruments.responseAction(kind, executor, 'pending');
      return { tenantId, actionId, status: 'pending', detail: result.note };
    }

    const recorded = await handleCommand(
      this.stores.eventStore,
      actionDecider,
      streamId,
      outcomeCommand(result),
      { ...this.context(tenantId, approval), causationId: claim.events[0].eventId },
      { expectedRevision: claim.append.nextExpectedRevision },
    ).catch((error: unknown) => {
      // The database failed after the call: keep what the receiver said in the log at least.
      this.log.error({ tenantId, actionId, err: error, result }, 'response action outcome could not be recorded');
      instruments.responseAction(kind, executor, 'not-recorded');
      throw error;
    });
    instruments.responseAction(kind, executor, !recorded.ok ? 'not-recorded' : result.ok ? 'succeeded' : result.uncertain ? 'uncertain' : 'failed');
    if (!recorded.ok) {
      this.log.warn({ tenantId, actionId, result, rejection: recorded.rejection }, 'response action call ended after the action moved on; outcome not recorded');
      return { tenantId, actionId, status: 'outcome-rejected', detail: result.ok ? result.outcome : result.reason };
    }
    return result.ok ? { tenantId, actionId, status: 'succeeded', detail: result.outcome } : { tenantId, actionId, status: 'failed', detail: result.reason };
  }

  /**
   * Actions left Executing by a worker that stopped mid-call. A webhook action is recorded as
   * failed once it has been executing longer than any live call can last, and never called
   * again (at most once); a dry run, which calls nothing, is simply completed; a manual action
   * waits for its person however long it takes.
   */
  async recordInterrupted(): Promise<{ tenantId: string; actionId: string; executor: 'webhook' | 'dry-run' }[]> {
    const now = this.now();
    const startedBefore = new Date(now.getTime() - this.interruptedAfterMs);
    const { rows } = await this.stores.readModels.query<Listed>(
      `SELECT tenant_id, doc->>'actionId' AS action_id FROM "${this.schema}".response_actions
       WHERE doc->>'status' = 'executing' AND doc->>'executor' IN ('webhook', 'dry-run') AND updated_at < $1 ORDER BY updated_at, id LIMIT 100`,
      [startedBefore.toISOString()],
    );
    const recorded: { tenantId: string; actionId: string; executor: 'webhook' | 'dry-run' }[] = [];
    for (const { tenant_id: tenantId, action_id: actionId } of rows) {
      if (this.inFlight.has(`${tenantId}|${actionId}`)) continue;
      const streamId = actionStreamId(tenantId, actionId);
      const history = (await this.stores.eventStore.readStream(streamId)) as ActionRecorded[];
      const started = history[history.length - 1] as ActionRecorded | undefined;
      if (started?.type !== 'incidents.ActionExecutionStarted.v1' || Date.parse(started.recordedAt) >= startedBefore.getTime()) continue;
      const { executor, idempotencyKey } = (started as RecordedEvent & ActionExecutionStarted).data;
      if (executor === 'manual') continue;
      // A dry run calls nothing, so running it again is safe; a webhook is never called twice.
      const outcome =
        executor === 'dry-run'
          ? await dryRunExecutor().execute(requestOf(tenantId, history[0] as ActionProposed, idempotencyKey), new AbortController().signal)
          : { ok: false as const, uncertain: true, reason: interruptedReason(idempotencyKey, `the worker stopped during the call started at ${started.recordedAt}`) };
      if (outcome.ok === 'pending') continue;
      const result = await handleCommand(
        this.stores.eventStore,
        actionDecider,
        streamId,
        outcomeCommand(outcome),
        { tenantId, actor: SYSTEM, correlationId: started.metadata.correlationId, causationId: started.eventId, now },
        { expectedRevision: started.revision },
      );
      // Refused: its outcome arrived meanwhile, or another worker recorded it first.
      if (result.ok) recorded.push({ tenantId, actionId, executor });
    }
    return recorded;
  }

  private context(tenantId: string, cause: RecordedEvent): CommandContext {
    return { tenantId, actor: SYSTEM, correlationId: cause.metadata.correlationId, causationId: cause.eventId, now: this.now() };
  }
}

/** Runs the action runner until stopped: every `pollIntervalMs` it records interrupted actions and starts approved ones. */
export const startActionRunner = async (
  stores: Pick<Stores, 'eventStore' | 'readModels'>,
  log: Logger,
  config: ActionExecutorConfig,
  options: Omit<ActionRunnerOptions, 'log'> & { pollIntervalMs?: number },
): Promise<{ runner: ActionRunner; stop(): Promise<void> }> => {
  const runner = new ActionRunner(stores, executorFor(config), { ...options, log });
  const controller = new AbortController();
  const passes = new Set<Promise<void>>();
  const report = (runs: ActionRun[]) => {
    for (const { status, error, ...run } of runs) {
      if (status === 'succeeded') log.info({ ...run, status }, 'response action executed');
      else if (status === 'pending') log.info({ ...run, status }, 'response action awaits a person to record its outcome');
      else if (status === 'failed' || status === 'outcome-rejected') log.warn({ ...run, status }, 'response action failed');
      else if (status === 'error') log.error({ ...run, err: error }, 'response action could not be run; it is retried if it was not started');
    }
  };
  const running = (async () => {
    while (!controller.signal.aborted) {
      try {
        for (const a of await runner.recordInterrupted()) log.warn(a, 'response action interrupted by a stopped worker; recorded');
        // Not awaited: a slow receiver must not hold back the next approvals (the runner bounds how many run at once).
        const pass = runner.executeApproved(controller.signal).then(report, (error: unknown) => log.error({ err: error }, 'listing approved actions failed'));
        passes.add(pass);
        void pass.finally(() => passes.delete(pass));
      } catch (error) {
        log.error({ err: error }, 'response action runner failed; retrying');
      }
      await sleep(options.pollIntervalMs ?? 2_000, undefined, { signal: controller.signal }).catch(() => undefined);
    }
  })();
  log.info({ executor: config.executor }, 'response action runner started');
  return {
    runner,
    async stop() {
      // In-flight calls are aborted and recorded as interrupted, so nothing is left Executing.
      controller.abort();
      await running;
      await Promise.all(passes);
    },
  };
};
