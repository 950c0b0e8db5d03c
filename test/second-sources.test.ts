// Second sources of the BTC price, miners' revenue and fees: parsers fed the fixtures, and chains run end to end
// against the fake upstream while blockchain.com answers "ok" with nothing in it (blockchain/coin-definitions#507).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { network } from '../jobs/network.js';
import { planBackfill } from '../src/cli/backfill.js';
import { PayloadError } from '../src/errors.js';
import { runJob } from '../src/pipeline/job.js';
import { NETWORK_SERIES_IDS } from '../src/pipeline/network.js';
import { runChecks } from '../src/quality/checks.js';
import { parseBitstampOhlc } from '../src/sources/bitstamp.js';
import { deriveMinersDaily } from '../src/sources/derived.js';
import {
  parseBlockFees,
  parseBlockRewards,
  parseHashrateHistory,
  parseHistoricalPrice,
} from '../src/sources/mempool.js';
import { countRows } from './support/dump.js';
import { createTestEnv, serveNetwork, type TestEnv } from './support/env.js';
import { fixture, json, type Reply } from './support/fake-upstream.js';

const m = { source: 'mempool', url: 'http://127.0.0.1/api/v1/historical-price?currency=USD' };
const load = (rel: string) => JSON.parse(fixture(rel)) as unknown;

// January 2026 in the fixture world, as blockchain.com serves it: $42 M a day, $30 M on the 26th.
const JAN_REVENUE_AVG = (30 * 42e6 + 30e6) / 31; // 41,612,903.23

describe('mempool.space historical-price', () => {
  it('gives day D the row at D+1 00:00 UTC (the close), from the hourly rows only', () => {
    const rows = parseHistoricalPrice(load('mempool/historical-price-usd.json'), m);
    // Hourly rows from 2025-11-01 01:00 to 2026-02-01 06:00: closes for 2025-11-01..2026-01-31 (92 days); the open
    // day 2026-02-01 has none (its last row, 06:00, is 18 h before 2026-02-02 00:00).
    expect(rows).toHaveLength(92);
    expect(rows.at(-1)).toEqual({ date: '2026-01-31', price_usd: 78150 }); // the row stamped 2026-02-01T00:00Z
    // 2025-11-16 00:00 is missing: 2025-11-15 closes on its 23:00 row, 90,000 + (23 − 12) × 5 = 90,055.
    expect(rows.find((r) => r.date === '2025-11-15')).toEqual({ date: '2025-11-15', price_usd: 90055 });
    // The weekly rows (2010 MtGox; Kraken's Thursday 2022-04-21 and -28 00:00, stamped at midnights) give no day.
    expect(rows[0]!.date).toBe('2025-11-01');
  });

  it('leaves a day out when its last row is more than 2 hours before the next midnight', () => {
    const h = 3600;
    const d = 1767225600; // 2026-01-01T00:00Z
    const row = (hours: number, USD: number) => ({ time: d + hours * h, USD });
    const body = {
      prices: [row(46, 86600), row(45, 86500), row(21, 86000), row(20, 85900), row(1, 85000), row(0, 84900)],
    };
    // 2025-12-31 closes on 2026-01-01 00:00 (84,900). 2026-01-01's last row before 2026-01-02 00:00 is 21:00,
    // 3 h before: no close. 2026-01-02 closes on 2026-01-02 22:00 (46 h), 2 h before 2026-01-03 00:00: 86,600.
    expect(parseHistoricalPrice(body, m)).toEqual([
      { date: '2025-12-31', price_usd: 84900 },
      { date: '2026-01-02', price_usd: 86600 },
    ]);
    // Without the 22:00 row, 2026-01-02's last row is 21:00, 3 h before midnight: that day is left out too.
    const late = { prices: body.prices.slice(1) };
    expect(parseHistoricalPrice(late, m).map((r) => r.date)).toEqual(['2025-12-31']);
  });

  it('refuses an empty list and a list of weekly rows only, naming source and URL', () => {
    expect(() => parseHistoricalPrice({ prices: [], exchangeRates: {} }, m)).toThrow(
      /mempool: invalid payload: empty prices list .*historical-price/,
    );
    const weekly = {
      prices: [
        { time: 1651104000, USD: 39750.25 },
        { time: 1650499200, USD: 40500.5 },
      ],
    };
    expect(() => parseHistoricalPrice(weekly, m)).toThrow(/no hourly price rows among 2/);
    expect(() => parseHistoricalPrice(null, m)).toThrow(PayloadError); // the `null` an unknown currency gets
  });
});

describe('Bitstamp daily candles', () => {
  const b = { source: 'bitstamp', url: 'http://127.0.0.1/api/v2/ohlc/btcusd/' };

  it('reads the strings, keys each candle by the day it opens, and drops the open candle of today', () => {
    const page = parseBitstampOhlc(load('bitstamp/ohlc-btcusd-86400.json'), b, '2026-02-01');
    expect(page.candles).toBe(93); // 2025-11-01..2026-02-01
    expect(page.rows).toHaveLength(92); // 2026-02-01's candle is still open at 06:00
    expect(page.rows.at(-1)).toEqual({ date: '2026-01-31', close_usd: 78150 }); // {"timestamp":"1769817600","close":"78150"}
    expect(page.lastTimestamp).toBe(1769904000); // the open candle, for paging
  });

  it('refuses another pair, a candle off midnight and an empty page', () => {
    const body = load('bitstamp/ohlc-btcusd-86400.json') as {
      data: { pair: string; ohlc: Array<Record<string, string>> };
    };
    expect(() => parseBitstampOhlc({ data: { ...body.data, pair: 'BTC/USDT' } }, b, '2026-02-01')).toThrow(
      /pair is "BTC\/USDT"/,
    );
    const hourly = { data: { ...body.data, ohlc: [{ ...body.data.ohlc[0]!, timestamp: '1761958800' }] } };
    expect(() => parseBitstampOhlc(hourly, b, '2026-02-01')).toThrow(/does not open at 00:00 UTC/);
    expect(() => parseBitstampOhlc({ data: { pair: 'BTC/USD', ohlc: [] } }, b, '2026-02-01')).toThrow(
      /bitstamp: invalid payload: no candles/,
    );
  });
});

describe('miners revenue and fees derived from mempool.space', () => {
  const ctx = { source: 'mempool', url: 'http://127.0.0.1/api/v1/mining/blocks/rewards/all' };
  const input = () => ({
    rewards: parseBlockRewards(load('mempool/blocks-rewards-all.json'), ctx),
    fees: parseBlockFees(load('mempool/blocks-fees-all.json'), ctx),
    history: parseHashrateHistory(load('mempool/hashrate-all.json'), ctx),
  });

  it("estimates the day's blocks from hashrate and difficulty, then multiplies the per-block averages", () => {
    const days = deriveMinersDaily(input(), ctx);
    const jan15 = days.find((d) => d.date === '2026-01-15')!;
    // 1,000 EH/s × 86,400 s ÷ (146.72e12 × 2^32) = 8.64e25 ÷ 6.30157602e23 = 137.10856 blocks (the difficulty in
    // force at the bucket's mean height 932,490: the 931,392 retarget of Jan 7).
    expect(jan15.blocks_est).toBeCloseTo(137.10856, 4);
    // Fixture bucket: avgRewards 360,903,341 sats, avgFees 48,403,341 sats, USD 84,945.
    // Revenue 137.10856 × 3.60903341 BTC × 84,945 = 42,033,280.5 USD (blockchain.com: 42,000,000, +0.08 %).
    expect(jan15.revenue_usd).toBeCloseTo(42_033_280.5, 0);
    // Fees 137.10856 × 0.48403341 BTC = 66.365 BTC.
    expect(jan15.fees_btc).toBeCloseTo(66.365, 3);
    // Jan 26 (700 EH/s, after the 933,408 retarget to 141.67 T): 99.40 blocks; 99 in the fixture world.
    expect(days.find((d) => d.date === '2026-01-26')!.blocks_est).toBeCloseTo(
      (700e18 * 86_400) / (141.67e12 * 2 ** 32),
      9,
    );
  });

  it('leaves out days without every input, and the revenue of days before mempool has prices', () => {
    const days = deriveMinersDaily(input(), ctx);
    const dates = days.map((d) => d.date);
    expect(dates).not.toContain('2025-12-25'); // nothing indexed: no bucket, no hashrate
    expect(dates).not.toContain('2026-02-01'); // the open day's partial bucket has no hashrate point
    // The genesis day: 9,273 H/s → 0.19 "blocks" (an estimate; it was one block), fees 0, revenue unknown.
    expect(days[0]).toMatchObject({ date: '2009-01-03', fees_btc: 0, revenue_usd: null });
    expect(days).toHaveLength(1 + 92 - 1);
  });

  it('refuses rewards that do not match the protocol subsidy (a unit off, or fees above rewards)', () => {
    const i = input();
    const inBtc = { ...i, rewards: i.rewards.map((r) => ({ ...r, avg_sats: r.avg_sats / 1e8 })) };
    expect(() => deriveMinersDaily(inBtc, ctx)).toThrow(/claim .* sats of subsidy, but heights ~\d+ pay \d+/);
  });

  it('refuses buckets that are not daily', () => {
    const two = [
      { avgHeight: 1, timestamp: 1767225600 + 100, avgRewards: 1 },
      { avgHeight: 2, timestamp: 1767225600 + 50_000, avgRewards: 1 },
    ];
    expect(() => parseBlockRewards(two, ctx)).toThrow(/two block rewards buckets on 2026-01-01/);
    expect(() => parseBlockFees([], ctx)).toThrow(/empty block fees list/);
  });
});

describe('chains of sources, end to end', () => {
  let t: TestEnv;
  beforeEach(async () => {
    t = await createTestEnv({ now: '2026-02-01T06:00:00Z' });
    serveNetwork(t.fake);
  });
  afterEach(async () => t.close());
  const s = () => t.opened.sqlite;
  const blockchainEmpty = () => {
    for (const slug of ['market-price', 'miners-revenue', 'transaction-fees', 'hash-rate', 'difficulty']) {
      t.fake.on(`/charts/${slug}`, json({ ...(load(`blockchain/${slug}.json`) as object), values: [] }));
    }
  };

  it('blockchain.com "ok" with empty values: the run is ok, price from mempool.space, revenue and fees derived', async () => {
    blockchainEmpty();
    const report = await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    expect(report.status).toBe('ok');
    const price = report.results.find((r) => r.item === 'blockchain.market-price')!;
    expect(price.status).toBe('ok');
    expect(price.detail).toMatch(
      /blockchain failed \(blockchain: invalid payload: chart market-price has no data points .*\/charts\/market-price\?.*\); mempool 92 rows 2025-11-01\.\.2026-01-31$/,
    );
    // The comparison-only series fail without failing the run.
    expect(report.results.find((r) => r.item === 'blockchain.hash-rate')).toMatchObject({
      status: 'skipped',
      error: expect.stringMatching(/chart hash-rate has no data points/),
    });
    expect(countRows(s(), 'btc_price_daily', "source = 'blockchain'")).toBe(0);
    expect(countRows(s(), 'btc_price_daily', "source = 'mempool'")).toBe(92);
    // The same close as blockchain.com's: 78,150 on Jan 31, 87,500 on Dec 31.
    expect(
      s()
        .prepare("select date, price_usd from btc_price_daily where date in ('2025-12-31', '2026-01-31') order by date")
        .all(),
    ).toEqual([
      { date: '2025-12-31', price_usd: 87500 },
      { date: '2026-01-31', price_usd: 78150 },
    ]);
    expect(t.fake.requestsTo('/api/v2/ohlc/btcusd/')).toHaveLength(0); // mempool.space covered every day
    // Revenue: every January day derived; each is blockchain.com's × n̂/n, n̂ = 86,400·H/(D·2^32) against the
    // integer count n of the fixture world, so within 0.5 block of 99..142: under 0.5 % a day, under 1 % a month.
    const jan = s()
      .prepare(
        "select count(*) as n, avg(revenue_usd) as avg from miners_revenue_daily where source = 'derived' and date like '2026-01-%'",
      )
      .get() as { n: number; avg: number };
    expect(jan.n).toBe(31);
    expect(Math.abs(jan.avg / JAN_REVENUE_AVG - 1)).toBeLessThan(0.01);
    expect(
      s().prepare("select revenue_usd from miners_revenue_daily where date = '2026-01-15'").pluck().get(),
    ).toBeCloseTo(42_033_280.5, 0);
    expect(countRows(s(), 'tx_fees_daily', "source = 'derived'")).toBe(91); // Nov–Jan minus Dec 25
    // mempool.space's three whole-history answers are asked once for both derived figures.
    expect(t.fake.requestsTo('/api/v1/mining/blocks/rewards/all')).toHaveLength(1);
    expect(t.fake.requestsTo('/api/v1/mining/hashrate/all')).toHaveLength(1);
  });

  it("mempool.space's prices missing too: Bitstamp's candles, paged from the first uncovered day", async () => {
    blockchainEmpty();
    t.fake.on('/api/v1/historical-price', { status: 200, body: '' }); // the empty 200 of an unknown currency or a DB error
    const report = await runJob(t.ctx, network, 'backfill', {
      from: '2025-11-01',
      only: ['blockchain.market-price', 'mempool.historical-price', 'bitstamp'],
    });
    expect(report.status).toBe('ok');
    expect(report.results[0]!.detail).toMatch(
      /mempool failed \(mempool: invalid payload: empty body where JSON was expected .*\); bitstamp 92 rows 2025-11-01\.\.2026-01-31$/,
    );
    expect(t.fake.requestsTo('/api/v2/ohlc/btcusd/').map((r) => r.query)).toEqual([
      { step: '86400', limit: '1000', start: '1761955200' },
    ]); // 2025-11-01
    expect(
      s()
        .prepare("select price_usd from btc_price_daily where source = 'bitstamp' and date = '2026-01-31'")
        .pluck()
        .get(),
    ).toBe(78150);
    expect(countRows(s(), 'btc_price_daily', "date = '2026-02-01'")).toBe(0); // the open candle
  });

  it('pages Bitstamp 1,000 candles at a time, each page from the day after the last candle', async () => {
    const DAY = 86_400;
    const open = 1769904000; // 2026-02-01, the clock's day
    t.fake.on('/api/v2/ohlc/btcusd/', (req): Reply => {
      const start = Number(req.query.start);
      const ohlc = [];
      for (let ts = start; ts <= open && ohlc.length < 1000; ts += DAY) {
        ohlc.push({
          timestamp: String(ts),
          open: '60000',
          high: '61000',
          low: '59000',
          close: String(60000 + (ts - 1672531200) / DAY),
          volume: '1000.00000000',
        });
      }
      return json({ data: { pair: 'BTC/USD', ohlc } });
    });
    await runJob(t.ctx, network, 'backfill', { from: '2023-01-01', only: ['bitstamp'] });
    // 2023-01-01..2026-01-31 is 1,127 days: 1,000 candles from 1672531200, then 127 + the open one from the
    // 1,001st day (1672531200 + 1,000 × 86,400 = 1758931200, 2025-09-27); that short page ends the paging.
    expect(t.fake.requestsTo('/api/v2/ohlc/btcusd/').map((r) => r.query.start)).toEqual(['1672531200', '1758931200']);
    expect(countRows(s(), 'btc_price_daily', "source = 'bitstamp'")).toBe(1127);
    expect(s().prepare("select price_usd from btc_price_daily where date = '2026-01-31'").pluck().get()).toBe(
      60000 + 1126,
    );
  });

  it('a primary that stops short: the next source fills only the days after it, and the run is ok', async () => {
    await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    // blockchain.com goes quiet after 2026-01-28 (like March 2026: ok, values end days ago).
    const body = load('blockchain/market-price.json') as { values: Array<{ x: number }> };
    t.fake.on('/charts/market-price', json({ ...body, values: body.values.filter((v) => v.x < 1769644800) })); // < 2026-01-29
    t.fake.requests.length = 0;
    const report = await runJob(t.ctx, network, 'backfill', { from: '2026-01-20' });
    expect(report.status).toBe('ok');
    expect(report.results.find((r) => r.item === 'blockchain.market-price')?.detail).toBe(
      '2026-01-20..2026-01-31: blockchain 9 rows 2026-01-20..2026-01-31; mempool 3 rows 2026-01-29..2026-01-31',
    );
    expect(
      s().prepare("select date from btc_price_daily where source = 'mempool' order by date").pluck().all(),
    ).toEqual(['2026-01-29', '2026-01-30', '2026-01-31']);
    // blockchain.com's revenue and fees covered the range: no derived request.
    expect(t.fake.requestsTo('/api/v1/mining/blocks/rewards/all')).toHaveLength(0);
  });

  it('check compares the BTC price across sources: over 1 % is a warning', async () => {
    await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    await runJob(t.ctx, network, 'backfill', { from: '2025-11-01', only: ['mempool.historical-price'] }); // a second price for every day
    const price = (pct?: number) =>
      runChecks(s(), { today: '2026-02-01', ...(pct === undefined ? {} : { priceDisagreementPct: pct }) }).filter(
        (f) => f.series === 'price_usd',
      );
    // Nov 15: mempool's 23:00 close 90,055 vs blockchain.com's 90,000 = +0.061 %: under 1 %.
    expect(price()).toEqual([]);
    expect(price(0.05).map((f) => [f.first_date, Number(f.value?.toFixed(3))])).toEqual([['2025-11-15', 0.061]]);
    s().prepare("update btc_price_daily set price_usd = 86700 where source = 'mempool' and date = '2026-01-10'").run(); // 85,000 × 1.02
    expect(price()).toEqual([
      {
        check: 'disagreement',
        severity: 'warning',
        series: 'price_usd',
        first_date: '2026-01-10',
        last_date: '2026-01-10',
        value: expect.closeTo(2, 9) as unknown as number,
        detail: 'blockchain 85000.0 vs mempool 86700.0 (+2.00%)',
      },
    ]);
  });

  it('a day any source of a figure has is no gap, and the figure is as fresh as its newest source', async () => {
    blockchainEmpty();
    await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    const f = runChecks(s(), { today: '2026-02-01' });
    expect(f.filter((x) => x.series === 'blockchain.market-price')).toEqual([]); // mempool.space has every day
    expect(f.filter((x) => x.series === 'blockchain.miners-revenue').map((x) => `${x.check} ${x.first_date}`)).toEqual([
      'gap 2025-12-25',
    ]);
    // The comparison-only blockchain.com hash-rate has nothing at all: no finding about a series never loaded.
    expect(f.some((x) => x.series === 'blockchain.hash-rate')).toBe(false);
  });
});

describe('backfill --only with the new sources', () => {
  it('takes the new series ids and source names, and still refuses unknown ones', () => {
    const plan = planBackfill(
      ['bitstamp', 'derived', 'mempool.historical-price', 'bitstamp.btcusd', 'derived.miners-revenue'],
      NETWORK_SERIES_IDS,
      ['MARA'],
      ['MARA'],
    );
    expect(plan.network).toEqual([
      'bitstamp',
      'derived',
      'mempool.historical-price',
      'bitstamp.btcusd',
      'derived.miners-revenue',
    ]);
    expect(() => planBackfill(['coinbase'], NETWORK_SERIES_IDS, ['MARA'], ['MARA'])).toThrow(
      /unknown series or ticker "coinbase" \(known: network, equities, shares, operations, operations\.<miner>, mempool, blockchain, bitstamp, derived, /,
    );
  });
});
