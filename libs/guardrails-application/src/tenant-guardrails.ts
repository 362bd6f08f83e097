// The guardrails use case every edge calls to change what a tenant is held to (assign or unassign
// a baseline or standard, grant or revoke an exemption, set the reporting policy): tenancy's
// standing rule first, then the tenant's guardrail policy decides. The GraphQL API, the CLI and the
// demo call this, so the rule holds once for all of them.
import { handleCommand, type CommandContext, type CommandOutcome, type EventStore, type TenantStanding } from '@rampart/event-sourcing';
import { catalogWithLibrary } from './library-catalog';
import {
  GUARDRAILS_COMMAND_INTENTS,
  tenantGuardrailsDecider,
  tenantGuardrailsStreamId,
  type Catalog,
  type TenantGuardrailsCommand,
  type TenantGuardrailsEvent,
} from '@rampart/guardrails';

export interface TenantGuardrailsDeps {
  readonly eventStore: EventStore;
  readonly standing: TenantStanding;
  /** Default: the built-in catalog with the provider's library and the tenant's own. */
  readonly catalog?: Catalog;
}

/** Refused by the tenant's standing (nothing appended), or the policy decider's outcome. */
export const changeTenantGuardrails = async (
  deps: TenantGuardrailsDeps,
  context: CommandContext,
  command: TenantGuardrailsCommand,
): Promise<CommandOutcome<TenantGuardrailsEvent>> => {
  const refused = await deps.standing(context.tenantId, GUARDRAILS_COMMAND_INTENTS[command.kind]);
  if (refused) return { ok: false, rejection: refused, attempts: 0 };
  const catalog = deps.catalog ?? (await catalogWithLibrary(deps.eventStore, undefined, context.tenantId));
  return handleCommand(deps.eventStore, tenantGuardrailsDecider(catalog), tenantGuardrailsStreamId(context.tenantId), command, context);
};
