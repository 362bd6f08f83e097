// Read model "ingestion-runs": one document per run, for "what did the last ingestions see?".
import type { ProjectedEvent } from '@rampart/event-sourcing';
import type { IngestionCounts, IngestionRunEvent } from '../events';

export interface IngestionRunEntry {
  readonly tenantId: string;
  readonly runId: string;
  readonly connectionId: string | null;
  readonly source: string;
  readonly scope: string;
  /** Declared complete for its scope: once completed, every resource present in the scope was seen by it. */
  readonly complete: boolean;
  readonly status: 'running' | 'completed' | 'failed';
  readonly counts: IngestionCounts | null;
  readonly failureReason: string | null;
  readonly startedAt: string;
  /** Start or last progress report of a running run: what tells a live run from an abandoned one. */
  readonly lastActivityAt: string;
  readonly finishedAt: string | null;
}


export const INGESTION_RUN_EVENT_TYPES: readonly IngestionRunEvent['type'][] = [
  'inventory.IngestionRunStarted.v1',
  'inventory.IngestionRunProgressed.v1',
  'inventory.IngestionRunCompleted.v1',
  'inventory.IngestionRunFailed.v1',
];

export const ingestionRuns = {
  name: 'ingestion-runs',
  // 3: runs say whether they were complete snapshots (proof of coverage)
  version: 3,
  table: 'ingestion_runs',
  eventTypes: INGESTION_RUN_EVENT_TYPES,
  keyOf: (event: ProjectedEvent): string => `${event.metadata.tenantId}|${(event.data as { runId: string }).runId}`,
  evolve: (entry: IngestionRunEntry | undefined, raw: ProjectedEvent): IngestionRunEntry | null => {
    const event = raw as unknown as IngestionRunEvent;
    switch (event.type) {
      case 'inventory.IngestionRunStarted.v1':
        return {
          tenantId: raw.metadata.tenantId,
          runId: event.data.runId,
          connectionId: event.data.connectionId,
          source: event.data.source,
          scope: event.data.scope,
          complete: event.data.complete,
          status: 'running',
          counts: null,
          failureReason: null,
          startedAt: raw.recordedAt,
          lastActivityAt: raw.recordedAt,
          finishedAt: null,
        };
      case 'inventory.IngestionRunProgressed.v1':
        return entry ? { ...entry, counts: event.data.counts, lastActivityAt: raw.recordedAt } : null;
      case 'inventory.IngestionRunCompleted.v1':
        return entry ? { ...entry, status: 'completed', counts: event.data.counts, finishedAt: raw.recordedAt } : null;
      case 'inventory.IngestionRunFailed.v1':
        return entry ? { ...entry, status: 'failed', counts: event.data.counts, failureReason: event.data.reason, finishedAt: raw.recordedAt } : null;
      default:
        return entry ?? null;
    }
  },
};
