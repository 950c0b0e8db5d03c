// Data-quality checks on stored rows: each finding names the series, the dates and the value.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { equities } from '../jobs/equities.js';
import { network } from '../jobs/network.js';
import { runJob } from '../src/pipeline/job.js';
import { runChecks, runChecksCached } from '../src/quality/checks.js';
import { createTestEnv, serveEquities, serveNetwork, type TestEnv } from './support/env.js';

let t: TestEnv;
beforeEach(async () => {
  t = await createTestEnv({ now: '2026-02-01T06:00:00Z' });
  serveNetwork(t.fake);
  serveEquities(t.fake);
  await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
  await runJob(t.ctx, equities, 'backfill', { from: '2025-11-24' });
});
afterEach(async () => t.close());

const check = (today = '2026-02-01') => runChecks(t.opened.sqlite, { today });

describe('hashpulse check', () => {
  it('finds only the known gap and disagreement in the clean fixtures', () => {
    const f = check();
    expect(f.filter((x) => x.severity === 'error')).toEqual([]);
    expect(f.map((x) => `${x.check} ${x.series} ${x.first_date}`).sort()).toEqual([
      'disagreement hashrate_ehs 2026-01-10',
      'gap mempool.hashrate 2025-12-25',
    ]);
  });

  it('flags a hashrate off by 10^6 as an error with its date and value', () => {
    t.opened.sqlite
      .prepare("update hashrate_daily set hashrate_ehs = 0.00105 where source = 'mempool' and date = '2026-01-05'")
      .run();
    const errors = check().filter((x) => x.severity === 'error');
    expect(errors).toEqual([
      {
        check: 'bounds',
        severity: 'error',
        series: 'mempool.hashrate',
        first_date: '2026-01-05',
        last_date: '2026-01-05',
        value: 0.00105,
        detail: 'hashrate in EH/s 0.00105 outside 1..100000',
      },
    ]);
  });

  it('flags a close moving over 40% in a day without a split, but not CANG across its reverse split', () => {
    // MARA 11.00 on Jan 13 → 17.60 on Jan 14 (+60 %), no split.
    t.opened.sqlite
      .prepare("update equity_prices_daily set close_usd = 17.6 where ticker = 'MARA' and date = '2026-01-14'")
      .run();
    const jumps = check().filter((x) => x.check === 'jump');
    // The next day back to 11.00 is −37.5 %: under the threshold, not flagged.
    expect(jumps.map((j) => [j.series, j.first_date, j.last_date, Number(j.value?.toFixed(1))])).toEqual([
      ['prices.MARA', '2026-01-13', '2026-01-14', 60],
    ]);
    // CANG's as-traded close goes 1.40 → 14.00 over its 1:10 split on Jan 15: explained, not flagged.
    expect(jumps.some((j) => j.series === 'prices.CANG')).toBe(false);
  });

  it('uses the same freshness rule as hashpulse status: two days old is fresh, three is stale', () => {
    const stale = (today: string) => check(today).some((x) => x.check === 'stale' && x.series === 'mempool.hashrate');
    expect(stale('2026-02-02')).toBe(false); // newest 2026-01-31 is 2 days old
    expect(stale('2026-02-03')).toBe(true);
  });

  it('calls a series stale with its newest day and age', () => {
    const stale = check('2026-02-10').filter((x) => x.check === 'stale' && x.series === 'mempool.hashrate');
    expect(stale).toEqual([
      {
        check: 'stale',
        severity: 'warning',
        series: 'mempool.hashrate',
        first_date: '2026-01-31',
        last_date: '2026-01-31',
        value: 10,
        detail: 'newest day is 2026-01-31, 10 days old',
      },
    ]);
  });

  it('stores the findings after every job run, not only the first: a later run replaces them with what it finds', async () => {
    const stored = () =>
      t.opened.sqlite
        .prepare(
          "select checked_at, check_name, first_date from check_findings where series = 'prices.MARA' order by 1",
        )
        .all();
    expect(stored()).toEqual([]); // the two setup runs found nothing about MARA
    // A bad tick appears; the next run (a different job, an hour later) must store a finding about it.
    t.opened.sqlite
      .prepare("update equity_prices_daily set close_usd = 17.6 where ticker = 'MARA' and date = '2026-01-14'")
      .run();
    t.setNow('2026-02-01T07:00:00Z');
    await runJob(t.ctx, network, 'backfill', { from: '2026-01-01' });
    expect(stored()).toEqual([
      { checked_at: '2026-02-01T07:00:00.000Z', check_name: 'jump', first_date: '2026-01-13' },
    ]);
    // The tick is corrected; the run after that stores the set without it.
    t.opened.sqlite
      .prepare("update equity_prices_daily set close_usd = 11 where ticker = 'MARA' and date = '2026-01-14'")
      .run();
    t.setNow('2026-02-01T08:00:00Z');
    await runJob(t.ctx, network, 'backfill', { from: '2026-01-01' });
    expect(stored()).toEqual([]);
    const gap = t.opened.sqlite
      .prepare("select checked_at from check_findings where check_name = 'gap' and series = 'mempool.hashrate'")
      .pluck()
      .all();
    expect(gap).toEqual(['2026-02-01T08:00:00.000Z']);
  });
});

describe('check reads back the parts whose tables did not change (check_parts, data_versions)', () => {
  // The network and equities jobs of beforeEach stored every part (runJob checks after each job).
  const cached = (today = '2026-02-01', extra = {}) => runChecksCached(t.opened.sqlite, { today, ...extra });

  it('gives the findings of a full run, before and after one row changes, and on a later day', () => {
    expect(cached()).toEqual(check());
    expect(cached().map((x) => `${x.check} ${x.series} ${x.first_date}`)).toEqual([
      'gap mempool.hashrate 2025-12-25',
      'disagreement hashrate_ehs 2026-01-10',
    ]);
    // One row changed: its part is recomputed, the bounds error appears as in a full run.
    t.opened.sqlite
      .prepare("update hashrate_daily set hashrate_ehs = 0.00105 where source = 'mempool' and date = '2026-01-05'")
      .run();
    expect(cached()).toEqual(check());
    expect(
      cached()
        .filter((x) => x.severity === 'error')
        .map((x) => [x.series, x.first_date, x.value]),
    ).toEqual([['mempool.hashrate', '2026-01-05', 0.00105]]);
    // MARA 11.00 → 17.60 on 2026-01-14: +60 %, a jump (as in the test above).
    t.opened.sqlite
      .prepare("update equity_prices_daily set close_usd = 17.6 where ticker = 'MARA' and date = '2026-01-14'")
      .run();
    expect(cached()).toEqual(check());
    expect(
      cached()
        .filter((x) => x.check === 'jump')
        .map((x) => x.series),
    ).toEqual(['prices.MARA']);
    // Staleness depends on today, never on the stored parts: ten days on, every series is stale in both.
    expect(cached('2026-02-11')).toEqual(check('2026-02-11'));
    expect(cached('2026-02-11').some((x) => x.check === 'stale')).toBe(true);
  });

  it('reads a part back only while its tables are unchanged, and never with other thresholds', () => {
    const s = t.opened.sqlite;
    // Proof that the stored part is what is read: emptied, the mempool gap is gone from the cached answer…
    s.prepare("update check_parts set findings = '[]' where part = 'series:mempool.hashrate'").run();
    expect(cached().some((x) => x.check === 'gap')).toBe(false);
    // …with other thresholds everything is computed…
    expect(cached('2026-02-01', { hashrateDisagreementPct: 50 })).toEqual(
      runChecks(s, { today: '2026-02-01', hashrateDisagreementPct: 50 }),
    );
    expect(cached('2026-02-01', { hashrateDisagreementPct: 50 }).some((x) => x.check === 'gap')).toBe(true);
    // …and any write to hashrate_daily (here a row deleted and put back as it was) bumps its counter: recomputed.
    const row = s.prepare("select * from hashrate_daily where source = 'mempool' and date = '2026-01-05'").get() as {
      date: string;
      source: string;
      hashrate_ehs: number;
    };
    s.prepare("delete from hashrate_daily where source = 'mempool' and date = '2026-01-05'").run();
    s.prepare('insert into hashrate_daily (date, source, hashrate_ehs) values (?, ?, ?)').run(
      row.date,
      row.source,
      row.hashrate_ehs,
    );
    expect(cached()).toEqual(check());
    expect(cached().some((x) => x.check === 'gap')).toBe(true);
  });
});
