// The events the audit formats render are other contexts' published events, typed by each context's
// contract (audit may import contracts, never a context's internals). `isEvent` narrows a recorded
// event to one of them by its stable type name.
import type { RecordedEvent } from '@rampart/event-sourcing';
import type { AttestationEvent, GroupGuardrailsEvent, RolloutEvent, LibraryEvent, LibraryGovernanceEvent, PostureEvent, TenantGuardrailsEvent } from '@rampart/guardrails-contract';
import type { ActionEvent, IncidentEvent, IncidentPolicySet } from '@rampart/incidents-contract';
import type { IngestionRunEvent, ResourceEvent } from '@rampart/inventory-contract';
import type { ApiKeyEvent, TenancyEvent, TenantGroupEvent } from '@rampart/tenancy-contract';

/** Every event another context publishes, as its contract has it. */
export type PublishedEvent =
  | TenancyEvent
  | TenantGroupEvent
  | ApiKeyEvent
  | ResourceEvent
  | IngestionRunEvent
  | TenantGuardrailsEvent
  | PostureEvent
  | LibraryEvent
  | LibraryGovernanceEvent
  | GroupGuardrailsEvent
  | AttestationEvent
  | RolloutEvent
  | IncidentEvent
  | ActionEvent
  | IncidentPolicySet;

export type KnownType = PublishedEvent['type'];

/** Narrows an envelope to a known type; the payload is trusted to follow its published contract. */
export const isEvent = <T extends KnownType>(e: RecordedEvent, type: T): e is RecordedEvent<T, Extract<PublishedEvent, { type: T }>['data']> =>
  e.type === type;
