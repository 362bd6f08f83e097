// Azure's own compliance states for a tenant's subscriptions, as Resource Graph holds them
// (`policyresources`, type `microsoft.policyinsights/policystates`): what Azure Policy says about
// each resource and each assigned definition — read to compare with Rampart's verdicts, the honest
// measure of its fidelity on a live estate. Read only; nothing here is recorded.
import { scanResourceGraph, type ResourceGraphSourceOptions, type SubscriptionFailure } from './resource-graph-source';

export const POLICY_STATES_TABLE = 'policyresources';

/** Azure's verdict on one resource for one assigned definition (in an initiative, one of its members). */
export interface AzurePolicyState {
  readonly resourceId: string;
  /** Lowercase, as Rampart keys resources. */
  readonly resourceKey: string;
  readonly resourceType: string;
  readonly policyAssignmentId: string;
  readonly policyDefinitionId: string;
  /** The definition's name (a built-in's GUID), lowercase. */
  readonly policyDefinitionName: string;
  readonly policySetDefinitionId: string | null;
  /** The initiative's name (a built-in's GUID), lowercase. */
  readonly policySetDefinitionName: string | null;
  readonly policyDefinitionReferenceId: string | null;
  /** `Compliant`, `NonCompliant`, `Exempt`, `Unknown`, `Conflict`, … as Azure reports it. */
  readonly complianceState: string;
  readonly timestamp: string | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);
const lastSegment = (id: string): string => id.split('/').filter(Boolean).pop()?.toLowerCase() ?? '';

/** One Resource Graph row as a state; undefined for a row without what a comparison needs. */
export const policyStateOf = (row: Record<string, unknown>): AzurePolicyState | undefined => {
  const p = (row['properties'] ?? {}) as Record<string, unknown>;
  const resourceId = text(p['resourceId']);
  const policyDefinitionId = text(p['policyDefinitionId']);
  const complianceState = text(p['complianceState']);
  if (!resourceId || !policyDefinitionId || !complianceState) return undefined;
  const setId = text(p['policySetDefinitionId']);
  return {
    resourceId,
    resourceKey: resourceId.toLowerCase(),
    resourceType: (text(p['resourceType']) ?? '').toLowerCase(),
    policyAssignmentId: text(p['policyAssignmentId']) ?? '',
    policyDefinitionId,
    policyDefinitionName: lastSegment(policyDefinitionId),
    policySetDefinitionId: setId,
    policySetDefinitionName: setId ? lastSegment(setId) : null,
    policyDefinitionReferenceId: text(p['policyDefinitionReferenceId']),
    complianceState,
    timestamp: text(p['timestamp']),
  };
};

export interface PolicyStatesRead {
  readonly states: AzurePolicyState[];
  /** Rows without a resource, definition or state: counted, not compared. */
  readonly malformed: number;
  readonly failures: SubscriptionFailure[];
}

/** Every policy state of the subscriptions (paged, throttling honoured, a failing subscription reported apart). */
export const readPolicyStates = async (subscriptions: readonly string[], options: ResourceGraphSourceOptions): Promise<PolicyStatesRead> => {
  const scan = scanResourceGraph([...subscriptions], [POLICY_STATES_TABLE], options);
  const states: AzurePolicyState[] = [];
  let malformed = 0;
  for await (const page of scan.pages) {
    for (const row of page.rows) {
      const state = policyStateOf(row);
      if (state) states.push(state);
      else malformed++;
    }
  }
  return { states, malformed, failures: scan.failures };
};
