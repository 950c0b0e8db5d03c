// Dates 'YYYY-MM-DD' and months 'YYYY-MM', all UTC: the one module that owns calendar arithmetic.
import { UsageError } from './errors.js';

export type IsoDate = string; // 'YYYY-MM-DD'
export type Month = string; // 'YYYY-MM'

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

export function isValidDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const ms = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(ms) && unixToIsoDate(ms / 1000) === s;
}

export function isValidMonth(s: string): boolean {
  const m = MONTH_RE.exec(s);
  if (!m) return false;
  const month = Number(m[2]);
  return month >= 1 && month <= 12 && Number(m[1]) >= 2009;
}

/** Parses a CLI date, throwing a UsageError naming the option. */
export function parseDateArg(s: string, option: string): IsoDate {
  if (!isValidDate(s)) throw new UsageError(`${option} must be a date YYYY-MM-DD, got "${s}"`);
  return s;
}

/** Parses a CLI month, throwing a UsageError naming the option. */
export function parseMonthArg(s: string, option: string): Month {
  if (!isValidMonth(s)) throw new UsageError(`${option} must be a month YYYY-MM (2009 or later), got "${s}"`);
  return s;
}

/** The UTC calendar date of `d`. Not Date#toISOString: V8 sets up ICU's local time zone on its first call (reading
 *  /etc/localtime, ~1 ms of a read command's start-up), which a UTC date does not need. */
export function toIsoDate(d: Date): IsoDate {
  const ms = d.getTime();
  if (Number.isNaN(ms)) throw new RangeError('Invalid time value'); // as toISOString
  return unixToIsoDate(Math.floor(ms / 1000));
}

/** `d` as Date#toISOString writes it (2026-02-01T06:00:00.000Z), from Date's UTC getters, which need no time zone
 *  (see toIsoDate). */
export function toIsoTimestamp(d: Date): string {
  const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
  const ms = String(d.getUTCMilliseconds()).padStart(3, '0');
  return `${toIsoDate(d)}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${ms}Z`;
}

/** UTC calendar date of a unix time, by integer arithmetic (H. Hinnant's civil_from_days): this runs once per
 *  ingested row, and Date#toISOString was a third of the parse time on a 17-year backfill. */
export function unixToIsoDate(seconds: number): IsoDate {
  const z = Math.floor(seconds / 86_400) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y < 1000 ? String(y).padStart(4, '0') : y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}

export function isoDateToUnix(date: IsoDate): number {
  return Date.parse(`${date}T00:00:00Z`) / 1000;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return toIsoDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS));
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

export function monthOf(date: IsoDate): Month {
  return date.slice(0, 7);
}

export function addMonths(month: Month, n: number): Month {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const idx = y * 12 + (m - 1) + n;
  return `${String(Math.floor(idx / 12)).padStart(4, '0')}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

export function firstDayOfMonth(month: Month): IsoDate {
  return `${month}-01`;
}

export function lastDayOfMonth(month: Month): IsoDate {
  return addDays(firstDayOfMonth(addMonths(month, 1)), -1);
}

/** The last month that has fully ended at `now` (UTC). */
export function lastCompleteMonth(now: Date): Month {
  return addMonths(monthOf(toIsoDate(now)), -1);
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** '2026-01' → 'January 2026'. */
export function monthName(month: Month): string {
  const [y, m] = month.split('-') as [string, string];
  return `${MONTH_NAMES[Number(m) - 1] ?? m} ${y}`;
}

/** Sort comparator on ISO dates (plain string order; localeCompare is needlessly slow for ASCII keys). */
export function byDate(a: { readonly date: string }, b: { readonly date: string }): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}
