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

/** "45 min", "3 h 5 min", "3 days": how long something has waited, or has left, in the approvals inbox. */
export const spanText = (ms: number): string => {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(minutes / 1440)} days`;
};

/** "expires in 3 h": what is left of a proposal's approval lifetime ("expired" once none is). */
export const expiresIn = (expiresAt: string, now = Date.now()): string => {
  const left = Date.parse(expiresAt) - now;
  return Number.isNaN(left) ? '' : left <= 0 ? 'expired' : `expires in ${spanText(left)}`;
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

/**
 * A `datetime-local` value read as UTC (the console shows every time in UTC, so a time typed in is
 * UTC too), and back. The input itself has no time zone; the page says which one it means.
 */
export const utcInputToIso = (value: string): string | undefined => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const t = Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
};
export const isoToUtcInput = (iso: string): string => new Date(iso).toISOString().slice(0, 16);

/** The same instant in the browser's own time zone, as a hint next to a UTC time. */
export const localHint = (iso: string): string => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return `${d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })} your time${zone ? ` (${zone})` : ''}`;
};
