// A tenant group's compliance, across its members: which customers fail most, and which controls
// fail in the most customers. Pure: each member's score (posture/score.ts) comes in.
import type { Framework } from '../catalog/guardrail';
import type { ComplianceScore } from './score';

export interface GroupMemberCompliance {
  readonly tenantId: string;
  readonly compliant: number;
  readonly nonCompliant: number;
  readonly error: number;
  readonly score: number | null;
}

export interface GroupControlCompliance {
  readonly framework: Framework;
  readonly control: string;
  /** Members with at least one non-compliant resource/guardrail pair for it. */
  readonly failingTenants: number;
  /** Members it was evaluated in. */
  readonly tenants: number;
  readonly nonCompliant: number;
}

export interface GroupCompliance {
  /** Failing most first (non-compliant pairs), then by tenant id. */
  readonly members: readonly GroupMemberCompliance[];
  /** Failing in the most members first, then the most non-compliant pairs. */
  readonly controls: readonly GroupControlCompliance[];
}

export const groupCompliance = (scores: readonly { readonly tenantId: string; readonly score: ComplianceScore }[]): GroupCompliance => {
  const members = scores
    .map(({ tenantId, score }) => ({ tenantId, compliant: score.overall.compliant, nonCompliant: score.overall.nonCompliant, error: score.overall.error, score: score.overall.score }))
    .sort((a, b) => b.nonCompliant - a.nonCompliant || a.tenantId.localeCompare(b.tenantId));
  const controls = new Map<string, { framework: Framework; control: string; failingTenants: number; tenants: number; nonCompliant: number }>();
  for (const { score } of scores) {
    for (const framework of score.frameworks) {
      for (const c of framework.controls) {
        const key = `${framework.framework}|${c.control}`;
        const held = controls.get(key) ?? { framework: framework.framework, control: c.control, failingTenants: 0, tenants: 0, nonCompliant: 0 };
        held.tenants++;
        held.nonCompliant += c.nonCompliant;
        if (c.nonCompliant > 0) held.failingTenants++;
        controls.set(key, held);
      }
    }
  }
  return {
    members,
    controls: [...controls.values()].sort(
      (a, b) => b.failingTenants - a.failingTenants || b.nonCompliant - a.nonCompliant || a.framework.localeCompare(b.framework) || a.control.localeCompare(b.control, 'en', { numeric: true }),
    ),
  };
};
