// What each ingestion command does, for the tenant-standing rule (`standingOf` in tenancy): a run
// starts, and resources are observed, only for a tenant that may be collected; a run under way
// records its progress and its end.
import type { CommandIntent } from '@rampart/event-sourcing';
import type { IngestionRunCommand, ResourceCommand } from '@rampart/inventory';

export const INGESTION_COMMAND_INTENTS: { readonly [K in IngestionRunCommand['kind'] | ResourceCommand['kind']]: CommandIntent } = {
  StartIngestionRun: 'collects',
  ObserveResource: 'collects',
  ObserveResourceGone: 'collects',
  RecordIngestionProgress: 'wraps-up',
  CompleteIngestionRun: 'wraps-up',
  FailIngestionRun: 'wraps-up',
};
