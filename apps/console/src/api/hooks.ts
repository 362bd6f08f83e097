// Loading data for a page, and following incident events live.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../session';
import type { GraphqlClient } from './client';
import { ApiError } from './errors';
import { INCIDENT_EVENTS_SUBSCRIPTION, type IncidentEventsSubscription } from './operations';

export interface QueryState<T> {
  readonly data?: T;
  readonly error?: ApiError;
  readonly loading: boolean;
  reload(): void;
}

const asApiError = (error: unknown): ApiError => (error instanceof ApiError ? error : new ApiError('server', (error as Error)?.message ?? String(error)));

/**
 * Runs `load` when `key` changes (and on reload()). A new key drops the data of the old one at once:
 * a page never shows one tenant's data while asking for another's.
 */
export const useQuery = <T>(key: string, load: (client: GraphqlClient, signal: AbortSignal) => Promise<T>): QueryState<T> => {
  const { client } = useApi();
  const [state, setState] = useState<{ key: string; data?: T; error?: ApiError; loading: boolean }>({ key, loading: true });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => (s.key === key ? { ...s, loading: true } : { key, loading: true }));
    loadRef.current(client, controller.signal).then(
      (data) => !controller.signal.aborted && setState({ key, data, loading: false }),
      (error: unknown) => !controller.signal.aborted && setState({ key, error: asApiError(error), loading: false }),
    );
    return () => controller.abort();
  }, [client, key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const current = state.key === key ? state : { key, loading: true };
  return { data: current.data, error: current.error, loading: current.loading, reload };
};

/**
 * After a change that the worker carries into a read model: `until(shows)` reloads the query every
 * `intervalMs` until `shows` says its data has the change, or `tries` reloads went by (the page then
 * shows what it has). `waiting` while it does.
 */
export const useReloadUntil = <T>(query: Pick<QueryState<T>, 'data' | 'reload'>, { intervalMs = 500, tries = 60 }: { intervalMs?: number; tries?: number } = {}) => {
  const [awaiting, setAwaiting] = useState<{ readonly shows: (data: T) => boolean; readonly tries: number }>();
  const { data, reload } = query;
  useEffect(() => {
    if (!awaiting) return undefined;
    if ((data !== undefined && awaiting.shows(data)) || awaiting.tries >= tries) {
      setAwaiting(undefined);
      return undefined;
    }
    const timer = setTimeout(() => {
      setAwaiting({ ...awaiting, tries: awaiting.tries + 1 });
      reload();
    }, intervalMs);
    return () => clearTimeout(timer);
  }, [awaiting, data, reload, intervalMs, tries]);
  const until = useCallback(
    (shows: (data: T) => boolean) => {
      setAwaiting({ shows, tries: 0 });
      reload();
    },
    [reload],
  );
  return { waiting: awaiting !== undefined, until };
};

/** Every page of a connection (up to `maxPages`), for views that aggregate. */
export const allPages = async <N>(fetchPage: (after: string | null) => Promise<{ edges: readonly { node: N }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }>, maxPages = 10): Promise<{ nodes: N[]; complete: boolean }> => {
  const nodes: N[] = [];
  let after: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const connection = await fetchPage(after);
    nodes.push(...connection.edges.map((e) => e.node));
    if (!connection.pageInfo.hasNextPage) return { nodes, complete: true };
    after = connection.pageInfo.endCursor;
  }
  return { nodes, complete: false };
};

export type LiveStatus = 'connecting' | 'live' | 'offline';

/**
 * Calls `onEvent` (debounced) when an incident of one of the tenants changes, through the
 * incidentEvents subscription. The status says whether the view is live.
 */
export const useIncidentEvents = (tenantIds: readonly string[], onEvent: (event: IncidentEventsSubscription['incidentEvents']) => void, debounceMs = 300): LiveStatus => {
  const { ws } = useApi();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const onEventRef = useRef(onEvent);
  onEventRef.current = onEvent;
  const key = [...tenantIds].sort().join(',');
  useEffect(() => {
    if (!key) {
      setStatus('offline');
      return;
    }
    const client = ws();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: IncidentEventsSubscription['incidentEvents'] | undefined;
    const offConnected = client.on('connected', () => setStatus('live'));
    const offClosed = client.on('closed', () => setStatus('offline'));
    const offConnecting = client.on('connecting', () => setStatus('connecting'));
    const unsubscribes = key.split(',').map((tenantId) =>
      client.subscribe<IncidentEventsSubscription>(
        { query: INCIDENT_EVENTS_SUBSCRIPTION, variables: { tenantId } },
        {
          next: (message) => {
            if (!message.data) return;
            last = message.data.incidentEvents;
            clearTimeout(timer);
            timer = setTimeout(() => last && onEventRef.current(last), debounceMs);
          },
          error: () => setStatus('offline'),
          complete: () => undefined,
        },
      ),
    );
    return () => {
      clearTimeout(timer);
      unsubscribes.forEach((unsubscribe) => unsubscribe());
      offConnected();
      offClosed();
      offConnecting();
    };
  }, [key, ws, debounceMs]);
  return status;
};
