// Instants and UTC calendar days for the rules: strict parsing, day arithmetic, the dates creators read.
import { AtelierError } from '../errors';

/** An instant: an ISO 8601 string or epoch milliseconds. All calendar logic in engine/rules is UTC. */
export type Instant = string | number;

const MS_PER_DAY = 86_400_000;

const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;

// Date-only, or date-time with optional seconds/fraction and optional zone. A missing zone means UTC —
// deliberately not local time, so the same string gives the same instant on every machine.
const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Days in a month (month 0–11) of a proleptic Gregorian year. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * Parses an instant strictly to epoch ms (UTC when no zone is given). Impossible dates such as
 * 2026-02-30 are refused rather than rolled over. `field` names the value in the creator-facing message.
 */
export function toEpochMs(value: Instant, field = 'date'): number {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    throw new AtelierError('VALIDATION', `The ${field} is not a valid point in time.`, { field, value: String(value) });
  }
  if (typeof value !== 'string') {
    throw new AtelierError('VALIDATION', `The ${field} must be a date such as 2026-03-31.`, { field });
  }
  const m = ISO_PATTERN.exec(value.trim());
  if (!m) {
    throw new AtelierError('VALIDATION', `“${value.slice(0, 40)}” is not a date; write the ${field} as 2026-03-31 or 2026-03-31T09:30:00Z.`, { field });
  }
  const year = Number(m[1]);
  const month = Number(m[2]) - 1;
  const day = Number(m[3]);
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  if (month < 0 || month > 11 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw new AtelierError('VALIDATION', `${value} is not a real calendar date; check the ${field}.`, { field });
  }
  const fraction = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  let ms = Date.UTC(year, month, day, hour, minute, second, fraction);
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    if (offsetMin > 18 * 60) throw new AtelierError('VALIDATION', `${value} has an impossible time zone; check the ${field}.`, { field });
    ms -= sign * offsetMin * 60_000;
  }
  return ms;
}

/** The UTC calendar day an instant falls on, as YYYY-MM-DD. */
export function utcDay(value: Instant): string {
  return new Date(toEpochMs(value)).toISOString().slice(0, 10);
}

/** Epoch ms of 00:00 UTC on the given day (year, month 0–11, day of month). */
export function utcMidnight(year: number, month: number, day: number): number {
  return Date.UTC(year, month, day);
}

/** Epoch ms of 00:00 UTC of the day an instant falls on. */
export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / MS_PER_DAY) * MS_PER_DAY;
}

/**
 * A day as creators read it in messages: "3 March", with the year added when it is not the year of
 * `now` ("3 March 2027"), so a message never leaves the year ambiguous.
 */
export function formatDayForCreator(day: Instant, now?: Instant): string {
  const d = new Date(toEpochMs(day));
  const text = `${d.getUTCDate()} ${MONTH_NAMES[d.getUTCMonth()]}`;
  if (now === undefined || new Date(toEpochMs(now)).getUTCFullYear() !== d.getUTCFullYear()) {
    return `${text} ${d.getUTCFullYear()}`;
  }
  return text;
}
