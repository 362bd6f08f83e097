// Ingestion runs whose process died (kill -9, a lost container) stay "running" in their stream
// forever unless someone says otherwise. A running run reports progress every minute; one that
// has been silent far longer than that is recorded as failed here, so operators see it ended and
// why. Nothing else is needed to recover: the next run of the same scope converges.
import { handleCommand } from '@rampart/event-sourcing';
import { ingestionRunDecider, ingestionRunStreamId, type IngestionRunEntry } from '@rampart/inventory';
import { READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';

/** 15 heartbeats missed: long enough that a live but slow run is never taken for dead. */
export const ABANDONED_AFTER_MS = 15 * 60_000;

export const sweepAbandonedIngestionRuns = async (
  stores: Pick<Stores, 'eventStore' | 'readModels'>,
  options: { abandonedAfterMs?: number; now?: Date; schema?: string } = {},
): Promise<{ tenantId: string; runId: string }[]> => {
  const now = options.now ?? new Date();
  const silentSince = new Date(now.getTime() - (options.abandonedAfterMs ?? ABANDONED_AFTER_MS));
  const { rows } = await stores.readModels.query<{ doc: IngestionRunEntry }>(
    `SELECT doc FROM "${options.schema ?? READ_MODEL_SCHEMA}".ingestion_runs
     WHERE doc->>'status' = 'running' AND (doc->>'lastActivityAt')::timestamptz < $1 ORDER BY id`,
    [silentSince.toISOString()],
  );
  const swept: { tenantId: string; runId: string }[] = [];
  for (const { doc } of rows) {
    const outcome = await handleCommand(
      stores.eventStore,
      ingestionRunDecider,
      ingestionRunStreamId(doc.tenantId, doc.runId),
      {
        kind: 'FailIngestionRun',
        reason: `abandoned: no progress reported since ${doc.lastActivityAt}; the process running it stopped. Run the ingestion again: it converges.`,
        counts: doc.counts ?? { seen: 0, discovered: 0, changed: 0, removed: 0, unchanged: 0, rejected: 0 },
      },
      { tenantId: doc.tenantId, actor: { kind: 'system', id: 'ingestion-sweeper' }, correlationId: doc.runId, causationId: null, now },
    );
    // Not running any more (it completed meanwhile, or another worker swept it): nothing to do.
    if (outcome.ok) swept.push({ tenantId: doc.tenantId, runId: doc.runId });
  }
  return swept;
};
