// A tenant's compliance with one of Azure's regulatory standards, per control, as Defender for
// Cloud's regulatory compliance dashboard shows it — now, from the read models. The same answer
// as of any past instant comes from history.ts, folded from the log; both end in
// `standardCompliance` of the guardrails context.
import {
  attestationHolds,
  attestationsByControl,
  builtInCatalog,
  scopeCovers,
  notEvaluatedKeys,
  staleReason,
  standardCompliance,
  summarizeCoverage,
  type AttestationEntry,
  type Coverage,
  type CoverageSummary,
  type ComplianceEntry,
  type CompiledStandard,
  type StandardComplianceResult,
  type StandardSummary,
  type TenantGuardrailsEntry,
} from '@rampart/guardrails';
import { READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';

export interface StandardAssignmentRef {
  readonly assignmentId: string;
  readonly scope: string;
}

export interface TenantStandardCompliance extends StandardComplianceResult {
  readonly tenantId: string;
  readonly standard: StandardSummary;
  /** Null: now (the read models); else the instant it was rebuilt at. */
  readonly asOf: string | null;
  /** The tenant's assignments of the standard (none: it was not assigned then). */
  readonly assignments: readonly StandardAssignmentRef[];
  /**
   * Proof of coverage over the resources in the assignments' scopes: those whose evidence is older
   * than the interval are counted not evaluable, never passed. Null when not computed.
   */
  readonly coverage: (CoverageSummary & { readonly maxEvidenceAgeHours: number; readonly evaluatedThrough: string | null }) | null;
}

/** The compiled standard of that id, or undefined when there is none. */
export const compiledStandard = (standardId: string): CompiledStandard | undefined => {
  const standards = builtInCatalog().standards;
  return standards?.has(standardId) ? standards.compiled(standardId) : undefined;
};

/** Puts a standard's result together: shared by "now" and "as of". */
export const assembleStandardCompliance = (
  tenantId: string,
  compiled: CompiledStandard,
  assignments: readonly StandardAssignmentRef[],
  entries: readonly ComplianceEntry[],
  resourcesInScope: number,
  asOf: string | null,
  /** The tenant's attestations of the standard's controls (any status): those holding at `asOf` (or now) count. */
  attestations: readonly AttestationEntry[] = [],
  /** The tenant's proof of coverage at the same instant. */
  coverage?: Coverage,
): TenantStandardCompliance => {
  const at = asOf ? new Date(asOf) : new Date();
  // a verdict resting on stale evidence is reported as not evaluated, never as passing
  const stale = coverage ? notEvaluatedKeys(coverage) : new Set<string>();
  const maxEvidenceAgeHours = coverage?.maxEvidenceAgeHours ?? 0;
  const staleOf = new Map(coverage?.perResource.filter((r) => stale.has(r.resourceKey)).map((r) => [r.resourceKey, r]) ?? []);
  const judged = stale.size
    ? entries.map((e) => {
        const r = staleOf.get(e.resourceKey);
        return r && e.state === 'compliant' ? { ...e, state: 'error' as const, reason: staleReason(r, maxEvidenceAgeHours) } : e;
      })
    : entries;
  const scopes = assignments.map((a) => a.scope);
  const inScope = coverage && scopes.length ? coverage.perResource.filter((r) => scopes.some((s) => scopeCovers(s, r.resourceKey))) : [];
  const holding = attestationsByControl(attestations.filter((a) => a.standardId === compiled.standard.id && attestationHolds(a, at)));
  const { controls: _controls, members: _members, parameters: _parameters, ...standard } = compiled.standard;
  return {
    tenantId,
    standard,
    asOf,
    assignments,
    coverage: coverage ? { ...summarizeCoverage(inScope), maxEvidenceAgeHours: coverage.maxEvidenceAgeHours, evaluatedThrough: coverage.evaluatedThrough } : null,
    ...standardCompliance(compiled.standard, compiled, judged, resourcesInScope, holding),
  };
};

/** How many of the keys fall under at least one of the scopes. */
export const countInScopes = (keys: Iterable<string>, scopes: readonly string[]): number => {
  let n = 0;
  for (const key of keys) if (scopes.some((s) => scopeCovers(s, key))) n++;
  return n;
};

/**
 * A tenant's per-control compliance with a standard now. Undefined when no standard has that id;
 * a standard the tenant has not assigned answers with no assignments and nothing evaluated.
 */
export const tenantStandardCompliance = async (
  stores: Pick<Stores, 'readModels'>,
  tenantId: string,
  standardId: string,
  schema = READ_MODEL_SCHEMA,
  coverage?: Coverage,
): Promise<TenantStandardCompliance | undefined> => {
  const compiled = compiledStandard(standardId);
  if (!compiled) return undefined;
  const policy = await stores.readModels.query<{ doc: TenantGuardrailsEntry }>(`SELECT doc FROM "${schema}".tenant_guardrails WHERE id = $1`, [tenantId]);
  const assignments = (policy.rows[0]?.doc.assignments ?? []).filter((a) => a.baselineId === standardId).map((a) => ({ assignmentId: a.assignmentId, scope: a.scope }));
  if (assignments.length === 0) return assembleStandardCompliance(tenantId, compiled, [], [], 0, null);
  const { rows } = await stores.readModels.query<{ doc: ComplianceEntry }>(
    `SELECT doc FROM "${schema}".compliance WHERE tenant_id = $1 AND doc->>'baselineId' = $2 ORDER BY id`,
    [tenantId, standardId],
  );
  const attested = await stores.readModels.query<{ doc: AttestationEntry }>(
    `SELECT doc FROM "${schema}".attestations WHERE tenant_id = $1 AND doc->>'standardId' = $2 AND doc->>'status' = 'active'`,
    [tenantId, standardId],
  );
  const scopes = assignments.map((a) => a.scope);
  let inScope: number;
  if (scopes.includes('*')) {
    const all = await stores.readModels.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".resource_inventory WHERE tenant_id = $1`, [tenantId]);
    inScope = Number(all.rows[0]?.n ?? 0);
  } else {
    const prefixes = scopes.map((s) => s.toLowerCase().replace(/\/+$/, ''));
    const some = await stores.readModels.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${schema}".resource_inventory r
       WHERE r.tenant_id = $1 AND EXISTS (SELECT 1 FROM unnest($2::text[]) p WHERE r.doc->>'resourceKey' = p OR starts_with(r.doc->>'resourceKey', p || '/'))`,
      [tenantId, prefixes],
    );
    inScope = Number(some.rows[0]?.n ?? 0);
  }
  return assembleStandardCompliance(
    tenantId,
    compiled,
    assignments,
    rows.map((r) => r.doc),
    inScope,
    null,
    attested.rows.map((r) => r.doc),
    coverage,
  );
};
