// The operations figures (views operations_tickers_monthly, operations_monthly, network_issuance_monthly) for
// November 2023, built from RIOT's and HIVE's real releases (fixtures) read by the job, a hand entry, and a
// network month made by hand so every figure can be checked with a pencil.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { operations } from '../jobs/operations.js';
import { getOperationsMonth, getOperationsTickers } from '../src/metrics/operations.js';
import { runJob } from '../src/pipeline/job.js';
import { refreshNetworkMonthly } from '../src/store/aggregate.js';
import { refreshEquityMonthly } from '../src/store/equities.js';
import { addDays } from '../src/time.js';
import { createTestEnv, type TestEnv } from './support/env.js';
import { OPERATIONS_UNIVERSE, serveOperations } from './support/operations.js';

let t: TestEnv;
beforeEach(async () => {
  t = await createTestEnv({ now: '2023-12-20T23:15:00Z', config: { universePath: OPERATIONS_UNIVERSE } });
  serveOperations(t.fake);
});
afterEach(async () => t.close());

/** Every day of [from, to]: hashrate, BTC price, miners' revenue (USD) and fees (BTC), constant. */
function networkDays(from: string, to: string, v: { ehs: number; price: number; revenue: number; fees: number }): void {
  const s = t.opened.sqlite;
  for (let d = from; d <= to; d = addDays(d, 1)) {
    s.prepare("insert into hashrate_daily values (?, 'mempool', ?)").run(d, v.ehs);
    s.prepare("insert into btc_price_daily values (?, 'blockchain', ?)").run(d, v.price);
    s.prepare("insert into miners_revenue_daily values (?, 'blockchain', ?)").run(d, v.revenue);
    s.prepare("insert into tx_fees_daily values (?, 'blockchain', ?)").run(d, v.fees);
  }
}

/** Retargets 2,016 blocks and exactly 14 days apart (144 blocks a day): [height, midnight UTC of the day]. */
function retargets(list: ReadonlyArray<readonly [number, string]>): void {
  for (const [h, day] of list)
    t.opened.sqlite
      .prepare("insert into difficulty_retargets values (?, ?, ?, 6.2e13, 0, 'mempool')")
      .run(h, `${day}T00:00:00Z`, day);
}

/** November 2023: 500 EH/s, $37,000, $37 M of revenue a day (1,000 BTC), 100 BTC of fees a day. */
function november2023(): void {
  networkDays('2023-11-01', '2023-11-30', { ehs: 500, price: 37_000, revenue: 37_000_000, fees: 100 });
  retargets([
    [814_464, '2023-10-18'],
    [816_480, '2023-11-01'],
    [818_496, '2023-11-15'],
    [820_512, '2023-11-29'],
    [822_528, '2023-12-13'],
  ]);
  // Month-end caps: RIOT 200 M shares × $12.00 = $2.4 B, HIVE 90 M × $3.50 = $315 M (Thursday 2023-11-30, the last US trading day).
  const s = t.opened.sqlite;
  s.prepare(
    "insert into equity_prices_daily (ticker, date, source, close_usd, volume) values ('RIOT', '2023-11-30', 'yahoo', 12.0, 1), ('HIVE', '2023-11-30', 'yahoo', 3.5, 1)",
  ).run();
  s.prepare(
    "insert into shares_outstanding (ticker, as_of, source, shares) values ('RIOT', '2023-10-31', 'sec', 200000000), ('HIVE', '2023-09-30', 'sec', 90000000)",
  ).run();
  refreshNetworkMonthly(s);
  refreshEquityMonthly(s);
}

describe('operations figures, November 2023', () => {
  beforeEach(async () => {
    // A hand entry for RIOT's month: an average hashrate (the release gives only deployed capacity, 12.4 EH/s).
    fs.writeFileSync(
      t.ctx.config.operationsPath,
      'ticker,month,btc_produced,hashrate_ehs,hashrate_basis,btc_held,note\nRIOT,2023-11,,10.5,average,,"hypothetical: an analyst\'s average for the month"\n',
    );
    expect((await runJob(t.ctx, operations, 'manual')).status).toBe('ok');
    november2023();
  });

  it('per miner: the override beats the parsed hashrate, the rest stays parsed; share of network, BTC per EH/s per day, realized hashprice, cap per EH/s', () => {
    const [riot, hive] = getOperationsTickers(t.opened.sqlite, '2023-11');
    // RIOT: hashrate 10.5 EH/s average from the file (not the release's 12.4 installed); 552 BTC and 7,358 held from the 8-K.
    expect(riot).toMatchObject({
      ticker: 'RIOT',
      btc_produced: 552,
      hashrate_ehs: 10.5,
      hashrate_basis: 'average',
      btc_held: 7358,
      source: 'override',
      accession: '0001558370-23-019523',
      filing_status: 'parsed',
    });
    expect(riot!.share_of_network_pct).toBeCloseTo(2.1, 10); // 10.5 / 500 × 100
    expect(riot!.btc_per_ehs_day).toBeCloseTo(1.752380952, 8); // 552 / (10.5 × 30) = 552 / 315
    expect(riot!.realized_hashprice_usd_per_ehs_day).toBeCloseTo(64_838.0952, 3); // 1.7523810 × $37,000
    expect(riot!.network_hashprice_usd_per_ehs_day).toBeCloseTo(74_000, 6); // $37,000,000 / 500 EH/s
    expect(riot!.realized_vs_network_pct).toBeCloseTo(87.619048, 5); // 64,838.10 / 74,000 × 100: RIOT out-mined less than its share
    expect(riot!.market_cap_per_ehs_usd).toBeCloseTo(228_571_428.57, 1); // $2.4 B / 10.5
    // HIVE: all from its 6-K. 276.3 / (4.14 × 30) = 276.3 / 124.2 = 2.2246377 BTC per EH/s per day.
    expect(hive).toMatchObject({
      ticker: 'HIVE',
      btc_produced: 276.3,
      hashrate_ehs: 4.14,
      hashrate_basis: 'average',
      btc_held: 1627,
      source: 'sec-6k',
      filing_status: 'parsed',
    });
    expect(hive!.share_of_network_pct).toBeCloseTo(0.828, 10); // 4.14 / 500 × 100
    expect(hive!.btc_per_ehs_day).toBeCloseTo(2.224637681, 8);
    expect(hive!.realized_hashprice_usd_per_ehs_day).toBeCloseTo(82_311.5942, 3); // × $37,000
    expect(hive!.realized_vs_network_pct).toBeCloseTo(111.231884, 5); // above 100 %: luck, or an understated hashrate
    expect(hive!.market_cap_per_ehs_usd).toBeCloseTo(76_086_956.52, 1); // $315 M / 4.14
  });

  it('the listed miners together: share of network, share of the bitcoin issued, hashprice per PH/s', () => {
    const m = getOperationsMonth(t.opened.sqlite, '2023-11')!;
    expect(m).toMatchObject({ universe_count: 3, reporting_count: 2, producing_count: 2, days_in_month: 30 });
    expect(m.combined_hashrate_ehs).toBeCloseTo(14.64, 10); // 10.5 + 4.14
    expect(m.share_of_network_pct).toBeCloseTo(2.928, 10); // 14.64 / 500 × 100
    expect(m.btc_produced).toBeCloseTo(828.3, 10); // 552 + 276.3
    // Heights: 816,480 at 11-01 00:00 (a retarget); 12-01 00:00 is 2 of the 14 days from 820,512 to 822,528 →
    // 820,512 + 2,016 × 2/14 = 820,800. 4,320 blocks in era 3 (heights 630,000–839,999) at 6.25 BTC = 27,000 BTC.
    expect(m.subsidy_btc).toBe(27_000);
    expect(m.fees_btc).toBe(3_000); // 30 × 100
    expect(m.btc_issued).toBe(30_000);
    expect(m.share_of_btc_issued_pct).toBeCloseTo(2.761, 10); // 828.3 / 30,000 × 100
    expect(m.btc_per_ehs_day).toBeCloseTo(1.885928962, 8); // 828.3 / (14.64 × 30)
    expect(m.realized_hashprice_usd_per_ehs_day).toBeCloseTo(69_779.3716, 3); // × $37,000
    expect(m.hashprice_usd_per_ehs_day).toBeCloseTo(74_000, 6);
    expect(m.hashprice_usd_per_phs_day).toBeCloseTo(74, 8); // ÷ 1,000
    expect(m.hashprice_btc_per_phs_day).toBeCloseTo(0.002, 12); // 30,000 BTC / 30 days / 500 EH/s / 1,000
    expect(m.combined_market_cap_usd).toBe(2_715_000_000); // $2.4 B + $315 M, the miners with a hashrate
    expect(m.market_cap_per_ehs_usd).toBeCloseTo(185_450_819.67, 1); // $2.715 B / 14.64
  });

  it('without the hand entry the parsed installed capacity counts (12.4 EH/s), and the figures follow', async () => {
    fs.writeFileSync(
      t.ctx.config.operationsPath,
      'ticker,month,btc_produced,hashrate_ehs,hashrate_basis,btc_held,note\n',
    );
    await runJob(t.ctx, operations, 'manual');
    const riot = getOperationsTickers(t.opened.sqlite, '2023-11').find((r) => r.ticker === 'RIOT')!;
    expect(riot).toMatchObject({ hashrate_ehs: 12.4, hashrate_basis: 'installed', source: 'sec-8k' });
    expect(getOperationsMonth(t.opened.sqlite, '2023-11')!.share_of_network_pct).toBeCloseTo(3.308, 10); // (12.4 + 4.14) / 500 × 100
  });
});

describe('missing figures are NULL, never 0', () => {
  it('an unparsed month (CORZ, Sep 2024): no hashrate, so no share, no BTC per EH/s; its confident 345 BTC still counts', async () => {
    t.setNow('2024-10-20T23:15:00Z');
    await runJob(t.ctx, operations, 'manual');
    networkDays('2024-09-01', '2024-09-30', { ehs: 640, price: 60_000, revenue: 30_000_000, fees: 20 });
    refreshNetworkMonthly(t.opened.sqlite);
    const [corz] = getOperationsTickers(t.opened.sqlite, '2024-09');
    expect(corz).toMatchObject({
      ticker: 'CORZ',
      btc_produced: 345,
      hashrate_ehs: null,
      share_of_network_pct: null,
      btc_per_ehs_day: null,
      realized_hashprice_usd_per_ehs_day: null,
      filing_status: 'unparsed',
    });
    const m = getOperationsMonth(t.opened.sqlite, '2024-09')!;
    expect(m).toMatchObject({
      reporting_count: 0,
      producing_count: 1,
      combined_hashrate_ehs: null,
      share_of_network_pct: null,
      btc_produced: 345,
    });
    // No retargets stored: the subsidy cannot be counted, so neither can the share of issuance.
    expect(m).toMatchObject({ subsidy_btc: null, btc_issued: null, share_of_btc_issued_pct: null });
  });
});

describe('network_issuance_monthly', () => {
  it('splits April 2024 exactly at the halving (height 840,000) and leaves a month without every day of fees NULL', () => {
    networkDays('2024-04-01', '2024-04-30', { ehs: 600, price: 64_000, revenue: 40_000_000, fees: 50 });
    networkDays('2024-05-01', '2024-05-03', { ehs: 600, price: 64_000, revenue: 40_000_000, fees: 50 });
    retargets([
      [836_640, '2024-03-27'],
      [838_656, '2024-04-10'],
      [840_672, '2024-04-24'],
      [842_688, '2024-05-08'],
    ]);
    refreshNetworkMonthly(t.opened.sqlite);
    const rows = t.opened.sqlite.prepare('select * from network_issuance_monthly order by month').all();
    // 04-01 00:00 is 5 of the 14 days from 836,640: + 2,016 × 5/14 = 720 → 837,360. 05-01 00:00 is 7 of 14 days from
    // 840,672: + 1,008 → 841,680. 4,320 blocks: 840,000 − 837,360 = 2,640 at 6.25 BTC (16,500) and 1,680 at 3.125 (5,250).
    expect(rows[0]).toEqual({
      month: '2024-04',
      days_in_month: 30,
      height_start_est: 837_360,
      height_end_est: 841_680,
      blocks_est: 4_320,
      subsidy_btc: 21_750,
      fees_btc: 1_500,
      fee_days: 30,
      btc_issued: 23_250,
    });
    // May: 3 days of fees of 31 → no total (the month is still running, or has a gap).
    expect(rows[1]).toMatchObject({ month: '2024-05', fee_days: 3, btc_issued: null });
  });
});

describe("the note's Operations block", () => {
  it("says it in the note's words, lays out a table per miner, and carries the JSON key `operations`", async () => {
    fs.writeFileSync(
      t.ctx.config.operationsPath,
      'ticker,month,btc_produced,hashrate_ehs,hashrate_basis,btc_held,note\nRIOT,2023-11,,10.5,average,,\n',
    );
    await runJob(t.ctx, operations, 'manual');
    november2023();
    const { loadReportData } = await import('../src/metrics/note-data.js');
    const { buildNote } = await import('../src/report/note.js');
    const { reportJson } = await import('../src/report/json.js');
    const [d] = loadReportData(t.opened.sqlite, '2023-11', '2023-11');
    const note = buildNote(d!, { economicsFile: 'data/economics.csv' });
    // 14.64 EH/s of 500 = 2.9 %; 828.3 BTC of 30,000 = 2.8 %; sector realized 828.3 / (14.64 × 30) × $37,000 = $69,779
    // = 94 % of $74,000 ($74.00 per PH/s; 30,000 / 30 / 500 / 1,000 = 0.002 BTC).
    expect(note.sentences).toContain(
      'The 2 of 3 miners that reported a hashrate ran 14.6 EH/s, 2.9% of the network, and mined 828 BTC, 2.8% of the bitcoin issued.',
    );
    expect(note.sentences).toContain(
      "They earned $69,779 per EH/s per day, 94% of the network's $74,000 ($74.00 per PH/s, 0.002000 BTC).",
    );
    const block = note.blocks.find((b) => b.title === 'Miner operations');
    expect(block?.kind === 'table' && block.rows).toEqual([
      ['RIOT', '552 BTC', '10.5 EH/s', 'average', '2.10%', '1.752', '$64,838', '88%', '$228.6M', 'override'],
      [
        'HIVE',
        '276 BTC',
        '4.14 EH/s',
        'average',
        '0.83%',
        '2.225',
        '$82,312',
        '111%',
        '$76.1M',
        'sec-6k 0001213900-23-093911',
      ],
    ]);
    const json = reportJson(d!, { economicsFile: 'data/economics.csv' });
    expect(json.operations).toMatchObject({
      reporting_count: 2,
      universe_count: 3,
      btc_produced: 828.3,
      btc_issued: 30_000,
    });
    expect(json.operations!.share_of_network_pct).toBeCloseTo(2.928, 10);
    expect(json.operations!.tickers[1]).toMatchObject({
      ticker: 'HIVE',
      hashrate_ehs: 4.14,
      source: 'sec-6k',
      accession: '0001213900-23-093911',
      btc_held: 1627,
    });
  });
});
