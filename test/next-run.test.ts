// `status`'s next run: node-cron's parse walked in UTC without its Intl formatter (src/daemon/status.ts
// nextUtcMatch). Expected instants worked out by hand from 2026-02-01T06:00:00Z, a Sunday (2026-01-01 was a
// Thursday; 31 days later is 3 weekdays on); and the same answer as node-cron's own task at a frozen clock.
import cron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
