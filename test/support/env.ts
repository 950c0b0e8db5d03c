// Per-test wiring: a temporary database file, a fake upstream, a fixed clock and a context pointing at both.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Config, loadConfig } from '../../src/config.js';
import { type Context, createContext } from '../../src/context.js';
import type { Sqlite } from '../../src/db/sqlite.js';
import { silentLogger } from '../../src/log.js';
import { FakeUpstream, FIXTURES, fixture, fixtureReply, json, type Reply, type SeenRequest } from './fake-upstream.js';

export interface TestEnv {
  readonly fake: FakeUpstream;
  readonly ctx: Context;
  readonly opened: { readonly sqlite: Sqlite };
  readonly dir: string;
  readonly dbPath: string;
  /** Environment a child `hashpulse` process needs to use the same fake upstream and database. */
  readonly env: Record<string, string>;
  /** Moves the test clock. */
  setNow(iso: string): void;
  close(): Promise<void>;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hashpulse-test-'));
}

/** Fast-failing HTTP settings so retry tests take milliseconds, not minutes. */
export function testEnvVars(fakeUrl: string, dbPath: string): Record<string, string> {
  return {
    HASHPULSE_DB: dbPath,
    HASHPULSE_MEMPOOL_URL: fakeUrl,
    HASHPULSE_BLOCKCHAIN_URL: fakeUrl,
    HASHPULSE_BITSTAMP_URL: fakeUrl,
    HASHPULSE_YAHOO_URL: fakeUrl,
    HASHPULSE_NASDAQ_URL: fakeUrl,
    HASHPULSE_STOOQ_URL: fakeUrl,
    HASHPULSE_TIINGO_URL: fakeUrl,
    HASHPULSE_SEC_URL: fakeUrl,
    HASHPULSE_SEC_ARCHIVES_URL: fakeUrl,
    HASHPULSE_SEC_USER_AGENT: 'hashpulse-tests tests@example.com',
    HASHPULSE_UNIVERSE: path.join(FIXTURES, 'equities/universe.json'),
    HASHPULSE_SHARES_OVERRIDES: path.join(path.dirname(dbPath), 'shares-overrides.csv'),
    HASHPULSE_OPERATIONS: path.join(path.dirname(dbPath), 'operations.csv'),
    // Notes go to the test's folder, never to data/notes/ of the working tree (the daemon's catch-up runs publish).
    HASHPULSE_PUBLISH_DIR: path.join(path.dirname(dbPath), 'notes'),
    HASHPULSE_HTTP_TIMEOUT_MS: '2000',
    HASHPULSE_HTTP_RETRIES: '3',
    HASHPULSE_HTTP_RETRY_MIN_MS: '5',
    HASHPULSE_HTTP_MIN_INTERVAL_MS: '0',
    HASHPULSE_HTTP_MAX_RETRY_TIME_MS: '10000',
    HASHPULSE_LOG_LEVEL: 'silent',
    // The figures the suite asserted before the three hashprice bases existed are the realized ones; tests of the
    // default (expected) and of the difficulty basis set the variable themselves (test/hashprice-bases.test.ts).
    HASHPULSE_HASHPRICE_BASIS: 'realized',
    // Child processes run at the same instant as the in-process test clock (createTestEnv's default), whatever the
    // wall clock says: no test depends on the date it runs, nor fails across midnight UTC.
    HASHPULSE_NOW: '2026-02-01T06:00:00Z',
  };
}

export const NETWORK_ROUTES: Readonly<Record<string, string>> = {
  '/charts/market-price': 'blockchain/market-price.json',
  '/charts/miners-revenue': 'blockchain/miners-revenue.json',
  '/charts/transaction-fees': 'blockchain/transaction-fees.json',
  '/charts/hash-rate': 'blockchain/hash-rate.json',
  '/charts/difficulty': 'blockchain/difficulty.json',
  '/api/v1/mining/difficulty-adjustments': 'mempool/difficulty-adjustments.json',
  // The second sources of the BTC price, miners' revenue and fees (asked only for days blockchain.com leaves out).
  '/api/v1/historical-price': 'mempool/historical-price-usd.json',
  '/api/v1/mining/blocks/rewards/all': 'mempool/blocks-rewards-all.json',
  '/api/v1/mining/blocks/fees/all': 'mempool/blocks-fees-all.json',
  '/api/v2/ohlc/btcusd/': 'bitstamp/ohlc-btcusd-86400.json',
};

/**
 * A blockchain.com chart as the real API answers a window: only the points from `start` for `timespan` days
 * (`timespan=92days&start=2025-11-01` is 2025-11-01..2026-01-31), and a 400 for a request without `sampled=false`
 * or with a malformed window — so an off-by-one in the range, or a down-sampled request, fails the tests.
 */
export function chartWindow(rel: string): (req: SeenRequest) => Reply {
  const full = JSON.parse(fixture(rel)) as { values: Array<{ x: number; y: number }> };
  return (req) => {
    const days = /^(\d+)days$/.exec(req.query.timespan ?? '')?.[1];
    const start = req.query.start ?? '';
    if (req.query.sampled !== 'false' || !days || !/^\d{4}-\d{2}-\d{2}$/.test(start)) {
      return {
        status: 400,
        body: `bad chart window: ${JSON.stringify(req.query)}`,
        headers: { 'content-type': 'text/plain' },
      };
    }
    const lo = Date.parse(`${start}T00:00:00Z`) / 1000;
    const hi = lo + Number(days) * 86_400;
    return json({ ...full, values: full.values.filter((v) => v.x >= lo && v.x < hi) });
  };
}

/**
 * Serves the network fixtures at every path the sources ask for. Every mempool period window gets the same rows
 * (Nov 2025 – Jan 2026); the whole history (`/hashrate/all`, `/difficulty-adjustments` without a period) adds
 * the 2009 edges mempool serves there: the genesis point and zero days, the genesis row and the 32,256 retarget.
 */
export function serveNetwork(fake: FakeUpstream): void {
  for (const [p, f] of Object.entries(NETWORK_ROUTES))
    fake.on(p, p.startsWith('/charts/') ? chartWindow(f) : fixtureReply(f));
  for (const period of ['3d', '1w', '1m', '3m', '6m', '1y', '2y', '3y', '4y']) {
    fake.on(`/api/v1/mining/hashrate/${period}`, fixtureReply('mempool/hashrate-window.json'));
    fake.on(
      `/api/v1/mining/difficulty-adjustments/${period}`,
      fixtureReply('mempool/difficulty-adjustments-window.json'),
    );
  }
  fake.on('/api/v1/mining/hashrate/all', fixtureReply('mempool/hashrate-all.json'));
}

const CIKS = { MARA: '0001507605', IREN: '0001878848', CANG: '0001725123' } as const;

/** Serves the equity fixtures: Yahoo charts, the SEC XBRL API, submissions and the CANG 20-F cover page. */
export function serveEquities(fake: FakeUpstream): void {
  for (const [ticker, file] of [
    ['MARA', 'MARA'],
    ['IREN', 'IREN'],
    ['CANG', 'CANG'],
    ['%5EGSPC', 'GSPC'],
    ['^GSPC', 'GSPC'],
  ]) {
    fake.on(`/v8/finance/chart/${ticker}`, fixtureReply(`equities/yahoo-chart-${file}.json`));
  }
  for (const [ticker, cik] of Object.entries(CIKS)) {
    fake.on(
      `/api/xbrl/companyconcept/CIK${cik}/dei/EntityCommonStockSharesOutstanding.json`,
      fixtureReply(`equities/sec-concept-${ticker}.json`),
    );
    fake.on(`/submissions/CIK${cik}.json`, fixtureReply(`equities/sec-submissions-${ticker}.json`));
  }
  fake.on('/Archives/edgar/data/1507605/000150760525000047/mara-20250930.htm', {
    status: 200,
    body: fixture('equities/sec-cover-MARA-10q.htm'),
    headers: { 'content-type': 'text/html' },
  });
  fake.on('/Archives/edgar/data/1725123/000110465925030301/cang-20241231x20f.htm', {
    status: 200,
    body: fixture('equities/sec-cover-CANG-20f.htm'),
    headers: { 'content-type': 'text/html' },
  });
}

/** The key and token the fake Stooq and Tiingo accept (set HASHPULSE_STOOQ_APIKEY / HASHPULSE_TIINGO_TOKEN to them). */
export const STOOQ_KEY = 'TESTKEY0123456789ABCDEF0123456789';
export const TIINGO_TOKEN = 'test-tiingo-token-0123456789abcdef';

const STOOQ_FILES: Readonly<Record<string, string>> = {
  'mara.us': 'mara_us_d.csv',
  'iren.us': 'iren_us_d.csv',
  'cang.us': 'cang_us_d.csv',
  '^spx': '^spx_d.csv',
};

/**
 * Stooq's daily CSV at /q/d/l/ as the real one answers, always HTTP 200: the "Get your apikey" page without the
 * right `apikey`, "No data" for a symbol it does not have, else the CSV of test/fixtures/stooq/.
 */
export function serveStooq(fake: FakeUpstream, files: Readonly<Record<string, string>> = {}): void {
  fake.on('/q/d/l/', (req) => {
    if (req.query.apikey !== STOOQ_KEY)
      return { status: 200, body: fixture('stooq/apikey-page.txt'), headers: { 'content-type': 'text/plain' } };
    const body =
      files[req.query.s ?? ''] ??
      (STOOQ_FILES[req.query.s ?? ''] ? fixture(`stooq/${STOOQ_FILES[req.query.s ?? '']}`) : 'No data');
    return { status: 200, body, headers: { 'content-type': 'text/csv' } };
  });
}

/** Tiingo's /tiingo/daily/<ticker>/prices for the three miners (tests read the Authorization header from fake.requests). */
export function serveTiingo(fake: FakeUpstream): void {
  for (const t of ['MARA', 'IREN', 'CANG'])
    fake.on(`/tiingo/daily/${t}/prices`, fixtureReply(`tiingo/daily-${t}.json`));
}

export async function createTestEnv(opts: { now?: string; config?: Partial<Config> } = {}): Promise<TestEnv> {
  const fake = await FakeUpstream.start();
  const dir = tempDir();
  const dbPath = path.join(dir, 'test.db');
  const env = testEnvVars(fake.url, dbPath);
  if (opts.now) env.HASHPULSE_NOW = opts.now;
  const config = loadConfig(env, opts.config);
  const log = silentLogger();
  let now = new Date(opts.now ?? '2026-02-01T06:00:00Z');
  const { ctx, opened, close: closeDb } = await createContext({ config, log, clock: { now: () => now } });
  return {
    setNow: (iso: string) => {
      now = new Date(iso);
    },
    fake,
    ctx,
    opened,
    dir,
    dbPath,
    env,
    close: async () => {
      await closeDb();
      await fake.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The monthly-note fixture state the report tests share: network and equity fixtures served, CANG's override
 * count in the overrides file, an (absent) economics file in the test folder, and the Nov 2025 – Jan 2026
 * backfill done through the CLI. Returns the environment a child `hashpulse report` needs.
 */
export async function createNoteEnv(): Promise<{ t: TestEnv; env: Record<string, string> }> {
  const t = await createTestEnv();
  serveNetwork(t.fake);
  serveEquities(t.fake);
  fs.writeFileSync(
    t.env.HASHPULSE_SHARES_OVERRIDES!,
    'ticker,as_of,shares,note\nCANG,2026-01-20,"41,000,000","press release, after the 1:10 reverse split"\n',
  );
  const env = { ...t.env, HASHPULSE_ECONOMICS: path.join(t.dir, 'economics.csv') };
  const { runCli } = await import('./cli.js');
  const r = await runCli(['backfill', '--from', '2025-11-01', '--to', '2026-01-31'], t.env);
  if (r.code !== 0) throw new Error(`backfill failed: ${r.stdout}${r.stderr}`);
  return { t, env };
}
