// The CLI as a user runs it: backfill, report (table and JSON), check, and one-line errors with exit code 2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { createTestEnv, serveEquities, serveNetwork, type TestEnv } from './support/env.js';

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
    expect(t.fake.requests.slice(before).map((q) => q.path).sort()).toEqual([
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

describe('hashpulse report', () => {
  it('reads like the note for January 2026', async () => {
    const r = await runCli(['report', '--month', '2026-01'], t.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Bitcoin mining — January 2026');
    expect(r.stdout).toContain('Average network hashrate fell 4.8% MoM to 990 EH/s (low 700 EH/s on 2026-01-26, high 1,000 EH/s).');
    expect(r.stdout).toContain('Difficulty fell 3.3% to 141.67 T at month end and sits 9.2% below the all-time high of 155.97 T (2025-10-29).');
    expect(r.stdout).toContain('Bitcoin closed at $78,150 on 2026-01-31, −10.7% over the month.');
    expect(r.stdout).toContain('Miners earned $42,020 per EH/s per day (hashprice fell 0.7% MoM)');
  });

  it('adds the equities sentences: combined cap, how many beat bitcoin, best and worst', async () => {
    const r = await runCli(['report', '--month', '2026-01'], t.env);
    // No override file here: CANG's 400 M cover-page count is carried through its 1:10 split to 40 M.
    // Jan: 12.5 × 370 M + 52.65 × 280 M + 12.3 × 40 M = 19.859 B; Dec: 14.66 B → +35.5 %.
    expect(r.stdout).toContain("The 3 miners' combined market cap rose 35.5% to $19.9B, a new high.");
    expect(r.stdout).toContain("2 of 3 outperformed bitcoin's −4.0% (both measured to 2026-01-30, the month's last US trading day).");
    expect(r.stdout).toContain('Best IREN +42.3%, worst CANG −18.0%; S&P 500 +1.3%.');
    expect(r.stdout).toMatch(/^\s+CANG\s+\$12\.30\s+−18\.0%\s+lagged\s+40,000,000\s+2024-12-31\s+sec-cover\s+\$492\.0M$/m);
  });

  it('prints the JSON contract with the same numbers as network_monthly', async () => {
    const r = await runCli(['report', '--month', '2026-01', '--format', 'json'], t.env);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { month: string; network: Record<string, unknown>; sources: Record<string, string> };
    expect(Object.keys(doc)).toEqual(['month', 'network', 'equities', 'economics', 'changes', 'retargets', 'assumptions', 'sources', 'operations']);
    expect(doc.month).toBe('2026-01');
    const row = t.opened.sqlite.prepare("select * from network_monthly where month = '2026-01'").get() as Record<string, unknown>;
    const { month: _m, ...columns } = row;
    expect(doc.network).toEqual(columns);
    expect(Object.keys(doc.network)).toEqual(
      expect.arrayContaining(['hashrate_avg_ehs', 'hashrate_min_ehs', 'hashrate_min_date', 'hashrate_max_ehs', 'hashrate_mom_pct', 'difficulty_end', 'difficulty_avg', 'difficulty_mom_pct', 'difficulty_ath', 'difficulty_ath_date', 'difficulty_below_ath_pct', 'btc_close_usd', 'btc_return_pct', 'revenue_usd_per_day_avg', 'hashprice_usd_per_ehs_day', 'hashprice_mom_pct', 'days_with_data']),
    );
    expect(doc.sources.hashrate).toMatch(/mempool/);
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
    expect(r.stderr).toMatch(/HASHPULSE_UNIVERSE="\/nonexistent\/universe\.json" is invalid: cannot read the universe file/);
  });
});

describe('hashpulse check and run', () => {
  it('lists the day the sources disagree by more than the threshold (a warning; exit 1 with --strict)', async () => {
    const r = await runCli(['check', '--strict'], t.env);
    expect(r.code).toBe(1);
    // blockchain.com said 1,200 EH/s on Jan 10 where mempool said 1,000: +20 %.
    expect(r.stdout).toMatch(/^warning\s+disagreement\s+hashrate_ehs\s+2026-01-10\s+mempool 1000\.00 vs blockchain 1200\.00 \(\+20\.00%\)$/m);
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
