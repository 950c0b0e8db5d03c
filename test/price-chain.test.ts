// The chain of price sources as a user meets it: Yahoo throttled (429 to every request), Nasdaq refusing, Stooq
// and Tiingo keyed or not — which source serves each ticker, what is stored, what `backfill` says, what `check` flags.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { equities } from '../jobs/equities.js';
import { runJob } from '../src/pipeline/job.js';
import { runChecks } from '../src/quality/checks.js';
import { runCli } from './support/cli.js';
import {
  createTestEnv,
  STOOQ_KEY,
  serveEquities,
  serveNetwork,
  serveStooq,
  serveTiingo,
  type TestEnv,
  TIINGO_TOKEN,
} from './support/env.js';
import { fixture, fixtureReply, type SeenRequest } from './support/fake-upstream.js';

let t: TestEnv;
beforeEach(async () => {
  t = await createTestEnv();
  serveNetwork(t.fake);
  serveEquities(t.fake);
  serveStooq(t.fake);
  serveTiingo(t.fake);
  // CANG is a 20-F filer: the user takes its post-split count from a press release (as in the other equity tests).
  fs.writeFileSync(
    t.env.HASHPULSE_SHARES_OVERRIDES!,
    'ticker,as_of,shares,note\nCANG,2026-01-20,"41,000,000","press release, after the 1:10 reverse split"\n',
  );
});
afterEach(async () => t.close());

const ARGS = ['backfill', '--from', '2025-11-01', '--to', '2026-01-31'];

/** Yahoo throttles this client (plain-text 429, as its edge sends it) and Nasdaq's edge refuses it. */
function yahooAndNasdaqDown(): void {
  t.fake.intercept = (req: SeenRequest) => {
    if (req.path.startsWith('/v8/finance/chart/'))
      return { status: 429, body: 'Edge: Too Many Requests', headers: { 'content-type': 'text/plain' } };
    if (req.path.startsWith('/api/quote/'))
      return {
        status: 403,
        body: '<HTML><HEAD><TITLE>Access Denied</TITLE></HEAD><BODY>Access Denied</BODY></HTML>',
        headers: { 'content-type': 'text/html' },
      };
    return undefined;
  };
}

type Row = Record<string, number | string | null>;
const FIGURES =
  'month, ticker, close_date, close_usd, return_pct, shares_outstanding, shares_as_of, market_cap_usd, btc_return_pct, outperformed_btc';

function read<T>(dbPath: string, sql: string): T {
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    return db.prepare(sql).all() as T;
  } finally {
    db.close();
  }
}

/** The month-end figures of a backfill with every upstream up (Yahoo serving every ticker), in its own file. */
async function reference(where = '1 = 1'): Promise<Row[]> {
  const dbPath = path.join(t.dir, 'reference.db');
  const r = await runCli(ARGS, { ...t.env, HASHPULSE_DB: dbPath });
  expect(r.code).toBe(0);
  return read<Row[]>(dbPath, `select ${FIGURES} from equity_monthly where ${where} order by month, ticker`);
}
const figures = (where = '1 = 1') =>
  read<Row[]>(t.dbPath, `select ${FIGURES} from equity_monthly where ${where} order by month, ticker`);
const month = (m: string, ticker: string) =>
  read<Row[]>(t.dbPath, `select * from equity_monthly where month = '${m}' and ticker = '${ticker}'`)[0]!;

describe('Yahoo answering 429 to every request, Nasdaq refusing, a Stooq key set', () => {
  it('backfill completes from Stooq with the same month-end closes and market caps, and says who served each ticker', async () => {
    const ref = await reference("ticker != 'CANG'");
    t.fake.requests.length = 0;
    yahooAndNasdaqDown();
    const r = await runCli(ARGS, { ...t.env, HASHPULSE_STOOQ_APIKEY: STOOQ_KEY });
    expect(r.code).toBe(0);
    for (const ticker of ['MARA', 'IREN', 'CANG', '\\^GSPC']) {
      expect(r.stdout).toMatch(
        new RegExp(
          `^ok\\s+equities\\s+prices\\.${ticker}\\s+46 rows\\s+served by stooq \\(yahoo: HTTP 429: Edge: Too Many Requests .*?; nasdaq: HTTP 403: Access Denied .*?\\)\\), 2025-11-01\\.\\.2026-01-31`,
          'm',
        ),
      );
    }
    expect(
      read<Array<{ source: string; n: number }>>(
        t.dbPath,
        'select source, count(*) as n from equity_prices_daily group by source',
      ),
    ).toEqual([{ source: 'stooq', n: 4 * 46 }]);

    // MARA, IREN and the S&P 500 have no split: the same figures as with Yahoo, by hand and row for row.
    expect(figures("ticker != 'CANG'")).toEqual(ref);
    const jan = month('2026-01', 'MARA');
    expect(jan.price_source).toBe('stooq');
    expect(jan.close_usd).toBe(12.5);
    expect(jan.return_pct).toBeCloseTo(25, 9); // 10.00 → 12.50
    expect(jan.market_cap_usd).toBeCloseTo(12.5 * 370e6, 0); // $4.625 B
    expect(month('2025-12', 'IREN').market_cap_usd).toBeCloseTo(37 * 280e6, 0); // $10.36 B
    expect(month('2026-01', 'IREN').market_cap_usd).toBeCloseTo(52.65 * 280e6, 0); // $14.742 B
    expect(month('2026-01', '^GSPC').return_pct).toBeCloseTo((6940 / 6850 - 1) * 100, 9); // +1.31 %

    // CANG's 1:10 reverse split of 2026-01-15 is known to nobody here (only Yahoo and Tiingo list splits): January is
    // right (12.30 × 41 M = $504.3 M; 15.00 → 12.30 is −18 % either way), but Stooq's split-adjusted December close
    // (15.00, as traded 1.50) is stored as served — and the backfill says so instead of staying silent.
    expect(month('2026-01', 'CANG').market_cap_usd).toBeCloseTo(12.3 * 41e6, 0);
    expect(month('2026-01', 'CANG').return_pct).toBeCloseTo(-18, 9);
    expect(month('2025-12', 'CANG').close_usd).toBe(15);
    expect(r.stdout).toMatch(
      /^ok\s+equities\s+prices\.CANG .*; no split events known for CANG \(Yahoo and Tiingo never served it\): stooq's split-adjusted closes are stored as served, off by the ratio of any split after them$/m,
    );
    expect(r.stdout).not.toMatch(/prices\.\^GSPC .*no split events known/m); // an index has no splits

    // Stooq was asked once per ticker, with the key, the range and its symbols; the key shows nowhere.
    const asked = t.fake.requestsTo('/q/d/l/');
    expect(asked.map((q) => q.query.s).sort()).toEqual(['^spx', 'cang.us', 'iren.us', 'mara.us']);
    expect(asked[0]?.query).toMatchObject({ d1: '20251101', d2: '20260131', i: 'd', apikey: STOOQ_KEY });
    expect(r.stdout + r.stderr).not.toContain(STOOQ_KEY);
    expect(
      read<Array<{ url: string }>>(t.dbPath, "select url from raw_payloads where source = 'stooq'").every((p) =>
        p.url.endsWith('apikey=***'),
      ),
    ).toBe(true);
  });

  it('a ticker Stooq has no data for falls through to Tiingo: every figure, the sector’s included, is the same as with Yahoo', async () => {
    const ref = await reference();
    const refSector = read<Row[]>(path.join(t.dir, 'reference.db'), 'select * from sector_monthly order by month');
    yahooAndNasdaqDown();
    serveStooq(t.fake, { 'cang.us': fixture('stooq/no-data.txt') });
    const r = await runCli(ARGS, { ...t.env, HASHPULSE_STOOQ_APIKEY: STOOQ_KEY, HASHPULSE_TIINGO_TOKEN: TIINGO_TOKEN });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^ok\s+equities\s+prices\.CANG\s+47 rows\s+served by tiingo \(yahoo: HTTP 429: .*; nasdaq: HTTP 403: .*; stooq: invalid payload: "No data" for "cang\.us": unknown symbol, or no trading day in the range \(.*\)\), 2025-11-01\.\.2026-01-31$/m,
    );
    expect(r.stdout).toMatch(/^ok\s+equities\s+prices\.MARA\s+46 rows\s+served by stooq /m);
    // Tiingo's raw closes need no un-adjusting, and its splitFactor 0.1 gives the split event: 46 closes + 1 split.
    expect(
      read<Row[]>(t.dbPath, "select date, numerator, denominator, source from equity_splits where ticker = 'CANG'"),
    ).toEqual([{ date: '2026-01-15', numerator: 1, denominator: 10, source: 'tiingo' }]);
    expect(figures()).toEqual(ref);
    // December by hand: 1.50 as traded × 400 M (20-F cover) = $600 M; November 1.60 × 400 M = $640 M.
    expect(month('2025-12', 'CANG').market_cap_usd).toBeCloseTo(600e6, 0);
    expect(month('2025-11', 'CANG').market_cap_usd).toBeCloseTo(640e6, 0);
    expect(month('2025-12', 'CANG').price_source).toBe('tiingo');
    const sector = read<Row[]>(t.dbPath, 'select * from sector_monthly order by month');
    expect(sector).toEqual(refSector);
    // January's combined cap: 12.5 × 370 M + 52.65 × 280 M + 12.3 × 41 M = $19.8713 B.
    expect(sector.find((s) => s.month === '2026-01')?.combined_market_cap_usd).toBeCloseTo(
      4.625e9 + 14.742e9 + 504.3e6,
      0,
    );
    // Tiingo got the token in a header, never in the URL.
    const q = t.fake.requestsTo('/tiingo/daily/CANG/prices')[0]!;
    expect(q.headers.authorization).toBe(`Token ${TIINGO_TOKEN}`);
    expect(q.query).toEqual({ startDate: '2025-11-01', endDate: '2026-01-31' });
    expect(
      t.fake.requests.some(
        (x) => x.path.startsWith('/tiingo/daily/%5EGSPC') || x.path.startsWith('/tiingo/daily/^GSPC'),
      ),
    ).toBe(false);
  });

  it('without a Stooq key, Stooq is never asked, one log line says why, and each failure names it', async () => {
    yahooAndNasdaqDown();
    const r = await runCli([...ARGS, '--only', 'equities'], { ...t.env, HASHPULSE_LOG_LEVEL: 'info' });
    expect(r.code).toBe(1);
    expect(t.fake.requestsTo('/q/d/l/')).toEqual([]);
    const logs = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string; source?: string });
    const skipped = logs.filter((l) => l.source === 'stooq' && l.level === 30);
    expect(skipped.map((l) => l.msg)).toEqual([
      "stooq: not asked: HASHPULSE_STOOQ_APIKEY is not set (Stooq's daily CSV needs a free key since March 2026)",
    ]);
    expect(r.stdout).toMatch(
      /^failed\s+equities\s+prices\.MARA\s+0 rows\s+no price source served MARA: yahoo: HTTP 429: Edge: Too Many Requests .*; nasdaq: HTTP 403: .*; stooq: not asked: HASHPULSE_STOOQ_APIKEY is not set .*; tiingo: not asked: HASHPULSE_TIINGO_TOKEN is not set/m,
    );
    expect(r.stdout).toMatch(
      /^failed\s+equities\s+prices\.\^GSPC\s+0 rows\s+no price source served \^GSPC: yahoo: .*; nasdaq: .*; stooq: not asked/m,
    );
    expect(read<Array<{ n: number }>>(t.dbPath, 'select count(*) as n from equity_prices_daily')).toEqual([{ n: 0 }]);
  });
});

describe('check: two price sources disagreeing', () => {
  it('flags a day where Yahoo and Stooq differ by more than 1 %, naming ticker, date, sources and closes', async () => {
    // A hand-made Stooq day: MARA 11.20 on 2026-01-21 where Yahoo says 11.00 (+1.82 %), and 11.10 on 2026-01-22
    // (+0.91 %, within 1 %). Every other day is Yahoo's close.
    const csv = fixture('stooq/mara_us_d.csv')
      .replace(/^(2026-01-21,[^,]+,[^,]+,[^,]+,)11,/m, '$111.2,')
      .replace(/^(2026-01-22,[^,]+,[^,]+,[^,]+,)11,/m, '$111.1,');
    expect(csv).toMatch(/^2026-01-21,.*,11\.2,\d+\r$/m);
    serveStooq(t.fake, { 'mara.us': csv });
    const ctx = { ...t.ctx, config: { ...t.ctx.config, stooqApikey: STOOQ_KEY } };
    // One run while Yahoo throttles MARA (Stooq serves it), one after (Yahoo does): both closes are stored.
    t.fake.on('/v8/finance/chart/MARA', { status: 429, body: 'Edge: Too Many Requests' });
    expect((await runJob(ctx, equities, 'backfill', { from: '2025-11-24', only: ['MARA'] })).status).toBe('ok');
    t.fake.on('/v8/finance/chart/MARA', fixtureReply('equities/yahoo-chart-MARA.json'));
    expect((await runJob(ctx, equities, 'backfill', { from: '2025-11-24', only: ['MARA'] })).status).toBe('ok');
    expect(
      read<Array<{ source: string }>>(
        t.dbPath,
        "select source from equity_prices_daily where ticker = 'MARA' and date = '2026-01-21' order by source",
      ),
    ).toEqual([{ source: 'stooq' }, { source: 'yahoo' }]);

    const found = runChecks(t.opened.sqlite, { today: '2026-02-01' }).filter(
      (f) => f.series.startsWith('prices.') && f.check === 'disagreement',
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      check: 'disagreement',
      severity: 'warning',
      series: 'prices.MARA',
      first_date: '2026-01-21',
      last_date: '2026-01-21',
      detail: 'MARA close yahoo 11.0000 vs stooq 11.2000 (+1.82%)',
    });
    expect(found[0]!.value).toBeCloseTo((11.2 / 11 - 1) * 100, 9);
    // A looser threshold lets it pass; a tighter one also catches Jan 22 (+0.91 %).
    expect(
      runChecks(t.opened.sqlite, { today: '2026-02-01', priceDisagreementPct: 2 }).some(
        (f) => f.series === 'prices.MARA' && f.check === 'disagreement',
      ),
    ).toBe(false);
    expect(
      runChecks(t.opened.sqlite, { today: '2026-02-01', priceDisagreementPct: 0.5 })
        .filter((f) => f.series === 'prices.MARA' && f.check === 'disagreement')
        .map((f) => f.first_date),
    ).toEqual(['2026-01-21', '2026-01-22']);
    // The figures keep Yahoo's close: equity_close_daily prefers it.
    expect(
      t.opened.sqlite
        .prepare("select source, close_usd from equity_close_daily where ticker = 'MARA' and date = '2026-01-21'")
        .get(),
    ).toEqual({ source: 'yahoo', close_usd: 11 });
  });
});
