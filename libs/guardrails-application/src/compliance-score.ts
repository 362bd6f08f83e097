// A tenant's compliance score now, from the compliance read model: counts per baseline, guardrail
// and state, scored per baseline, framework and control by the guardrails context (the provider's
// library included: its guardrails count for the controls their definitions name).
import { complianceScore, type ComplianceScore, type StateCount } from '@rampart/guardrails';
import { READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';
import { catalogWithLibrary } from './library-catalog';

/**
 * `notEvaluated`: resources whose evidence is older than the tenant's interval (proof of coverage):
 * what they pass counts as not evaluable, never as compliant.
 */
export const tenantComplianceScore = async (
  stores: Pick<Stores, 'readModels' | 'eventStore'>,
  tenantId: string,
  schema = READ_MODEL_SCHEMA,
  notEvaluated: ReadonlySet<string> = new Set(),
): Promise<ComplianceScore> => {
  const { rows } = await stores.readModels.query<{ baseline_id: string; guardrail_id: string; state: StateCount['state']; n: number }>(
    `SELECT doc->>'baselineId' AS baseline_id, doc->>'guardrailId' AS guardrail_id,
            CASE WHEN doc->>'state' = 'compliant' AND doc->>'resourceKey' = ANY($2::text[]) THEN 'error' ELSE doc->>'state' END AS state,
            count(*)::int AS n
     FROM "${schema}".compliance WHERE tenant_id = $1 GROUP BY 1, 2, 3`,
    [tenantId, [...notEvaluated]],
  );
  return complianceScore(await catalogWithLibrary(stores.eventStore, undefined, tenantId), rows.map((r) => ({ baselineId: r.baseline_id, guardrailId: r.guardrail_id, state: r.state, count: Number(r.n) })));
};
