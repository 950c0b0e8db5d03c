// End to end against the fake upstream: HTTP → parse → SQLite → network_monthly, with figures computed by hand.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { network } from '../jobs/network.js';
import { runJob } from '../src/pipeline/job.js';
import { countRows, dumpTables } from './support/dump.js';
import { createTestEnv, serveNetwork, type TestEnv } from './support/env.js';
import { fixture } from './support/fake-upstream.js';

let t: TestEnv;
beforeEach(async () => {
  t = await createTestEnv({ now: '2026-02-01T06:00:00Z' });
  serveNetwork(t.fake);
});
afterEach(async () => t.close());

const month = (m: string) =>
  t.opened.sqlite.prepare('select * from network_monthly where month = ?').get(m) as Record<
    string,
    number | string | null
  >;

describe('backfill of network data into network_monthly', () => {
  it('gives the January 2026 figures computed by hand from the fixtures', async () => {
    const report = await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    expect(report.status).toBe('ok');
    const jan = month('2026-01');
    // 30 days at 1,000 EH/s and 700 on Jan 26: (30 × 1000 + 700) / 31 = 990.32 EH/s.
    expect(jan.days_with_data).toBe(31);
    expect(jan.hashrate_avg_ehs).toBeCloseTo(30700 / 31, 9);
    expect(jan.hashrate_min_ehs).toBe(700);
    expect(jan.hashrate_min_date).toBe('2026-01-26');
    expect(jan.hashrate_max_ehs).toBe(1000);
    // December averaged 1,040 EH/s: 990.32 / 1040 − 1 = −4.78 %.
    expect(jan.hashrate_mom_pct).toBeCloseTo(-4.7767, 3);
    // Month-end difficulty 141.67 T (Jan 22 retarget) vs 146.47 T at December's end: −3.28 %.
    expect(jan.difficulty_end).toBe(141.67e12);
    expect(jan.difficulty_mom_pct).toBeCloseTo(-3.2771, 3);
    // 6 days at 146.47 T, 15 at 146.72 T, 10 at 141.67 T.
    expect(jan.difficulty_avg as number).toBeCloseTo(((6 * 146.47 + 15 * 146.72 + 10 * 141.67) / 31) * 1e12, -3);
    // The all-time high is the 2025-10-29 retarget, 155.97 T: 141.67 / 155.97 − 1 = −9.17 %.
    expect(jan.difficulty_ath).toBe(155.97e12);
    expect(jan.difficulty_ath_date).toBe('2025-10-29');
    expect(jan.difficulty_below_ath_pct).toBeCloseTo(-9.1684, 3);
    // BTC closed Jan 31 at 78,150 after 87,500 on Dec 31: −10.69 %.
    expect(jan.btc_close_usd).toBe(78150);
    expect(jan.btc_close_date).toBe('2026-01-31');
    expect(jan.btc_return_pct).toBeCloseTo(-10.6857, 3);
    // Revenue: 30 days at $42 M and $30 M on Jan 26; hashprice = 1,290 M / 30,700 EH/s-days = $42,019.54.
    expect(jan.revenue_usd_per_day_avg).toBeCloseTo((30 * 42e6 + 30e6) / 31, 3);
    expect(jan.hashprice_usd_per_ehs_day).toBeCloseTo(1_290_000_000 / 30_700, 6);
    // December's hashprice: 44 M / 1,040 = 42,307.69 → −0.68 % MoM.
    expect(jan.hashprice_mom_pct).toBeCloseTo(-0.6811, 3);
  });

  it('gives December 2025 with a missing day (no blocks indexed on Dec 25)', async () => {
    await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    const dec = month('2025-12');
    expect(dec.days_in_month).toBe(31);
    expect(dec.days_with_data).toBe(30);
    expect(dec.hashrate_avg_ehs).toBe(1040); // not dragged down by a stored zero
    expect(dec.hashrate_mom_pct).toBeCloseTo(-3.7037, 3); // 1040 / 1080 − 1
    expect(dec.difficulty_end).toBe(146.47e12);
    expect(dec.difficulty_mom_pct).toBeCloseTo(-1.8955, 3); // 146.47 / 149.30 − 1
    expect(dec.difficulty_below_ath_pct).toBeCloseTo(-6.0909, 3); // 146.47 / 155.97 − 1
    expect(dec.btc_return_pct).toBeCloseTo(-2.7778, 3); // 87,500 / 90,000 − 1
    expect(dec.hashprice_usd_per_ehs_day).toBeCloseTo(44e6 / 1040, 6);
    const nov = month('2025-11');
    expect(nov.hashrate_mom_pct).toBeNull(); // no October: a delta over a missing base is null
  });

  it('stores each retarget once, keyed by height, and the blockchain.com series beside mempool', async () => {
    await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    const s = t.opened.sqlite;
    // A backfill asks for the whole list: the 8 retargets of the fixtures, block 32,256 and the genesis row.
    expect(countRows(s, 'difficulty_retargets')).toBe(8 + 2);
    expect(s.prepare('select change_pct from difficulty_retargets where height = 0').pluck().get()).toBeNull();
    expect(s.prepare('select change_pct from difficulty_retargets where height = 933408').pluck().get()).toBeCloseTo(
      (141.67 / 146.72 - 1) * 100,
      3,
    );
    expect(countRows(s, 'hashrate_daily', "source = 'mempool'")).toBe(91);
    expect(countRows(s, 'hashrate_daily', "source = 'blockchain'")).toBe(92);
    expect(
      s
        .prepare("select hashrate_ehs from hashrate_daily where source = 'blockchain' and date = '2026-01-10'")
        .pluck()
        .get(),
    ).toBe(1200);
    expect(countRows(s, 'hashrate_daily', 'hashrate_ehs = 0')).toBe(0);
  });

  it('re-running the same backfill, or an overlapping one, leaves identical tables', async () => {
    await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    const first = dumpTables(t.opened.sqlite);
    await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    await runJob(t.ctx, network, 'backfill', { from: '2025-12-15', to: '2026-01-20' });
    expect(dumpTables(t.opened.sqlite)).toBe(first);
    expect(countRows(t.opened.sqlite, 'job_runs', "status = 'ok'")).toBe(3);
  });

  it('loads only the days asked for', async () => {
    await runJob(t.ctx, network, 'backfill', { from: '2026-01-01', to: '2026-01-15' });
    const s = t.opened.sqlite;
    expect(s.prepare("select min(date) || '..' || max(date) from btc_price_daily").pluck().get()).toBe(
      '2026-01-01..2026-01-15',
    );
    expect(countRows(s, 'hashrate_daily', "source = 'mempool'")).toBe(15);
  });

  it('a daily run asks one short window per series, from a few days before the newest stored day', async () => {
    await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    t.fake.requests.length = 0;
    const report = await runJob(t.ctx, network, 'schedule');
    expect(report.status).toBe('ok');
    expect(report.requests).toBe(7); // six daily series + the retarget list: one request each
    // Retargets: the newest stored is Jan 22, so the window must reach back to Jan 19: '1m'.
    expect(t.fake.requests.map((r) => r.path).sort()).toEqual([
      '/api/v1/mining/difficulty-adjustments/1m',
      '/api/v1/mining/hashrate/1w',
      '/charts/difficulty',
      '/charts/hash-rate',
      '/charts/market-price',
      '/charts/miners-revenue',
      '/charts/transaction-fees',
    ]);
    // Newest stored day is Jan 31; we re-ask from Jan 28 (upstreams revise recent days), never down-sampled.
    expect(t.fake.requestsTo('/charts/market-price')[0]?.query).toEqual({
      timespan: '5days',
      start: '2026-01-28',
      format: 'json',
      sampled: 'false',
    });
    expect(t.fake.requestsTo('/charts/market-price')[0]?.headers['user-agent']).toMatch(/^hashpulse\//);
  });

  it('the first daily run on an empty database loads all history', async () => {
    await runJob(t.ctx, network, 'schedule');
    expect(t.fake.requestsTo('/api/v1/mining/hashrate/all')).toHaveLength(1);
    expect(t.fake.requestsTo('/api/v1/mining/difficulty-adjustments')).toHaveLength(1);
    expect(t.fake.requestsTo('/charts/market-price')[0]?.query.start).toBe('2009-01-03');
    expect(month('2026-01').days_with_data).toBe(31);
  });

  it('does not store the current, incomplete UTC day', async () => {
    t.setNow('2026-01-31T12:00:00Z');
    await runJob(t.ctx, network, 'backfill', { from: '2026-01-01' });
    expect(t.opened.sqlite.prepare('select max(date) from btc_price_daily').pluck().get()).toBe('2026-01-30');
  });
});

describe("the edges of mempool's whole-history lists, through the HTTP client", () => {
  it('fetches every retarget with the genesis row last, and stores the genesis row with no change', async () => {
    const { fetchDifficultyAdjustments } = await import('../src/sources/mempool.js');
    const rows = await fetchDifficultyAdjustments(t.ctx.http, t.ctx.config.mempoolUrl);
    expect(t.fake.requestsTo('/api/v1/mining/difficulty-adjustments')).toHaveLength(1);
    expect(rows.map((r) => r.height).slice(0, 3)).toEqual([0, 32256, 919296]);
    expect(rows[0]!.change_pct).toBeNull();
    const report = await runJob(t.ctx, network, 'backfill', { from: '2009-01-03', only: ['mempool'] });
    expect(report.status).toBe('ok');
    expect(
      t.opened.sqlite
        .prepare('select height, time_utc, change_pct from difficulty_retargets where height < 40000 order by height')
        .all(),
    ).toEqual([
      { height: 0, time_utc: '2009-01-03T18:15:05Z', change_pct: null },
      { height: 32256, time_utc: '2009-12-30T06:11:04Z', change_pct: expect.closeTo(18.29, 9) as unknown as number },
    ]);
  });

  it('reads /hashrate/all with its genesis point and zero days: 2009-01-03 stored, 2009-01-04..08 not', async () => {
    const report = await runJob(t.ctx, network, 'backfill', { from: '2009-01-03', only: ['mempool.hashrate'] });
    expect(report.status).toBe('ok');
    expect(t.fake.requestsTo('/api/v1/mining/hashrate/all')).toHaveLength(1);
    const s = t.opened.sqlite;
    expect(s.prepare("select date from hashrate_daily where date < '2010-01-01'").pluck().all()).toEqual([
      '2009-01-03',
    ]);
    expect(countRows(s, 'hashrate_daily', "source = 'mempool'")).toBe(1 + 91);
  });

  it('the ×4 check leaves the genesis row out and allows ×4 per period across a gap in the stored list', async () => {
    await runJob(t.ctx, network, 'backfill', { from: '2009-01-03', only: ['mempool'] });
    const { runChecks } = await import('../src/quality/checks.js');
    expect(runChecks(t.opened.sqlite, { today: '2026-02-01' }).filter((f) => f.check === 'retarget')).toEqual([]);
    // A retarget one period after 933,408 at 4.5 × 141.67 T is beyond ×4 and is reported.
    t.opened.sqlite
      .prepare(
        "insert into difficulty_retargets values (935424, '2026-02-05T00:00:00Z', '2026-02-05', ?, 350, 'mempool')",
      )
      .run(141.67e12 * 4.5);
    const f = runChecks(t.opened.sqlite, { today: '2026-02-06' }).filter((x) => x.check === 'retarget');
    expect(f.map((x) => [x.first_date, x.value])).toEqual([['2026-02-05', 4.5]]);
  });
});

describe('blockchain.com charts that answer "ok" with no values', () => {
  it('fail the series with an error naming the source and the URL, writing nothing', async () => {
    t.fake.on('/charts/market-price', {
      status: 200,
      body: fixture('blockchain/market-price-empty.json'),
      headers: { 'content-type': 'application/json' },
    });
    t.setNow('2026-03-24T06:00:00Z'); // the day the outage was reported
    const report = await runJob(t.ctx, network, 'backfill', { from: '2026-03-01', only: ['blockchain.market-price'] });
    const r = report.results.find((x) => x.item === 'blockchain.market-price');
    expect(r?.status).toBe('failed');
    expect(r?.error).toMatch(
      /^blockchain: invalid payload: chart market-price has no data points .*\(http:\/\/127\.0\.0\.1:\d+\/charts\/market-price\?timespan=24days&start=2026-03-01&format=json&sampled=false\)$/,
    );
    expect(countRows(t.opened.sqlite, 'btc_price_daily')).toBe(0);
  });
});

/** The second sources of price, revenue and fees answer 404: a figure fails when its primary does, as before chains. */
function withoutSecondSources(): void {
  for (const p of ['/api/v1/historical-price', '/api/v2/ohlc/btcusd/', '/api/v1/mining/blocks/rewards/all'])
    t.fake.on(p, { status: 404, body: 'Not Found' });
}

describe('faults from the upstream', () => {
  it('waits as a 429 Retry-After asks, then succeeds with the same rows', async () => {
    t.fake.script('/charts/market-price', [
      { status: 429, headers: { 'retry-after': '1' }, body: 'Too Many Requests' },
    ]);
    const started = Date.now();
    const report = await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    expect(report.status).toBe('ok');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(t.fake.requestsTo('/charts/market-price')).toHaveLength(2);
    expect(month('2026-01').btc_close_usd).toBe(78150);
  });

  it('a 503 storm exhausts the retries: that series writes nothing, the run is recorded as failed with source and URL', async () => {
    t.fake.script(
      '/charts/miners-revenue',
      Array.from({ length: 10 }, () => ({ status: 503, body: 'Service Unavailable' })),
    );
    withoutSecondSources(); // the derived revenue's first request (rewards) answers 404: no source is left
    const report = await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    expect(report.status).toBe('failed');
    expect(t.fake.requestsTo('/charts/miners-revenue')).toHaveLength(4); // 1 + HASHPULSE_HTTP_RETRIES=3
    expect(countRows(t.opened.sqlite, 'miners_revenue_daily')).toBe(0);
    expect(countRows(t.opened.sqlite, 'btc_price_daily')).toBe(92); // the other series still load
    const run = t.opened.sqlite
      .prepare('select status, error, requests from job_runs order by id desc limit 1')
      .get() as { status: string; error: string; requests: number };
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(
      /blockchain\.miners-revenue: blockchain: HTTP 503.*\/charts\/miners-revenue\?timespan=.*; derived\.miners-revenue: mempool: HTTP 404.*\/api\/v1\/mining\/blocks\/rewards\/all/,
    );
    expect(run.requests).toBe(4 + 1 + 6); // the storm, the 404 (not retried), the other six series
  });

  it('does not retry a 404 and says which URL answered it', async () => {
    t.fake.script('/charts/transaction-fees', [{ status: 404, body: 'Not Found' }]);
    withoutSecondSources();
    const report = await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    expect(t.fake.requestsTo('/charts/transaction-fees')).toHaveLength(1);
    expect(report.results.find((r) => r.item === 'blockchain.transaction-fees')?.error).toMatch(
      /HTTP 404.*127\.0\.0\.1/,
    );
  });

  it('truncated JSON, HTML with status 200 and a unit off by 10^6 leave stored data intact', async () => {
    await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    const before = dumpTables(t.opened.sqlite);
    t.fake.script('/charts/market-price', [
      { status: 200, body: fixture('blockchain/market-price.json'), fault: 'truncate' },
    ]);
    t.fake.script('/charts/miners-revenue', [
      {
        status: 200,
        body: '<html><body>Checking your browser…</body></html>',
        headers: { 'content-type': 'text/html' },
      },
    ]);
    const huge = JSON.parse(fixture('blockchain/hash-rate.json')) as { values: Array<{ x: number; y: number }> };
    for (const v of huge.values) v.y *= 1e6; // H/s-sized numbers where TH/s belong
    t.fake.script('/charts/hash-rate', [{ status: 200, body: JSON.stringify(huge) }]);
    withoutSecondSources();
    const report = await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    const errors = Object.fromEntries(report.results.filter((r) => r.error).map((r) => [r.item, r.error]));
    expect(errors['blockchain.market-price']).toMatch(/malformed or truncated JSON/);
    expect(errors['blockchain.miners-revenue']).toMatch(/HTML page instead of JSON/);
    expect(errors['blockchain.hash-rate']).toMatch(
      /hashrate \(EH\/s\) 1080000000 on 2025-11-01 is outside the plausible range/,
    );
    expect(dumpTables(t.opened.sqlite)).toBe(before);
  });

  it('a connection reset mid-body and a hang past the timeout are retried', async () => {
    t.fake.script('/charts/market-price', [
      { status: 200, body: fixture('blockchain/market-price.json'), fault: 'reset' },
    ]);
    t.fake.script('/charts/transaction-fees', [{ fault: 'hang' }]);
    const report = await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    expect(report.status).toBe('ok');
    expect(t.fake.requestsTo('/charts/market-price')).toHaveLength(2);
    expect(t.fake.requestsTo('/charts/transaction-fees')).toHaveLength(2);
  });
});
