// Compliance per control of a standard, as Defender for Cloud's regulatory compliance dashboard
// shows it: for each control, how many resources pass, fail, are not applicable or could not be
// evaluated, and the control's state. Pure: the caller brings the compliance entries of the
// standard's assignments (from the read model now, or folded from the log as of an instant).
import type { EvidenceFileRef, PostureState } from '../events';
import type { Refusal } from '../rule-engine/errors';
import type { MemberKind, Standard, StandardControl } from './standard';

export type ControlState = 'failed' | 'passed' | 'attested' | 'manual' | 'notApplicable' | 'notEvaluable';
export const CONTROL_STATES: readonly ControlState[] = ['failed', 'notEvaluable', 'passed', 'attested', 'manual', 'notApplicable'];

export interface ResourceCounts {
  readonly passed: number;
  readonly failed: number;
  readonly notApplicable: number;
  readonly notEvaluable: number;
  readonly exempt: number;
}

/** What a control's state is decided from. */
export interface ControlFacts {
  /** Members the engine is meant to evaluate (neither manual nor data-plane). */
  readonly automated: number;
  /** Automated members it cannot evaluate (refused at compile time). */
  readonly refused: number;
  /** Resources (or, for a series, (resource, member) pairs) per outcome. */
  readonly failed: number;
  readonly notEvaluable: number;
  readonly passed: number;
  readonly exempt: number;
  /** An attestation holds for it. */
  readonly attested?: boolean;
}

/**
 * The control's state:
 * - failed: some resource fails one of its members (whatever else is true);
 * - attested: none of its members can be evaluated on resources, and an attestation holds for it —
 *   a named person's evidence, counted as met until it expires or is revoked;
 * - manual: none of its members can be evaluated on resources (all manual, Static or data-plane,
 *   or it has none) and no attestation holds — it needs one, and is never passed;
 * - notEvaluable: something it asks for could not be evaluated (a member the engine refuses, or a
 *   resource whose evaluation errored) — not known to pass;
 * - passed: members were evaluated, some resource passed (or is exempt) and none failed;
 * - notApplicable: nothing it checks applies to any resource in scope.
 */
export const controlState = (f: ControlFacts): ControlState => {
  if (f.failed > 0) return 'failed';
  if (f.automated === 0) return f.attested ? 'attested' : 'manual';
  if (f.refused > 0 || f.notEvaluable > 0) return 'notEvaluable';
  if (f.passed > 0 || f.exempt > 0) return 'passed';
  return 'notApplicable';
};

/** What the compiled standard says about its members: which the engine evaluates, which it refused. */
export interface Evaluability {
  readonly guardrails: { has(guardrailId: string): boolean };
  readonly refused: ReadonlyMap<string, Refusal>;
}

/** One compliance entry of the standard: what a member says about a resource (notApplicable entries are absent). */
export interface StandardEntry {
  readonly resourceKey: string;
  readonly resourceId: string;
  readonly resourceType: string;
  readonly guardrailId: string;
  readonly state: Exclude<PostureState, 'notApplicable'>;
  readonly reason: string;
  readonly exemptionId: string | null;
}

export interface MemberCompliance {
  readonly guardrailId: string;
  readonly displayName: string;
  readonly kind: MemberKind;
  /** Automated and compiled: its results count. */
  readonly evaluable: boolean;
  readonly refusal: Refusal | null;
  readonly compliant: number;
  readonly nonCompliant: number;
  readonly error: number;
  readonly exempt: number;
}

export interface FailingResource {
  readonly resourceKey: string;
  readonly resourceId: string;
  readonly resourceType: string;
  /** The members it fails, with why. */
  readonly failures: readonly { readonly guardrailId: string; readonly reason: string }[];
}

/** An attestation that holds for a control, as the per-control views show it. */
export interface ControlAttestation {
  readonly attestationId: string;
  readonly statement: string;
  readonly attestedBy: string;
  readonly approvedBy: string | null;
  readonly validUntil: string;
  readonly evidence: readonly EvidenceFileRef[];
}

/** Of several attestations holding for one control, the one that holds longest speaks for it. */
export const attestationsByControl = <A extends ControlAttestation & { readonly controlId: string }>(holding: Iterable<A>): Map<string, A> => {
  const byControl = new Map<string, A>();
  for (const a of holding) {
    const key = a.controlId.toLowerCase();
    const seen = byControl.get(key);
    if (!seen || a.validUntil > seen.validUntil || (a.validUntil === seen.validUntil && a.attestationId < seen.attestationId)) byControl.set(key, a);
  }
  return byControl;
};

export interface ControlCompliance {
  readonly control: StandardControl;
  readonly state: ControlState;
  /** The attestation holding for it, if any (it decides the state only where no rule checks the control). */
  readonly attestation: ControlAttestation | null;
  readonly resources: ResourceCounts;
  readonly definitions: { readonly total: number; readonly automated: number; readonly refused: number; readonly manual: number; readonly dataPlane: number };
  readonly members: readonly MemberCompliance[];
  /** Resources that fail it, worst first (most failing members), then by id. */
  readonly failing: readonly FailingResource[];
}

export interface StandardComplianceResult {
  readonly standardId: string;
  readonly controls: readonly ControlCompliance[];
  /** How many controls are in each state. */
  readonly states: Readonly<Record<ControlState, number>>;
  /** (passed + attested) / (passed + attested + failed + notEvaluable) controls, 0..1; null when none was assessable. */
  readonly score: number | null;
  readonly resourcesInScope: number;
}

const RANK: Record<StandardEntry['state'], number> = { nonCompliant: 3, error: 2, compliant: 1, exempt: 0 };

export const standardScore = (states: Readonly<Record<ControlState, number>>): number | null => {
  const met = states.passed + states.attested;
  const denominator = met + states.failed + states.notEvaluable;
  return denominator === 0 ? null : met / denominator;
};

const countStates = (states: Iterable<ControlState>): Record<ControlState, number> => {
  const counts: Record<ControlState, number> = { failed: 0, notEvaluable: 0, passed: 0, attested: 0, manual: 0, notApplicable: 0 };
  for (const s of states) counts[s]++;
  return counts;
};

/**
 * Per-control compliance of a standard from the compliance entries of its assignments and the
 * number of resources in their scopes (not-applicable = in scope, touched by no member), and the
 * attestations holding per control (keyed by lowercase control id, see attestationsByControl).
 */
export const standardCompliance = (
  standard: Standard,
  evaluability: Evaluability,
  entries: readonly StandardEntry[],
  resourcesInScope: number,
  attestations: ReadonlyMap<string, ControlAttestation> = new Map(),
): StandardComplianceResult => {
  const membersById = new Map(standard.members.map((m) => [m.guardrailId, m]));
  const byMember = new Map<string, StandardEntry[]>();
  for (const e of entries) {
    const list = byMember.get(e.guardrailId);
    if (list) list.push(e);
    else byMember.set(e.guardrailId, [e]);
  }

  const controls = standard.controls.map((control): ControlCompliance => {
    const members = control.memberIds.map((id): MemberCompliance => {
      const member = membersById.get(id);
      const counts = { compliant: 0, nonCompliant: 0, error: 0, exempt: 0 };
      for (const e of byMember.get(id) ?? []) counts[e.state]++;
      return {
        guardrailId: id,
        displayName: member?.displayName ?? id,
        kind: member?.kind ?? 'automated',
        evaluable: member?.kind === 'automated' && evaluability.guardrails.has(id),
        refusal: evaluability.refused.get(id) ?? null,
        ...counts,
      };
    });
    // A resource's outcome for the control: the worst of what its members say.
    const perResource = new Map<string, { worst: StandardEntry; failures: { guardrailId: string; reason: string }[] }>();
    for (const id of control.memberIds) {
      for (const e of byMember.get(id) ?? []) {
        const seen = perResource.get(e.resourceKey);
        if (!seen) perResource.set(e.resourceKey, { worst: e, failures: e.state === 'nonCompliant' ? [{ guardrailId: id, reason: e.reason }] : [] });
        else {
          if (RANK[e.state] > RANK[seen.worst.state]) seen.worst = e;
          if (e.state === 'nonCompliant') seen.failures.push({ guardrailId: id, reason: e.reason });
        }
      }
    }
    const counted = { passed: 0, failed: 0, notEvaluable: 0, exempt: 0 };
    for (const { worst } of perResource.values()) {
      if (worst.state === 'nonCompliant') counted.failed++;
      else if (worst.state === 'error') counted.notEvaluable++;
      else if (worst.state === 'compliant') counted.passed++;
      else counted.exempt++;
    }
    const automated = members.filter((m) => m.kind === 'automated').length;
    const refused = members.filter((m) => m.kind === 'automated' && !m.evaluable).length;
    const failing = [...perResource.values()]
      .filter((r) => r.failures.length > 0)
      .map(({ worst, failures }) => ({ resourceKey: worst.resourceKey, resourceId: worst.resourceId, resourceType: worst.resourceType, failures }))
      .sort((a, b) => b.failures.length - a.failures.length || (a.resourceKey < b.resourceKey ? -1 : 1));
    const held = attestations.get(control.id.toLowerCase());
    const attestation: ControlAttestation | null = held
      ? { attestationId: held.attestationId, statement: held.statement, attestedBy: held.attestedBy, approvedBy: held.approvedBy, validUntil: held.validUntil, evidence: held.evidence }
      : null;
    return {
      control,
      state: controlState({ automated, refused, ...counted, attested: attestation !== null }),
      attestation,
      resources: { ...counted, notApplicable: Math.max(0, resourcesInScope - perResource.size) },
      definitions: {
        total: members.length,
        automated,
        refused,
        manual: members.filter((m) => m.kind === 'manual').length,
        dataPlane: members.filter((m) => m.kind === 'data-plane').length,
      },
      members,
      failing,
    };
  });
  const states = countStates(controls.map((c) => c.state));
  return { standardId: standard.id, controls, states, score: standardScore(states), resourcesInScope };
};

/**
 * Control states kept current as compliance entries change, for a score over time: one pass over
 * the log, a point per hour or day. A state depends only on how many (resource, member) pairs are
 * in each state per member, so the same rules give the same states as standardCompliance.
 */
export class ControlStateTracker {
  private readonly counts = new Map<string, { compliant: number; nonCompliant: number; error: number; exempt: number }>();
  private readonly controls: readonly { readonly key: string; readonly memberIds: readonly string[]; readonly automated: number; readonly refused: number }[];
  /** Controls (lowercase id) an attestation holds for now. */
  private attested: ReadonlySet<string> = new Set();

  constructor(standard: Standard, evaluability: Evaluability) {
    const kinds = new Map(standard.members.map((m) => [m.guardrailId, m.kind]));
    this.controls = standard.controls.map((c) => {
      const automatedIds = c.memberIds.filter((id) => (kinds.get(id) ?? 'automated') === 'automated');
      return { key: c.id.toLowerCase(), memberIds: automatedIds, automated: automatedIds.length, refused: automatedIds.filter((id) => !evaluability.guardrails.has(id)).length };
    });
  }

  /** An entry of the standard appeared (+1) or went (-1). */
  add(entry: Pick<StandardEntry, 'guardrailId' | 'state'> | null | undefined, delta: 1 | -1): void {
    if (!entry) return;
    let c = this.counts.get(entry.guardrailId);
    if (!c) this.counts.set(entry.guardrailId, (c = { compliant: 0, nonCompliant: 0, error: 0, exempt: 0 }));
    c[entry.state] += delta;
  }

  /** The controls (lowercase ids) attestations hold for from now on. */
  attest(controls: ReadonlySet<string>): void {
    this.attested = controls;
  }

  states(): Record<ControlState, number> {
    return countStates(
      this.controls.map((c) => {
        const facts = { automated: c.automated, refused: c.refused, failed: 0, notEvaluable: 0, passed: 0, exempt: 0, attested: this.attested.has(c.key) };
        for (const id of c.memberIds) {
          const n = this.counts.get(id);
          if (!n) continue;
          facts.failed += n.nonCompliant;
          facts.notEvaluable += n.error;
          facts.passed += n.compliant;
          facts.exempt += n.exempt;
        }
        return controlState(facts);
      }),
    );
  }
}
