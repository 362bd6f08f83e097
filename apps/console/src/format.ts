// How times, durations and codes read in the console (UTC, ISO-like, so SOC and customers in
// different time zones quote the same instant).

export const formatDateTime = (iso: string | null | undefined): string => {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};

export const formatDuration = (seconds: number | null | undefined): string => {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86_400).toFixed(1)} d`;
};

/** "2 h ago", "in 5 min": for SLA and freshness hints next to the exact time. */
export const relativeTime = (iso: string, now = Date.now()): string => {
  const diff = (Date.parse(iso) - now) / 1000;
  if (!Number.isFinite(diff)) return '';
  const text = formatDuration(Math.abs(diff));
  return Math.abs(diff) < 30 ? 'just now' : diff < 0 ? `${text} ago` : `in ${text}`;
};

/** incidents.ActionApproved.v1 -> "Action approved" */
export const humanizeEventType = (type: string): string => {
  const name = type.split('.')[1] ?? type;
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The last segment of an ARM id: what people call the resource. */
export const resourceName = (id: string): string => id.split('/').filter(Boolean).pop() ?? id;

export const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low'] as const;
export const severityRank = (severity: string): number => {
  const i = (SEVERITY_ORDER as readonly string[]).indexOf(severity);
  return i === -1 ? SEVERITY_ORDER.length : i;
};

/** A local `datetime-local` value as an ISO instant, and back (the input has no time zone of its own). */
export const localInputToIso = (value: string): string | undefined => {
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
};
export const isoToLocalInput = (iso: string): string => {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
