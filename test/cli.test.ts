// The CLI as a user runs it: backfill, report (table and JSON), check, and one-line errors with exit code 2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { createTestEnv, serveEquities, serveNetwork, type TestEnv } from './support/env.js';
import { fixture, json } from './support/fake-upstream.js';

let t: TestEnv;
beforeAll(async () => {
  t = await createTestEnv();
  serveNetwork(t.fake);
  serveEquities(t.fake);
  const r = await runCli(['backfill', '--from', '2025-11-01', '--to', '2026-01-31'], t.env);
  if (r.code !== 0) throw new Error(`backfill failed: ${r.stdout}${r.stderr}`);
});
afterAll(async () => t.close());

describe('hashpulse backfill', () => {
  it('reports each series and ticker, and the runs it recorded (--force: the same backfill again)', async () => {
    const r = await runCli(['backfill', '--from', '2025-11-01', '--to', '2026-01-31', '--force'], t.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok\s+network\s+mempool\.hashrate\s+91 rows/m);
    expect(r.stdout).toMatch(/^ok: network: \d+ rows written, 7 requests/m);
    expect(r.stdout).toMatch(/^ok\s+equities\s+prices\.MARA\s+\d+ rows\s+served by yahoo, 2025-11-01\.\.2026-01-31$/m);
    expect(r.stdout).toMatch(/^ok: equities: \d+ rows written, 4 requests/m);
    expect(r.stdout).toMatch(/^ok: shares: \d+ rows written, 7 requests/m); // 3 concepts + 3 submissions + 1 cover page
  });

  it('loads one ticker with --only, and refuses an unknown one', async () => {
    const before = t.fake.requests.length;
    const r = await runCli(['backfill', '--from', '2026-01-01', '--only', 'mara'], t.env);
    expect(r.code).toBe(0);
    expect(
      t.fake.requests
        .slice(before)
        .map((q) => q.path)
        .sort(),
    ).toEqual([
      '/api/xbrl/companyconcept/CIK0001507605/dei/EntityCommonStockSharesOutstanding.json',
      '/submissions/CIK0001507605.json',
      '/v8/finance/chart/MARA',
    ]);
    const bad = await runCli(['backfill', '--only', 'MARA2'], t.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--only: unknown series or ticker "MARA2" \(known: .*MARA, IREN, CANG, \^GSPC\)/);
  });

  it('prints its plan with --dry-run and fetches nothing', async () => {
    const before = t.fake.requests.length;
    const r = await runCli(['backfill', '--from', '2024-01-01', '--dry-run'], t.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/network 2024-01-01\.\.yesterday: 7 request\(s\), one per series/);
    expect(r.stdout).toMatch(/equities 2024-01-01\.\.today: 4 request\(s\) to Yahoo/);
    expect(t.fake.requests.length).toBe(before);
  });

  it.each([
    [['backfill', '--from', '2024-02-30'], /--from must be a date YYYY-MM-DD, got "2024-02-30"/],
    [['backfill', '--from', '2024-03-01', '--to', '2024-02-01'], /--to 2024-02-01 is before --from 2024-03-01/],
    [['backfill', '--only', 'coinbase'], /--only: unknown series or ticker "coinbase"/],
  ])('refuses %j with one line and exit code 2', async (args, message) => {
    const r = await runCli(args, t.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('hashpulse backfill over the whole history', () => {
  let w: TestEnv;
  beforeAll(async () => {
    w = await createTestEnv();
    serveNetwork(w.fake);
    serveEquities(w.fake);
  });
  afterAll(async () => w.close());

  it("exits 0 with mempool's genesis edges stored: the genesis row, the 32,256 retarget and the genesis hashrate point", async () => {
    const r = await runCli(['backfill', '--to', '2026-01-31'], w.env); // no --from: all history; --to: the fixtures end on 2026-01-31 and the CLI runs on the real clock
    expect(r.code).toBe(0);
    expect(w.fake.requestsTo('/api/v1/mining/difficulty-adjustments')).toHaveLength(1); // no period: the whole list
    expect(w.fake.requestsTo('/api/v1/mining/hashrate/all')).not.toHaveLength(0);
    const s = w.opened.sqlite;
    expect(
      s.prepare('select height, date, difficulty, change_pct from difficulty_retargets order by height limit 3').all(),
    ).toEqual([
      { height: 0, date: '2009-01-03', difficulty: 1, change_pct: null },
      {
        height: 32256,
        date: '2009-12-30',
        difficulty: 1.182899534312841,
        change_pct: expect.closeTo(18.29, 9) as unknown as number,
      },
      {
        height: 919296,
        date: '2025-10-01',
        difficulty: 150.84e12,
        change_pct: expect.closeTo(1.17, 9) as unknown as number,
      },
    ]);
    expect(
      s
        .prepare("select hashrate_ehs from hashrate_daily where source = 'mempool' and date = '2009-01-03'")
        .pluck()
        .get(),
    ).toBe(4295032833 / 463160 / 1e18);
    // The month's figures are those of the Nov 2025 – Jan 2026 backfill: the 2009 rows change no high or average.
    const jan = s
      .prepare(
        "select difficulty_end, difficulty_ath, difficulty_ath_date, btc_close_usd from network_monthly where month = '2026-01'",
      )
      .get();
    expect(jan).toEqual({
      difficulty_end: 141.67e12,
      difficulty_ath: 155.97e12,
      difficulty_ath_date: '2025-10-29',
      btc_close_usd: 78150,
    });
    // 32,256 is compared with nothing (the genesis row is not a retarget); 919,296 with 32,256 over 440 periods.
    const check = await runCli(['check', '--json'], w.env);
    const doc = JSON.parse(check.stdout) as { findings: Array<{ check: string }> };
    expect(doc.findings.filter((f) => f.check === 'retarget')).toEqual([]);
  });
});

describe('hashpulse backfill while blockchain.com answers "ok" with no values (its March 2026 outage)', () => {
  let o: TestEnv;
  const JAN_REVENUE_AVG = (30 * 42e6 + 30e6) / 31; // blockchain.com's January: $42 M a day, $30 M on the 26th
  let backfill: { code: number | null; stdout: string };
  beforeAll(async () => {
    o = await createTestEnv();
    serveNetwork(o.fake);
    for (const slug of ['market-price', 'miners-revenue', 'transaction-fees', 'hash-rate', 'difficulty']) {
      o.fake.on(`/charts/${slug}`, json({ ...(JSON.parse(fixture(`blockchain/${slug}.json`)) as object), values: [] }));
    }
    // No --from: all history. The fixture world ends on 2026-01-31 and the CLI runs on the real clock: --to keeps
    // the days after it (which every source lacks) out of the range.
    backfill = await runCli(['backfill', '--only', 'network', '--to', '2026-01-31'], o.env);
  });
  afterAll(async () => o.close());

  it('exits 0: the price from mempool.space, revenue and fees derived, the comparison series reported', () => {
    expect(backfill.code).toBe(0);
    expect(backfill.stdout).toMatch(
      /^ok\s+network\s+blockchain\.market-price\s+92 rows\s+2009-01-03\.\.2026-01-31: blockchain failed \(blockchain: invalid payload: chart market-price has no data points .*; mempool 92 rows 2010-07-19\.\.2026-01-31; bitstamp no rows for 2011-08-18\.\.2025-10-31; \d+ day\(s\) with no value from any source$/m,
    );
    expect(backfill.stdout).toMatch(/^ok\s+network\s+blockchain\.miners-revenue\s+91 rows\s+.*derived 91 rows/m);
    expect(backfill.stdout).toMatch(
      /^skipped\s+network\s+blockchain\.hash-rate\s+0 rows\s+blockchain: invalid payload: chart hash-rate has no data points/m,
    );
    expect(backfill.stdout).toMatch(/^ok: network: /m);
    const s = o.opened.sqlite;
    expect(s.prepare("select source, price_usd from btc_price_daily where date = '2026-01-31'").all()).toEqual([
      { source: 'mempool', price_usd: 78150 },
    ]);
    const jan = s
      .prepare("select avg(revenue_usd) from miners_revenue_daily where source = 'derived' and date like '2026-01-%'")
      .pluck()
      .get() as number;
    expect(Math.abs(jan / JAN_REVENUE_AVG - 1)).toBeLessThan(0.01);
    expect(s.prepare('select count(*) from difficulty_retargets').pluck().get()).toBe(10);
  });

  describe('the monthly figures read each day from the first source of its chain', () => {
    it('January 2026 has the same BTC close and return as with blockchain.com up, and revenue within 1 %', async () => {
      const r = await runCli(['report', '--month', '2026-01', '--format', 'json'], o.env);
      expect(r.code).toBe(0);
      const n = (JSON.parse(r.stdout) as { network: Record<string, number | string | null> }).network;
      // mempool.space's closes are blockchain.com's prices: 78,150 on Jan 31 after 87,500 on Dec 31, −10.69 %.
      expect(n.btc_close_usd).toBe(78150);
      expect(n.btc_close_date).toBe('2026-01-31');
      expect(n.btc_return_pct as number).toBeCloseTo(-10.6857, 3);
      // Derived revenue: 31 days, within 1 % of (30 × 42 M + 30 M) / 31 = 41.61 M; hashprice within 1 % of
      // 1,290 M / 30,700 EH/s-days = 42,019.54.
      expect(n.revenue_days).toBe(31);
      expect(Math.abs((n.revenue_usd_per_day_avg as number) / JAN_REVENUE_AVG - 1)).toBeLessThan(0.01);
      expect(Math.abs((n.hashprice_usd_per_ehs_day as number) / (1_290_000_000 / 30_700) - 1)).toBeLessThan(0.01);
      const text = await runCli(['report', '--month', '2026-01'], o.env);
      expect(text.stdout).toContain('Bitcoin closed at $78,150 on 2026-01-31, −10.7% over the month.');
      // …and says where the figures came from: the second sources, the derived revenue named as an estimate.
      const doc = JSON.parse(r.stdout) as { sources: { served_by: Record<string, string> } };
      expect(doc.sources.served_by).toEqual({ btc_price: 'mempool', miners_revenue: 'derived' });
      expect(text.stdout).toContain(
        "BTC prices from mempool.space historical price; miners' revenue from an estimate derived from mempool.space's per-block rewards (not a measured value).",
      );
    });
  });
});

describe('hashpulse report', () => {
  it('reads like the note for January 2026', async () => {
    const r = await runCli(['report', '--month', '2026-01'], t.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Bitcoin mining — January 2026');
    expect(r.stdout).toContain(
      'Average network hashrate fell 4.8% MoM to 990 EH/s (low 700 EH/s on 2026-01-26, high 1,000 EH/s).',
    );
    expect(r.stdout).toContain(
      'Difficulty fell 3.3% to 141.67 T at month end and sits 9.2% below the all-time high of 155.97 T (2025-10-29).',
    );
    expect(r.stdout).toContain('Bitcoin closed at $78,150 on 2026-01-31, −10.7% over the month.');
    expect(r.stdout).toContain('Miners earned $42,020 per EH/s per day (hashprice fell 0.7% MoM)');
  });

  it('adds the equities sentences: combined cap, how many beat bitcoin, best and worst', async () => {
    const r = await runCli(['report', '--month', '2026-01'], t.env);
    // No override file here: CANG's 400 M cover-page count is carried through its 1:10 split to 40 M.
    // Jan: 12.5 × 370 M + 52.65 × 280 M + 12.3 × 40 M = 19.859 B; Dec: 14.66 B → +35.5 %.
    expect(r.stdout).toContain("The 3 miners' combined market cap rose 35.5% to $19.9B, a new high.");
    expect(r.stdout).toContain(
      "2 of 3 outperformed bitcoin's −4.0% (both measured to 2026-01-30, the month's last US trading day).",
    );
    expect(r.stdout).toContain('Best IREN +42.3%, worst CANG −18.0%; S&P 500 +1.3%.');
    expect(r.stdout).toMatch(
      /^\s+CANG\s+\$12\.30\s+−18\.0%\s+lagged\s+40,000,000\s+2024-12-31\s+sec-cover\s+\$492\.0M$/m,
    );
  });

  it('prints the JSON contract with the figures a reader checks, computed by hand from the fixtures', async () => {
    const r = await runCli(['report', '--month', '2026-01', '--format', 'json'], t.env);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      month: string;
      network: Record<string, unknown>;
      equities: {
        combined_market_cap_usd: number;
        combined_market_cap_mom_pct: number;
        outperformed_btc_count: number;
        btc_return_pct: number;
        tickers: Array<{ ticker: string; return_pct: number; close_usd: number; market_cap_usd: number }>;
      };
      sources: Record<string, string>;
    };
    expect(Object.keys(doc)).toEqual([
      'month',
      'network',
      'equities',
      'economics',
      'changes',
      'retargets',
      'assumptions',
      'sources',
      'operations',
    ]);
    expect(doc.month).toBe('2026-01');
    const n = doc.network;
    // mempool's January (test/fixtures/generate-network.mjs): 30 days at 1,000 EH/s and 700 on Jan 26:
    // (30 × 1,000 + 700) / 31 = 30,700 / 31 = 990.3226 EH/s. December: 1,040 EH/s on each of the 30 days mempool
    // indexed (nothing on Dec 25): MoM 990.3226 / 1,040 − 1 = −4.7767 %.
    expect(n.hashrate_avg_ehs as number).toBeCloseTo(990.3226, 4);
    expect(n.hashrate_mom_pct as number).toBeCloseTo(-4.7767, 4);
    expect(n.hashrate_min_ehs).toBe(700);
    expect(n.hashrate_min_date).toBe('2026-01-26');
    // BTC: 78,150 on Jan 31 after 87,500 on Dec 31: 78,150 / 87,500 − 1 = −10.6857 %.
    expect(n.btc_close_usd).toBe(78150);
    expect(n.btc_close_date).toBe('2026-01-31');
    expect(n.btc_return_pct as number).toBeCloseTo(-10.6857, 4);
    expect(n.days_with_data).toBe(31);
    // Equities at the Jan 30 closes (generate-equities.mjs) × the SEC share counts, no override file here:
    // MARA 12.50 × 370 M + IREN 52.65 × 280 M + CANG 12.30 × 40 M (400 M cover-page count over its 1:10 split)
    // = 4.625 B + 14.742 B + 0.492 B = 19.859 B. December: 10 × 370 M + 37 × 280 M + 15 × 40 M = 14.66 B:
    // 19.859 / 14.66 − 1 = +35.4638 %.
    const e = doc.equities;
    expect(e.combined_market_cap_usd).toBeCloseTo(19_859_000_000, 0);
    expect(e.combined_market_cap_mom_pct).toBeCloseTo(35.4638, 4);
    // Bitcoin to the last trading day: 84,000 (Jan 30) / 87,500 − 1 = −4.0 %. MARA 12.5 / 10 − 1 = +25 % and
    // IREN 52.65 / 37 − 1 = +42.2973 % beat it; CANG 12.30 / 15.00 − 1 = −18.0 % did not: 2 of 3.
    expect(e.btc_return_pct).toBeCloseTo(-4, 9);
    expect(e.outperformed_btc_count).toBe(2);
    const cang = e.tickers.find((x) => x.ticker === 'CANG')!;
    expect(cang.close_usd).toBe(12.3);
    expect(cang.return_pct).toBeCloseTo(-18, 9);
    expect(cang.market_cap_usd).toBeCloseTo(492_000_000, 0); // 12.30 × 40,000,000
    expect(e.tickers.find((x) => x.ticker === 'IREN')!.return_pct).toBeCloseTo(42.2973, 4);
    // The network block carries network_monthly's columns (every one but the key), in the view's order.
    const columns = t.opened.sqlite
      .prepare('select * from network_monthly limit 0')
      .columns()
      .map((c) => c.name)
      .filter((c) => c !== 'month');
    expect(Object.keys(n)).toEqual(columns);
    expect(Object.keys(doc.network)).toEqual(
      expect.arrayContaining([
        'hashrate_avg_ehs',
        'hashrate_min_ehs',
        'hashrate_min_date',
        'hashrate_max_ehs',
        'hashrate_mom_pct',
        'difficulty_end',
        'difficulty_avg',
        'difficulty_mom_pct',
        'difficulty_ath',
        'difficulty_ath_date',
        'difficulty_below_ath_pct',
        'btc_close_usd',
        'btc_return_pct',
        'revenue_usd_per_day_avg',
        'hashprice_usd_per_ehs_day',
        'hashprice_mom_pct',
        'days_with_data',
      ]),
    );
    expect(doc.sources.hashrate).toMatch(/mempool/);
  });

  it.each([
    // HASHPULSE_NOW is the CLI's clock: without --month, report gives the last complete UTC month before it.
    ['2026-02-01T06:00:00Z', '2026-01'], // the test env's instant
    ['2026-02-01', '2026-01'], // a date: 00:00 UTC, January has just ended
    ['2026-01-31T23:59:59Z', '2025-12'], // one second before midnight UTC: January is not complete yet
    ['2026-02-01T09:00:00+14:00', '2025-12'], // Kiritimati's 09:00 on Feb 1 is 19:00 UTC on Jan 31
  ])('without --month, at HASHPULSE_NOW=%s, reports %s (the last complete UTC month)', async (now, month) => {
    const r = await runCli(['report', '--format', 'json'], { ...t.env, HASHPULSE_NOW: now });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { month: string }).month).toBe(month);
  });

  it('names a HASHPULSE_NOW that is not an instant (exit 2)', async () => {
    const r = await runCli(['report'], { ...t.env, HASHPULSE_NOW: 'yesterday' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^hashpulse: HASHPULSE_NOW="yesterday" is invalid: must be an ISO 8601 instant/);
  });

  it.each([
    [['report', '--month', '2026-13'], /--month must be a month YYYY-MM/],
    [['report', '--month', 'January'], /--month must be a month YYYY-MM/],
    [['report', '--month', '2019-05'], /no data for 2019-05 \(stored months: 2025-11 to 2026-01\)/],
    [['report', '--format', 'pdf'], /--format must be one of table, json/],
    [['report', '--bogus'], /unknown option '--bogus'/],
  ])('refuses %j with one line and exit code 2', async (args, message) => {
    const r = await runCli(args, t.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('names a bad configuration variable', async () => {
    const r = await runCli(['run', 'network'], { ...t.env, HASHPULSE_MEMPOOL_URL: 'mempool.space' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hashpulse: HASHPULSE_MEMPOOL_URL="mempool\.space" is invalid/);
  });
});

describe('hashpulse universe', () => {
  it('lists the tracked tickers from the universe file', async () => {
    const r = await runCli(['universe'], t.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^MARA\s+miner\s+1507605\s+10-K\s+NASDAQ\s+MARA Holdings$/m);
    expect(r.stdout).toMatch(/^3 miners, 1 benchmark\(s\)/m);
  });

  it('names a broken universe file', async () => {
    const r = await runCli(['universe'], { ...t.env, HASHPULSE_UNIVERSE: '/nonexistent/universe.json' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /HASHPULSE_UNIVERSE="\/nonexistent\/universe\.json" is invalid: cannot read the universe file/,
    );
  });

  it('reads only the universe file: a bad upstream URL, which it does not use, does not stop it', async () => {
    const r = await runCli(['universe'], { ...t.env, HASHPULSE_MEMPOOL_URL: 'ftp://x' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^3 miners, 1 benchmark\(s\)/m);
  });
});

describe('hashpulse check and run', () => {
  it('lists the day the sources disagree by more than the threshold (a warning; exit 1 with --strict)', async () => {
    const r = await runCli(['check', '--strict'], t.env);
    expect(r.code).toBe(1);
    // blockchain.com said 1,200 EH/s on Jan 10 where mempool said 1,000: +20 %.
    expect(r.stdout).toMatch(
      /^warning\s+disagreement\s+hashrate_ehs\s+2026-01-10\s+mempool 1000\.00 vs blockchain 1200\.00 \(\+20\.00%\)$/m,
    );
    // mempool indexed no blocks on 2025-12-25: a one-day gap.
    expect(r.stdout).toMatch(/^warning\s+gap\s+mempool\.hashrate\s+2025-12-25\s+1 day\(s\) with no hashrate_ehs$/m);
    const loose = await runCli(['check', '--hashrate-pct', '25', '--json'], t.env);
    const doc = JSON.parse(loose.stdout) as { errors: number; findings: Array<{ check: string }> };
    expect(doc.errors).toBe(0);
    expect(doc.findings.some((f) => f.check === 'disagreement')).toBe(false);
    expect(loose.code).toBe(0);
  });

  it('refuses an unknown job', async () => {
    const r = await runCli(['run', 'weather'], t.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown job "weather" \(known: network/);
  });
});
