// The report's number formatting (src/report/format.ts) and the UTC date helpers (src/time.ts), called directly with
// values worked out by hand. Every printed figure of the note goes through these; the CLI tests see them only
// inside whole sentences (and in a child process, where `npm run mutate` cannot reach them).
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { fmtDifficulty, fmtEhs, fmtNum, fmtPct, fmtUsd, fmtUsdShort, moved } from '../src/report/format.js';
import {
  addDays,
  addMonths,
  byDate,
  daysBetween,
  firstDayOfMonth,
  isoDateToUnix,
  isValidDate,
  isValidMonth,
  lastCompleteMonth,
  lastDayOfMonth,
  monthName,
  monthOf,
  parseDateArg,
  parseMonthArg,
  toIsoDate,
  toIsoTimestamp,
  unixToIsoDate,
} from '../src/time.js';

describe('report number formatting', () => {
  it('fmtPct: a sign always (U+2212 for minus), the given decimals, no sign on what rounds to zero', () => {
    expect(fmtPct(6.06)).toBe('+6.1%');
    expect(fmtPct(-4.7767)).toBe('−4.8%'); // January's hashrate MoM
    expect(fmtPct(42.2973, 2)).toBe('+42.30%');
    expect(fmtPct(-10.6857, 0)).toBe('−11%');
    expect(fmtPct(0.04)).toBe('0.0%'); // 0.04 prints as 0.0: neither rose nor fell
    expect(fmtPct(-0.04)).toBe('0.0%');
    expect(fmtPct(0, 2)).toBe('0.00%');
    expect(fmtPct(0.05, 1)).toBe('+0.1%');
    expect(fmtPct(null)).toBe('n/a');
    expect(fmtPct(undefined)).toBe('n/a');
  });

  it('moved: rose / fell by the absolute value, flat under half the printed precision', () => {
    expect(moved(35.4638)).toBe('rose 35.5%');
    expect(moved(-4.7767)).toBe('fell 4.8%');
    expect(moved(0.049)).toBe('was flat'); // < 0.05
    expect(moved(-0.049)).toBe('was flat');
    expect(moved(0.051)).toBe('rose 0.1%');
    expect(moved(0.05)).toBe('rose 0.1%'); // exactly half the precision prints as 0.1: not flat
    expect(moved(-0.051)).toBe('fell 0.1%');
    expect(moved(1.234, 2)).toBe('rose 1.23%');
    expect(moved(0.0049, 2)).toBe('was flat'); // < 0.005
    expect(moved(0.0051, 2)).toBe('rose 0.01%');
    expect(moved(null)).toBe('changed by an unknown amount (no previous month)');
    expect(moved(undefined)).toBe('changed by an unknown amount (no previous month)');
  });

  it('fmtNum: thousands commas, rounded to the decimals, no minus on a negative that rounds to zero', () => {
    expect(fmtNum(1_234_567.8)).toBe('1,234,568');
    expect(fmtNum(999)).toBe('999');
    expect(fmtNum(1000)).toBe('1,000');
    expect(fmtNum(999.5)).toBe('1,000'); // 999.5 is exact in binary: rounds half up
    expect(fmtNum(123_456)).toBe('123,456');
    expect(fmtNum(12, 2)).toBe('12.00');
    expect(fmtNum(20_868.26, 1)).toBe('20,868.3');
    expect(fmtNum(-1234.5, 1)).toBe('-1,234.5');
    expect(fmtNum(-1.1, 1)).toBe('-1.1');
    expect(fmtNum(-1234)).toBe('-1,234');
    expect(fmtNum(-0.4)).toBe('0');
    expect(fmtNum(-0.04, 1)).toBe('0.0');
    expect(fmtNum(-0.06, 1)).toBe('-0.1');
    expect(fmtNum(null)).toBe('n/a');
    expect(fmtNum(undefined)).toBe('n/a');
  });

  it('fmtUsd: the minus before the dollar sign', () => {
    expect(fmtUsd(78_150)).toBe('$78,150');
    expect(fmtUsd(42_019.54)).toBe('$42,020');
    expect(fmtUsd(12.3, 2)).toBe('$12.30');
    expect(fmtUsd(-1234.56, 2)).toBe('−$1,234.56');
    expect(fmtUsd(0)).toBe('$0');
    expect(fmtUsd(null)).toBe('n/a');
    expect(fmtUsd(undefined)).toBe('n/a');
  });

  it('fmtUsdShort: T, B, M, K with one decimal from each threshold on; plain dollars below 1,000', () => {
    expect(fmtUsdShort(19_859_000_000)).toBe('$19.9B'); // the combined cap of the cli test
    expect(fmtUsdShort(492_000_000)).toBe('$492.0M'); // CANG: 12.30 × 40 M
    expect(fmtUsdShort(1.5e12)).toBe('$1.5T');
    expect(fmtUsdShort(1e12)).toBe('$1.0T');
    // Just under a unit but rounding up to it: the next unit, never "$1000.0B" (999.95 B is where 1 decimal rounds up).
    expect(fmtUsdShort(999_960_000_000)).toBe('$1.0T');
    expect(fmtUsdShort(999_940_000_000)).toBe('$999.9B');
    expect(fmtUsdShort(999_960_000)).toBe('$1.0B');
    expect(fmtUsdShort(999_960)).toBe('$1.0M');
    expect(fmtUsdShort(999.5)).toBe('$1.0K'); // plain dollars round to 1000 from 999.5
    expect(fmtUsdShort(999.4)).toBe('$999');
    expect(fmtUsdShort(1e9)).toBe('$1.0B');
    expect(fmtUsdShort(1e6)).toBe('$1.0M');
    expect(fmtUsdShort(950_000)).toBe('$950.0K');
    expect(fmtUsdShort(1000)).toBe('$1.0K');
    expect(fmtUsdShort(999)).toBe('$999');
    expect(fmtUsdShort(12.6)).toBe('$13');
    expect(fmtUsdShort(0)).toBe('$0'); // no minus on zero
    expect(fmtUsdShort(-41_500_000)).toBe('−$41.5M');
    expect(fmtUsdShort(null)).toBe('n/a');
    expect(fmtUsdShort(undefined)).toBe('n/a');
  });

  it('fmtDifficulty and fmtEhs', () => {
    expect(fmtDifficulty(141.67e12)).toBe('141.67 T');
    expect(fmtDifficulty(1.182899534312841)).toBe('0.00 T');
    expect(fmtDifficulty(null)).toBe('n/a');
    expect(fmtDifficulty(undefined)).toBe('n/a');
    expect(fmtEhs(30_700 / 31)).toBe('990 EH/s'); // 990.32
    expect(fmtEhs(1080)).toBe('1,080 EH/s');
    expect(fmtEhs(10)).toBe('10 EH/s');
    expect(fmtEhs(5.5)).toBe('5.50 EH/s'); // under 10: two decimals
    expect(fmtEhs(null)).toBe('n/a');
    expect(fmtEhs(undefined)).toBe('n/a');
  });
});

describe('UTC dates', () => {
  it('isValidDate: real calendar days in the exact form YYYY-MM-DD only', () => {
    expect(isValidDate('2024-02-29')).toBe(true); // 2024 is a leap year
    expect(isValidDate('2025-02-29')).toBe(false);
    expect(isValidDate('2024-02-30')).toBe(false);
    expect(isValidDate('2024-13-01')).toBe(false);
    expect(isValidDate('2024-1-01')).toBe(false);
    expect(isValidDate('2024-01-01x')).toBe(false);
    expect(isValidDate('x2024-01-01')).toBe(false);
    expect(isValidDate('2024-01-01T00:00:00Z')).toBe(false);
    expect(isValidDate('')).toBe(false);
  });

  it('isValidDate: days before the year 1000 (four digits, zero-padded) and the last day of 9999', () => {
    expect(isValidDate('0999-12-31')).toBe(true);
    expect(isValidDate('0001-01-01')).toBe(true);
    expect(isValidDate('9999-12-31')).toBe(true);
  });

  it("toIsoDate and toIsoTimestamp write what Date#toISOString writes (from the UTC getters, without ICU's time zone)", () => {
    expect(toIsoTimestamp(new Date(Date.UTC(2026, 1, 1, 6, 0, 0, 0)))).toBe('2026-02-01T06:00:00.000Z');
    expect(toIsoTimestamp(new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 7)))).toBe('2024-02-29T23:59:59.007Z');
    expect(toIsoTimestamp(new Date(Date.UTC(2009, 0, 3, 18, 15, 5, 42)))).toBe('2009-01-03T18:15:05.042Z');
    expect(toIsoTimestamp(new Date(Date.UTC(1999, 11, 31, 1, 2, 3, 999)))).toBe('1999-12-31T01:02:03.999Z');
    expect(toIsoDate(new Date(Date.UTC(1969, 11, 31, 23, 59, 59, 999)))).toBe('1969-12-31'); // before the epoch
    expect(toIsoDate(new Date(Date.UTC(2026, 0, 1)))).toBe('2026-01-01');
    expect(() => toIsoDate(new Date(Number.NaN))).toThrow(RangeError); // as toISOString
    // A sweep against toISOString itself: every 7 h 13 min 17.123 s for ~40 years.
    for (let t = Date.UTC(2000, 0, 1); t < Date.UTC(2040, 0, 1); t += 25_997_123) {
      const d = new Date(t);
      expect(toIsoTimestamp(d)).toBe(d.toISOString());
    }
  });

  it('isValidMonth: YYYY-MM from 2009 (the genesis year) on, months 01 to 12', () => {
    expect(isValidMonth('2009-01')).toBe(true);
    expect(isValidMonth('2026-12')).toBe(true);
    expect(isValidMonth('2008-12')).toBe(false);
    expect(isValidMonth('2026-13')).toBe(false);
    expect(isValidMonth('2026-00')).toBe(false);
    expect(isValidMonth('2026-1')).toBe(false);
    expect(isValidMonth('26-01')).toBe(false);
    expect(isValidMonth('2026-01-01')).toBe(false);
    expect(isValidMonth('x2026-01')).toBe(false);
    expect(isValidMonth('January')).toBe(false);
  });

  it('parseDateArg and parseMonthArg return a valid value and name the option otherwise (a UsageError: exit 2)', () => {
    expect(parseDateArg('2025-11-01', '--from')).toBe('2025-11-01');
    expect(parseMonthArg('2026-01', '--month')).toBe('2026-01');
    expect(() => parseDateArg('2024-02-30', '--from')).toThrow(UsageError);
    expect(() => parseDateArg('2024-02-30', '--from')).toThrow('--from must be a date YYYY-MM-DD, got "2024-02-30"');
    expect(() => parseMonthArg('2008-12', '--to')).toThrow(UsageError);
    expect(() => parseMonthArg('2008-12', '--to')).toThrow(
      '--to must be a month YYYY-MM (2009 or later), got "2008-12"',
    );
  });

  it('unixToIsoDate: the UTC day of a unix time, leap days and century years included', () => {
    expect(unixToIsoDate(0)).toBe('1970-01-01');
    expect(unixToIsoDate(86_399)).toBe('1970-01-01'); // the day's last second
    expect(unixToIsoDate(-86_400)).toBe('1969-12-31');
    expect(unixToIsoDate(1_231_006_505)).toBe('2009-01-03'); // the genesis block, 18:15:05 UTC
    // 2026-02-01: 56 years after 1970 with 14 leap days (1972 … 2024), + 31 days of January = 20,485 days.
    expect(unixToIsoDate(20_485 * 86_400)).toBe('2026-02-01');
    expect(unixToIsoDate(20_485 * 86_400 - 1)).toBe('2026-01-31');
    expect(unixToIsoDate(1_709_164_800)).toBe('2024-02-29');
    expect(unixToIsoDate(951_782_400)).toBe('2000-02-29'); // divisible by 400: a leap year
    // 2100 is not a leap year: Feb 28 is followed by Mar 1 (the 4,107,456,000 s of 2100-02-28 + 86,400).
    expect(unixToIsoDate(4_107_456_000)).toBe('2100-02-28');
    expect(unixToIsoDate(4_107_542_400)).toBe('2100-03-01');
    expect(unixToIsoDate(4_107_542_400 + 305 * 86_400)).toBe('2100-12-31'); // Mar 1 + 305 days
    expect(unixToIsoDate(4_107_542_400 + 306 * 86_400)).toBe('2101-01-01');
  });

  it('toIsoDate and isoDateToUnix are UTC whatever the machine’s time zone', () => {
    expect(toIsoDate(new Date('2026-01-31T23:59:59.999Z'))).toBe('2026-01-31');
    expect(toIsoDate(new Date('2026-02-01T09:00:00+14:00'))).toBe('2026-01-31'); // 19:00 UTC the day before
    expect(isoDateToUnix('2026-02-01')).toBe(1_769_904_000); // 20,485 × 86,400
    expect(isoDateToUnix('1970-01-01')).toBe(0);
  });

  it('addDays, daysBetween, monthOf, addMonths', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addDays('2025-11-01', 91)).toBe('2026-01-31'); // Nov 30 + Dec 31 + Jan 30 more days
    expect(daysBetween('2025-11-01', '2026-01-31')).toBe(91);
    expect(daysBetween('2026-01-31', '2025-11-01')).toBe(-91);
    expect(daysBetween('2026-01-31', '2026-01-31')).toBe(0);
    expect(monthOf('2026-01-31')).toBe('2026-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2026-01', 0)).toBe('2026-01');
    expect(addMonths('2026-01', 13)).toBe('2027-02');
    expect(addMonths('2026-01', -25)).toBe('2023-12');
    expect(addMonths('2026-03', -11)).toBe('2025-04');
  });

  it('firstDayOfMonth, lastDayOfMonth, lastCompleteMonth', () => {
    expect(firstDayOfMonth('2026-02')).toBe('2026-02-01');
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2025-02')).toBe('2025-02-28');
    expect(lastDayOfMonth('2025-12')).toBe('2025-12-31');
    expect(lastDayOfMonth('2026-04')).toBe('2026-04-30');
    expect(lastCompleteMonth(new Date('2026-02-01T00:00:00Z'))).toBe('2026-01');
    expect(lastCompleteMonth(new Date('2026-01-31T23:59:59.999Z'))).toBe('2025-12');
    expect(lastCompleteMonth(new Date('2026-01-01T06:00:00Z'))).toBe('2025-12');
  });

  it('monthName: every month in English', () => {
    expect(
      ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map((m) => monthName(`2026-${m}`)),
    ).toEqual([
      'January 2026',
      'February 2026',
      'March 2026',
      'April 2026',
      'May 2026',
      'June 2026',
      'July 2026',
      'August 2026',
      'September 2026',
      'October 2026',
      'November 2026',
      'December 2026',
    ]);
  });

  it('byDate orders by date, oldest first, and keeps equal dates equal', () => {
    const rows = [{ date: '2026-01-31' }, { date: '2025-11-01' }, { date: '2026-01-02' }, { date: '2025-11-01' }];
    expect([...rows].sort(byDate).map((r) => r.date)).toEqual(['2025-11-01', '2025-11-01', '2026-01-02', '2026-01-31']);
    expect(byDate({ date: '2026-01-01' }, { date: '2026-01-02' })).toBe(-1);
    expect(byDate({ date: '2026-01-02' }, { date: '2026-01-01' })).toBe(1);
    expect(byDate({ date: '2026-01-01' }, { date: '2026-01-01' })).toBe(0);
  });
});
