// The daily run's requests (issue 12): Yahoo's spark batch for the closes, EDGAR's daily index for the filers, the
// retarget list only when due, second sources only for days older than one day — real HTTP against the fake upstream.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { equities } from '../jobs/equities.js';
import { network } from '../jobs/network.js';
import { shares } from '../jobs/shares.js';
import { runJob } from '../src/pipeline/job.js';
import { dailyIndexPath, parseDailyIndex } from '../src/sources/sec.js';
import { parseYahooSpark, sparkRangeFor } from '../src/sources/yahoo.js';
import { createTestEnv, serveEquities, serveNetwork, type TestEnv } from './support/env.js';
import { fixture, json, type SeenRequest } from './support/fake-upstream.js';

let t: TestEnv;
beforeEach(async () => {
  t = await createTestEnv({ now: '2026-02-01T06:00:00Z' });
  serveNetwork(t.fake);
  serveEquities(t.fake);
  fs.writeFileSync(t.env.HASHPULSE_SHARES_OVERRIDES!, 'ticker,as_of,shares,note\n');
});
afterEach(async () => t.close());

const paths = (from = 0) =>
  t.fake.requests
    .slice(from)
    .map((r) => r.path)
    .sort();
const closes = (where: string) =>
  t.opened.sqlite
    .prepare(`select ticker, date, close_usd from equity_prices_daily where ${where} order by ticker, date`)
    .all();
const detail = (r: { results: readonly { item: string; detail?: string }[] }, item: string) =>
  r.results.find((x) => x.item === item)?.detail;

/** The recorded-shape spark answer of test/fixtures/yahoo/spark-1mo.json, changed by `edit` per symbol. */
type Spark = Record<string, { close: Array<number | null>; chartPreviousClose: number | null }>;
function serveSpark(edit: (body: Spark) => void = () => {}): void {
  t.fake.on('/v8/finance/spark', (_req: SeenRequest) => {
    const body = JSON.parse(fixture('yahoo/spark-1mo.json')) as Spark;
    edit(body);
    return json(body);
  });
}

describe('equities: one spark request for the daily closes', () => {
  beforeEach(async () => {
    expect((await runJob(t.ctx, equities, 'backfill', { from: '2025-11-24' })).status).toBe('ok');
    // The daily run finds the newest close on Friday 2026-01-23 and re-asks from 5 days before: 2026-01-18.
    t.opened.sqlite.prepare("delete from equity_prices_daily where date >= '2026-01-26'").run();
  });

  it('serves every ticker from one batch, with the closes the chart path stored', async () => {
    await runJob(t.ctx, equities, 'backfill', { from: '2026-01-26' }); // the chart path's closes, to compare
    const chart = closes("date >= '2026-01-20'");
    t.opened.sqlite.prepare("delete from equity_prices_daily where date >= '2026-01-26'").run();
    serveSpark();
    const before = t.fake.requests.length;
    const r = await runJob(t.ctx, equities, 'schedule');
    expect(r.status).toBe('ok');
    expect(paths(before)).toEqual(['/v8/finance/spark']); // was 4 chart requests
    const q = t.fake.requests[before]!;
    expect(q.query).toEqual({ symbols: 'MARA,IREN,CANG,^GSPC', range: '1mo', interval: '1d' });
    expect(q.headers['user-agent']).toMatch(/^Mozilla\/5\.0/);
    expect(closes("date >= '2026-01-20'")).toEqual(chart);
    // By hand from the fixture: MARA 11 through Jan 29, 12.50 on Jan 30; CANG (after its 1:10 reverse split of
    // Jan 15) 14 and 12.30; the S&P 500 6,820 and 6,940.
    expect(closes("date in ('2026-01-29', '2026-01-30') and ticker in ('MARA', 'CANG', '^GSPC')")).toEqual([
      { ticker: 'CANG', date: '2026-01-29', close_usd: 14 },
      { ticker: 'CANG', date: '2026-01-30', close_usd: 12.3 },
      { ticker: 'MARA', date: '2026-01-29', close_usd: 11 },
      { ticker: 'MARA', date: '2026-01-30', close_usd: 12.5 },
      { ticker: '^GSPC', date: '2026-01-29', close_usd: 6820 },
      { ticker: '^GSPC', date: '2026-01-30', close_usd: 6940 },
    ]);
    // MARA's check: the 14 January closes of the answer up to Jan 23 that are stored (Jan 2–23 is 15 sessions,
    // the null bar of Jan 9 left out) plus chartPreviousClose 10 against Dec 31's stored 10.
    expect(detail(r, 'prices.MARA')).toBe(
      'served by yahoo (spark batch of 4 symbols, range 1mo; 15 stored closes agree), 2026-01-18..2026-02-01',
    );
    // CANG's answer is split-adjusted (14.00 before Jan 15); the stored 1:10 event undoes it: 14 × 1/10 = 1.40.
    expect(detail(r, 'prices.CANG')).toMatch(/^served by yahoo \(spark batch/);
    // Spark has no volume: the 4 re-asked days keep theirs, the 5 new days of the 4 tickers have none.
    expect(
      t.opened.sqlite
        .prepare('select count(*) from equity_prices_daily where volume is null and date >= ?')
        .pluck()
        .get('2026-01-20'),
    ).toBe(20);
  });

  it('a symbol missing from the batch is asked with its chart', async () => {
    serveSpark((b) => delete b.IREN);
    const before = t.fake.requests.length;
    const r = await runJob(t.ctx, equities, 'schedule');
    expect(r.status).toBe('ok');
    expect(paths(before)).toEqual(['/v8/finance/chart/IREN', '/v8/finance/spark']);
    expect(detail(r, 'prices.IREN')).toBe('served by yahoo, 2026-01-18..2026-02-01');
    expect(closes("ticker = 'IREN' and date >= '2026-01-29'")).toEqual([
      { ticker: 'IREN', date: '2026-01-29', close_usd: 45 },
      { ticker: 'IREN', date: '2026-01-30', close_usd: 52.65 },
    ]);
  });

  it('a split the stored closes do not know of sends the ticker to its chart, with events', async () => {
    // As Yahoo would answer after a 2:1 split effective Jan 30: every earlier close halved (11 → 5.50), Jan 30 not.
    serveSpark((b) => {
      const m = b.MARA!;
      m.close = m.close.map((c, i) => (c === null || i === m.close.length - 1 ? c : c / 2));
      m.chartPreviousClose = 10 / 2;
    });
    const before = t.fake.requests.length;
    const r = await runJob(t.ctx, equities, 'schedule');
    expect(r.status).toBe('ok');
    expect(paths(before)).toEqual(['/v8/finance/chart/MARA', '/v8/finance/spark']);
    expect(t.fake.requestsTo('/v8/finance/chart/MARA').at(-1)?.query.events).toBe('div|split');
    expect(detail(r, 'prices.MARA')).toBe('served by yahoo, 2026-01-18..2026-02-01');
    expect(detail(r, 'prices.IREN')).toMatch(/^served by yahoo \(spark batch of 4 symbols/);
    // The chart's closes as traded, never the batch's halved ones: 11.00 on Jan 29.
    expect(closes("ticker = 'MARA' and date = '2026-01-29'")).toEqual([
      { ticker: 'MARA', date: '2026-01-29', close_usd: 11 },
    ]);
  });

  it('the volume spark leaves empty is filled back by two charts a day, taking turns', async () => {
    serveSpark();
    expect((await runJob(t.ctx, equities, 'schedule')).status).toBe('ok');
    // Spark has no volume: Jan 26–30 are stored without it for all four tickers.
    const empty = () =>
      t.opened.sqlite
        .prepare(
          "select ticker, count(*) as days from equity_prices_daily where volume is null and date >= '2026-01-26' group by ticker order by ticker",
        )
        .all();
    expect(empty()).toEqual([
      { ticker: 'CANG', days: 5 },
      { ticker: 'IREN', days: 5 },
      { ticker: 'MARA', days: 5 },
      { ticker: '^GSPC', days: 5 },
    ]);
    // The next day, 2026-02-02, is day 20,486 since 1970-01-01 (2026-01-01 is day 365 × 56 + 14 leap days = 20,454;
    // + 32). Two turns a run over the sorted list [CANG, IREN, MARA, ^GSPC]: (20,486 × 2) mod 4 = 0 → CANG and IREN
    // go to their chart from Jan 26, the others stay in the batch.
    t.setNow('2026-02-02T06:00:00Z');
    const before = t.fake.requests.length;
    const r = await runJob(t.ctx, equities, 'schedule');
    expect(r.status).toBe('ok');
    expect(paths(before)).toEqual(['/v8/finance/chart/CANG', '/v8/finance/chart/IREN', '/v8/finance/spark']);
    expect(t.fake.requests.slice(before).find((q) => q.path === '/v8/finance/spark')!.query.symbols).toBe('MARA,^GSPC');
    expect(detail(r, 'prices.IREN')).toMatch(
      /its turn to fill back the volume the spark batch left empty since 2026-01-26$/,
    );
    expect(empty()).toEqual([
      { ticker: 'MARA', days: 5 },
      { ticker: '^GSPC', days: 5 },
    ]);
    // The fixture's chart volumes: IREN 20,041,000 on Jan 26 and 20,045,000 on Jan 30 (close 52.65).
    expect(
      t.opened.sqlite
        .prepare(
          "select date, close_usd, volume from equity_prices_daily where ticker = 'IREN' and date in ('2026-01-26', '2026-01-30') order by date",
        )
        .all(),
    ).toEqual([
      { date: '2026-01-26', close_usd: 45, volume: 20041000 },
      { date: '2026-01-30', close_usd: 52.65, volume: 20045000 },
    ]);
  });

  it('a failed batch leaves every ticker to its chart', async () => {
    t.fake.on('/v8/finance/spark', { status: 400, body: '{"spark":{"result":null,"error":{"code":"Bad Request"}}}' });
    const before = t.fake.requests.length;
    expect((await runJob(t.ctx, equities, 'schedule')).status).toBe('ok');
    expect(paths(before)).toEqual([
      '/v8/finance/chart/%5EGSPC',
      '/v8/finance/chart/CANG',
      '/v8/finance/chart/IREN',
      '/v8/finance/chart/MARA',
      '/v8/finance/spark',
    ]);
  });
});

describe("shares: EDGAR's daily index says who filed", () => {
  const INDEX = '/Archives/edgar/daily-index/2026/QTR1/master.20260130.idx';
  const serveIndex = (file: string) =>
    t.fake.on(INDEX, { status: 200, body: fixture(`sec/${file}`), headers: { 'content-type': 'text/plain' } });
  beforeEach(async () => {
    // The last successful run: Friday 2026-01-30 01:00 in New York; the daily run a day later sees Friday's index.
    t.setNow('2026-01-30T06:00:00Z');
    expect((await runJob(t.ctx, shares, 'backfill', { refresh: 'all' })).status).toBe('ok');
    t.setNow('2026-01-31T06:00:00Z');
  });

  it('nobody of ours filed a periodic report: one index request, no submissions', async () => {
    serveIndex('daily-master-20260130-none-of-ours.idx'); // MARA's 8-K, CANG's 6-K, IREN's SC 13G/A: not periodic
    const before = t.fake.requests.length;
    const r = await runJob(t.ctx, shares, 'schedule');
    expect(r.status).toBe('ok');
    expect(paths(before)).toEqual([INDEX]);
    expect(t.fake.requests[before]!.headers['user-agent']).toBe('hashpulse-tests tests@example.com');
    expect(detail(r, 'shares.MARA')).toBe("no periodic report in EDGAR's daily index of 2026-01-30");
  });

  it('a filer filed a 10-Q: only its submissions are asked', async () => {
    serveIndex('daily-master-20260130-iren-10q.idx');
    const before = t.fake.requests.length;
    const r = await runJob(t.ctx, shares, 'schedule');
    expect(r.status).toBe('ok');
    expect(paths(before)).toEqual([INDEX, '/submissions/CIK0001878848.json']);
  });

  it('a weekend is not asked; a weekday without an index (a holiday: 403) asks every filer', async () => {
    serveIndex('daily-master-20260130-none-of-ours.idx');
    t.setNow('2026-02-02T06:00:00Z'); // Monday: Friday's index only, Saturday and Sunday have none
    let before = t.fake.requests.length;
    expect((await runJob(t.ctx, shares, 'schedule')).status).toBe('ok');
    expect(paths(before)).toEqual([INDEX]);
    // Wednesday: Monday 2026-02-02 answers 403 as a missing index does (a federal holiday), so the full path; the
    // run before was Monday's, so Tuesday's index is not reached.
    t.fake.on('/Archives/edgar/daily-index/2026/QTR1/master.20260202.idx', {
      status: 403,
      body: 'Forbidden',
      headers: { 'content-type': 'text/plain' },
    });
    t.setNow('2026-02-04T06:00:00Z');
    before = t.fake.requests.length;
    expect((await runJob(t.ctx, shares, 'schedule')).status).toBe('ok');
    expect(paths(before)).toEqual([
      '/Archives/edgar/daily-index/2026/QTR1/master.20260202.idx',
      '/submissions/CIK0001507605.json',
      '/submissions/CIK0001725123.json',
      '/submissions/CIK0001878848.json',
    ]);
  });
});

describe('network: only what changed', () => {
  const DA = '/api/v1/mining/difficulty-adjustments/1m';

  it('asks for the retarget list only from 9 days after the newest stored retarget', async () => {
    t.setNow('2026-01-30T06:00:00Z');
    expect((await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' })).status).toBe('ok');
    // Newest stored retarget: height 933,408 at 1769064300 = 2026-01-22 06:45 UTC; due from
    // 1769064300 + 9 × 86,400 = 1769841900 = 2026-01-31 06:45 UTC.
    t.setNow('2026-01-31T06:00:00Z');
    let before = t.fake.requests.length;
    let r = await runJob(t.ctx, network, 'schedule');
    expect(r.status).toBe('ok');
    expect(paths(before)).not.toContain(DA);
    expect(r.requests).toBe(6); // the six daily series, one request each
    expect(r.results.find((x) => x.item === 'mempool.difficulty-adjustments')).toMatchObject({
      status: 'skipped',
      detail:
        'not due: the newest stored retarget (height 933408, 2026-01-22T06:45:00Z) is less than 9 days old; the next comes 2,016 blocks after it',
    });
    t.setNow('2026-01-31T07:00:00Z');
    before = t.fake.requests.length;
    r = await runJob(t.ctx, network, 'schedule');
    expect(paths(before).filter((p) => p === DA)).toHaveLength(1);
    expect(r.requests).toBe(7);
  });

  it('a primary that lacks only yesterday costs no second-source request; a day later it does', async () => {
    expect((await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' })).status).toBe('ok');
    // The fixtures end on 2026-01-31: on Feb 2 blockchain.com lacks yesterday (Feb 1) for every chart.
    t.setNow('2026-02-02T06:00:00Z');
    let before = t.fake.requests.length;
    expect((await runJob(t.ctx, network, 'schedule')).status).toBe('ok');
    const second = ['/api/v1/historical-price', '/api/v2/ohlc/btcusd/', '/api/v1/mining/blocks/rewards/all'];
    expect(paths(before).filter((p) => second.includes(p))).toEqual([]);
    // On Feb 3, Feb 1 is older than one day: the price chain asks mempool.space for it.
    t.setNow('2026-02-03T06:00:00Z');
    before = t.fake.requests.length;
    await runJob(t.ctx, network, 'schedule');
    expect(paths(before)).toContain('/api/v1/historical-price');
  });
});

describe('the batch parsers, on the fixtures', () => {
  const ctx = { source: 'yahoo', url: 'http://fake/v8/finance/spark' };
  const spark = () => JSON.parse(fixture('yahoo/spark-1mo.json')) as Record<string, unknown>;

  it('spark: New York dates from the 14:30Z stamps, null bars left out, chartPreviousClose kept', () => {
    const m = parseYahooSpark(spark(), ctx, new Date('2026-02-01T06:00:00Z')).get('MARA')!;
    // 20 sessions from Jan 2 to Jan 30 (Jan 19 a holiday), Jan 9 a null bar: 19 closes.
    expect(m.bars).toHaveLength(19);
    expect(m.bars[0]).toEqual({ date: '2026-01-02', close_usd: 11 });
    expect(m.bars.at(-1)).toEqual({ date: '2026-01-30', close_usd: 12.5 });
    expect(m.bars.some((b) => b.date === '2026-01-09')).toBe(false);
    expect(m.chartPreviousClose).toBe(10);
  });

  it('spark: the bar of a session still open is not a close (Friday Jan 30, 13:00 in New York)', () => {
    const m = parseYahooSpark(spark(), ctx, new Date('2026-01-30T18:00:00Z')).get('^GSPC')!;
    expect(m.bars.at(-1)).toEqual({ date: '2026-01-29', close_usd: 6820 });
  });

  it("spark: /v7's nested shape and arrays of different lengths are payload errors", () => {
    expect(() =>
      parseYahooSpark({ spark: { result: [{ symbol: 'MARA', response: [] }], error: null } }, ctx, new Date()),
    ).toThrow(/nested \/v7 spark shape/);
    const body = spark() as Record<string, { close: unknown[] }>;
    body.IREN!.close.pop();
    expect(() => parseYahooSpark(body, ctx, new Date())).toThrow(/IREN: 20 timestamps but 19 closes/);
  });

  it('spark: the smallest range that reaches back to the first day asked', () => {
    expect(sparkRangeFor('2026-01-18', '2026-02-01')).toBe('1mo'); // 14 days
    expect(sparkRangeFor('2025-11-10', '2026-02-01')).toBe('3mo'); // 83 days
    expect(sparkRangeFor('2025-11-01', '2026-02-01')).toBeNull(); // 92 days: the chart
  });

  it("EDGAR's daily master index: rows under the dashed line, dates as YYYY-MM-DD; anything else refused", () => {
    const c = { source: 'sec', url: 'http://fake/idx' };
    const rows = parseDailyIndex(fixture('sec/daily-master-20260130-none-of-ours.idx'), c);
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r.cik === 1507605)).toEqual({
      cik: 1507605,
      company: 'MARA Holdings, Inc.',
      form: '8-K',
      filed: '2026-01-30',
      file: 'edgar/data/1507605/0001507605-26-000009.txt',
    });
    expect(() => parseDailyIndex('<html><body>Page Not Found</body></html>', c)).toThrow(/not an EDGAR master index/);
    expect(dailyIndexPath('2026-04-01')).toBe('/Archives/edgar/daily-index/2026/QTR2/master.20260401.idx');
  });
});
