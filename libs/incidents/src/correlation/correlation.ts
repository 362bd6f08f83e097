// Which incident a new signal belongs to: the same external alert again is a duplicate; a signal
// about a resource or entity an open incident already covers, within the window, joins it; anything
// else opens a new incident.
import type { IncidentStatus, Signal } from '../events';

export interface OpenIncidentView {
  readonly incidentId: string;
  readonly status: IncidentStatus;
  readonly signalRefs: readonly string[];
  readonly resourceKeys: readonly string[];
  readonly entities: readonly string[];
  /** When its latest signal was detected. */
  readonly lastSignalAt: string;
}

export type Correlation =
  | { readonly decision: 'duplicate'; readonly incidentId: string }
  | { readonly decision: 'attach'; readonly incidentId: string; readonly on: string }
  | { readonly decision: 'open' };

/** Default correlation window: signals on the same resource within a day belong together. */
export const DEFAULT_CORRELATION_WINDOW_MINUTES = 24 * 60;

const ACTIVE = new Set<IncidentStatus>(['new', 'triaged', 'responding', 'remediating', 'recovering']);

export const correlate = (signal: Signal, incidents: readonly OpenIncidentView[], windowMinutes = DEFAULT_CORRELATION_WINDOW_MINUTES): Correlation => {
  const duplicate = incidents.find((i) => i.signalRefs.includes(signal.ref));
  if (duplicate) return { decision: 'duplicate', incidentId: duplicate.incidentId };
  const at = Date.parse(signal.detectedAt);
  const candidates = incidents
    .filter((i) => ACTIVE.has(i.status) && Math.abs(at - Date.parse(i.lastSignalAt)) <= windowMinutes * 60_000)
    .map((i) => ({
      incident: i,
      on: signal.resourceKeys.find((k) => i.resourceKeys.includes(k)) ?? signal.entities.find((e) => i.entities.includes(e)),
    }))
    .filter((c): c is { incident: OpenIncidentView; on: string } => c.on !== undefined)
    .sort((a, b) => Date.parse(b.incident.lastSignalAt) - Date.parse(a.incident.lastSignalAt));
  return candidates.length ? { decision: 'attach', incidentId: candidates[0].incident.incidentId, on: candidates[0].on } : { decision: 'open' };
};

/**
 * The views after `signal` went to `incidentId` (attached or opened), so that the next signal of the
 * same batch correlates with it before any read model shows it.
 */
export const withSignal = (views: readonly OpenIncidentView[], incidentId: string, signal: Signal): OpenIncidentView[] => {
  const existing = views.find((v) => v.incidentId === incidentId);
  const merged: OpenIncidentView = existing
    ? {
        ...existing,
        signalRefs: [...existing.signalRefs, signal.ref],
        resourceKeys: [...new Set([...existing.resourceKeys, ...signal.resourceKeys])],
        entities: [...new Set([...existing.entities, ...signal.entities])],
        lastSignalAt: Date.parse(signal.detectedAt) > Date.parse(existing.lastSignalAt) ? signal.detectedAt : existing.lastSignalAt,
      }
    : { incidentId, status: 'new', signalRefs: [signal.ref], resourceKeys: signal.resourceKeys, entities: signal.entities, lastSignalAt: signal.detectedAt };
  return [...views.filter((v) => v !== existing), merged];
};
