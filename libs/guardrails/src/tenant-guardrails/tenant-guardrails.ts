// A tenant's guardrail policy, one stream per tenant (`t-<tenant>:guardrails-policy`): which
// baselines are assigned where and with which parameters, which exemptions are in force until when,
// whether an attestation needs a second person, and which finding severities send a notification (and, deprecated, which the tenant named for
// incidents: the incident policy decides that now).
import { isRejection, parseInstant, reject, streamIdFor, type Decider, type Decision } from '@rampart/event-sourcing';
import { memberValuesFrom, type Catalog } from '../catalog/guardrail';
import { checkMaxEvidenceAge, DEFAULT_MAX_EVIDENCE_AGE_HOURS } from '../posture/coverage';
import { guardrailKeyOf, libraryBaselineId, parseLibraryBaselineId } from '../library/library-catalog';
import { SEVERITIES, type BaselineAssigned, type ExemptionCategory, type ExemptionRequested, type LibraryVersionSet, type Severity, type TenantGuardrailsEvent } from '../events';

export interface Assignment {
  readonly assignmentId: string;
  /** The baseline it evaluates: for a library definition, the version's (`lib-definition:x@2`). */
  readonly baselineId: string;
  readonly scope: string;
  readonly parameters: Readonly<Record<string, Record<string, unknown>>>;
  /** For an initiative: its parameters' values, given to every member that takes them (see memberValuesFrom). */
  readonly initiativeParameters?: Readonly<Record<string, unknown>>;
  /** A library definition assigned to follow its latest version: the id it follows (`lib-definition:x`). */
  readonly follows?: string;
  /** Held as a member of this tenant group: it comes and goes with the membership. */
  readonly group?: string;
  /** Held from this staged rollout: it comes with the tenant's ring and goes with a rollback. */
  readonly rollout?: string;
  /** Findings it finds on arrival open no incident. */
  readonly quietExisting?: boolean;
}

export type Exemption = ExemptionRequested['data'] & {
  readonly status: 'requested' | 'active' | 'revoked' | 'expired';
  readonly approvedBy: string | null;
};

export interface ReportingPolicy {
  readonly incidentSeverities: readonly Severity[];
  readonly notifySeverities: readonly Severity[];
}

/** Until a tenant says otherwise: medium findings notify (critical and high ones were named for incidents, the incident policy's default now). */
export const DEFAULT_REPORTING_POLICY: ReportingPolicy = { incidentSeverities: ['critical', 'high'], notifySeverities: ['medium'] };

export interface TenantGuardrails {
  readonly assignments: ReadonlyMap<string, Assignment>;
  readonly exemptions: ReadonlyMap<string, Exemption>;
  readonly reporting: ReportingPolicy;
  /** An attestation holds only once a second person approves it. */
  readonly attestationApprovalRequired: boolean;
  /** Evidence older than this makes a resource not evaluated (proof of coverage). */
  readonly maxEvidenceAgeHours: number;
}

export type TenantGuardrailsCommand =
  | {
      readonly kind: 'AssignBaseline';
      readonly assignmentId: string;
      readonly baselineId: string;
      readonly scope: string;
      /** Values per guardrail id. */
      readonly parameters?: Record<string, Record<string, unknown>>;
      /** For an initiative: values of its parameters, by name (Azure's `{"effect-<guid>": "Disabled"}`). */
      readonly initiativeParameters?: Record<string, unknown>;
      /** Given as a member of this tenant group (the group assignments' reaction). */
      readonly group?: string;
      /** Given by this staged rollout (its reaction), with whether findings found on arrival stay quiet. */
      readonly rollout?: string;
      readonly quietExisting?: boolean;
    }
  /** `group`/`rollout`: the reaction taking what it gave away; that is not the tenant's to remove. */
  | { readonly kind: 'UnassignBaseline'; readonly assignmentId: string; readonly group?: string; readonly rollout?: string }
  | {
      readonly kind: 'RequestExemption';
      readonly exemptionId: string;
      readonly guardrailId: string;
      readonly scope: string;
      readonly category: ExemptionCategory;
      readonly justification: string;
      readonly requestedBy: string;
      readonly expiresAt: string;
      readonly now: Date;
    }
  | { readonly kind: 'ApproveExemption'; readonly exemptionId: string; readonly approvedBy: string; readonly now: Date }
  | { readonly kind: 'RevokeExemption'; readonly exemptionId: string; readonly reason: string }
  | { readonly kind: 'ExpireExemption'; readonly exemptionId: string; readonly now: Date }
  /** A newer version of the library definition an assignment follows (the adoption sweep). */
  | { readonly kind: 'AdoptLibraryVersion'; readonly assignmentId: string; readonly version: number }
  /** Evaluate a library assignment with one version from now on (a rollback), or follow the latest again (`version` undefined). */
  | { readonly kind: 'PinLibraryVersion'; readonly assignmentId: string; readonly version?: number }
  | { readonly kind: 'SetAttestationPolicy'; readonly approvalRequired: boolean }
  | { readonly kind: 'SetCoveragePolicy'; readonly maxEvidenceAgeHours: number }
  | {
      readonly kind: 'SetReportingPolicy';
      /** Deprecated (the incident policy's choice now): left out, the recorded choice stays. */
      readonly incidentSeverities?: readonly Severity[];
      readonly notifySeverities: readonly Severity[];
    };

/** Exemptions are time-boxed: a waiver nobody re-reads is a hole nobody sees. */
export const MAX_EXEMPTION_DAYS = 366;

const SCOPE = /^(\*|\/subscriptions\/[^/\s]+(\/resourcegroups\/[^/\s]+)?)$/i;
const RESOURCE_KEY = /^\/subscriptions\/[^/\s]+\/.+$/i;
const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const tenantGuardrailsStreamId = (tenantId: string): string => streamIdFor(tenantId, 'guardrails', 'policy');

/** Whether a resource key falls under an assignment or exemption scope (keys are lowercase ARM ids). */
export const scopeCovers = (scope: string, resourceKey: string): boolean => {
  if (scope === '*') return true;
  const prefix = scope.toLowerCase().replace(/\/+$/, '');
  return resourceKey === prefix || resourceKey.startsWith(`${prefix}/`);
};

export const isExemptionInForce = (exemption: Exemption, now: Date): boolean =>
  exemption.status === 'active' && Date.parse(exemption.expiresAt) > now.getTime();

const checkExpiry = (expiresAt: string, now: Date): number | ReturnType<typeof reject> => {
  const expires = parseInstant(expiresAt)?.getTime();
  if (expires === undefined) return reject('invalid-expiry', 'expiresAt must be an ISO-8601 date-time, e.g. 2027-01-31T00:00:00Z');
  if (expires <= now.getTime()) return reject('expiry-in-past');
  if (expires - now.getTime() > MAX_EXEMPTION_DAYS * 86_400_000) return reject('expiry-too-far', `at most ${MAX_EXEMPTION_DAYS} days`);
  return expires;
};

const decide =
  (catalog: Catalog) =>
  (cmd: TenantGuardrailsCommand, state: TenantGuardrails): Decision<TenantGuardrailsEvent> => {
    switch (cmd.kind) {
      case 'AssignBaseline': {
        if (!ID.test(cmd.assignmentId)) return reject('invalid-assignment-id', 'lowercase letters, digits and dashes, up to 63');
        if (state.assignments.has(cmd.assignmentId)) return reject('duplicate-assignment', `assignment ${cmd.assignmentId} exists`);
        // `grp-<group>-…` and `rol-<rollout>-…` name what a tenant group or a staged rollout gives: no one else may take them
        const giver = cmd.group !== undefined ? `grp-${cmd.group}-` : cmd.rollout !== undefined ? `rol-${cmd.rollout}-` : undefined;
        const reserved = cmd.assignmentId.startsWith('grp-') || cmd.assignmentId.startsWith('rol-');
        if ((cmd.group !== undefined && cmd.rollout !== undefined) || reserved !== (giver !== undefined) || (giver !== undefined && !cmd.assignmentId.startsWith(giver))) {
          return reject('reserved-assignment-id', 'assignment ids starting grp- or rol- are the ones tenant groups and staged rollouts give');
        }
        const baseline = catalog.baselines.get(cmd.baselineId);
        if (!baseline) return reject('unknown-baseline', `no baseline ${cmd.baselineId}`);
        if (!SCOPE.test(cmd.scope)) return reject('invalid-scope', 'use *, /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<rg>');
        const parameters = cmd.parameters ?? {};
        if (cmd.initiativeParameters && !baseline.parameters) return reject('not-an-initiative', `${cmd.baselineId} is not an initiative: initiative parameters are for a standard or a library initiative`);
        const initiativeParameters = cmd.initiativeParameters && Object.keys(cmd.initiativeParameters).length ? cmd.initiativeParameters : undefined;
        if (initiativeParameters && baseline.parameters) {
          const declared = new Set(baseline.parameters.map((p) => p.toLowerCase()));
          const unknown = Object.keys(initiativeParameters).filter((p) => !declared.has(p.toLowerCase()));
          if (unknown.length) return reject('unknown-parameter', `${cmd.baselineId} has no parameter ${unknown.join(', ')}`);
        }
        for (const guardrailId of Object.keys(parameters)) {
          if (!baseline.guardrailIds.includes(guardrailId) || !catalog.guardrails.get(guardrailKeyOf(baseline, guardrailId))) {
            return reject('unknown-guardrail', `baseline ${baseline.id} has no guardrail ${guardrailId}`);
          }
        }
        // Every member whose values the assignment changes must still bind: refused here, not at each evaluation.
        for (const guardrailId of baseline.guardrailIds) {
          const values = parameters[guardrailId];
          const compiled = values || initiativeParameters ? catalog.guardrails.get(guardrailKeyOf(baseline, guardrailId)) : undefined;
          if (!compiled) continue;
          const fromInitiative = memberValuesFrom(compiled.guardrail, initiativeParameters);
          if (!values && Object.keys(fromInitiative).length === 0) continue;
          const bound = compiled.policy.bind({ ...compiled.guardrail.parameters, ...fromInitiative, ...values });
          if (!bound.ok) return reject('invalid-parameters', `${guardrailId}: ${bound.refusal.message}`);
        }
        const library = parseLibraryBaselineId(cmd.baselineId);
        // Following the latest: the id without a version is recorded, and the version in force now.
        const follows = library && library.version === undefined ? parseLibraryBaselineId(baseline.id) : undefined;
        return [
          {
            type: 'guardrails.BaselineAssigned.v1',
            data: {
              assignmentId: cmd.assignmentId,
              baselineId: follows ? libraryBaselineId(follows.name, undefined, follows.kind, follows.scope) : baseline.id,
              scope: cmd.scope.toLowerCase(),
              parameters,
              ...(initiativeParameters ? { initiativeParameters } : {}),
              ...(cmd.group ? { group: cmd.group } : {}),
              ...(cmd.rollout ? { rollout: cmd.rollout } : {}),
              ...(cmd.rollout && cmd.quietExisting ? { quietExisting: true } : {}),
              ...(follows?.version !== undefined ? { libraryVersion: follows.version } : {}),
            },
          },
        ];
      }
      case 'AdoptLibraryVersion':
      case 'PinLibraryVersion': {
        const assignment = state.assignments.get(cmd.assignmentId);
        if (!assignment) return reject('unknown-assignment', `no assignment ${cmd.assignmentId}`);
        // a group's assignment follows the group's choice; the adoption sweep keeps it current
        if (assignment.group && cmd.kind === 'PinLibraryVersion') return reject('assigned-by-group', `${cmd.assignmentId} comes with the tenant group ${assignment.group}`);
        if (assignment.rollout && cmd.kind === 'PinLibraryVersion') return reject('assigned-by-rollout', `${cmd.assignmentId} comes with the staged rollout ${assignment.rollout}`);
        const current = parseLibraryBaselineId(assignment.baselineId);
        if (!current) return reject('not-a-library-assignment', `assignment ${cmd.assignmentId} evaluates ${assignment.baselineId}, not a library definition or initiative`);
        if (cmd.kind === 'AdoptLibraryVersion') {
          // only forward, only for an assignment that follows: a pinned one stays where it was put
          if (!assignment.follows) return reject('assignment-pinned', `assignment ${cmd.assignmentId} is pinned to ${assignment.baselineId}`);
          if (current.version !== undefined && cmd.version <= current.version) return reject('version-not-newer', `assignment ${cmd.assignmentId} is at version ${current.version}`);
        }
        const wanted = catalog.baselines.get(libraryBaselineId(current.name, cmd.version, current.kind, current.scope));
        const target = wanted && parseLibraryBaselineId(wanted.id);
        if (!wanted || target?.version === undefined) {
          return reject('unknown-version', cmd.version === undefined ? `the library has no live ${current.kind} ${current.name}` : `the library has no version ${cmd.version} of the ${current.kind} ${current.name}`);
        }
        const follow = cmd.kind === 'AdoptLibraryVersion' || cmd.version === undefined;
        if (wanted.id === assignment.baselineId && follow === (assignment.follows !== undefined)) return [];
        return [
          {
            type: 'guardrails.LibraryVersionSet.v1',
            data: { assignmentId: cmd.assignmentId, baselineId: wanted.id, version: target.version, follow, change: cmd.kind === 'AdoptLibraryVersion' ? 'adopted' : follow ? 'followed' : 'pinned' },
          },
        ];
      }
      case 'UnassignBaseline': {
        const assignment = state.assignments.get(cmd.assignmentId);
        if (!assignment) return reject('unknown-assignment', `no assignment ${cmd.assignmentId}`);
        if (assignment.group !== cmd.group || assignment.rollout !== cmd.rollout) {
          if (assignment.group) return reject('assigned-by-group', `${cmd.assignmentId} comes with the tenant group ${assignment.group}: take it from the group, or the tenant out of it`);
          if (assignment.rollout) return reject('assigned-by-rollout', `${cmd.assignmentId} comes with the staged rollout ${assignment.rollout}: roll it back`);
          return reject('not-a-group-assignment', `${cmd.assignmentId} is the tenant's own`);
        }
        return [{ type: 'guardrails.BaselineUnassigned.v1', data: { assignmentId: cmd.assignmentId, baselineId: assignment.baselineId } }];
      }
      case 'RequestExemption': {
        if (!ID.test(cmd.exemptionId)) return reject('invalid-exemption-id', 'lowercase letters, digits and dashes, up to 63');
        if (state.exemptions.has(cmd.exemptionId)) return reject('duplicate-exemption', `exemption ${cmd.exemptionId} exists`);
        if (!catalog.guardrails.has(cmd.guardrailId)) return reject('unknown-guardrail', `no guardrail ${cmd.guardrailId}`);
        if (!SCOPE.test(cmd.scope) && !RESOURCE_KEY.test(cmd.scope)) return reject('invalid-scope', 'a resource id, /subscriptions/<id>[/resourceGroups/<rg>] or *');
        if (cmd.justification.trim().length < 10) return reject('justification-required', 'say why, in at least 10 characters');
        const expiry = checkExpiry(cmd.expiresAt, cmd.now);
        if (typeof expiry !== 'number') return expiry;
        return [
          {
            type: 'guardrails.ExemptionRequested.v1',
            data: {
              exemptionId: cmd.exemptionId,
              guardrailId: cmd.guardrailId,
              scope: cmd.scope === '*' ? '*' : cmd.scope.toLowerCase(),
              category: cmd.category,
              justification: cmd.justification.trim(),
              requestedBy: cmd.requestedBy,
              expiresAt: new Date(expiry).toISOString(),
            },
          },
        ];
      }
      case 'ApproveExemption': {
        const exemption = state.exemptions.get(cmd.exemptionId);
        if (!exemption) return reject('unknown-exemption');
        if (exemption.status !== 'requested') return reject('exemption-not-requested', `it is ${exemption.status}`);
        if (cmd.approvedBy.trim().toLowerCase() === exemption.requestedBy.trim().toLowerCase()) {
          return reject('approver-must-differ', 'an exemption needs a second person: the approver cannot be the requester');
        }
        const expiry = checkExpiry(exemption.expiresAt, cmd.now);
        if (typeof expiry !== 'number') return expiry;
        return [{ type: 'guardrails.ExemptionGranted.v1', data: { exemptionId: cmd.exemptionId, approvedBy: cmd.approvedBy } }];
      }
      case 'RevokeExemption': {
        const exemption = state.exemptions.get(cmd.exemptionId);
        if (!exemption) return reject('unknown-exemption');
        if (exemption.status !== 'active' && exemption.status !== 'requested') return reject('exemption-not-active', `it is ${exemption.status}`);
        const reason = cmd.reason.trim();
        if (!reason) return reject('reason-required', 'say why the exemption ends: the customer and the auditor read it');
        if (reason.length > 2_000) return reject('reason-too-long', 'at most 2,000 characters');
        return [{ type: 'guardrails.ExemptionRevoked.v1', data: { exemptionId: cmd.exemptionId, reason } }];
      }
      case 'ExpireExemption': {
        const exemption = state.exemptions.get(cmd.exemptionId);
        if (!exemption) return reject('unknown-exemption');
        if (exemption.status !== 'active') return reject('exemption-not-active', `it is ${exemption.status}`);
        if (Date.parse(exemption.expiresAt) > cmd.now.getTime()) return reject('not-yet-expired', `it expires at ${exemption.expiresAt}`);
        return [{ type: 'guardrails.ExemptionExpired.v1', data: { exemptionId: cmd.exemptionId, expiredAt: exemption.expiresAt } }];
      }
      case 'SetAttestationPolicy':
        return cmd.approvalRequired === state.attestationApprovalRequired ? [] : [{ type: 'guardrails.AttestationPolicySet.v1', data: { approvalRequired: cmd.approvalRequired } }];
      case 'SetCoveragePolicy': {
        const invalid = checkMaxEvidenceAge(cmd.maxEvidenceAgeHours);
        if (invalid) return invalid;
        return cmd.maxEvidenceAgeHours === state.maxEvidenceAgeHours ? [] : [{ type: 'guardrails.CoveragePolicySet.v1', data: { maxEvidenceAgeHours: cmd.maxEvidenceAgeHours } }];
      }
      case 'SetReportingPolicy': {
        const incidentSeverities = cmd.incidentSeverities ?? state.reporting.incidentSeverities;
        const all = [...incidentSeverities, ...cmd.notifySeverities];
        if (!all.every((s) => SEVERITIES.includes(s))) return reject('invalid-severity', `severities are ${SEVERITIES.join(', ')}`);
        const order = (list: readonly Severity[]) => SEVERITIES.filter((s) => list.includes(s)).reverse();
        return [{ type: 'guardrails.ReportingPolicySet.v1', data: { incidentSeverities: order(incidentSeverities), notifySeverities: order(cmd.notifySeverities) } }];
      }
    }
  };

/**
 * What a tenant would record for this assignment, decided by the tenant policy's own rule on an
 * empty policy: how a group's or a rollout's assignment is checked once, for every tenant it reaches.
 */
export const assignmentAsTenantWould = (catalog: Catalog, command: Omit<Extract<TenantGuardrailsCommand, { kind: 'AssignBaseline' }>, 'kind'>): BaselineAssigned['data'] | ReturnType<typeof reject> => {
  const decided = decide(catalog)({ kind: 'AssignBaseline', ...command }, initialTenantGuardrails());
  if (isRejection(decided)) return decided;
  const [recorded] = decided;
  return recorded?.type === 'guardrails.BaselineAssigned.v1' ? recorded.data : reject('unexpected');
};

/** The assignment a BaselineAssigned records: a following library assignment evaluates the version in force. */
export const assignmentOf = (data: BaselineAssigned['data']): Assignment => {
  const { libraryVersion, ...assignment } = data;
  return libraryVersion === undefined ? assignment : { ...assignment, baselineId: `${assignment.baselineId}@${libraryVersion}`, follows: assignment.baselineId };
};

/** An assignment after LibraryVersionSet: the version it evaluates, and whether it follows the latest. */
export const withLibraryVersion = <A extends Assignment>(assignment: A, data: LibraryVersionSet['data']): A => {
  const { follows: _follows, ...rest } = assignment;
  const parsed = parseLibraryBaselineId(data.baselineId);
  return (data.follow && parsed ? { ...rest, baselineId: data.baselineId, follows: libraryBaselineId(parsed.name, undefined, parsed.kind, parsed.scope) } : { ...rest, baselineId: data.baselineId }) as A;
};

export const evolveTenantGuardrails = (state: TenantGuardrails, event: TenantGuardrailsEvent): TenantGuardrails => {
  switch (event.type) {
    case 'guardrails.BaselineAssigned.v1':
      return { ...state, assignments: new Map(state.assignments).set(event.data.assignmentId, assignmentOf(event.data)) };
    case 'guardrails.LibraryVersionSet.v1': {
      const current = state.assignments.get(event.data.assignmentId);
      return current ? { ...state, assignments: new Map(state.assignments).set(current.assignmentId, withLibraryVersion(current, event.data)) } : state;
    }
    case 'guardrails.BaselineUnassigned.v1': {
      const assignments = new Map(state.assignments);
      assignments.delete(event.data.assignmentId);
      return { ...state, assignments };
    }
    case 'guardrails.ExemptionRequested.v1':
      return { ...state, exemptions: new Map(state.exemptions).set(event.data.exemptionId, { ...event.data, status: 'requested', approvedBy: null }) };
    case 'guardrails.ExemptionGranted.v1': {
      const current = state.exemptions.get(event.data.exemptionId);
      if (!current) return state;
      return { ...state, exemptions: new Map(state.exemptions).set(current.exemptionId, { ...current, status: 'active', approvedBy: event.data.approvedBy }) };
    }
    case 'guardrails.ExemptionRevoked.v1':
    case 'guardrails.ExemptionExpired.v1': {
      const current = state.exemptions.get(event.data.exemptionId);
      if (!current) return state;
      const status = event.type === 'guardrails.ExemptionRevoked.v1' ? 'revoked' : 'expired';
      return { ...state, exemptions: new Map(state.exemptions).set(current.exemptionId, { ...current, status }) };
    }
    case 'guardrails.ReportingPolicySet.v1':
      return { ...state, reporting: event.data };
    case 'guardrails.AttestationPolicySet.v1':
      return { ...state, attestationApprovalRequired: event.data.approvalRequired };
    case 'guardrails.CoveragePolicySet.v1':
      return { ...state, maxEvidenceAgeHours: event.data.maxEvidenceAgeHours };
    default:
      return state;
  }
};

export const initialTenantGuardrails = (): TenantGuardrails => ({ assignments: new Map(), exemptions: new Map(), reporting: DEFAULT_REPORTING_POLICY, attestationApprovalRequired: false, maxEvidenceAgeHours: DEFAULT_MAX_EVIDENCE_AGE_HOURS });

export const tenantGuardrailsDecider = (catalog: Catalog): Decider<TenantGuardrailsCommand, TenantGuardrails, TenantGuardrailsEvent> => ({
  decide: decide(catalog),
  evolve: evolveTenantGuardrails,
  initialState: initialTenantGuardrails,
});
