// Equities end to end against the fake upstream: closes, splits, share counts → equity_monthly, sector_monthly.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { equities } from '../jobs/equities.js';
import { network } from '../jobs/network.js';
import { shares } from '../jobs/shares.js';
import { runJob } from '../src/pipeline/job.js';
import { countRows, dumpTables } from './support/dump.js';
import { createTestEnv, serveEquities, serveNetwork, type TestEnv } from './support/env.js';
import { fixtureReply } from './support/fake-upstream.js';

let t: TestEnv;
beforeEach(async () => {
  t = await createTestEnv({ now: '2026-02-01T06:00:00Z' });
  serveNetwork(t.fake);
  serveEquities(t.fake);
  // CANG is a 20-F filer: the user takes its post-split count from a press release.
  fs.writeFileSync(
    t.env.HASHPULSE_SHARES_OVERRIDES!,
    'ticker,as_of,shares,note\nCANG,2026-01-20,"41,000,000","press release, after the 1:10 reverse split"\n',
  );
});
afterEach(async () => t.close());

async function loadAll(): Promise<void> {
  for (const [job, params] of [
    [network, { from: '2025-11-01' }],
    [shares, {}],
    [equities, { from: '2025-11-24' }],
  ] as const) {
    const r = await runJob(t.ctx, job, 'backfill', params);
    if (r.status !== 'ok') throw new Error(`${job.name}: ${r.error}`);
  }
}
const tick = (month: string, ticker: string) =>
  t.opened.sqlite.prepare('select * from equity_monthly where month = ? and ticker = ?').get(month, ticker) as Record<
    string,
    number | string | null
  >;
const sector = (month: string) =>
  t.opened.sqlite.prepare('select * from sector_monthly where month = ?').get(month) as Record<
    string,
    number | string | null
  >;

describe('equity_monthly, January 2026 (last trading day Jan 30, previous Dec 31)', () => {
  it('MARA: +25% (10.00 → 12.50), 370 M shares from the Q3 10-Q, $4.625 B', async () => {
    await loadAll();
    const m = tick('2026-01', 'MARA');
    expect(m.close_date).toBe('2026-01-30');
    expect(m.close_usd).toBe(12.5);
    expect(m.return_pct).toBeCloseTo(25, 9);
    expect(m.shares_outstanding).toBe(370_000_000);
    expect(m.shares_as_of).toBe('2025-10-28');
    expect(m.shares_source).toBe('sec');
    expect(m.market_cap_usd).toBeCloseTo(4.625e9, 0);
    expect(m.outperformed_btc).toBe(1);
  });

  it('IREN: two share classes summed (270 M + 10 M), the 10-Q/A repeat kept once, +42.3%', async () => {
    await loadAll();
    const m = tick('2026-01', 'IREN');
    expect(m.shares_outstanding).toBe(280_000_000);
    expect(m.return_pct).toBeCloseTo((52.65 / 37 - 1) * 100, 9); // +42.30 %
    expect(m.market_cap_usd).toBeCloseTo(52.65 * 280e6, 0); // $14.742 B
    expect(countRows(t.opened.sqlite, 'shares_outstanding', "ticker = 'IREN' and source = 'sec'")).toBe(2);
  });

  it('CANG: the 1:10 reverse split is in the return (1.50 → 12.30 is −18%), the override count wins', async () => {
    await loadAll();
    const jan = tick('2026-01', 'CANG');
    expect(jan.close_usd).toBe(12.3); // as traded
    expect(jan.return_pct).toBeCloseTo((12.3 / 10 / 1.5 - 1) * 100, 9); // −18 %
    expect(jan.shares_source).toBe('override');
    expect(jan.shares_outstanding).toBe(41_000_000);
    expect(jan.market_cap_usd).toBeCloseTo(12.3 * 41e6, 0);
    expect(jan.outperformed_btc).toBe(0);
    // December: as traded 1.50 (Yahoo shows 15.00 after the split) × 400 M from the 20-F cover page
    // (374,000,000 Class A + 26 million Class B at scale 6).
    const dec = tick('2025-12', 'CANG');
    expect(dec.close_usd).toBeCloseTo(1.5, 12);
    expect(dec.shares_outstanding).toBe(400_000_000);
    expect(dec.shares_source).toBe('sec-cover');
    expect(dec.market_cap_usd).toBeCloseTo(600e6, 0);
  });
});

describe('shares from the SEC', () => {
  it("reads a fresh filing's cover page once to cross-check the XBRL API; the API count still counts", async () => {
    t.setNow('2025-11-07T06:00:00Z'); // MARA's Q3 10-Q was filed on 2025-11-04
    const r = await runJob(t.ctx, shares, 'manual');
    expect(r.status).toBe('ok');
    // IREN's fresh 10-Q has no cover page on the fake: the cross-check is skipped with a warning, its counts stay.
    expect(r.results.find((x) => x.item === 'shares.IREN')?.detail).toMatch(/cross-check not made: .*HTTP 404/);
    expect(t.fake.requestsTo('/Archives/edgar/data/1507605/000150760525000047/mara-20250930.htm')).toHaveLength(1);
    expect(r.results.find((x) => x.item === 'shares.MARA')?.detail).toMatch(/agrees with the API/);
    const eff = t.opened.sqlite
      .prepare("select shares, source from shares_effective where ticker = 'MARA' and as_of = '2025-10-28'")
      .get();
    expect(eff).toEqual({ shares: 370_000_000, source: 'sec' });
    // Every request to the SEC carried the declared User-Agent.
    const sec = t.fake.requests.filter(
      (q) => q.path.startsWith('/api/xbrl') || q.path.startsWith('/submissions') || q.path.startsWith('/Archives'),
    );
    expect(new Set(sec.map((q) => q.headers['user-agent']))).toEqual(new Set(['hashpulse-tests tests@example.com']));
  });

  it('a daily run asks the SEC one request per filer, and the XBRL API only for a new filing', async () => {
    await loadAll();
    t.fake.requests.length = 0;
    const r = await runJob(t.ctx, shares, 'schedule');
    expect(r.status).toBe('ok');
    expect(t.fake.requests.map((q) => q.path).sort()).toEqual([
      '/submissions/CIK0001507605.json',
      '/submissions/CIK0001725123.json',
      '/submissions/CIK0001878848.json',
    ]);
    expect(r.results.find((x) => x.item === 'shares.CANG')?.detail).toBe(
      'no new periodic filing since 20-F 0001104659-25-030301 (2025-04-01)',
    );
    // A backfill refetches every filer's whole history.
    t.fake.requests.length = 0;
    await runJob(t.ctx, shares, 'backfill', { refresh: 'all' });
    expect(t.fake.requests.filter((q) => q.path.includes('/companyconcept/'))).toHaveLength(3);
  });

  it('a bad line in the share-count overrides fails that item naming file and line, and applies nothing from the file', async () => {
    // Line 2 is good; line 4 (after a comment) has a count below 1,000: the whole file is refused, line 2 included.
    fs.writeFileSync(
      t.env.HASHPULSE_SHARES_OVERRIDES!,
      'ticker,as_of,shares,note\nCANG,2026-01-20,"41,000,000",press release\n# IREN from its 6-K\nIREN,2026-01-20,280,typo\n',
    );
    const r = await runJob(t.ctx, shares, 'backfill', {});
    const item = r.results.find((x) => x.item === 'shares.overrides');
    expect(item?.status).toBe('failed');
    expect(item?.error).toContain(t.env.HASHPULSE_SHARES_OVERRIDES!);
    expect(item?.error).toMatch(/line 4: shares must be a whole count between 1,000 and 100 billion, got "280"/);
    expect(countRows(t.opened.sqlite, 'shares_outstanding', "source = 'override'")).toBe(0);
    // The SEC items still ran: MARA's 370 M from its 10-Q is stored.
    expect(r.results.find((x) => x.item === 'shares.MARA')?.status).toBe('ok');
    expect(r.status).toBe('failed');
  });

  it('without HASHPULSE_SEC_USER_AGENT the shares job fails with the reason and sends nothing to the SEC', async () => {
    const ctx = { ...t.ctx, config: { ...t.ctx.config, secUserAgent: '' } };
    const r = await runJob(ctx, shares, 'manual');
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/HASHPULSE_SEC_USER_AGENT.*contact e-mail/);
    expect(
      t.fake.requests.filter((q) => q.path.startsWith('/api/xbrl') || q.path.startsWith('/submissions')),
    ).toHaveLength(0);
  });
});

describe('price sources under faults', () => {
  it('a plain-text 429 from Yahoo is retried and the closes are the same', async () => {
    t.fake.script('/v8/finance/chart/MARA', [
      { status: 429, body: 'Too Many Requests\r\n', headers: { 'content-type': 'text/plain' } },
    ]);
    await loadAll();
    expect(t.fake.requestsTo('/v8/finance/chart/MARA')).toHaveLength(2);
    expect(tick('2026-01', 'MARA').price_source).toBe('yahoo');
    expect(tick('2026-01', 'MARA').return_pct).toBeCloseTo(25, 9);
  });

  it("when Yahoo keeps failing, Nasdaq's closes give the same month (MARA +25%, $4.625 B)", async () => {
    t.fake.on('/v8/finance/chart/MARA', { status: 503, body: 'Service Unavailable' });
    t.fake.on('/api/quote/MARA/historical', fixtureReply('equities/nasdaq-historical-MARA.json'));
    await loadAll();
    const m = tick('2026-01', 'MARA');
    expect(m.price_source).toBe('nasdaq');
    expect(m.close_usd).toBe(12.5);
    expect(m.return_pct).toBeCloseTo(25, 9);
    expect(m.market_cap_usd).toBeCloseTo(4.625e9, 0);
    const q = t.fake.requestsTo('/api/quote/MARA/historical')[0]!;
    expect(q.query).toMatchObject({ assetclass: 'stocks', fromdate: '2025-11-24', todate: '2026-02-01' });
    expect(q.headers.referer).toBe('https://www.nasdaq.com/');
    // The null Yahoo bar day is an ordinary Nasdaq row whose volume is "--".
    expect(
      t.opened.sqlite
        .prepare("select volume from equity_prices_daily where ticker = 'MARA' and date = '2026-01-09'")
        .pluck()
        .get(),
    ).toBeNull();
  });
});

describe('sector_monthly', () => {
  it('January 2026: combined cap +35.5% to $19.87 B, 2 of 3 beat bitcoin’s −4.0% measured Dec 31 → Jan 30', async () => {
    await loadAll();
    const s = sector('2026-01');
    const jan = 4.625e9 + 52.65 * 280e6 + 12.3 * 41e6; // 19.8713 B
    const dec = 10 * 370e6 + 37 * 280e6 + 1.5 * 400e6; // 14.66 B
    expect(s.last_trading_date).toBe('2026-01-30');
    expect(s.combined_market_cap_usd).toBeCloseTo(jan, 0);
    expect(s.combined_market_cap_mom_pct).toBeCloseTo((jan / dec - 1) * 100, 6);
    // Bitcoin between the same dates: 87,500 (Dec 31) → 84,000 (Jan 30) = −4.0 %, not −10.7 % to Jan 31.
    expect(s.btc_return_pct).toBeCloseTo(-4, 9);
    expect(s.outperformed_btc_count).toBe(2);
    expect(s.universe_count).toBe(3);
    expect(s.best_ticker).toBe('IREN');
    expect(s.worst_ticker).toBe('CANG');
    expect(s.worst_return_pct).toBeCloseTo(-18, 9);
    expect(s.benchmark_return_pct).toBeCloseTo((6940 / 6850 - 1) * 100, 9); // S&P 500 +1.31 %
    expect(s.combined_peak_month).toBe('2026-01');
    expect(s.below_peak_pct).toBeCloseTo(0, 9);
    expect(s.missing_tickers).toBeNull();
  });

  it('December 2025: 9.95% below November’s peak of $16.28 B', async () => {
    await loadAll();
    const s = sector('2025-12');
    const nov = 12 * 370e6 + 40 * 280e6 + 1.6 * 400e6; // 16.28 B
    const dec = 14.66e9;
    expect(s.combined_peak_usd).toBeCloseTo(nov, 0);
    expect(s.combined_peak_month).toBe('2025-11');
    expect(s.below_peak_pct).toBeCloseTo((dec / nov - 1) * 100, 6);
    expect(s.btc_return_pct).toBeCloseTo((87500 / 90000 - 1) * 100, 9); // Nov 28 → Dec 31
  });

  it('a miner with no price for the month is left out of the sums and named, never counted as zero', async () => {
    t.fake.on('/v8/finance/chart/IREN', {
      status: 404,
      body: JSON.stringify({
        chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } },
      }),
    });
    t.fake.on('/api/quote/IREN/historical', {
      status: 200,
      body: JSON.stringify({
        data: null,
        message: null,
        status: {
          rCode: 400,
          bCodeMessage: [{ code: 1001, errorMessage: 'Symbol not exists' }],
          developerMessage: null,
        },
      }),
    });
    for (const [job, params] of [
      [network, { from: '2025-11-01' }],
      [shares, {}],
      [equities, { from: '2025-11-24' }],
    ] as const)
      await runJob(t.ctx, job, 'backfill', params);
    const s = sector('2026-01');
    expect(s.missing_tickers).toBe('IREN');
    expect(s.priced_count).toBe(2);
    expect(s.combined_market_cap_usd).toBeCloseTo(4.625e9 + 12.3 * 41e6, 0);
  });

  it('re-running every job leaves identical tables', async () => {
    await loadAll();
    const first = dumpTables(t.opened.sqlite);
    await loadAll();
    expect(dumpTables(t.opened.sqlite)).toBe(first);
  });
});
