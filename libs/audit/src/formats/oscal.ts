// oscal-assessment-results.json: the tenant's framework controls in the period as an OSCAL 1.1.3
// Assessment Results document, validated in its test against the vendored NIST schema
// (libs/audit/schemas/oscal-1.1.3). Built by folding the log: `seed` with the events before the
// period (they set the state at its start), `add` with the events in it, then `document()`.
//
// What is kept is the posture of each (guardrail, resource, assignment) that has a state, the
// assignments and exemptions in force, and a few counters per guardrail: bounded by the tenant's
// resources and guardrails, never by how many events the period has.
//
// Semantics: the controls in scope are those the catalog maps from the guardrails of every baseline
// assigned to the tenant at some time in the period, plus the guardrails that had a posture then.
// A control is not satisfied when, at the end of the period, a resource is non-compliant with one
// of its guardrails or could not be evaluated for it ("not knowing is not compliant"), and no
// exemption covers it; otherwise it is satisfied.
//
// Attestations: a control of a standard that an attestation holds for at the end of the period (in
// force, and valid beyond that end) is in scope too, satisfied by the attestation, with its evidence
// files by SHA-256. Nothing else about attestations is satisfied: one pending approval, rejected,
// revoked, expired, or whose validity ran out (expiry recorded or not) only counts as ended. Where
// guardrails also cover the control their verdict stands, as in guardrails' own per-control state:
// an attestation speaks for what no rule checks, and never hides a failing check.
//
// Proof of coverage: a verdict is only as fresh as the configuration it was decided on. A resource
// is collected by its own last change or by the last snapshot declared complete for a scope holding
// it that completed (inventory's contract folds the runs); one collected longer ago than the tenant's
// interval (guardrails.CoveragePolicySet.v1, default a week) at the end of the period is not
// evaluated: what it passed is not evaluable, as guardrails' own score has it, so it never satisfies
// a control. The evaluator is taken to have kept up, as in the as-of views: its past lag is not
// recorded. The resources kept for this are bounded by the tenant's inventory.
import { formatPosition, type RecordedEvent } from '@rampart/event-sourcing';
import type { AttestationRecorded, PostureState } from '@rampart/guardrails-contract';
import { CompleteCollections, lastCollectedAt, latestPerScope } from '@rampart/inventory-contract';
import { isEvent } from './event-views';
import type { ControlRef, ExportContext } from './types';
import { exportUuids } from './uuid';

export const OSCAL_VERSION = '1.1.3';
/** Namespace of Rampart's own prop names (OSCAL reserves names without `ns` for its own). */
export const RAMPART_OSCAL_NS = 'urn:rampart:oscal';

/**
 * The interval until a tenant sets one: the same as guardrails' DEFAULT_MAX_EVIDENCE_AGE_HOURS
 * (libs/guardrails/src/posture/coverage.ts), which audit, reading only contracts, cannot import.
 * Change both together.
 */
const DEFAULT_MAX_EVIDENCE_AGE_HOURS = 168;
/** How many not-evaluated resources the coverage observation names: the oldest evidence first. */
export const COVERAGE_SUBJECTS_LISTED = 50;

/**
 * Rampart keeps no separate OSCAL assessment plan: the plan is the tenant's baseline assignments,
 * which `reviewed-controls` spells out. This URN names that plan; it is not resolvable.
 */
export const assessmentPlanHref = (tenantId: string): string => `urn:rampart:assessment-plan:${tenantId}`;
/** Evidence: the recorded event, also found by id (and log position) in the export's events.ndjson. */
export const eventHref = (eventId: string): string => `urn:rampart:event:${eventId}`;

/**
 * An OSCAL control id (a token: a letter or `_`, then letters, digits, `.`, `-`, `_`) from the
 * catalog's framework and control: `MCSB`/`IM-1` -> `mcsb-im-1`, `ISO27001`/`A.8.5` -> `iso27001-a.8.5`.
 * Anything else becomes `-`. Two references that normalise alike are one control (none do in the
 * built-in catalog).
 */
export const oscalControlId = (ref: ControlRef): string => {
  const id = `${ref.framework}-${ref.control}`
    .toLowerCase()
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  return /^[\p{L}_]/u.test(id) ? id : `_${id}`;
};

interface PostureEntry {
  readonly guardrailId: string;
  readonly resourceKey: string;
  readonly resourceId: string;
  readonly resourceType: string;
  readonly assignmentId: string;
  readonly baselineId: string;
  readonly state: Exclude<PostureState, 'notApplicable'>;
  readonly from: PostureState | null;
  readonly reason: string;
  readonly exemptionId: string | null;
  /** When the resource entered this state (the change's occurrence time). */
  readonly since: string;
  readonly eventId: string;
  readonly position: string;
  readonly recordedAt: string;
  findingId: string | null;
}

/** A resource in the tenant's inventory, as its last resource event left it. */
interface InventoryResource {
  readonly resourceId: string;
  readonly resourceType: string;
  /** When Rampart recorded its last discovery or change (the inventory read model's changedAt). */
  readonly changedAt: string;
}

/** A resource whose evidence is older than the interval at the end of the period. */
interface StaleResource extends InventoryResource {
  readonly resourceKey: string;
  readonly lastCollectedAt: string;
}

interface CoverageAtEnd {
  readonly resources: number;
  readonly evaluated: number;
  readonly maxEvidenceAgeHours: number;
  /** The oldest last collection among the resources, null without resources. */
  readonly oldestEvidenceAt: string | null;
  /** Oldest evidence first, then by key. */
  readonly notEvaluated: readonly StaleResource[];
  readonly staleByKey: ReadonlyMap<string, StaleResource>;
}

interface Exemption {
  readonly guardrailId: string;
  readonly scope: string;
  readonly category: string;
  readonly justification: string;
  readonly expiresAt: string;
  approvedBy: string | null;
  status: 'requested' | 'granted' | 'revoked' | 'expired';
}

/** Where an event is in the log, for an auditor to find it in events.ndjson. */
interface EventRef {
  readonly eventId: string;
  readonly position: string;
  readonly recordedAt: string;
}

/** As recorded (validUntil: it holds before it, never at or after it), and what happened to it since. */
type Attestation = Readonly<Pick<AttestationRecorded['data'], 'attestationId' | 'standardId' | 'controlId' | 'statement' | 'evidence' | 'attestedBy' | 'validUntil'>> & {
  readonly recorded: EventRef;
  status: 'pending' | 'active' | 'rejected' | 'revoked' | 'expired';
  approvedBy: string | null;
  approved: EventRef | null;
  /** When a rejection or revocation was recorded: an end its validity alone does not show. */
  endRecordedAt: string | null;
  /** The instant the expiry event says it stopped holding. */
  expiredAt: string | null;
};

type Prop = { name: string; ns?: string; value: string };
type Json = Record<string, unknown>;

/** A Rampart prop; OSCAL strings may not hold line breaks or outer spaces, and none is empty. */
const prop = (name: string, value: string | number | null | undefined): Prop[] => {
  const text = value === null || value === undefined ? '' : String(value).replace(/\s+/g, ' ').trim();
  return text ? [{ name, ns: RAMPART_OSCAL_NS, value: text }] : [];
};

/** OSCAL arrays hold at least one item: an empty list of props is left out. */
const props = (list: Prop[]): { props?: Prop[] } => (list.length ? { props: list } : {});

/** A resource as the subject of observations. */
const inventoryItem = (itemUuid: string, resourceKey: string, resourceId: string, resourceType: string): Json => ({
  uuid: itemUuid,
  description: `${resourceType} ${resourceId}`,
  ...props([...prop('resource-id', resourceId), ...prop('resource-key', resourceKey), ...prop('resource-type', resourceType)]),
});

const iso = (time: string | Date): string => new Date(time).toISOString();
const keyOf = (guardrailId: string, resourceKey: string, assignmentId: string) => `${guardrailId}\n${resourceKey}\n${assignmentId}`;
/**
 * What a pair counts as at the end of the period: its recorded state, except that `compliant` on a
 * resource not evaluated within the interval is `notEvaluated` (guardrails' score counts it `error`).
 */
type Verdict = Exclude<PostureState, 'notApplicable'> | 'notEvaluated';
/** What keeps a control from being satisfied. */
const FAILING = new Set<Verdict>(['nonCompliant', 'error', 'notEvaluated']);
/** What the evaluator itself found failing: shown together, a stale pass never mixed in. */
const EVALUATED_FAILING = new Set<Verdict>(['nonCompliant', 'error']);
const STATE_WORDS: Readonly<Record<Verdict, string>> = {
  nonCompliant: 'non-compliant',
  error: 'not evaluable (error)',
  notEvaluated: 'not evaluated within the interval',
  exempt: 'exempt',
  compliant: 'compliant',
};
const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const ms = (time: string): number => new Date(time).getTime();
const eventRef = (e: RecordedEvent): EventRef => ({ eventId: e.eventId, position: formatPosition(e.globalPosition), recordedAt: iso(e.recordedAt) });

/** The instant an attestation stops holding by time: its validity, or an earlier instant its expiry names. */
const validityEnd = (a: Attestation): number => Math.min(ms(a.validUntil), a.expiredAt === null ? Infinity : ms(a.expiredAt));

const isOpen = (a: Attestation): boolean => a.status === 'pending' || a.status === 'active';

/**
 * Whether an attestation had ended when the period began, as the assessment of the period before saw
 * it at its end: the events recorded from that instant on were not in it, and an attestation valid
 * until that instant did not hold at it. Each ending is counted in exactly one period.
 */
const endedBefore = (a: Attestation, start: number): boolean => validityEnd(a) <= start || (a.endRecordedAt !== null && ms(a.endRecordedAt) < start);

/** One attestation in a sentence: who, approved by whom, until when. */
const attestationInWords = (a: Attestation): string =>
  `attestation ${a.attestationId} by ${a.attestedBy}${a.approvedBy ? `, approved by ${a.approvedBy}` : ''}, valid until ${a.validUntil}`;

/** Truncated, not rounded: `1` only when every resource was evaluated. */
const coverageScore = (evaluated: number, resources: number): string | null => (resources === 0 ? null : String(Math.floor((evaluated * 10_000) / resources) / 10_000));

/** What a verdict on a resource with stale evidence says instead of passing (guardrails' staleReason, with the interval). */
const staleWords = (r: StaleResource, maxEvidenceAgeHours: number): string => `not evaluated within ${maxEvidenceAgeHours} h: last collected at ${r.lastCollectedAt}`;

/** One resource under one guardrail, across the assignments that evaluate it. */
interface Pair {
  readonly guardrailId: string;
  readonly resourceKey: string;
  readonly entries: PostureEntry[];
  /** Set when the resource was not evaluated within the interval at the end of the period. */
  readonly stale: StaleResource | null;
}
const verdictOf = (pair: Pair, entry: PostureEntry): Verdict => (entry.state === 'compliant' && pair.stale ? 'notEvaluated' : entry.state);
const pairState = (pair: Pair): Verdict => {
  const states = new Set(pair.entries.map((e) => verdictOf(pair, e)));
  // An error says more than a stale pass: it names what the evaluator could not decide.
  return states.has('nonCompliant') ? 'nonCompliant' : states.has('error') ? 'error' : states.has('notEvaluated') ? 'notEvaluated' : states.has('exempt') ? 'exempt' : 'compliant';
};

export class OscalAssessment {
  private readonly assignments = new Map<string, string>();
  private readonly baselinesInScope = new Set<string>();
  private readonly guardrailsWithPosture = new Set<string>();
  private readonly posture = new Map<string, PostureEntry>();
  private readonly exemptions = new Map<string, Exemption>();
  private readonly attestations = new Map<string, Attestation>();
  private readonly findingsInPeriod = new Map<string, { opened: number; resolved: number }>();
  private readonly resources = new Map<string, InventoryResource>();
  private readonly collections = new CompleteCollections();
  private maxEvidenceAgeHours = DEFAULT_MAX_EVIDENCE_AGE_HOURS;
  /** The event that set the interval in force, if any: the coverage observation's evidence. */
  private coveragePolicy: EventRef | null = null;
  private inPeriod = false;

  constructor(private readonly ctx: ExportContext) {}

  /**
   * An event before the period: only assignments, exemptions, attestations, posture, the inventory,
   * ingestion runs and the coverage policy matter, as state at its start. One may still come after
   * `add()`: the log is in commit order, and a transaction that began before the period can commit
   * after one that began in it. It then counts as state in force at the
   * start (its baseline and guardrail are in scope), not as activity of the period.
   */
  seed(e: RecordedEvent): void {
    this.apply(e, false);
  }

  /** An event of the period. */
  add(e: RecordedEvent): void {
    this.startPeriod();
    this.apply(e, true);
  }

  private startPeriod(): void {
    if (this.inPeriod) return;
    this.inPeriod = true;
    for (const baselineId of this.assignments.values()) this.baselinesInScope.add(baselineId);
    for (const entry of this.posture.values()) this.guardrailsWithPosture.add(entry.guardrailId);
  }

  private countFinding(guardrailId: string, what: 'opened' | 'resolved'): void {
    const counts = this.findingsInPeriod.get(guardrailId) ?? { opened: 0, resolved: 0 };
    counts[what] += 1;
    this.findingsInPeriod.set(guardrailId, counts);
  }

  private apply(e: RecordedEvent, ofPeriod: boolean): void {
    if (e.metadata.tenantId !== this.ctx.tenantId) {
      throw new Error(`event ${e.eventId} belongs to tenant ${e.metadata.tenantId}, not to the assessed tenant ${this.ctx.tenantId}`);
    }
    if (isEvent(e, 'guardrails.BaselineAssigned.v1')) {
      this.assignments.set(e.data.assignmentId, e.data.baselineId);
      if (this.inPeriod) this.baselinesInScope.add(e.data.baselineId);
    } else if (isEvent(e, 'guardrails.BaselineUnassigned.v1')) {
      this.assignments.delete(e.data.assignmentId);
    } else if (isEvent(e, 'guardrails.ExemptionRequested.v1')) {
      const { guardrailId, scope, category, justification, expiresAt } = e.data;
      this.exemptions.set(e.data.exemptionId, { guardrailId, scope, category, justification, expiresAt, approvedBy: null, status: 'requested' });
    } else if (isEvent(e, 'guardrails.ExemptionGranted.v1')) {
      const exemption = this.exemptions.get(e.data.exemptionId);
      if (exemption) Object.assign(exemption, { status: 'granted', approvedBy: e.data.approvedBy });
    } else if (isEvent(e, 'guardrails.ExemptionRevoked.v1') || isEvent(e, 'guardrails.ExemptionExpired.v1')) {
      const exemption = this.exemptions.get(e.data.exemptionId);
      if (exemption) exemption.status = e.type === 'guardrails.ExemptionRevoked.v1' ? 'revoked' : 'expired';
    } else if (isEvent(e, 'guardrails.AttestationRecorded.v1')) {
      const { attestationId, standardId, controlId, statement, evidence, attestedBy, validUntil, approvalRequired } = e.data;
      this.attestations.set(attestationId, {
        attestationId,
        standardId,
        controlId,
        statement,
        evidence,
        attestedBy,
        validUntil: iso(validUntil),
        recorded: eventRef(e),
        status: approvalRequired ? 'pending' : 'active',
        approvedBy: null,
        approved: null,
        endRecordedAt: null,
        expiredAt: null,
      });
    } else if (isEvent(e, 'guardrails.AttestationApproved.v1')) {
      const attestation = this.attestations.get(e.data.attestationId);
      // Only a pending attestation comes into force by approval: nothing brings an ended one back.
      if (attestation?.status === 'pending') Object.assign(attestation, { status: 'active', approvedBy: e.data.approvedBy, approved: eventRef(e) });
    } else if (isEvent(e, 'guardrails.AttestationRejected.v1') || isEvent(e, 'guardrails.AttestationRevoked.v1')) {
      const attestation = this.attestations.get(e.data.attestationId);
      if (attestation && (attestation.status === 'pending' || attestation.status === 'active')) {
        Object.assign(attestation, { status: e.type === 'guardrails.AttestationRejected.v1' ? 'rejected' : 'revoked', endRecordedAt: iso(e.recordedAt) });
      }
    } else if (isEvent(e, 'guardrails.AttestationExpired.v1')) {
      const attestation = this.attestations.get(e.data.attestationId);
      const expiredAt = Number.isNaN(ms(e.data.expiredAt)) ? null : iso(e.data.expiredAt);
      if (attestation && (attestation.status === 'pending' || attestation.status === 'active')) Object.assign(attestation, { status: 'expired', expiredAt });
    } else if (isEvent(e, 'inventory.ResourceDiscovered.v1')) {
      this.resources.set(e.data.resourceKey, { resourceId: e.data.id, resourceType: e.data.type, changedAt: iso(e.recordedAt) });
    } else if (isEvent(e, 'inventory.ResourceConfigurationChanged.v1')) {
      // As the inventory read model: a change to a resource it does not hold creates nothing.
      const resource = this.resources.get(e.data.resourceKey);
      if (resource) this.resources.set(e.data.resourceKey, { ...resource, resourceId: e.data.id, changedAt: iso(e.recordedAt) });
    } else if (isEvent(e, 'inventory.ResourceRemoved.v1')) {
      this.resources.delete(e.data.resourceKey);
    } else if (isEvent(e, 'inventory.IngestionRunStarted.v1') || isEvent(e, 'inventory.IngestionRunCompleted.v1')) {
      // Times compared as strings must share one format, whatever the store's.
      this.collections.add({ type: e.type, data: e.data, recordedAt: iso(e.recordedAt) });
    } else if (isEvent(e, 'guardrails.CoveragePolicySet.v1')) {
      this.maxEvidenceAgeHours = e.data.maxEvidenceAgeHours;
      this.coveragePolicy = eventRef(e);
    } else if (isEvent(e, 'guardrails.ComplianceStateChanged.v1')) {
      const d = e.data;
      const key = keyOf(d.guardrailId, d.resourceKey, d.assignmentId);
      if (this.inPeriod) this.guardrailsWithPosture.add(d.guardrailId);
      if (d.to === 'notApplicable') {
        this.posture.delete(key);
        return;
      }
      this.posture.set(key, {
        guardrailId: d.guardrailId,
        resourceKey: d.resourceKey,
        resourceId: d.resourceId,
        resourceType: d.resourceType,
        assignmentId: d.assignmentId,
        baselineId: d.baselineId,
        state: d.to,
        from: d.from,
        reason: d.reason,
        exemptionId: d.exemptionId,
        since: iso(e.metadata.occurredAt),
        eventId: e.eventId,
        position: formatPosition(e.globalPosition),
        recordedAt: iso(e.recordedAt),
        // A finding stays open from non-compliant through error; the finding events say when it ends.
        findingId: this.posture.get(key)?.findingId ?? null,
      });
    } else if (isEvent(e, 'guardrails.FindingOpened.v1')) {
      const entry = this.posture.get(keyOf(e.data.guardrailId, e.data.resourceKey, e.data.assignmentId));
      if (entry) entry.findingId = e.data.findingId;
      if (this.inPeriod) this.guardrailsWithPosture.add(e.data.guardrailId);
      if (ofPeriod) this.countFinding(e.data.guardrailId, 'opened');
    } else if (isEvent(e, 'guardrails.FindingResolved.v1')) {
      const entry = this.posture.get(keyOf(e.data.guardrailId, e.data.resourceKey, e.data.assignmentId));
      if (entry) entry.findingId = null;
      if (this.inPeriod) this.guardrailsWithPosture.add(e.data.guardrailId);
      if (ofPeriod) this.countFinding(e.data.guardrailId, 'resolved');
    }
  }

  /** The complete `assessment-results` document for the period, as it stands after the events given. */
  document(): Json {
    this.startPeriod();
    const { ctx } = this;
    const uuid = exportUuids(ctx.exportId);
    const platformUuid = uuid('assessment-platform');
    const partyUuid = uuid('party:product');
    const origins = [{ actors: [{ type: 'assessment-platform', 'actor-uuid': platformUuid }] }];
    const periodEnd = iso(ctx.to < ctx.generatedAt ? ctx.to : ctx.generatedAt);
    const scope = this.scope();
    const coverage = this.coverageAt(periodEnd);
    const pairs = this.pairsAtEnd(scope.guardrailIds, coverage.staleByKey);

    // One observation per resource and guardrail that is not simply compliant, shared by the
    // findings of every control the guardrail maps to.
    const observations: Json[] = [];
    const inventoryItems = new Map<string, Json>();
    const pairObservations = new Map<Pair, string>();
    for (const [, list] of [...pairs].sort(([a], [b]) => byString(a, b))) {
      for (const pair of list) {
        const state = pairState(pair);
        if (state === 'compliant') continue;
        const observationUuid = uuid(`observation:${pair.guardrailId}:${pair.resourceKey}`);
        const subjectUuid = uuid(`resource:${pair.resourceKey}`);
        pairObservations.set(pair, observationUuid);
        observations.push(this.pairObservation(pair, state, observationUuid, subjectUuid, origins));
        const { resourceId, resourceType } = pair.entries[0];
        inventoryItems.set(pair.resourceKey, inventoryItem(subjectUuid, pair.resourceKey, resourceId, resourceType));
      }
    }

    // The proof of coverage, once there is an inventory to prove it for; every finding a stale pass
    // keeps from being satisfied points to it.
    const coverageUuid = coverage.resources ? uuid('coverage') : null;
    if (coverageUuid) {
      const listed = coverage.notEvaluated.slice(0, COVERAGE_SUBJECTS_LISTED);
      for (const r of listed) {
        if (!inventoryItems.has(r.resourceKey)) inventoryItems.set(r.resourceKey, inventoryItem(uuid(`resource:${r.resourceKey}`), r.resourceKey, r.resourceId, r.resourceType));
      }
      observations.push(this.coverageObservation(coverage, listed, coverageUuid, periodEnd, (key) => uuid(`resource:${key}`), origins));
    }

    // The attestations holding at the end of the period, per control they are for: by control, then by
    // attestation id. Each is one observation, carrying its evidence files.
    const periodEndMs = ms(periodEnd);
    const attested = new Map<string, Attestation[]>();
    for (const a of [...this.attestations.values()].sort((x, y) => byString(x.attestationId, y.attestationId))) {
      if (a.status !== 'active' || validityEnd(a) <= periodEndMs) continue;
      const controlId = oscalControlId({ framework: a.standardId, control: a.controlId });
      attested.set(controlId, [...(attested.get(controlId) ?? []), a]);
    }
    const attestedControls = [...attested].sort(([a], [b]) => byString(a, b));
    const attestationUuid = (a: Attestation) => uuid(`attestation:${a.attestationId}`);
    const attestationObservations = attestedControls.flatMap(([, list]) => list.map((a) => this.attestationObservation(a, attestationUuid(a), origins)));
    const attestationsEnded = [...this.attestations.values()].filter((a) => (!isOpen(a) || validityEnd(a) <= periodEndMs) && !endedBefore(a, ctx.from.getTime())).length;

    const findings: Json[] = [];
    for (const [controlId, { ref, guardrailIds }] of scope.controls) {
      const controlPairs = guardrailIds.flatMap((g) => pairs.get(g) ?? []);
      const counts: Record<Verdict, number> = { compliant: 0, nonCompliant: 0, error: 0, notEvaluated: 0, exempt: 0 };
      controlPairs.forEach((p) => (counts[pairState(p)] += 1));
      const opened = guardrailIds.reduce((n, g) => n + (this.findingsInPeriod.get(g)?.opened ?? 0), 0);
      const resolved = guardrailIds.reduce((n, g) => n + (this.findingsInPeriod.get(g)?.resolved ?? 0), 0);
      const satisfied = counts.nonCompliant + counts.error + counts.notEvaluated === 0;
      const hours = coverage.maxEvidenceAgeHours;
      const name = `${ref.framework} ${ref.control}`;
      const attestedToo = attested.get(controlId) ?? [];
      const summaryUuid = uuid(`summary:${controlId}`);
      observations.push({
        uuid: summaryUuid,
        title: `${name}: posture at the end of the period`,
        description:
          `${controlPairs.length} resource/guardrail pairs evaluated for the ${guardrailIds.length} guardrail(s) mapped to ${name} ` +
          `(${guardrailIds.join(', ')}): ${counts.compliant} compliant, ${counts.nonCompliant} non-compliant, ` +
          `${counts.error} not evaluable, ${counts.notEvaluated} not evaluated within ${hours} h (compliant on evidence older than that, not counted as passing), ` +
          `${counts.exempt} exempt. Findings opened in the period: ${opened}; resolved: ${resolved}.`,
        props: [
          ...prop('control', name),
          ...prop('evaluated', controlPairs.length),
          ...prop('compliant', counts.compliant),
          ...prop('non-compliant', counts.nonCompliant),
          ...prop('error', counts.error),
          ...prop('not-evaluated', counts.notEvaluated),
          ...prop('exempt', counts.exempt),
          ...prop('findings-opened', opened),
          ...prop('findings-resolved', resolved),
        ],
        methods: ['TEST'],
        types: ['control-objective'],
        origins,
        collected: periodEnd,
      });
      // Failing evidence first, then exemptions: what an auditor reads first is why it failed.
      const evidence = controlPairs
        .flatMap((pair) => {
          const observationUuid = pairObservations.get(pair);
          return observationUuid ? [{ failing: FAILING.has(pairState(pair)), observationUuid }] : [];
        })
        .sort((a, b) => Number(b.failing) - Number(a.failing))
        .map((o) => ({ 'observation-uuid': o.observationUuid }));
      findings.push({
        uuid: uuid(`finding:${controlId}`),
        title: `${name} ${satisfied ? 'satisfied' : 'not satisfied'}`,
        description:
          (satisfied
            ? `At the end of the period no resource was non-compliant with, not evaluable for, or not evaluated within ${hours} h for a guardrail mapped to ${name} without an exemption.`
            : `At the end of the period ${counts.nonCompliant} resource/guardrail pair(s) were non-compliant, ${counts.error} not evaluable and ` +
              `${counts.notEvaluated} not evaluated within ${hours} h for guardrails mapped to ${name}.`) +
          (attestedToo.length
            ? ` Also holding at the end: ${attestedToo.map(attestationInWords).join('; ')}. An attestation speaks for what no guardrail checks, so the guardrails' verdict stands.`
            : ''),
        ...props([
          ...prop('framework', ref.framework),
          ...prop('control', ref.control),
          ...guardrailIds.flatMap((g) => prop('guardrail-id', g)),
          ...attestedToo.flatMap((a) => prop('attestation-id', a.attestationId)),
        ]),
        origins,
        // OSCAL findings target a control's objective (NIST's own example: `ac-6.1_obj`).
        target: {
          type: 'objective-id',
          'target-id': `${controlId}_obj`,
          description: `${name}, as covered by Rampart guardrails ${guardrailIds.join(', ')}.`,
          ...props(prop('control-id', controlId)),
          status: { state: satisfied ? 'satisfied' : 'not-satisfied', reason: satisfied ? 'pass' : 'fail' },
        },
        'related-observations': [
          { 'observation-uuid': summaryUuid },
          ...evidence,
          ...(counts.notEvaluated && coverageUuid ? [{ 'observation-uuid': coverageUuid }] : []),
          ...attestedToo.map((a) => ({ 'observation-uuid': attestationUuid(a) })),
        ],
      });
    }

    const guardrailControls = new Set(scope.controls.map(([id]) => id));
    const attestedOnly = attestedControls.filter(([id]) => !guardrailControls.has(id));
    for (const [controlId, list] of attestedOnly) {
      findings.push(this.attestationFinding(controlId, list, uuid(`finding:${controlId}`), list.map(attestationUuid), origins));
    }
    observations.push(...attestationObservations);

    const frameworks = [...new Set(scope.controls.map(([, c]) => c.ref.framework))];
    // A control of a standard is named after its first attestation's standard (they normalise alike).
    const standards = [...new Set(attestedOnly.map(([, [first]]) => first.standardId))].sort(byString);
    const controlSelections: Json[] = [
      ...frameworks.map((framework) => ({
        ...props(prop('framework', framework)),
        'include-controls': scope.controls.filter(([, c]) => c.ref.framework === framework).map(([id]) => ({ 'control-id': id })),
      })),
      ...standards.map((standardId) => ({
        description: `Controls of ${standardId} that no guardrail covers, reviewed through the attestations holding for them at the end of the period.`,
        ...props(prop('standard-id', standardId)),
        'include-controls': attestedOnly.filter(([, [first]]) => first.standardId === standardId).map(([id]) => ({ 'control-id': id })),
      })),
    ];
    if (!controlSelections.length) {
      controlSelections.push({
        remarks:
          'No guardrail baseline was assigned to the tenant in the period, no guardrail evaluated any resource and no attestation held at its end: no control was reviewed.',
      });
    }

    const from = iso(ctx.from);
    const to = iso(ctx.to);
    const result: Json = {
      uuid: uuid('result'),
      title: `Guardrail compliance of tenant ${ctx.tenantId}, ${from} to ${to}`,
      description:
        "Continuous evaluation of the tenant's cloud resources against Rampart guardrails (Azure Policy rules evaluated offline). " +
        'Each finding is one framework control mapped from the guardrails of the baselines assigned in the period, or of guardrails that evaluated a resource in it. ' +
        'A control is not satisfied when, at the end of the period, a resource is non-compliant with, or could not be evaluated for, one of its guardrails without an exemption. ' +
        "A control of a standard that no guardrail covers is satisfied by an attestation holding at the end of the period: a named person's statement that it is met, resting on evidence files named by their SHA-256. " +
        `A resource whose configuration was last collected more than ${coverage.maxEvidenceAgeHours} h before the end of the period (the tenant's interval) is not evaluated: ` +
        'what it passed counts as not evaluated, never as passing; the coverage score is the share of resources evaluated within the interval.',
      start: from,
      end: to,
      ...props([
        ...prop('coverage-score', coverageScore(coverage.evaluated, coverage.resources)),
        ...prop('resources', coverage.resources),
        ...prop('resources-evaluated', coverage.evaluated),
        ...prop('resources-not-evaluated', coverage.resources - coverage.evaluated),
        ...prop('max-evidence-age-hours', coverage.maxEvidenceAgeHours),
        ...[...this.baselinesInScope].sort(byString).flatMap((b) => prop('baseline-id', b)),
        ...scope.unknownBaselines.flatMap((b) => prop('unknown-baseline-id', b)),
        ...scope.unmappedGuardrails.flatMap((g) => prop('unmapped-guardrail-id', g)),
        // Attestations no longer holding (rejected, revoked, expired, or past their validity) leave no
        // finding: the count says some stopped holding in the period; events.ndjson says which and why.
        ...prop('attestations-ended-in-period', attestationsEnded || null),
      ]),
      ...(coverageUuid ? { links: [{ href: `#${coverageUuid}`, rel: 'reference', text: "Rampart's proof of coverage at the end of the period" }] } : {}),
      'local-definitions': {
        ...(inventoryItems.size ? { 'inventory-items': [...inventoryItems.values()] } : {}),
        'assessment-assets': {
          'assessment-platforms': [{ uuid: platformUuid, title: `${ctx.product.name} ${ctx.product.version}`, ...props(prop('product-version', ctx.product.version)) }],
        },
      },
      'reviewed-controls': { 'control-selections': controlSelections },
      ...(observations.length ? { observations } : {}),
      ...(findings.length ? { findings } : {}),
    };

    const generated = iso(ctx.generatedAt);
    return {
      'assessment-results': {
        uuid: uuid('assessment-results'),
        metadata: {
          title: `${ctx.product.name} assessment results for tenant ${ctx.tenantId}, ${from} to ${to}`,
          published: generated,
          'last-modified': generated,
          version: ctx.exportId,
          'oscal-version': OSCAL_VERSION,
          ...props([...prop('tenant-id', ctx.tenantId), ...prop('export-id', ctx.exportId)]),
          roles: [{ id: 'prepared-by', title: 'Prepared By' }],
          parties: [{ uuid: partyUuid, type: 'organization', name: ctx.product.vendor ?? ctx.product.name, ...props(prop('product', `${ctx.product.name} ${ctx.product.version}`)) }],
          'responsible-parties': [{ 'role-id': 'prepared-by', 'party-uuids': [partyUuid] }],
        },
        'import-ap': {
          href: assessmentPlanHref(ctx.tenantId),
          remarks: "Rampart keeps no separate assessment plan document: the plan is the tenant's guardrail baseline assignments, listed in the result's reviewed controls.",
        },
        results: [result],
      },
    };
  }

  /** The guardrails the period covers and the controls they map to, sorted by control id. */
  private scope() {
    const guardrailIds = new Set(this.guardrailsWithPosture);
    const unknownBaselines: string[] = [];
    for (const baselineId of [...this.baselinesInScope].sort(byString)) {
      const baseline = this.ctx.catalog.baseline(baselineId);
      if (baseline) baseline.guardrailIds.forEach((g) => guardrailIds.add(g));
      else unknownBaselines.push(baselineId);
    }
    const controls = new Map<string, { ref: ControlRef; guardrailIds: string[] }>();
    const unmappedGuardrails: string[] = [];
    for (const guardrailId of [...guardrailIds].sort(byString)) {
      const refs = this.ctx.catalog.guardrail(guardrailId)?.controls ?? [];
      if (!refs.length) unmappedGuardrails.push(guardrailId);
      for (const ref of refs) {
        const id = oscalControlId(ref);
        const control = controls.get(id) ?? { ref, guardrailIds: [] };
        if (!control.guardrailIds.includes(guardrailId)) control.guardrailIds.push(guardrailId);
        controls.set(id, control);
      }
    }
    return { guardrailIds, controls: [...controls].sort(([a], [b]) => byString(a, b)), unknownBaselines, unmappedGuardrails };
  }

  /** Which resources were evaluated within the interval at `end`, as guardrails' coverage rule has it. */
  private coverageAt(end: string): CoverageAtEnd {
    const collections = latestPerScope(this.collections.list());
    const maxAgeMs = this.maxEvidenceAgeHours * 3_600_000;
    const endMs = ms(end);
    const notEvaluated: StaleResource[] = [];
    let oldestEvidenceAt: string | null = null;
    for (const [resourceKey, resource] of this.resources) {
      const collectedAt = lastCollectedAt({ resourceKey, changedAt: resource.changedAt }, collections);
      if (oldestEvidenceAt === null || collectedAt < oldestEvidenceAt) oldestEvidenceAt = collectedAt;
      if (endMs - ms(collectedAt) > maxAgeMs) notEvaluated.push({ ...resource, resourceKey, lastCollectedAt: collectedAt });
    }
    notEvaluated.sort((a, b) => byString(a.lastCollectedAt, b.lastCollectedAt) || byString(a.resourceKey, b.resourceKey));
    return {
      resources: this.resources.size,
      evaluated: this.resources.size - notEvaluated.length,
      maxEvidenceAgeHours: this.maxEvidenceAgeHours,
      oldestEvidenceAt,
      notEvaluated,
      staleByKey: new Map(notEvaluated.map((r) => [r.resourceKey, r])),
    };
  }

  private coverageObservation(
    coverage: CoverageAtEnd,
    listed: readonly StaleResource[],
    observationUuid: string,
    periodEnd: string,
    subjectUuid: (resourceKey: string) => string,
    origins: readonly Json[],
  ): Json {
    const notEvaluated = coverage.notEvaluated.length;
    const hours = coverage.maxEvidenceAgeHours;
    const score = coverageScore(coverage.evaluated, coverage.resources);
    return {
      uuid: observationUuid,
      title: `Proof of coverage: ${coverage.evaluated} of ${coverage.resources} resources evaluated within ${hours} h`,
      description:
        `Rampart's proof of coverage at the end of the period (${periodEnd}): of the ${coverage.resources} resources in the tenant's inventory, ` +
        `${coverage.evaluated} collected and evaluated within the tenant's interval of ${hours} h (coverage score ${score}), ${notEvaluated} not. ` +
        'A resource is collected by its own last discovery or change, or by the last snapshot declared complete for a scope holding it that completed; a partial run proves nothing about the resources it did not change. ' +
        'A resource not evaluated within the interval is reported as not evaluated, never as passing: what it passed does not satisfy a control.' +
        (notEvaluated ? ` Its subjects are the ${listed.length === notEvaluated ? notEvaluated : `${listed.length} of the ${notEvaluated}`} resource(s) not evaluated, oldest evidence first.` : ''),
      props: [
        ...prop('coverage-score', score),
        ...prop('resources', coverage.resources),
        ...prop('resources-evaluated', coverage.evaluated),
        ...prop('resources-not-evaluated', notEvaluated),
        ...prop('max-evidence-age-hours', hours),
        ...prop('oldest-evidence-at', coverage.oldestEvidenceAt),
      ],
      methods: ['EXAMINE'],
      origins,
      ...(listed.length
        ? {
            subjects: listed.map((r) => ({
              'subject-uuid': subjectUuid(r.resourceKey),
              type: 'inventory-item',
              title: r.resourceId,
              props: [...prop('last-collected-at', r.lastCollectedAt)],
              remarks: staleWords(r, hours),
            })),
          }
        : {}),
      'relevant-evidence': [
        this.coveragePolicy
          ? {
              href: eventHref(this.coveragePolicy.eventId),
              description: `guardrails.CoveragePolicySet.v1 ${this.coveragePolicy.eventId}: the tenant's interval, ${hours} h, recorded ${this.coveragePolicy.recordedAt}.`,
              props: [...prop('event-id', this.coveragePolicy.eventId), ...prop('log-position', this.coveragePolicy.position)],
            }
          : { description: `The tenant never set a coverage policy (guardrails.CoveragePolicySet.v1): the default interval of ${hours} h applies.` },
      ],
      collected: periodEnd,
    };
  }

  /** The posture at the end of the period of the guardrails in scope: per guardrail, its resources' pairs. */
  private pairsAtEnd(guardrailIds: ReadonlySet<string>, stale: ReadonlyMap<string, StaleResource>): Map<string, Pair[]> {
    const pairs = new Map<string, Pair[]>();
    const index = new Map<string, Pair>();
    for (const entry of this.posture.values()) {
      if (!guardrailIds.has(entry.guardrailId)) continue;
      const key = `${entry.guardrailId}\n${entry.resourceKey}`;
      let pair = index.get(key);
      if (!pair) {
        pair = { guardrailId: entry.guardrailId, resourceKey: entry.resourceKey, entries: [], stale: stale.get(entry.resourceKey) ?? null };
        index.set(key, pair);
        const list = pairs.get(entry.guardrailId) ?? [];
        list.push(pair);
        pairs.set(entry.guardrailId, list);
      }
      pair.entries.push(entry);
    }
    for (const list of pairs.values()) list.sort((a, b) => byString(a.resourceKey, b.resourceKey));
    return pairs;
  }

  private pairObservation(pair: Pair, state: Verdict, observationUuid: string, subjectUuid: string, origins: readonly Json[]): Json {
    const guardrail = this.ctx.catalog.guardrail(pair.guardrailId);
    const shown = pair.entries.filter((e) => {
      const verdict = verdictOf(pair, e);
      return verdict === state || (EVALUATED_FAILING.has(state) && EVALUATED_FAILING.has(verdict));
    });
    const first = shown.reduce((a, b) => (a.since <= b.since ? a : b));
    const latest = pair.entries.reduce((a, b) => (a.recordedAt >= b.recordedAt ? a : b));
    const exemptions = [...new Set(shown.map((e) => e.exemptionId).filter((id): id is string => id !== null))];
    const hours = this.maxEvidenceAgeHours;
    const stale = state === 'notEvaluated' && pair.stale ? staleWords(pair.stale, hours) : null;
    return {
      uuid: observationUuid,
      title: `${guardrail?.title ?? pair.guardrailId}: ${stale ? `not evaluated within ${hours} h` : STATE_WORDS[state]} on ${first.resourceId}`,
      description: stale
        ? `At the end of the period ${first.resourceId} (${first.resourceType}) was ${stale}. Its last verdict for guardrail ${pair.guardrailId}, ` +
          `compliant since ${first.since} (${first.reason}), rests on evidence older than the tenant's interval and does not count as passing.`
        : `At the end of the period ${first.resourceId} (${first.resourceType}) was ${STATE_WORDS[state]} for guardrail ${pair.guardrailId} since ${first.since}: ${first.reason}`,
      props: [
        ...prop('guardrail-id', pair.guardrailId),
        ...prop('resource-id', first.resourceId),
        ...prop('resource-type', first.resourceType),
        ...prop('posture-state', state),
        // What was recorded, when the end of the period judges it otherwise.
        ...prop('recorded-state', stale ? first.state : null),
        ...prop('since', first.since),
        // A verdict of any state on a stale resource rests on that collection.
        ...prop('last-collected-at', pair.stale?.lastCollectedAt),
        ...prop('max-evidence-age-hours', pair.stale ? hours : null),
        ...shown.flatMap((e) => prop('finding-id', e.findingId)),
        ...exemptions.flatMap((id) => {
          const x = this.exemptions.get(id);
          return [
            ...prop('exemption-id', id),
            ...(x
              ? [
                  ...prop('exemption-category', x.category),
                  ...prop('exemption-status', x.status),
                  ...prop('exemption-approved-by', x.approvedBy),
                  ...prop('exemption-expires', x.expiresAt),
                  ...prop('exemption-justification', x.justification),
                ]
              : []),
          ];
        }),
      ],
      methods: ['TEST'],
      types: [state === 'exempt' ? 'mitigation' : 'finding'],
      origins,
      subjects: [{ 'subject-uuid': subjectUuid, type: 'inventory-item' }],
      'relevant-evidence': shown.map((e) => ({
        href: eventHref(e.eventId),
        description: `guardrails.ComplianceStateChanged.v1 ${e.eventId}: ${e.from ?? 'unevaluated'} -> ${e.state} under assignment ${e.assignmentId} (baseline ${e.baselineId}), recorded ${e.recordedAt}.`,
        ...props([...prop('event-id', e.eventId), ...prop('log-position', e.position), ...prop('assignment-id', e.assignmentId), ...prop('baseline-id', e.baselineId)]),
      })),
      collected: latest.recordedAt,
    };
  }

  private attestationObservation(a: Attestation, observationUuid: string, origins: readonly Json[]): Json {
    const holdsFrom = a.approved ?? a.recorded;
    const lifecycle = [{ type: 'guardrails.AttestationRecorded.v1', ref: a.recorded, by: a.attestedBy }, ...(a.approved ? [{ type: 'guardrails.AttestationApproved.v1', ref: a.approved, by: a.approvedBy }] : [])];
    return {
      uuid: observationUuid,
      title: `${a.standardId} ${a.controlId} attested by ${a.attestedBy} until ${a.validUntil}`,
      description:
        `${a.attestedBy} attested on ${a.recorded.recordedAt} that ${a.standardId} ${a.controlId} is met` +
        (a.approvedBy && a.approved ? `, approved by ${a.approvedBy} on ${a.approved.recordedAt}` : '') +
        `, valid until ${a.validUntil} (attestation ${a.attestationId}, ${a.evidence.length} evidence file(s)). Statement: ${a.statement}`,
      props: [
        ...prop('attestation-id', a.attestationId),
        ...prop('standard-id', a.standardId),
        ...prop('control-id', a.controlId),
        ...prop('attested-by', a.attestedBy),
        ...prop('approved-by', a.approvedBy),
        ...prop('valid-until', a.validUntil),
      ],
      methods: ['EXAMINE'],
      types: ['control-objective'],
      origins,
      // The files are kept by content: the digest is what an auditor checks a file handed over against.
      'relevant-evidence': [
        ...a.evidence.map((file) => ({
          href: `urn:rampart:evidence:sha256:${file.sha256}`,
          description: `Evidence file ${file.name} (${file.mediaType}, ${file.size} bytes), SHA-256 ${file.sha256}.`,
          props: [...prop('sha256', file.sha256), ...prop('file-name', file.name), ...prop('media-type', file.mediaType), ...prop('size', file.size)],
        })),
        ...lifecycle.map(({ type, ref, by }) => ({
          href: eventHref(ref.eventId),
          description: `${type} ${ref.eventId}: by ${by ?? 'unknown'}, recorded ${ref.recordedAt}.`,
          ...props([...prop('event-id', ref.eventId), ...prop('log-position', ref.position)]),
        })),
      ],
      collected: holdsFrom.recordedAt,
      // OSCAL's own field for continuous assessment: the observation is out of date from this instant.
      expires: a.validUntil,
    };
  }

  private attestationFinding(controlId: string, list: readonly Attestation[], findingUuid: string, observationUuids: readonly string[], origins: readonly Json[]): Json {
    const [first] = list;
    const name = `${first.standardId} ${first.controlId}`;
    const until = list.map((a) => a.validUntil).reduce((a, b) => (a >= b ? a : b));
    return {
      uuid: findingUuid,
      title: `${name} satisfied by attestation`,
      description:
        `At the end of the period ${name} was satisfied by attestation until ${until}: ${list.map(attestationInWords).join('; ')}. ` +
        "No Rampart guardrail checks this control; an attestation is a named person's statement that it is met, resting on the evidence files its observation names by SHA-256.",
      ...props([...prop('standard-id', first.standardId), ...prop('control', first.controlId), ...list.flatMap((a) => prop('attestation-id', a.attestationId))]),
      origins,
      target: {
        type: 'objective-id',
        'target-id': `${controlId}_obj`,
        description: `${name}, as attested.`,
        ...props(prop('control-id', controlId)),
        status: { state: 'satisfied', reason: 'pass' },
      },
      'related-observations': observationUuids.map((id) => ({ 'observation-uuid': id })),
    };
  }
}
