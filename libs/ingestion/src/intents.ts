// What each ingestion command does, for the tenant-standing rule (`standingOf` in tenancy): a run
// starts, and resources are observed, only for a tenant that may be collected; a run under way
// records its progress and its end, and a connection's collection records how far it read.
import type { CommandIntent } from '@rampart/event-sourcing';
import type { ConnectionCollectionCommand, IngestionRunCommand, ResourceCommand } from '@rampart/inventory';

export const INGESTION_COMMAND_INTENTS: { readonly [K in IngestionRunCommand['kind'] | ResourceCommand['kind'] | ConnectionCollectionCommand['kind']]: CommandIntent } = {
  StartIngestionRun: 'collects',
  ObserveResource: 'collects',
  ObserveResourceGone: 'collects',
  RecordIngestionProgress: 'wraps-up',
  CompleteIngestionRun: 'wraps-up',
  FailIngestionRun: 'wraps-up',
  RecordChangeRecordsRead: 'wraps-up',
  RecordConnectionSnapshot: 'wraps-up',
};
