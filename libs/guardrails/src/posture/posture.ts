// A resource's posture, one stream per resource (`t-<tenant>:posture-<hash of its key>`), written
// only by evaluation. An evaluation records nothing but changes of compliance state; a finding
// opens when a guardrail turns non-compliant and resolves when it no longer is (an evaluation
// error keeps it open: not knowing is not compliant).
import { createHash } from 'node:crypto';
import { streamIdFor, type Decider, type Decision } from '@rampart/event-sourcing';
import type { EvaluationCause, FindingResolution, PostureEvent, PostureState } from '../events';
import type { ReportingPolicy } from '../tenant-guardrails/tenant-guardrails';
import type { EvaluationResult } from './evaluate';

interface GuardrailPosture {
  readonly state: PostureState;
  readonly baselineId: string;
  readonly openFindingId: string | null;
  readonly findingsOpened: number;
}

export interface Posture {
  /** By `assignmentId|guardrailId`. */
  readonly guardrails: ReadonlyMap<string, GuardrailPosture>;
}

export interface PostureResource {
  readonly key: string;
  readonly id: string;
  readonly type: string;
}

export type PostureCommand =
  | {
      readonly kind: 'RecordEvaluation';
      readonly tenantId: string;
      readonly resource: PostureResource;
      /** Every assignment in force was evaluated: guardrails absent from `results` left the resource's scope. */
      readonly results: readonly EvaluationResult[];
      readonly reporting: ReportingPolicy;
      readonly cause: EvaluationCause | null;
    }
  | { readonly kind: 'RecordResourceRemoved'; readonly tenantId: string; readonly resource: PostureResource; readonly cause: EvaluationCause | null };

export const postureStreamId = (tenantId: string, resourceKey: string): string =>
  streamIdFor(tenantId, 'posture', createHash('sha256').update(resourceKey).digest('hex').slice(0, 32));

const keyOf = (assignmentId: string, guardrailId: string) => `${assignmentId}|${guardrailId}`;

/** Deterministic, so a retried evaluation names the same finding (appends stay idempotent in effect). */
const findingIdFor = (tenantId: string, resourceKey: string, key: string, n: number): string => {
  const hex = createHash('sha256').update(`${tenantId}|${resourceKey}|${key}|${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

interface Transition {
  readonly assignmentId: string;
  readonly baselineId: string;
  readonly guardrailId: string;
  readonly to: PostureState;
  readonly reason: string;
  readonly exemptionId: string | null;
  /** Set for results (not for removals): what a newly opened finding needs. */
  readonly result?: EvaluationResult;
  /** Why an open finding resolves, when the state alone does not say (removed, unassigned). */
  readonly resolution?: FindingResolution;
}

/** The states that resolve an open finding, and what the resolution says; the others keep it open. */
const RESOLVING: Partial<Record<PostureState, FindingResolution>> = { compliant: 'compliant', exempt: 'exempted', notApplicable: 'not-applicable' };

const transitions = (
  state: Posture,
  tenantId: string,
  resource: PostureResource,
  wanted: readonly Transition[],
  cause: EvaluationCause | null,
  reporting: ReportingPolicy | null,
): PostureEvent[] => {
  const events: PostureEvent[] = [];
  for (const t of wanted) {
    const key = keyOf(t.assignmentId, t.guardrailId);
    const before = state.guardrails.get(key);
    const from = before?.state ?? null;
    if (t.to === 'notApplicable' && (from === null || from === 'notApplicable')) continue;
    if (t.to !== from) {
      events.push({
        type: 'guardrails.ComplianceStateChanged.v1',
        data: {
          resourceKey: resource.key,
          resourceId: resource.id,
          resourceType: resource.type,
          assignmentId: t.assignmentId,
          baselineId: t.baselineId,
          guardrailId: t.guardrailId,
          from,
          to: t.to,
          reason: t.reason,
          exemptionId: t.exemptionId,
          causedBy: cause,
        },
      });
    }
    const open = before?.openFindingId ?? null;
    if (t.to === 'nonCompliant' && !open && t.result) {
      const r = t.result;
      events.push({
        type: 'guardrails.FindingOpened.v1',
        data: {
          findingId: findingIdFor(tenantId, resource.key, key, before?.findingsOpened ?? 0),
          resourceKey: resource.key,
          resourceId: resource.id,
          resourceType: resource.type,
          assignmentId: r.assignmentId,
          guardrailId: r.guardrailId,
          severity: r.severity,
          title: r.title,
          playbookId: r.playbookId,
          reason: r.reason,
          causedBy: cause,
          // found when the assignment arrived (its first verdict here, from the policy change, not a resource change)
          ...(r.quietExisting && from === null && cause === null ? { existing: true } : {}),
          notify: reporting?.notifySeverities.includes(r.severity) ?? false,
        },
      });
    } else {
      const resolution = open && RESOLVING[t.to] ? (t.resolution ?? RESOLVING[t.to]) : undefined;
      if (open && resolution) {
        events.push({
          type: 'guardrails.FindingResolved.v1',
          data: { findingId: open, resourceKey: resource.key, guardrailId: t.guardrailId, assignmentId: t.assignmentId, resolution, causedBy: cause },
        });
      }
    }
  }
  return events;
};


const decide = (cmd: PostureCommand, state: Posture): Decision<PostureEvent> => {
  if (cmd.kind === 'RecordResourceRemoved') {
    const wanted = [...state.guardrails.entries()].map(([key, posture]) => {
      const [assignmentId, guardrailId] = key.split('|');
      return { assignmentId, baselineId: posture.baselineId, guardrailId, to: 'notApplicable' as const, reason: 'the resource was removed', exemptionId: null, resolution: 'resource-removed' as const };
    });
    return transitions(state, cmd.tenantId, cmd.resource, wanted, cmd.cause, null);
  }
  const present = new Set(cmd.results.map((r) => keyOf(r.assignmentId, r.guardrailId)));
  const wanted: Transition[] = cmd.results.map((r) => ({
    assignmentId: r.assignmentId,
    baselineId: r.baselineId,
    guardrailId: r.guardrailId,
    to: r.state,
    reason: r.reason,
    exemptionId: r.exemptionId,
    result: r,
  }));
  for (const [key, posture] of state.guardrails) {
    if (present.has(key)) continue;
    const [assignmentId, guardrailId] = key.split('|');
    wanted.push({ assignmentId, baselineId: posture.baselineId, guardrailId, to: 'notApplicable', reason: 'no assignment in force covers the resource any more', exemptionId: null, resolution: 'unassigned' });
  }
  return transitions(state, cmd.tenantId, cmd.resource, wanted, cmd.cause, cmd.reporting);
};

export const evolvePosture = (state: Posture, event: PostureEvent): Posture => {
  const guardrails = new Map(state.guardrails);
  const key = keyOf(event.data.assignmentId, event.data.guardrailId);
  const current: GuardrailPosture = guardrails.get(key) ?? { state: 'notApplicable', baselineId: '', openFindingId: null, findingsOpened: 0 };
  switch (event.type) {
    case 'guardrails.ComplianceStateChanged.v1':
      guardrails.set(key, { ...current, state: event.data.to, baselineId: event.data.baselineId });
      break;
    case 'guardrails.FindingOpened.v1':
      guardrails.set(key, { ...current, openFindingId: event.data.findingId, findingsOpened: current.findingsOpened + 1 });
      break;
    case 'guardrails.FindingResolved.v1':
      guardrails.set(key, { ...current, openFindingId: null });
      break;
    default:
      return state;
  }
  return { guardrails };
};

export const postureDecider: Decider<PostureCommand, Posture, PostureEvent> = {
  decide,
  evolve: evolvePosture,
  initialState: () => ({ guardrails: new Map() }),
};
