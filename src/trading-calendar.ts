// The US stock market's calendar as far as the monthly note needs it: the month's last trading day, known before
// any close of that day is stored (so a missing close can be named).
import { addDays, type IsoDate, lastDayOfMonth, type Month } from './time.js';

/** Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const weekday = (date: IsoDate): number => new Date(`${date}T00:00:00Z`).getUTCDay();

/**
 * The last weekday of the month on which the NYSE and Nasdaq trade. Of the exchange holidays only two can fall on
 * a month's last weekday: Memorial Day (the last Monday of May: 2021-05-31) and Good Friday (2018-03-30,
 * 2024-03-29). New Year's Day on a Saturday does not close December 31; the other holidays fall mid-month.
 * Unscheduled closures (days of mourning, storms) are not known here: such a day shows as a missing close until
 * HASHPULSE_PUBLISH_AFTER_DAYS publishes the note anyway.
 */
export function lastUsTradingDay(month: Month): IsoDate {
  const goodFriday = addDays(easterSunday(Number(month.slice(0, 4))), -2);
  let d = lastDayOfMonth(month);
  for (;;) {
    const dow = weekday(d);
    const memorialDay = month.endsWith('-05') && dow === 1 && addDays(d, 7).slice(0, 7) !== month;
    if (dow !== 0 && dow !== 6 && !memorialDay && d !== goodFriday) return d;
    d = addDays(d, -1);
  }
}
