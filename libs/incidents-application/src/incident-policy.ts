// A tenant's incident policy: reading it (with the finding severities that hold for it, whoever chose
// them) and changing it. The GraphQL mutation and the deprecated incident severities of guardrails'
// reporting policy both change it here, under the one standing rule.
import { handleCommand, type CommandOutcome } from '@rampart/event-sourcing';
import {
  DEFAULT_INCIDENT_POLICY,
  findingSeverities,
  INCIDENT_COMMAND_INTENTS,
  incidentPolicyDecider,
  incidentPolicyFrom,
  incidentPolicyStreamId,
  type IncidentPolicy,
  type IncidentPolicySet,
  type SetIncidentPolicy,
} from '@rampart/incidents';
import type { Stores } from '@rampart/runtime';
import type { CommandCause, IncidentsDeps } from './raise-signal';

/**
 * A tenant's incident policy (SLA targets, pre-approved actions, correlation window, finding
 * severities, approval lifetime): its small stream folded, what an older event lacks by its default.
 */
export const incidentPolicyOf = async (stores: Pick<Stores, 'eventStore'>, tenantId: string): Promise<IncidentPolicy> => {
  const events = await stores.eventStore.readStream(incidentPolicyStreamId(tenantId), { direction: 'backwards', maxCount: 1 });
  return events.length ? incidentPolicyFrom((events[0] as unknown as IncidentPolicySet).data) : DEFAULT_INCIDENT_POLICY;
};

/** The finding severities that open an incident for the tenant now, and whose choice they are. */
export const findingSeveritiesOf = async (deps: Pick<IncidentsDeps, 'stores' | 'reportingChoice'>, tenantId: string, policy?: IncidentPolicy) => {
  const current = policy ?? (await incidentPolicyOf(deps.stores, tenantId));
  return findingSeverities({ policy: current, reportingChoice: current.findingSeverities || !deps.reportingChoice ? undefined : await deps.reportingChoice(tenantId) });
};

/** Changes what is given of the policy; the rest stays. A tenant whose standing refuses posture changes changes nothing. */
export const setIncidentPolicy = async (
  deps: Pick<IncidentsDeps, 'stores' | 'standing'>,
  tenantId: string,
  command: SetIncidentPolicy,
  cause: CommandCause,
): Promise<CommandOutcome<IncidentPolicySet>> => {
  const refused = await deps.standing(tenantId, INCIDENT_COMMAND_INTENTS[command.kind]);
  if (refused) return { ok: false, rejection: refused, attempts: 0 };
  return handleCommand(deps.stores.eventStore, incidentPolicyDecider, incidentPolicyStreamId(tenantId), command, { tenantId, ...cause });
};
