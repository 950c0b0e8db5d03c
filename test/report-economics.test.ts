// Miner economics computed by hand: the subsidy schedule across halvings, the power cost, and January 2026's gross
// profit, month-end height, four-year block-reward opportunity and valuation, in report_monthly and in the report.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONFIG_VARIABLES,
  DEFAULT_FLEET_EFFICIENCY_JTH,
  DEFAULT_POWER_PRICE_USD_MWH,
  economicsDefaultsFrom,
  loadConfig,
} from '../src/config.js';
import { type OpenedDb, openDb } from '../src/db/connection.js';
import { parseEconomicsCsv } from '../src/economics-file.js';
import { ConfigError, UsageError } from '../src/errors.js';
import { powerCostUsdPerEhsDay, subsidyOverBlocksBtc, subsidySatsAt, subsidySchedule } from '../src/mining.js';
import { refreshReportTables } from '../src/store/materialise.js';
import { runCli } from './support/cli.js';
import { createTestEnv, serveEquities, serveNetwork, type TestEnv, tempDir } from './support/env.js';

describe('subsidy schedule (pure)', () => {
  it('halves every 210,000 blocks: 50 → 25 → … 3.125 from 840,000, 1.5625 from 1,050,000, 0 from era 33', () => {
    expect(subsidySatsAt(0)).toBe(50e8);
    expect(subsidySatsAt(209_999)).toBe(50e8);
    expect(subsidySatsAt(210_000)).toBe(25e8);
    expect(subsidySatsAt(839_999)).toBe(6.25e8);
    expect(subsidySatsAt(840_000)).toBe(3.125e8);
    expect(subsidySatsAt(1_049_999)).toBe(3.125e8);
    expect(subsidySatsAt(1_050_000)).toBe(1.5625e8);
    expect(subsidySatsAt(32 * 210_000)).toBe(1); // 5e9 >> 32 = 1 satoshi
    expect(subsidySatsAt(33 * 210_000)).toBe(0);
  });

  it('from 933,408: 116,592 × 3.125 = 364,350 BTC to the 2028 halving, then 93,408 × 1.5625 = 145,950 BTC: 510,300 BTC', () => {
    // By hand: 1,050,000 − 933,408 = 116,592 blocks at 3.125; 210,000 − 116,592 = 93,408 blocks at 1.5625.
    expect(116_592 * 3.125).toBe(364_350);
    expect(93_408 * 1.5625).toBe(145_950);
    expect(subsidySchedule(933_408)).toEqual([
      {
        from_height: 933_408,
        to_height: 1_049_999,
        blocks: 116_592,
        subsidy_btc_per_block: 3.125,
        subsidy_btc: 364_350,
      },
      {
        from_height: 1_050_000,
        to_height: 1_143_407,
        blocks: 93_408,
        subsidy_btc_per_block: 1.5625,
        subsidy_btc: 145_950,
      },
    ]);
    expect(subsidyOverBlocksBtc(933_408)).toBe(510_300);
  });

  it('a window starting on a halving stays in one era; one block before it spans two', () => {
    expect(subsidyOverBlocksBtc(1_050_000)).toBe(210_000 * 1.5625); // 328,125
    expect(subsidyOverBlocksBtc(839_999)).toBe(6.25 + 209_999 * 3.125); // 656,253.125
    expect(subsidySchedule(840_000)).toHaveLength(1);
  });

  it('power cost: 1 EH/s at 17.5 J/TH draws 17.5 MW, 420 MWh a day, $21,151.20 at $50.36/MWh (the note implies ≈ $21,150)', () => {
    expect(powerCostUsdPerEhsDay(17.5, 50.36)).toBeCloseTo(17.5 * 24 * 50.36, 9);
    expect(powerCostUsdPerEhsDay(DEFAULT_FLEET_EFFICIENCY_JTH, DEFAULT_POWER_PRICE_USD_MWH)).toBeCloseTo(21_151.2, 6);
    expect(
      Math.abs(powerCostUsdPerEhsDay(DEFAULT_FLEET_EFFICIENCY_JTH, DEFAULT_POWER_PRICE_USD_MWH) / 21_150 - 1),
    ).toBeLessThan(0.001);
  });
});

describe('report_monthly computes the subsidy in SQL exactly, across halvings (hand-computed)', () => {
  let dir: string;
  let opened: OpenedDb;
  beforeAll(async () => {
    dir = tempDir();
    opened = await openDb(path.join(dir, 'sql.db'));
  });
  afterAll(async () => {
    await opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // Expected values written by hand, not with the functions under test: subsidy = 50 BTC (5,000,000,000 sats)
  // shifted right once per 210,000 blocks (era = height ÷ 210,000); the next 210,000 blocks from h are h … h + 209,999.
  it.each([
    // era 3 ends at 839,999 (6.25 BTC): 1 × 6.25 + 209,999 × 3.125 = 656,253.125
    [839_999, 6.25, 656_253.125],
    // 840,000 … 1,049,999 all at 3.125: 210,000 × 3.125
    [840_000, 3.125, 656_250],
    // 116,592 blocks at 3.125 (to 1,049,999) + 93,408 at 1.5625 = 364,350 + 145,950
    [933_408, 3.125, 510_300],
    // 1 × 3.125 + 209,999 × 1.5625 = 3.125 + 328,123.4375
    [1_049_999, 3.125, 328_126.5625],
    [1_050_000, 1.5625, 328_125],
    // era 31: 5e9 >> 31 = 2 sats; then era 32: 5e9 >> 32 = 1 sat: 2 + 209,999 × 1 = 210,001 sats
    [32 * 210_000 - 1, 0.00000002, 0.00210001],
    // era 33: 5e9 >> 33 = 0 sats: nothing left to issue
    [33 * 210_000, 0, 0],
  ])('height %i: %f BTC a block, %f BTC over the next 210,000', (height, perBlock, next) => {
    const s = opened.sqlite;
    s.exec('delete from network_monthly; delete from difficulty_retargets;');
    s.prepare(
      `insert into network_monthly (month, days_in_month, days_with_data, revenue_days, btc_close_usd, btc_close_date) values ('2026-01', 31, 0, 0, 100000, '2026-01-31')`,
    ).run();
    // A retarget one second before the end of the close day: the estimate adds round(1/86,400 day × pace) = 0 blocks.
    const ins = s.prepare(
      "insert into difficulty_retargets (height, time_utc, date, difficulty, change_pct, source) values (?, ?, ?, 1e14, null, 'test')",
    );
    ins.run(height - 2016, '2026-01-17T23:59:59Z', '2026-01-17');
    ins.run(height, '2026-01-31T23:59:59Z', '2026-01-31');
    refreshReportTables(s); // as refreshNetworkMonthly does in the transaction that rewrites network_monthly
    const r = s
      .prepare(
        "select height_month_end_est, subsidy_btc_per_block, subsidy_next_210000_blocks_btc, block_reward_opportunity_usd from report_monthly where month = '2026-01'",
      )
      .get() as Record<string, number>;
    expect(r.height_month_end_est).toBe(height);
    expect(r.subsidy_btc_per_block).toBeCloseTo(perBlock, 12);
    expect(r.subsidy_next_210000_blocks_btc).toBeCloseTo(next, 9);
    expect(r.block_reward_opportunity_usd).toBeCloseTo(next * 100_000, 3);
    // The pure functions the JSON's subsidy schedule uses agree with the same hand-written figures.
    expect(subsidySatsAt(height) / 1e8).toBeCloseTo(perBlock, 12);
    expect(subsidyOverBlocksBtc(height)).toBeCloseTo(next, 9);
  });
});

describe('January 2026 from the fixtures, by hand', () => {
  let t: TestEnv;
  let economicsFile: string;
  const env = () => ({ ...t.env, HASHPULSE_ECONOMICS: economicsFile });
  beforeAll(async () => {
    t = await createTestEnv();
    serveNetwork(t.fake);
    serveEquities(t.fake);
    economicsFile = path.join(t.dir, 'economics.csv');
    fs.writeFileSync(
      t.env.HASHPULSE_SHARES_OVERRIDES!,
      'ticker,as_of,shares,note\nCANG,2026-01-20,"41,000,000","press release, after the 1:10 reverse split"\n',
    );
    const r = await runCli(['backfill', '--from', '2025-11-01', '--to', '2026-01-31'], t.env);
    if (r.code !== 0) throw new Error(`backfill failed: ${r.stdout}${r.stderr}`);
  });
  afterAll(async () => t.close());

  // Hashprice: revenue (30 × 42 M + 30 M) / 31 over hashrate (30 × 1,000 + 700) / 31 = 1,290,000,000 / 30,700.
  const hashpriceJan = 1_290_000_000 / 30_700; // 42,019.54
  const hashpriceDec = 44e6 / 1040; // 42,307.69 (Dec 25 has no hashrate: 30 days of 1,040 EH/s)
  const cost = 17.5 * 24 * 50.36; // 21,151.20
  // Month-end height: the two newest retargets, 931,392 at 2026-01-07 11:30Z and 933,408 at 2026-01-22 06:45Z, are
  // 21,315 minutes apart (2,016 blocks); from 06:45Z on the 22nd to 00:00Z on Feb 1 is 13,995 minutes.
  const blocksSince = Math.round((2016 * 13_995) / 21_315); // 1,323.67 → 1,324
  const height = 933_408 + blocksSince; // 934,732
  // 1,050,000 − 934,732 = 115,268 blocks at 3.125 = 360,212.5; 94,732 at 1.5625 = 148,018.75.
  const subsidyBtc = 115_268 * 3.125 + 94_732 * 1.5625; // 508,231.25
  const opportunity = subsidyBtc * 78_150; // $39.72 B at the Jan 31 close
  const combinedCap = 4.625e9 + 52.65 * 280e6 + 12.3 * 41e6; // $19.87 B

  const row = (month: string) =>
    t.opened.sqlite.prepare('select * from report_monthly where month = ?').get(month) as Record<
      string,
      number | string | null
    >;

  it('gross profit $20,868 per EH/s per day (−1.36% MoM), margin 49.7%', async () => {
    const r = await runCli(['report', '--month', '2026-01', '--format', 'json'], env());
    expect(r.code).toBe(0);
    const e = (JSON.parse(r.stdout) as { economics: Record<string, number> }).economics;
    expect(e.hashprice_usd_per_ehs_day).toBeCloseTo(hashpriceJan, 6);
    expect(e.power_cost_usd_per_ehs_day).toBeCloseTo(cost, 6);
    expect(e.gross_profit_usd_per_ehs_day).toBeCloseTo(hashpriceJan - cost, 6); // 20,868.34
    expect(e.gross_profit_mom_pct).toBeCloseTo(((hashpriceJan - cost) / (hashpriceDec - cost) - 1) * 100, 9); // −1.362 %
    expect(e.gross_margin_pct).toBeCloseTo(((hashpriceJan - cost) / hashpriceJan) * 100, 9); // 49.66 %
  });

  it('month-end height 934,732, 508,231.25 BTC of subsidy, a $39.72 B opportunity, 50.03% of it in market cap', async () => {
    expect(blocksSince).toBe(1324);
    const r = await runCli(['report', '--month', '2026-01', '--format', 'json'], env());
    const e = (JSON.parse(r.stdout) as { economics: Record<string, unknown> }).economics;
    expect(e.height_month_end_est).toBe(934_732);
    expect(e.height_month_end_est).toBe(height);
    expect(e.blocks_per_day_est).toBeCloseTo(2016 / (21_315 / 1440), 6); // 136.2 blocks/day (julianday keeps ~ms)
    expect(e.subsidy_next_210000_blocks_btc).toBe(508_231.25);
    expect(e.subsidy_next_210000_blocks_btc).toBe(subsidyBtc);
    expect(e.subsidy_schedule).toEqual([
      {
        from_height: 934_732,
        to_height: 1_049_999,
        blocks: 115_268,
        subsidy_btc_per_block: 3.125,
        subsidy_btc: 360_212.5,
      },
      {
        from_height: 1_050_000,
        to_height: 1_144_731,
        blocks: 94_732,
        subsidy_btc_per_block: 1.5625,
        subsidy_btc: 148_018.75,
      },
    ]);
    expect(e.block_reward_opportunity_usd).toBeCloseTo(opportunity, 3); // 39,718,272,187.5
    expect(e.combined_market_cap_usd).toBeCloseTo(combinedCap, 0);
    expect(e.valuation_to_opportunity_pct).toBeCloseTo((combinedCap / opportunity) * 100, 9); // 50.03 %
  });

  it('prints the same figures as sentences, with the assumptions', async () => {
    const r = await runCli(['report', '--month', '2026-01'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Gross profit was $20,868 per EH/s per day (−1.4% MoM, a 49.7% margin): $42,020 of hashprice less $21,151 of power at 17.5 J/TH and $50.36/MWh.',
    );
    expect(r.stdout).toContain(
      "From an estimated month-end height of 934,732, the next 210,000 blocks will pay 508,231 BTC of subsidy, a four-year block-reward opportunity of $39.7B at $78,150; the miners' combined market cap is 50.0% of it.",
    );
    expect(r.stdout).toMatch(
      /Subsidy, next 210,000 blocks\s+508,231\.25 BTC {2}\(115,268 × 3\.125 \+ 94,732 × 1\.5625\)/,
    );
    expect(r.stdout).toContain('Fleet efficiency 17.5 J/TH, built-in default.');
    expect(r.stdout).toContain("The note's own method is not published; this is ours.");
  });

  it('lists the month’s retargets: 2026-01-07 at 931,392 (+0.17%) and 2026-01-22 at 933,408 (−3.44%)', async () => {
    const r = await runCli(['report', '--month', '2026-01', '--format', 'json'], env());
    const doc = JSON.parse(r.stdout) as { retargets: Array<Record<string, unknown>> };
    expect(doc.retargets.map((x) => [x.date, x.height])).toEqual([
      ['2026-01-07', 931_392],
      ['2026-01-22', 933_408],
    ]);
    expect(doc.retargets[0]!.change_pct).toBeCloseTo((146.72 / 146.47 - 1) * 100, 3); // +0.17 %
    expect(doc.retargets[1]!.change_pct).toBeCloseTo((141.67 / 146.72 - 1) * 100, 3); // −3.44 %
    const text = await runCli(['report', '--month', '2026-01'], env());
    expect(text.stdout).toContain(
      'Difficulty retargets in January 2026: 2026-01-07 at height 931,392 (+0.17%), 2026-01-22 at height 933,408 (−3.44%).',
    );
    expect(row('2026-01').retarget_count).toBe(2);
  });

  it('YTD vs December 2025 where it is stored; YoY n/a (no January 2025); the YTD average needs every month of the year', async () => {
    const jan = row('2026-01');
    const hashrateJan = 30_700 / 31;
    expect(jan.hashrate_ytd_pct).toBeCloseTo((hashrateJan / 1040 - 1) * 100, 9); // −4.78 %, = MoM in January
    expect(jan.hashprice_ytd_pct).toBeCloseTo((hashpriceJan / hashpriceDec - 1) * 100, 9);
    expect(jan.combined_market_cap_ytd_pct).toBeCloseTo(
      (combinedCap / (10 * 370e6 + 37 * 280e6 + 1.5 * 400e6) - 1) * 100,
      6,
    ); // +35.5 %
    expect(jan.hashrate_yoy_pct).toBeNull();
    expect(jan.combined_market_cap_yoy_pct).toBeNull();
    expect(jan.hashrate_ytd_avg_ehs).toBeCloseTo(hashrateJan, 9);
    const dec = row('2025-12');
    expect(dec.hashrate_ytd_pct).toBeNull(); // no December 2024
    expect(dec.hashrate_ytd_avg_ehs).toBeNull(); // January–October 2025 are not stored
    const r = await runCli(['report', '--month', '2026-01'], env());
    expect(r.stdout).toContain(
      'Year to date (vs December 2025): hashrate −4.8%, hashprice −0.7%, combined market cap +35.5%.',
    );
    expect(r.stdout).toContain('Year over year: no figures for January 2025 to compare with.');
  });

  it('takes the defaults from the environment and a month from data/economics.csv, and SQL sees what the report printed once migrate stores them', async () => {
    fs.writeFileSync(
      economicsFile,
      'month,fleet_efficiency_jth,power_price_usd_mwh,note\n# a comment\n2026-01,15,,"fleet upgrade, per the ""January"" update"\n',
    );
    const e2 = { ...env(), HASHPULSE_FLEET_EFFICIENCY_JTH: '20', HASHPULSE_POWER_PRICE_USD_MWH: '40' };
    const r = await runCli(['report', '--from', '2025-12', '--to', '2026-01', '--format', 'json'], e2);
    expect(r.code).toBe(0);
    const [dec, jan] = JSON.parse(r.stdout) as Array<{
      economics: Record<string, number>;
      assumptions: Record<string, unknown>;
    }>;
    expect(dec!.economics.power_cost_usd_per_ehs_day).toBe(20 * 24 * 40); // 19,200 from the environment
    expect(dec!.assumptions).toMatchObject({
      fleet_efficiency_jth: 20,
      fleet_efficiency_source: 'env',
      power_price_source: 'env',
    });
    expect(jan!.economics.power_cost_usd_per_ehs_day).toBe(15 * 24 * 40); // 14,400: the file's 15 J/TH, the env's $40
    expect(jan!.assumptions).toMatchObject({
      fleet_efficiency_jth: 15,
      fleet_efficiency_source: 'file',
      power_price_usd_mwh: 40,
      power_price_source: 'env',
      note: 'fleet upgrade, per the "January" update',
    });
    expect(jan!.economics.gross_profit_mom_pct).toBeCloseTo(
      ((hashpriceJan - 14_400) / (hashpriceDec - 19_200) - 1) * 100,
      9,
    );
    // The report only reads: the file keeps the stored assumptions until a writing command stores these.
    expect(row('2026-01').power_cost_usd_per_ehs_day).toBeCloseTo(cost, 9);
    expect((await runCli(['migrate'], e2)).code).toBe(0);
    expect(row('2026-01').gross_profit_usd_per_ehs_day).toBeCloseTo(hashpriceJan - 14_400, 9);
    expect(row('2025-12').power_cost_usd_per_ehs_day).toBe(19_200);
    const text = await runCli(['report', '--month', '2026-01'], e2);
    expect(text.stdout).toContain(`Fleet efficiency 15 J/TH, from ${economicsFile}, row 2026-01.`);
    expect(text.stdout).toContain('Power price $40.00/MWh, from the environment (HASHPULSE_POWER_PRICE_USD_MWH).');
    // Back to the defaults: the tables follow the next writing command (here `hashpulse run`, after its job).
    fs.rmSync(economicsFile);
    expect((await runCli(['run', 'aggregate'], env())).code).toBe(0);
    expect(row('2026-01').power_cost_usd_per_ehs_day).toBeCloseTo(cost, 9);
    expect(row('2026-01').fleet_efficiency_source).toBe('built-in');
  });

  it.each([
    [
      { HASHPULSE_POWER_PRICE_USD_MWH: 'cheap' },
      /^hashpulse: HASHPULSE_POWER_PRICE_USD_MWH="cheap" is invalid: must be a number ≥ 0 and ≤ 2000$/,
    ],
    [
      { HASHPULSE_FLEET_EFFICIENCY_JTH: '0' },
      /^hashpulse: HASHPULSE_FLEET_EFFICIENCY_JTH="0" is invalid: must be a number > 0 and ≤ 1000$/,
    ],
  ])('refuses a bad variable %j with one line and exit code 2', async (bad, message) => {
    const r = await runCli(['report', '--month', '2026-01'], { ...env(), ...bad });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(message);
  });

  it('refuses a bad line of the economics file, naming the file and line', async () => {
    fs.writeFileSync(economicsFile, 'month,fleet_efficiency_jth,power_price_usd_mwh,note\n2026-01,17,abc,\n');
    const r = await runCli(['report', '--month', '2026-01'], env());
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      `hashpulse: ${economicsFile} line 2: power_price_usd_mwh must be a number ≥ 0 and ≤ 2000 or empty, got "abc"`,
    );
    fs.rmSync(economicsFile);
  });
});

describe('economics configuration', () => {
  it('config.ts declares the same variables and defaults the fast reader uses', () => {
    const byEnv = new Map(CONFIG_VARIABLES.map((v) => [v.env, v.default]));
    expect(byEnv.get('HASHPULSE_FLEET_EFFICIENCY_JTH')).toBe(String(DEFAULT_FLEET_EFFICIENCY_JTH));
    expect(byEnv.get('HASHPULSE_POWER_PRICE_USD_MWH')).toBe(String(DEFAULT_POWER_PRICE_USD_MWH));
    expect(byEnv.get('HASHPULSE_ECONOMICS')).toBe('data/economics.csv');
    const c = loadConfig({ HASHPULSE_FLEET_EFFICIENCY_JTH: '16.2', HASHPULSE_POWER_PRICE_USD_MWH: '0' });
    expect([c.fleetEfficiencyJth, c.powerPriceUsdMwh]).toEqual([16.2, 0]);
    expect(
      economicsDefaultsFrom({ HASHPULSE_FLEET_EFFICIENCY_JTH: '16.2', HASHPULSE_POWER_PRICE_USD_MWH: '0' }),
    ).toMatchObject({ fleet_efficiency_jth: 16.2, power_price_usd_mwh: 0 });
  });

  it.each([
    ['HASHPULSE_FLEET_EFFICIENCY_JTH', '0'],
    ['HASHPULSE_FLEET_EFFICIENCY_JTH', '-3'],
    ['HASHPULSE_FLEET_EFFICIENCY_JTH', '1001'],
    ['HASHPULSE_FLEET_EFFICIENCY_JTH', 'x'],
    ['HASHPULSE_POWER_PRICE_USD_MWH', '-1'],
    ['HASHPULSE_POWER_PRICE_USD_MWH', '2001'],
    ['HASHPULSE_POWER_PRICE_USD_MWH', '50$'],
  ])('both readers refuse %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => economicsDefaultsFrom({ [name]: value })).toThrow(ConfigError);
  });

  it.each([
    ['month,efficiency\n', /line 1: expected the header "month,fleet_efficiency_jth,power_price_usd_mwh,note"/],
    [
      'month,fleet_efficiency_jth,power_price_usd_mwh,note\n2026-13,17,,\n',
      /line 2: month must be YYYY-MM, got "2026-13"/,
    ],
    [
      'month,fleet_efficiency_jth,power_price_usd_mwh,note\n2026-01,17,,\n2026-01,18,,\n',
      /line 3: 2026-01 is listed twice/,
    ],
    [
      'month,fleet_efficiency_jth,power_price_usd_mwh,note\n2026-01,,,no values\n',
      /line 2: give fleet_efficiency_jth, power_price_usd_mwh or both/,
    ],
    [
      'month,fleet_efficiency_jth,power_price_usd_mwh,note\n2026-01,-2,,\n',
      /line 2: fleet_efficiency_jth must be a number > 0/,
    ],
  ])('parseEconomicsCsv refuses %j', (text, message) => {
    expect(() => parseEconomicsCsv(text, 'data/economics.csv')).toThrow(UsageError);
    expect(() => parseEconomicsCsv(text, 'data/economics.csv')).toThrow(message);
  });

  it('reads the shipped data/economics.csv (header and comments only: the defaults apply)', () => {
    const file = path.resolve(import.meta.dirname, '../data/economics.csv');
    expect(parseEconomicsCsv(fs.readFileSync(file, 'utf8'), file)).toEqual([]);
  });
});

describe("valuations against the post-2022 average (the note's 'about 3 times the post-2022 average')", () => {
  let dir: string;
  let opened: OpenedDb;
  beforeAll(async () => {
    dir = tempDir();
    opened = await openDb(path.join(dir, 'val.db'));
  });
  afterAll(async () => {
    await opened.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  // Each month: BTC closes at $100,000 on its last day, and a retarget one second before that day ends fixes the
  // month-end height h. The next 210,000 blocks pay (1,050,000 − h) × 3.125 + the rest × 1.5625 BTC:
  //   h = 900,000 → 562,500 BTC;  902,016 → 559,350;  904,032 → 556,200;  906,048 → 553,050 (× $100,000).
  const MONTHS: Array<[string, string, number, number]> = [
    ['2021-12', '2021-12-31', 900_000, 562_500],
    ['2022-01', '2022-01-31', 902_016, 559_350],
    ['2022-02', '2022-02-28', 904_032, 556_200],
    ['2022-03', '2022-03-31', 906_048, 553_050],
  ];
  function load(valuationPct: Record<string, number>): void {
    const s = opened.sqlite;
    s.exec('delete from network_monthly; delete from sector_monthly; delete from difficulty_retargets;');
    for (const [month, last, height, subsidyBtc] of MONTHS) {
      s.prepare("insert into difficulty_retargets values (?, ?, ?, 1e13, null, 'test')").run(
        height,
        `${last}T23:59:59Z`,
        last,
      );
      if (valuationPct[month] === undefined) continue;
      s.prepare(
        'insert into network_monthly (month, days_in_month, days_with_data, revenue_days, btc_close_usd, btc_close_date) values (?, 30, 0, 0, 100000, ?)',
      ).run(month, last);
      const cap = (valuationPct[month]! / 100) * subsidyBtc * 100_000;
      s.prepare(
        'insert into sector_monthly (month, last_trading_date, combined_market_cap_usd, outperformed_btc_count, priced_count, capped_count, universe_count) values (?, ?, ?, 0, 0, 0, 14)',
      ).run(month, last, cap);
    }
    refreshReportTables(s); // as the monthly refreshes do in the transaction that rewrites their tables
  }
  const rows = () =>
    opened.sqlite
      .prepare(
        'select month, valuation_to_opportunity_pct as v, valuation_to_opportunity_avg_since_2022_pct as avg, valuation_to_avg_since_2022_ratio as x from report_monthly order by month',
      )
      .all() as Array<{ month: string; v: number; avg: number | null; x: number | null }>;

  it('averages the months from 2022-01 on (100 %, 50 %, 150 % → 100 %): March is 1.5 times it; 2021 is left out', () => {
    load({ '2021-12': 200, '2022-01': 100, '2022-02': 50, '2022-03': 150 });
    const r = rows();
    expect(r.map((x) => [x.month, Number(x.v.toFixed(9))])).toEqual([
      ['2021-12', 200],
      ['2022-01', 100],
      ['2022-02', 50],
      ['2022-03', 150],
    ]);
    expect(r[0]!.avg).toBeNull(); // before 2022
    expect(r[1]!.avg).toBeCloseTo(100, 9);
    expect(r[2]!.avg).toBeCloseTo(75, 9); // (100 + 50) / 2
    expect(r[3]!.avg).toBeCloseTo(100, 9); // (100 + 50 + 150) / 3
    expect(r[3]!.x).toBeCloseTo(1.5, 9);
  });

  it('stays NULL while the stored history does not reach back to 2022-01', () => {
    load({ '2022-02': 50, '2022-03': 150 });
    expect(rows().map((x) => x.avg)).toEqual([null, null]);
  });
});
