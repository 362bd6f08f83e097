// Staged rollouts: a baseline (a new or changed library definition, a whole standard) rolled out to
// a tenant group in rings — a canary set of tenants first, then the rest — each ring a recorded
// decision by a named person, with the what-if that informed the plan recorded beside it, and one
// rollback that takes it from every tenant. In the provider's scope (`t-provider:rollout-<id>`); the
// tenants hold it as `rol-<rollout>-<assignment>` in their own policies while their ring is in.
import { eventGuard, type DomainEvent } from '@rampart/event-sourcing';

export interface RolloutRing {
  readonly name: string;
  readonly tenants: readonly string[];
}

/** What replaying the baseline over a tenant's recorded history found, before anything was enforced. */
export interface RolloutTenantWhatIf {
  readonly tenantId: string;
  /** Resources that would break it now. */
  readonly nonCompliantNow: number;
  /** Resources that would have broken it at some time in the recorded history. */
  readonly nonCompliantEver: number;
  /** Resources it could not evaluate at some time. */
  readonly errors: number;
  /** When the earliest breach it would find began. */
  readonly since: string | null;
}

export type RolloutPlanned = DomainEvent<
  'guardrails.RolloutPlanned.v1',
  {
    rolloutId: string;
    groupId: string;
    /** Each tenant holds it as `rol-<rolloutId>-<assignmentId>`. */
    assignmentId: string;
    baselineId: string;
    scope: string;
    parameters: Record<string, Record<string, unknown>>;
    initiativeParameters?: Record<string, unknown>;
    rings: RolloutRing[];
    /** False: findings the baseline finds when it arrives (they existed before it) open no incident. */
    raiseIncidentsForExisting: boolean;
    plannedBy: string;
    whatIf: RolloutTenantWhatIf[];
  }
>;
/** The next ring goes in: its tenants hold the baseline from now on. */
export type RolloutRingApproved = DomainEvent<'guardrails.RolloutRingApproved.v1', { rolloutId: string; ring: number; name: string; approvedBy: string }>;
/** Every tenant stops holding it. */
export type RolloutRolledBack = DomainEvent<'guardrails.RolloutRolledBack.v1', { rolloutId: string; rolledBackBy: string; reason: string }>;

export type RolloutEvent = RolloutPlanned | RolloutRingApproved | RolloutRolledBack;
export const ROLLOUT_EVENT_TYPES: readonly RolloutEvent['type'][] = ['guardrails.RolloutPlanned.v1', 'guardrails.RolloutRingApproved.v1', 'guardrails.RolloutRolledBack.v1'];
export const isRolloutEvent = eventGuard<RolloutEvent>(...ROLLOUT_EVENT_TYPES);
