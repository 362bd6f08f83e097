// An ingestion run is itself recorded: started, then completed with counts, or failed with a
// reason. A run's stream is `t-<tenant>:ingestion-<runId>`.
import { reject, streamIdFor, type Decider, type Decision } from '@rampart/event-sourcing';
import type { IngestionCounts, IngestionRunEvent, IngestionRunStarted } from '../events';
import { isScope, SCOPE_FORMAT } from '../resource/scope';

export type IngestionRun =
  | { readonly status: 'none' }
  | { readonly status: 'running' | 'completed' | 'failed'; readonly runId: string };

export type IngestionRunCommand =
  | ({ readonly kind: 'StartIngestionRun' } & IngestionRunStarted['data'])
  | { readonly kind: 'RecordIngestionProgress'; readonly counts: IngestionCounts }
  | { readonly kind: 'CompleteIngestionRun'; readonly counts: IngestionCounts; readonly rejections: { id: string | null; reason: string }[] }
  | { readonly kind: 'FailIngestionRun'; readonly reason: string; readonly counts: IngestionCounts };

export const EMPTY_COUNTS: IngestionCounts = { seen: 0, discovered: 0, changed: 0, removed: 0, unchanged: 0, rejected: 0 };

/** Rejections kept in the completion event; the count is always exact. */
export const MAX_RECORDED_REJECTIONS = 100;

const decide = (cmd: IngestionRunCommand, run: IngestionRun): Decision<IngestionRunEvent> => {
  switch (cmd.kind) {
    case 'StartIngestionRun': {
      if (run.status !== 'none') return reject('run-already-started');
      if (!isScope(cmd.scope)) return reject('invalid-scope', `the scope is ${SCOPE_FORMAT}`);
      const { kind: _kind, ...data } = cmd;
      return [{ type: 'inventory.IngestionRunStarted.v1', data }];
    }
    case 'RecordIngestionProgress':
      if (run.status !== 'running') return reject('run-not-running');
      return [{ type: 'inventory.IngestionRunProgressed.v1', data: { runId: run.runId, counts: cmd.counts } }];
    case 'CompleteIngestionRun':
      if (run.status !== 'running') return reject('run-not-running');
      return [
        {
          type: 'inventory.IngestionRunCompleted.v1',
          data: { runId: run.runId, counts: cmd.counts, rejections: cmd.rejections.slice(0, MAX_RECORDED_REJECTIONS) },
        },
      ];
    case 'FailIngestionRun':
      if (run.status !== 'running') return reject('run-not-running');
      return [{ type: 'inventory.IngestionRunFailed.v1', data: { runId: run.runId, reason: cmd.reason, counts: cmd.counts } }];
  }
};

export const ingestionRunDecider: Decider<IngestionRunCommand, IngestionRun, IngestionRunEvent> = {
  decide,
  evolve: (run, event) => {
    switch (event.type) {
      case 'inventory.IngestionRunStarted.v1':
        return { status: 'running', runId: event.data.runId };
      case 'inventory.IngestionRunCompleted.v1':
        return { status: 'completed', runId: event.data.runId };
      case 'inventory.IngestionRunFailed.v1':
        return { status: 'failed', runId: event.data.runId };
      default:
        return run;
    }
  },
  initialState: () => ({ status: 'none' }),
};

export const ingestionRunStreamId = (tenantId: string, runId: string): string => streamIdFor(tenantId, 'ingestion', runId);
