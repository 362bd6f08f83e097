// The worker's reactions, run inline and to quiescence: projections, then the tenant groups'
// assignments, the guardrail evaluator and the incident reactor, until nothing moves. For what must see the effects of its own writes
// at once without the background loops — the demo's history and the tests of those reactions.
import { comparePositions, START, type GlobalPosition, type RecordedEvent } from '@rampart/event-sourcing';
import { ProjectionRunner } from '@rampart/event-store';
import { GROUP_ASSIGNMENT_EVENT_TYPES, GUARDRAIL_EVALUATOR_EVENT_TYPES, GuardrailEvaluator, handleGroupEvents, recordedIncidentSeverities } from '@rampart/guardrails-application';
import { INCIDENT_REACTOR_EVENT_TYPES, IncidentReactor } from '@rampart/incidents-application';
import { READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import { tenantStanding } from '@rampart/tenancy-application';
import { platformProjections } from './projections';
import { inventoryReader } from '@rampart/ingestion';

export class InlineWorker {
  readonly evaluator: GuardrailEvaluator;
  readonly reactor: IncidentReactor;
  private readonly runners: ProjectionRunner[];
  private evaluatorAt: GlobalPosition;
  private reactorAt: GlobalPosition;
  private groupsAt: GlobalPosition;

  private constructor(
    private readonly stores: Pick<Stores, 'eventStore' | 'readModels'>,
    options: { schema: string; now?: () => Date; from: GlobalPosition },
  ) {
    this.runners = platformProjections().map((p) => new ProjectionRunner(stores.eventStore, stores.readModels, p, { schema: options.schema }));
    this.evaluator = new GuardrailEvaluator(stores, { schema: options.schema, now: options.now, inventory: inventoryReader(stores.readModels, options.schema) });
    this.reactor = new IncidentReactor(stores, {
      schema: options.schema,
      now: options.now,
      standing: tenantStanding(stores.eventStore),
      reportingChoice: recordedIncidentSeverities(stores.eventStore),
    });
    this.evaluatorAt = options.from;
    this.reactorAt = options.from;
    this.groupsAt = options.from;
  }

  /** Its process managers react to events after `from` (default: all of the log). */
  static async start(
    stores: Pick<Stores, 'eventStore' | 'readModels'>,
    options: { schema?: string; now?: () => Date; from?: GlobalPosition } = {},
  ): Promise<InlineWorker> {
    const worker = new InlineWorker(stores, { schema: options.schema ?? READ_MODEL_SCHEMA, now: options.now, from: options.from ?? START });
    for (const runner of worker.runners) await runner.prepare();
    return worker;
  }

  /** The log's head when every projection last caught up with it. */
  private projectedTo?: GlobalPosition;

  /**
   * Every projection caught up with the log. A pass when nothing was appended since the last one is
   * skipped: each runner would only ask the log for nothing, and settling asks often (the demo's
   * weeks settle a few hundred times).
   */
  async project(): Promise<void> {
    const head = await this.stores.eventStore.headPosition();
    if (this.projectedTo && comparePositions(head, this.projectedTo) === 0) return;
    for (const runner of this.runners) for (;;) if ((await runner.runBatch()).caughtUp) break;
    this.projectedTo = head;
  }

  private async feed(from: GlobalPosition, types: readonly string[], handle: (events: RecordedEvent[]) => Promise<void>): Promise<GlobalPosition> {
    let position = from;
    for (;;) {
      const page = await this.stores.eventStore.readAll({ from: position, filter: { eventTypes: types }, maxCount: 5_000 });
      if (page.events.length) await handle(page.events);
      position = page.position;
      if (page.isEnd || !page.events.length) return position;
    }
  }

  /** What the worker does after a change, in order, until a round appends nothing. */
  async settle(): Promise<void> {
    for (let round = 1; ; round++) {
      const head = await this.stores.eventStore.headPosition();
      await this.project();
      this.groupsAt = await this.feed(this.groupsAt, GROUP_ASSIGNMENT_EVENT_TYPES, (e) => handleGroupEvents({ eventStore: this.stores.eventStore, standing: tenantStanding(this.stores.eventStore) }, e));
      this.evaluatorAt = await this.feed(this.evaluatorAt, GUARDRAIL_EVALUATOR_EVENT_TYPES, (e) => this.evaluator.handle(e));
      await this.project();
      this.reactorAt = await this.feed(this.reactorAt, INCIDENT_REACTOR_EVENT_TYPES, (e) => this.reactor.handle(e));
      if (comparePositions(await this.stores.eventStore.headPosition(), head) === 0) break;
      // each round follows one link of cause and effect; a chain this long is a reaction loop
      if (round === 20) throw new Error('the worker reactions did not settle within 20 rounds');
    }
    await this.project();
  }
}
