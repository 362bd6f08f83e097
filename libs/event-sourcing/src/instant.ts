// Times that commands and queries take from outside, read strictly.
/**
 * An ISO-8601 date or date-time (`2026-11-01`, `2026-11-01T09:30:00Z`, `…+01:00`, fractions of a
 * second), strictly: JavaScript's Date accepts `2027-02-30` as 2 March and many other shapes, so the
 * calendar fields are checked as written.
 */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** The instant, or undefined when the text is not an ISO-8601 date or date-time with an offset. */
export const parseInstant = (text: string): Date | undefined => {
  const m = ISO_INSTANT.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  if (m[4] !== undefined && m[7] === undefined) return undefined; // a time needs its offset: Z or ±hh:mm
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
};
