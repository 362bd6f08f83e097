import { givenWhenThen } from '@rampart/event-sourcing';
import type { IngestionRunStarted } from '../events';
import { EMPTY_COUNTS, ingestionRunDecider, MAX_RECORDED_REJECTIONS } from './ingestion-run';

const given = givenWhenThen(ingestionRunDecider);
const started: IngestionRunStarted = {
  type: 'inventory.IngestionRunStarted.v1',
  data: { runId: 'r1', connectionId: null, source: 'file', scope: '/subscriptions/s1', complete: true },
};
const counts = { ...EMPTY_COUNTS, seen: 3, discovered: 2, unchanged: 1 };

describe('ingestion runs', () => {
  it('starts once', () => {
    given().when({ kind: 'StartIngestionRun', ...started.data }).then(started);
    given(started).when({ kind: 'StartIngestionRun', ...started.data }).thenRejects('run-already-started');
  });

  it('completes with counts, keeping at most a bounded list of rejections', () => {
    const rejections = Array.from({ length: 250 }, (_, i) => ({ id: `/x/${i}`, reason: 'missing "name"' }));
    given(started)
      .when({ kind: 'CompleteIngestionRun', counts: { ...counts, rejected: 250 }, rejections })
      .thenMatches((decision) => {
        expect(decision).toEqual([
          {
            type: 'inventory.IngestionRunCompleted.v1',
            data: { runId: 'r1', counts: { ...counts, rejected: 250 }, rejections: rejections.slice(0, MAX_RECORDED_REJECTIONS) },
          },
        ]);
      });
  });

  it('fails with a reason, and only while running', () => {
    given(started)
      .when({ kind: 'FailIngestionRun', reason: 'subscription s2: AuthorizationFailed', counts })
      .then({ type: 'inventory.IngestionRunFailed.v1', data: { runId: 'r1', reason: 'subscription s2: AuthorizationFailed', counts } });
    given().when({ kind: 'FailIngestionRun', reason: 'x', counts }).thenRejects('run-not-running');
  });

  it('reports progress while running, and not after the end', () => {
    given(started)
      .when({ kind: 'RecordIngestionProgress', counts })
      .then({ type: 'inventory.IngestionRunProgressed.v1', data: { runId: 'r1', counts } });
    const failed = { type: 'inventory.IngestionRunFailed.v1' as const, data: { runId: 'r1', reason: 'abandoned', counts } };
    given(started, failed).when({ kind: 'RecordIngestionProgress', counts }).thenRejects('run-not-running');
    // an abandoned run that comes back to life cannot complete over its recorded failure
    given(started, failed).when({ kind: 'CompleteIngestionRun', counts, rejections: [] }).thenRejects('run-not-running');
  });
});
