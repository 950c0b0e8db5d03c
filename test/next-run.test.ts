// `status`'s next run: node-cron's parse walked in UTC without its Intl formatter (src/daemon/status.ts
// nextUtcMatch). Expected instants worked out by hand from 2026-02-01T06:00:00Z, a Sunday (2026-01-01 was a
// Thursday; 31 days later is 3 weekdays on); and the same answer as node-cron's own task at a frozen clock.
import cron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { plainCronFields, utcDateParts } from '../src/daemon/cron-utc.js';
import { nextRun, nextUtcMatch } from '../src/daemon/status.js';

const from = new Date('2026-02-01T06:00:00Z');
const iso = (expr: string, at = from) => {
  const ts = nextUtcMatch(cron.parse(expr), at);
  return ts === undefined ? undefined : new Date(ts).toISOString();
};

afterEach(() => vi.useRealTimers());

describe('next run of a UTC cron expression', () => {
  it('takes the first matching second strictly after the clock', () => {
    expect(iso('30 1 * * *')).toBe('2026-02-02T01:30:00.000Z'); // 01:30 passed today: tomorrow
    expect(iso('0 23 * * *')).toBe('2026-02-01T23:00:00.000Z'); // later today
    expect(iso('30 22 * * 1-5')).toBe('2026-02-02T22:30:00.000Z'); // Sunday: Monday's
    expect(iso('0 6 * * *')).toBe('2026-02-02T06:00:00.000Z'); // exactly now is not next
    expect(iso('0 6 * * *', new Date('2026-02-01T05:59:59.900Z'))).toBe('2026-02-01T06:00:00.000Z');
    expect(iso('*/2 * * * * *')).toBe('2026-02-01T06:00:02.000Z'); // six fields: seconds
    expect(iso('@yearly')).toBe('2027-01-01T00:00:00.000Z');
    expect(iso('0 0 29 2 *')).toBe('2028-02-29T00:00:00.000Z'); // the next leap day
    expect(iso('0 12 14 * 5')).toBe('2026-08-14T12:00:00.000Z'); // 14ths fall Sat, Sat, Tue, Thu, Sun, Tue, then Fri in August
    expect(iso('0 12 13 * 5')).toBe('2026-02-13T12:00:00.000Z'); // day AND weekday: Sunday the 1st + 12 days
  });

  it('leaves tokens it does not read (L, W, #) to node-cron', () => {
    expect(iso('0 0 L * *')).toBeUndefined();
    expect(iso('0 0 * * 1#2')).toBeUndefined();
    expect(nextRun('not cron')).toBeNull();
  });

  it("gives node-cron's own answer", () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-02-01T06:00:00.250Z') });
    for (const expr of ['30 1 * * *', '30 22 * * 1-5', '0 23 * * *', '15 23 * * *', '*/7 3-5 * * *', '0 0 L * *']) {
      const task = cron.schedule(expr, () => undefined, { timezone: 'UTC' });
      const expected = task.getNextRun()?.toISOString();
      void task.destroy();
      expect(nextRun(expr), expr).toBe(expected);
    }
  });
});

describe("plain cron expressions read by hand, as node-cron's parse reads them", () => {
  const sorted = (f: object) =>
    Object.fromEntries(Object.entries(f).map(([k, v]) => [k, [...v].sort((a, b) => Number(a) - Number(b))]));
  const nodeCron = (expr: string) => {
    try {
      return sorted(cron.parse(expr));
    } catch {
      return 'invalid';
    }
  };

  it('gives the fields node-cron gives', () => {
    for (const expr of [
      '30 1 * * *', // the jobs' own schedules
      '30 22 * * 1-5',
      '45 23 * * *',
      '15 23 * * *',
      '0 23 * * *',
      '0 6 * * *',
      '*/7 3-5 * * *',
      '*/2 * * * * *',
      '0 0 1,15 * *',
      '5,10-20/5,59 0-23/6 * 1-12/3 0,7',
      '0 0 * * 1-7',
      '0 0 * * */2',
      '  0   12  *  *  *  ',
      '00 05 01 01 *',
      '0 0 1-31/10 2 *',
    ]) {
      expect(plainCronFields(expr), expr).toBeDefined();
      expect(sorted(plainCronFields(expr)!), expr).toEqual(nodeCron(expr));
    }
  });

  it('leaves everything else to node-cron, which accepts or refuses it', () => {
    for (const expr of [
      '@daily',
      '0 0 * jan mon',
      '0 0 L * *',
      '0 0 * * 1#2',
      '0 0 ? * *',
      '0 0 30 2 *', // no February has a 30th: node-cron refuses
      '0 0 29,30,31 * *', // days past the 28th only: node-cron checks the months
      '0 22-2 * * *', // a range that wraps past midnight
      '5/15 * * * *', // a step without a range: node-cron refuses
      '60 * * * *',
      '0 24 * * *',
      '0 0 0 * *',
      '0 0 * 13 *',
      '0 0 * * 8',
      '*/0 * * * *',
      '0 0 * *',
      '0 0 * * * * *',
      '0\t0 * * *',
    ])
      expect(plainCronFields(expr), expr).toBeUndefined();
    // And the next run is node-cron's answer (or none) either way.
    expect(nextRun('@daily', from)).toBe('2026-02-02T00:00:00.000Z');
    expect(nextRun('0 0 30 2 *', from)).toBeNull();
    expect(nextRun('0 0 29,30,31 * *', from)).toBe('2026-03-29T00:00:00.000Z');
    expect(nextRun('60 * * * *', from)).toBeNull();
  });
});

describe("node-cron's date parts in UTC without Intl (the build's node-cron-utc patch)", () => {
  it('reads an instant by hand', () => {
    // 2026-02-01 was a Sunday; midnight is hour 0 (Intl's en-US 24-hour clock may say "24", node-cron maps it to 0).
    expect(utcDateParts(new Date('2026-02-01T00:00:00.000Z'))).toEqual({
      day: 1,
      month: 2,
      year: 2026,
      hour: 0,
      minute: 0,
      second: 0,
      millisecond: 0,
      weekday: 'Sun',
      gmt: 'Z',
    });
    expect(utcDateParts(new Date('2024-02-29T23:59:58.250Z'))).toMatchObject({
      day: 29,
      month: 2,
      hour: 23,
      second: 58,
      millisecond: 250,
      weekday: 'Thu',
    });
  });

  it("matches the Intl formatter node-cron builds for timezone 'UTC' over a sweep of instants", () => {
    // node-cron's getPartsFormatter options (node_modules/node-cron/dist/_shared.js), and its reading of the parts.
    const intl = new Intl.DateTimeFormat('en-US', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
      hour12: false,
      timeZone: 'UTC',
    });
    // Every 7 h 13 min 17.5 s over four years: every hour, weekday and month boundary gets crossed.
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2028, 0, 1); t += 26_017_500) {
      const d = new Date(t);
      const p = Object.fromEntries(intl.formatToParts(d).map((x) => [x.type, x.value]));
      const want = {
        day: Number(p.day),
        month: Number(p.month),
        year: Number(p.year),
        hour: p.hour === '24' ? 0 : Number(p.hour),
        minute: Number(p.minute),
        second: Number(p.second),
        millisecond: d.getMilliseconds(),
        weekday: p.weekday,
        gmt: 'Z',
      };
      expect(utcDateParts(d), d.toISOString()).toEqual(want);
    }
  });
});
