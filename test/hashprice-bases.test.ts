// Hashprice three ways: realized (revenue earned ÷ hashrate), expected at 144 blocks a day (the bank note's) and
// from difficulty (the hashrate indexes'), each computed by hand from the fixtures.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { network } from '../jobs/network.js';
import { type OpenedDb, openDb } from '../src/db/connection.js';
import { runJob } from '../src/pipeline/job.js';
import { refreshNetworkMonthly } from '../src/store/aggregate.js';
import { createTestEnv, serveNetwork, type TestEnv, tempDir } from './support/env.js';

const month = (sqlite: OpenedDb['sqlite'], m: string) =>
  sqlite.prepare('select * from network_monthly where month = ?').get(m) as Record<string, number | null>;

describe('January 2026 of the fixtures: blocks differ from 144 a day', () => {
  let t: TestEnv;
  beforeAll(async () => {
    t = await createTestEnv({ now: '2026-02-01T06:00:00Z' });
    serveNetwork(t.fake);
    const r = await runJob(t.ctx, network, 'backfill', { from: '2025-11-01' });
    expect(r.status).toBe('ok');
  });
  afterAll(async () => t.close());

  // The fixture's January (blockchain.com charts, mempool hashrate, retargets), subsidy 3.125 BTC all month:
  //   28 days at $85,000, revenue $42 M, fees 5 BTC, 1,000 EH/s → blocks (42e6/85000 − 5)/3.125 = 156.517647
  //   Jan 26 at $85,000, revenue $30 M, 700 EH/s           → blocks (30e6/85000 − 5)/3.125 = 111.341176
  //   Jan 30 at $84,000, revenue $42 M                     → blocks (42e6/84000 − 5)/3.125 = 158.4
  //   Jan 31 at $78,150, revenue $42 M                     → blocks (42e6/78150 − 5)/3.125 = 170.376967
  //   blocks = 4,822.612261 (155.568 a day), fees 31 × 5 = 155 BTC → 0.0321402573 BTC a block
  //   mean price (29 × 85,000 + 84,000 + 78,150)/31 = 84,746.774; mean hashrate 30,700/31 = 990.3226 EH/s
  it('derives blocks a day and fees per block from revenue, price, fees and subsidy', () => {
    const j = month(t.opened.sqlite, '2026-01');
    expect(j.blocks_per_day_avg).toBeCloseTo(4822.612261 / 31, 5);
    expect(j.fees_per_block_btc_avg).toBeCloseTo(155 / 4822.612261, 9);
    expect(j.subsidy_btc_per_block_avg).toBe(3.125);
    expect(j.btc_price_usd_avg).toBeCloseTo(2_627_150 / 31, 6);
  });

  it('realized: mean revenue ÷ mean hashrate = (30 × 42 M + 30 M)/31 ÷ 990.3226 = $42,019.54', () => {
    const j = month(t.opened.sqlite, '2026-01');
    expect(j.hashprice_usd_per_ehs_day).toBeCloseTo(1_290_000_000 / 30_700, 6);
    // In BTC: mean of revenue ÷ price a day (494.1176 × 28 + 352.9412 + 500 + 537.4280)/31 ÷ 990.3226 = 0.495950
    expect(j.hashprice_btc_per_ehs_day).toBeCloseTo(0.495949945, 8);
  });

  it('expected at 144 blocks a day: 144 × (3.125 + 0.0321403) × 84,746.774 ÷ 990.3226 = $38,904.77 (below realized: blocks came fast)', () => {
    const j = month(t.opened.sqlite, '2026-01');
    expect(j.hashprice_expected_usd_per_ehs_day).toBeCloseTo(38_904.770944, 4);
    expect(j.hashprice_expected_btc_per_ehs_day).toBeCloseTo(0.459070818, 8);
  });

  it('from difficulty: the month’s mean of (3.125 + 0.0321403) × 86,400 × 10^18 ÷ (D × 2^32) × price = $37,115.75', () => {
    // D = 146.47 T Jan 1-6, 146.72 T Jan 7-21 (retarget of Jan 7 counts for its day), 141.67 T Jan 22-31.
    const j = month(t.opened.sqlite, '2026-01');
    expect(j.hashprice_difficulty_usd_per_ehs_day).toBeCloseTo(37_115.750713, 4);
    expect(j.hashprice_difficulty_btc_per_ehs_day).toBeCloseTo(0.437991437, 8);
  });

  it('each basis has its month-over-month change: expected +1.17 % over December', () => {
    // December: 30 days at $88,000 (revenue $44 M, fees 5 BTC) → (500 − 5)/3.125 = 158.4 blocks; Dec 31 at $87,500
    // → (502.857 − 5)/3.125 = 159.314; fees per block 155/4,911.314 = 0.0315598; mean price 2,727,500/31 =
    // 87,983.871; hashrate 1,040 EH/s (the one day without one left out): 144 × 3.1565598 × 87,983.871 ÷ 1,040
    // = $38,454.42. January's $38,904.77 is +1.1711 % on it.
    const j = month(t.opened.sqlite, '2026-01');
    expect(month(t.opened.sqlite, '2025-12').hashprice_expected_usd_per_ehs_day).toBeCloseTo(38_454.417473, 4);
    expect(j.hashprice_expected_mom_pct).toBeCloseTo(1.171135855, 6);
    // From difficulty, December: D = 149.30 T Dec 1-9, 148.20 T Dec 10-23, 146.47 T Dec 24-31 (the retarget of
    // Dec 24 counts for its day); the mean of (3.125 + 0.0315598) × 86,400 × 10^18 ÷ (D × 2^32) × price = $37,732.58,
    // so January's $37,115.75 is −1.6347 % on it.
    expect(month(t.opened.sqlite, '2025-12').hashprice_difficulty_usd_per_ehs_day).toBeCloseTo(37_732.581201, 4);
    expect(j.hashprice_difficulty_mom_pct).toBeCloseTo(-1.63474236, 6);
  });
});

describe('a month that spans a halving (April 2024, height 840,000 on April 20)', () => {
  let dir: string;
  let opened: OpenedDb;
  beforeAll(async () => {
    dir = tempDir();
    opened = await openDb(path.join(dir, 'h.db'));
    const s = opened.sqlite;
    // Retargets exactly 14 days apart (2,016 blocks in 14 days = 144 a day), the one before the halving at 838,656
    // on 2024-04-10 00:00: the estimated height at the end of Apr d is 838,656 + 144 × (d − 9).
    // End of Apr 19: 838,656 + 1,440 = 840,096 → era 4 already; end of Apr 18: 839,952 (era 3). So April 19 is the
    // day the estimate crosses 840,000: no subsidy that day (left out), 6.25 BTC before it, 3.125 after.
    const ins = s.prepare(
      "insert into difficulty_retargets (height, time_utc, date, difficulty, change_pct, source) values (?, ?, ?, ?, null, 'test')",
    );
    ins.run(836_640, '2024-03-27T00:00:00Z', '2024-03-27', 86e12);
    ins.run(838_656, '2024-04-10T00:00:00Z', '2024-04-10', 86e12);
    ins.run(840_672, '2024-04-24T00:00:00Z', '2024-04-24', 88e12);
    // Every day of April: price $64,000, 600 EH/s, fees 10 BTC, and revenue for exactly 144 blocks:
    // (144 × subsidy + 10) × 64,000 → $58,240,000 at 6.25, $29,440,000 at 3.125.
    for (let day = 1; day <= 30; day++) {
      const date = `2024-04-${String(day).padStart(2, '0')}`;
      const subsidy = day <= 18 ? 6.25 : 3.125;
      s.prepare("insert into btc_price_daily values (?, 'blockchain', 64000)").run(date);
      s.prepare("insert into hashrate_daily values (?, 'mempool', 600)").run(date);
      s.prepare("insert into tx_fees_daily values (?, 'blockchain', 10)").run(date);
      s.prepare("insert into miners_revenue_daily values (?, 'blockchain', ?)").run(
        date,
        (144 * subsidy + 10) * 64_000,
      );
    }
    refreshNetworkMonthly(s);
  });
  afterAll(async () => {
    await opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the halving day out, and weighs the subsidy by days: (18 × 6.25 + 11 × 3.125)/29 = 4.9647 BTC', () => {
    const day = (d: string) =>
      opened.sqlite
        .prepare('select height_end_est, subsidy_btc_per_block, blocks_derived from network_daily where date = ?')
        .get(d);
    expect(day('2024-04-18')).toEqual({ height_end_est: 839_952, subsidy_btc_per_block: 6.25, blocks_derived: 144 });
    expect(day('2024-04-19')).toEqual({ height_end_est: 840_096, subsidy_btc_per_block: null, blocks_derived: null });
    // 2024-04-25: retarget 840,672 of Apr 24 + 2 days × 2,016/14 = 840,960.
    expect(day('2024-04-25')).toEqual({ height_end_est: 840_960, subsidy_btc_per_block: 3.125, blocks_derived: 144 });
    const a = month(opened.sqlite, '2024-04');
    expect(a.subsidy_btc_per_block_avg).toBeCloseTo((18 * 6.25 + 11 * 3.125) / 29, 12);
    expect(a.blocks_per_day_avg).toBeCloseTo(144, 9);
    expect(a.fees_per_block_btc_avg).toBeCloseTo(10 / 144, 12);
  });

  it('expected = 144 × (4.9647 + 0.0694) × 64,000 ÷ 600 = $77,322.51; realized uses every day’s revenue', () => {
    const a = month(opened.sqlite, '2024-04');
    const subsidy = (18 * 6.25 + 11 * 3.125) / 29;
    expect(a.hashprice_expected_usd_per_ehs_day).toBeCloseTo((144 * (subsidy + 10 / 144) * 64_000) / 600, 6);
    // Realized: revenue of all 30 days, the halving day's included: (18 × 58.24 M + 12 × 29.44 M)/30 ÷ 600 = $77,866.67.
    expect(a.hashprice_usd_per_ehs_day).toBeCloseTo((18 * 58_240_000 + 12 * 29_440_000) / 30 / 600, 6);
  });
});

describe('HASHPULSE_HASHPRICE_BASIS chooses the note’s hashprice and gross profit', () => {
  let t: TestEnv;
  let env: Record<string, string>;
  beforeAll(async () => {
    const { createNoteEnv } = await import('./support/env.js');
    ({ t, env } = await createNoteEnv());
  });
  afterAll(async () => t.close());
  const report = async (basis: string | undefined, format = 'json') => {
    const { runCli } = await import('./support/cli.js');
    const e: Record<string, string> = { ...env };
    if (basis === undefined) delete e.HASHPULSE_HASHPRICE_BASIS;
    else e.HASHPULSE_HASHPRICE_BASIS = basis;
    return runCli(['report', '--month', '2026-01', '--format', format], e);
  };
  // Power cost at the defaults: 17.5 J/TH × 24 h × $50.36/MWh = $21,151.20 per EH/s per day.

  it('default (expected): gross profit = $38,904.77 − $21,151.20 = $17,753.57, and the sentence names the basis', async () => {
    const r = await report(undefined);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { economics: Record<string, number | string> };
    expect(doc.economics.hashprice_basis).toBe('expected');
    expect(doc.economics.hashprice_note_usd_per_ehs_day as number).toBeCloseTo(38_904.770944, 4);
    expect(doc.economics.gross_profit_usd_per_ehs_day as number).toBeCloseTo(38_904.770944 - 21_151.2, 4);
    expect(doc.economics.hashprice_usd_per_ehs_day as number).toBeCloseTo(1_290_000_000 / 30_700, 6); // the JSON key keeps realized
    const text = await report(undefined, 'table');
    expect(text.stdout).toContain(
      'Miners earned $38,905 per EH/s per day at 144 blocks a day (hashprice expected at 144 blocks a day, rose 1.2% MoM; $42,020 realized on 155.6 blocks a day).',
    );
    expect(text.stdout).toContain('$38,905 of hashprice (expected) less $21,151 of power');
    expect(text.stdout).toContain('Hashprice basis: expected (HASHPULSE_HASHPRICE_BASIS;');
  });

  it('difficulty: gross profit = $37,115.75 − $21,151.20 = $15,964.55; SQL users see the same basis once stored', async () => {
    const r = await report('difficulty');
    const doc = JSON.parse(r.stdout) as { economics: Record<string, number | string> };
    expect(doc.economics.hashprice_basis).toBe('difficulty');
    expect(doc.economics.gross_profit_usd_per_ehs_day as number).toBeCloseTo(37_115.750713 - 21_151.2, 4);
    // report only reads; the commands that write (the daemon's jobs, run, backfill, migrate) store the basis.
    const { runCli } = await import('./support/cli.js');
    expect((await runCli(['migrate'], { ...env, HASHPULSE_HASHPRICE_BASIS: 'difficulty' })).code).toBe(0);
    const row = t.opened.sqlite
      .prepare("select hashprice_basis, gross_profit_usd_per_ehs_day from report_monthly where month = '2026-01'")
      .get() as Record<string, number>;
    expect(row.hashprice_basis).toBe('difficulty');
    expect(row.gross_profit_usd_per_ehs_day).toBeCloseTo(37_115.750713 - 21_151.2, 4);
    expect((await runCli(['migrate'], env)).code).toBe(0); // back to the suite's basis for the tests after this one
  });

  it('realized: every figure as before the bases existed ($42,019.54 − $21,151.20 = $20,868.34)', async () => {
    const doc = JSON.parse((await report('realized')).stdout) as { economics: Record<string, number | string> };
    expect(doc.economics.gross_profit_usd_per_ehs_day as number).toBeCloseTo(1_290_000_000 / 30_700 - 21_151.2, 6);
  });

  it('refuses a basis it does not know, naming the variable (exit 2)', async () => {
    const r = await report('median');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/HASHPULSE_HASHPRICE_BASIS.*median.*expected, realized, difficulty/);
  });
});
