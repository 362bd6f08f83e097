// One fuzz request and what must hold of its answer: no internal error and no 5xx, no data of a
// tenant the caller cannot reach, nothing appended when the answer is a refusal (and nothing at
// all by a query), an answer within the timeout. Events "of the request" are those carrying its
// correlation id (reactions of the worker keep it) or its caller: every request is sent with a
// token of its own subject, so background appends (evaluation, reactions to earlier requests,
// audit exports) are never mistaken for it.
import type { RoleGrant } from '@rampart/auth';
import { comparePositions, type GlobalPosition, type RecordedEvent } from '@rampart/event-sourcing';
import type { Harness } from '../../testing/harness';
import { HOME, TEAM } from './fixtures';
import type { FuzzOperation } from './schema-walk';

export interface Caller {
  readonly label: string;
  readonly grant: RoleGrant;
  /** Tenants its answers may show; undefined: any (the platform admin). */
  readonly reach?: readonly string[];
}

export const CALLERS: readonly Caller[] = [
  { label: 'platform.admin', grant: { role: 'platform.admin' } },
  { label: 'soc.lead@blue', grant: { role: 'soc.lead', socTeam: 'blue' }, reach: [HOME, TEAM] },
  { label: 'soc.analyst@blue', grant: { role: 'soc.analyst', socTeam: 'blue' }, reach: [HOME, TEAM] },
  { label: 'customer.admin@contoso-bank', grant: { role: 'customer.admin', tenantId: HOME }, reach: [HOME] },
  { label: 'customer.viewer@contoso-bank', grant: { role: 'customer.viewer', tenantId: HOME }, reach: [HOME] },
  { label: 'auditor@contoso-bank', grant: { role: 'auditor', tenantId: HOME }, reach: [HOME] },
];

export type Check = 'http-5xx' | 'internal-error' | 'non-json' | 'timeout' | 'slow' | 'tenant-leak' | 'appended-on-rejection' | 'query-appended' | 'health' | 'projections-stuck';

export interface Problem {
  readonly check: Check;
  readonly detail: string;
}

export interface Exchange {
  readonly status: number;
  readonly body?: { data?: Record<string, unknown> | null; errors?: { message: string; path?: unknown; extensions?: Record<string, unknown> }[] };
  readonly text: string;
  readonly correlationId: string | null;
  readonly ms: number;
  readonly timedOut: boolean;
  /** Events of this request written after it started (its correlation id or its caller). */
  readonly appended: readonly RecordedEvent[];
  /** The root field's answer was a refusal: an error in its place, or a Rejection. */
  readonly rejected: boolean;
}

export const REQUEST_TIMEOUT_MS = 20_000;
/** The API runs in the test's process: a request that hogs the CPU shows as slow, not timed out. */
export const SLOW_MS = 10_000;

const readAfter = async (h: Harness, from: GlobalPosition): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  let position = from;
  for (;;) {
    const page = await h.server.stores.eventStore.readAll({ from: position, maxCount: 500 });
    out.push(...page.events);
    if (page.isEnd || comparePositions(page.position, position) === 0) return out;
    position = page.position;
  }
};

export const sendFuzz = async (h: Harness, op: FuzzOperation, variables: Record<string, unknown>, token: string, subject: string): Promise<Exchange> => {
  const before = await h.server.stores.eventStore.headPosition();
  const started = Date.now();
  let status = 0;
  let text = '';
  let correlationId: string | null = null;
  let timedOut = false;
  try {
    const res = await fetch(`${h.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: op.document, variables }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    status = res.status;
    correlationId = res.headers.get('x-correlation-id');
    text = await res.text();
  } catch (error) {
    timedOut = (error as Error).name === 'TimeoutError';
    text = String(error);
  }
  const ms = Date.now() - started;
  let body: Exchange['body'];
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const root = body?.data?.[op.field];
  const rejected =
    ((body?.errors?.length ?? 0) > 0 && (root === null || root === undefined)) ||
    (!!root && typeof root === 'object' && !Array.isArray(root) && (root as { __typename?: string }).__typename === 'Rejection');
  const appended = (await readAfter(h, before)).filter((e) => (correlationId && e.metadata.correlationId === correlationId) || e.metadata.actor.id === subject);
  return { status, body, text, correlationId, ms, timedOut, appended, rejected };
};

const TENANT_IN_STREAM = /(?:^|[^a-z0-9-])t-([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?):/g;
const TENANT_IN_JSON = /"(?:tenantId|onBehalfOfTenant)"\s*:\s*"([^"]{1,100})"/g;

/** Tenants named in an answer, with where: `tenantId` fields, `t-<tenant>:` stream ids, JSON in strings, known ids. */
export const tenantsNamed = (value: unknown, known: ReadonlySet<string>): { tenant: string; where: string; echoable: boolean }[] => {
  const found: { tenant: string; where: string; echoable: boolean }[] = [];
  const walk = (node: unknown, path: string, key: string | undefined) => {
    if (typeof node === 'string') {
      if (key === 'tenantId' || key === 'onBehalfOfTenant') found.push({ tenant: node, where: path, echoable: false });
      for (const m of node.matchAll(TENANT_IN_STREAM)) found.push({ tenant: m[1], where: `${path} (stream id)`, echoable: true });
      for (const m of node.matchAll(TENANT_IN_JSON)) found.push({ tenant: m[1], where: `${path} (JSON)`, echoable: true });
      if (key !== 'tenantId' && known.has(node)) found.push({ tenant: node, where: `${path} (value)`, echoable: true });
      return;
    }
    if (Array.isArray(node)) node.forEach((x, i) => walk(x, `${path}[${i}]`, key === 'tenantIds' ? 'tenantId' : key));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, path ? `${path}.${k}` : k, k);
  };
  walk(value, '', undefined);
  return found;
};

export const problemsOf = (
  op: FuzzOperation,
  caller: Caller,
  reach: readonly string[] | undefined,
  variables: Record<string, unknown>,
  ex: Exchange,
  known: ReadonlySet<string>,
): Problem[] => {
  const problems: Problem[] = [];
  if (ex.timedOut) problems.push({ check: 'timeout', detail: `no answer within ${REQUEST_TIMEOUT_MS} ms` });
  else if (ex.ms > SLOW_MS) problems.push({ check: 'slow', detail: `answered after ${ex.ms} ms` });
  if (!ex.timedOut && ex.status === 0) problems.push({ check: 'http-5xx', detail: `connection failed: ${ex.text.slice(0, 200)}` });
  if (ex.status >= 500) problems.push({ check: 'http-5xx', detail: `HTTP ${ex.status}: ${ex.text.slice(0, 300)}` });
  if (ex.status > 0 && !ex.body) problems.push({ check: 'non-json', detail: `HTTP ${ex.status}, not JSON: ${ex.text.slice(0, 300)}` });
  for (const e of ex.body?.errors ?? []) {
    const code = e.extensions?.['code'];
    if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
      problems.push({ check: 'internal-error', detail: `${String(code)} at ${JSON.stringify(e.path ?? null)}: ${e.message}` });
    }
  }
  if (reach) {
    const request = JSON.stringify(variables);
    const leaks = tenantsNamed({ data: ex.body?.data, errors: ex.body?.errors?.map((e) => e.message) }, known)
      .filter((t) => !reach.includes(t.tenant))
      .filter((t) => !t.echoable || !request.includes(t.tenant))
      // A tenant id field of a refusal can only echo what was asked: only known tenants count.
      .filter((t) => known.has(t.tenant));
    const seen = new Set<string>();
    for (const l of leaks) {
      const key = `${l.tenant}@${l.where.replace(/\[\d+\]/g, '[]')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({ check: 'tenant-leak', detail: `${caller.label} (reach ${reach.join(', ')}) was shown tenant ${l.tenant} at ${l.where}` });
    }
  }
  if (ex.appended.length > 0 && (op.operationType === 'query' || ex.rejected)) {
    const events = ex.appended.map((e) => `${e.type} on ${e.streamId}`).join(', ');
    problems.push(
      op.operationType === 'query'
        ? { check: 'query-appended', detail: `a query appended ${ex.appended.length} event(s): ${events}` }
        : { check: 'appended-on-rejection', detail: `refused (${rejectionOf(ex)}) yet ${ex.appended.length} event(s) appended: ${events}` },
    );
  }
  return problems;
};

export const rejectionOf = (ex: Exchange): string => {
  const errors = ex.body?.errors ?? [];
  if (errors.length) return errors.map((e) => `${String(e.extensions?.['code'])}: ${e.message.slice(0, 160)}`).join(' | ');
  const root = Object.values(ex.body?.data ?? {})[0] as { code?: string; message?: string } | undefined;
  return root?.code ? `Rejection ${root.code}${root.message ? `: ${root.message.slice(0, 160)}` : ''}` : 'none';
};

/** What the client was told, shortened: for messages and the report. */
export const answerOf = (ex: Exchange): string => {
  if (ex.timedOut) return 'timeout';
  const errors = ex.body?.errors ?? [];
  const data = ex.body?.data;
  const root = data ? Object.values(data)[0] : undefined;
  const summary = errors.length ? rejectionOf(ex) : JSON.stringify(root ?? null);
  return `HTTP ${ex.status} ${truncateText(summary, 300)}`;
};

export const truncateText = (s: string, max: number) => (s.length > max ? `${s.slice(0, max)}…[${s.length} chars]` : s);

/** Variables for messages and the report: long strings and lists shortened, NUL and surrogates escaped by JSON. */
export const truncateValue = (v: unknown, max = 120): unknown => {
  if (typeof v === 'string') return v.length > max ? `${v.slice(0, 48)}…[${v.length} chars]…${v.slice(-16)}` : v;
  if (Array.isArray(v)) return v.length > 8 ? [...v.slice(0, 3).map((x) => truncateValue(x, max)), `…[${v.length} items]`] : v.map((x) => truncateValue(x, max));
  if (v && typeof v === 'object') {
    const entries = Object.entries(v);
    const shown = entries.slice(0, 12).map(([k, x]) => [k, truncateValue(x, max)]);
    if (entries.length > 12) shown.push(['…', `[${entries.length} keys]`]);
    return Object.fromEntries(shown);
  }
  return v;
};
