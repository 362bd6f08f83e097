// Reading a tenant's log by recorded time, for everything that asks "what had happened by then"
// (as-of, score series, replay, audit exports): in log order, a page at a time, and no further
// than the instant plus the longest overlap of two append transactions.
import { START, type GlobalPosition, type RecordedEvent } from '@rampart/event-sourcing';
import type { Stores } from './stores';

/**
 * Events are in log (commit) order, and their recorded times (insert times) follow it but for
 * transactions that overlapped: an event recorded before an instant can come after one recorded
 * later by at most the length of one append transaction. Readers by time stop this far past the
 * instant they want, never sooner.
 */
export const RECORDED_AT_SKEW_MS = 15 * 60_000;

export interface TenantLogPage {
  /** In log order; none recorded later than the instant plus RECORDED_AT_SKEW_MS. */
  readonly events: readonly RecordedEvent[];
  /** Where the next page starts. */
  readonly position: GlobalPosition;
}

/**
 * The tenant's events (of `eventTypes`, all when absent), page by page in log order, up to the
 * first one recorded more than RECORDED_AT_SKEW_MS after `until` (the whole log without it).
 * Which of them fall before an instant is the caller's question: the overlap cuts both ways.
 */
export async function* tenantLogPages(
  stores: Pick<Stores, 'eventStore'>,
  tenantId: string,
  options: { eventTypes?: readonly string[]; until?: Date; pageSize?: number } = {},
): AsyncGenerator<TenantLogPage> {
  const stopAt = (options.until?.getTime() ?? Number.POSITIVE_INFINITY) + RECORDED_AT_SKEW_MS;
  const filter = options.eventTypes ? { tenantId, eventTypes: options.eventTypes } : { tenantId };
  let from: GlobalPosition = START;
  for (;;) {
    const page = await stores.eventStore.readAll({ from, filter, maxCount: options.pageSize ?? 2_000 });
    const past = page.events.findIndex((e) => Date.parse(e.recordedAt) > stopAt);
    if (past >= 0) {
      if (past > 0) yield { events: page.events.slice(0, past), position: page.events[past - 1].globalPosition };
      return;
    }
    from = page.position;
    if (page.events.length) yield { events: page.events, position: from };
    if (page.isEnd || page.events.length === 0) return;
  }
}
