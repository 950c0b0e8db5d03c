// The probe registry: one small request per upstream, through the source's own fetch and parse, for `hashpulse
// probe`. A new source adds one entry here (its smallest useful window and, if it can be off, why).
import type { Config } from '../config.js';
import type { Http } from '../http.js';
import { addDays, type IsoDate, toIsoDate } from '../time.js';
import { loadUniverse, type Ticker } from '../universe.js';
import { fetchBitstampDaily } from './bitstamp.js';
import { fetchChart } from './blockchain.js';
import { fetchDifficultyAdjustments, fetchHashrate } from './mempool.js';
import { fetchNasdaqHistorical } from './nasdaq.js';
import { cikPadded, fetchSharesConcept, fetchSubmissions, requireSecUserAgent } from './sec.js';
import { fetchStooqDaily, stooqSymbol } from './stooq.js';
import { fetchTiingoDaily } from './tiingo.js';
import { fetchYahooChart } from './yahoo.js';

/** What one probe got back: rows the real parser returned, and the newest date among them. */
export interface ProbeAnswer {
  readonly rows: number;
  readonly newest?: IsoDate | null;
}

export interface Probe {
  /** The row's name in the table: source and endpoint, e.g. 'mempool hashrate'. */
  readonly source: string;
  /** The URL the probe asks (without the query string that depends on today). */
  describe(config: Config): string;
  /** true when the source is on; otherwise why it is skipped (no key, no SEC User-Agent, …). */
  enabled(config: Config): true | string;
  /** One request, no retries (the Http passed in has none), parsed by the source's parser. */
  run(http: Http, config: Config, now: Date): Promise<ProbeAnswer>;
}

/** Days of daily data the probes ask for: enough to span a long weekend plus a holiday. */
export const PROBE_DAYS = 10;

const newestOf = (dates: readonly string[]): IsoDate | null =>
  dates.reduce<IsoDate | null>((max, d) => (max === null || d > max ? d : max), null);
const answer = (dates: readonly string[]): ProbeAnswer => ({ rows: dates.length, newest: newestOf(dates) });
const windowOf = (now: Date) => {
  const today = toIsoDate(now);
  return { from: addDays(today, -PROBE_DAYS), today };
};

/** The filer the SEC probes ask about: the universe's first miner with a CIK, a 10-K filer if there is one. */
function secFiler(config: Config): Ticker | string {
  let tickers: readonly Ticker[];
  try {
    tickers = loadUniverse(config.universePath).miners;
  } catch (err) {
    return `no universe to take a CIK from (${(err as Error).message})`;
  }
  const withCik = tickers.filter((t) => t.cik !== undefined);
  return (
    withCik.find((t) => t.filer === undefined || t.filer === '10-K') ??
    withCik[0] ??
    `no miner with a "cik" in ${config.universePath}`
  );
}

function secEnabled(config: Config): true | string {
  if (config.secUserAgent.trim() === '')
    return 'no SEC User-Agent: set HASHPULSE_SEC_USER_AGENT="hashpulse you@example.com" (the SEC blocks requests without one)';
  try {
    requireSecUserAgent(config.secUserAgent);
  } catch {
    return `HASHPULSE_SEC_USER_AGENT "${config.secUserAgent}" has no contact e-mail (the SEC blocks requests without one)`;
  }
  const filer = secFiler(config);
  return typeof filer === 'string' ? filer : true;
}

/** CIK of the SEC probes' filer; enabled() has checked there is one. */
function secCik(config: Config): number {
  const filer = secFiler(config);
  if (typeof filer === 'string' || filer.cik === undefined)
    throw new Error(typeof filer === 'string' ? filer : 'no CIK');
  return filer.cik;
}

const secCikLabel = (config: Config) => {
  const filer = secFiler(config);
  return typeof filer === 'string' || filer.cik === undefined ? '{cik}' : cikPadded(filer.cik);
};

const always = () => true as const;

export const PROBES: readonly Probe[] = [
  {
    source: 'mempool hashrate',
    describe: (c) => `${c.mempoolUrl}/api/v1/mining/hashrate/3d`,
    enabled: always,
    run: async (http, c) => answer((await fetchHashrate(http, c.mempoolUrl, '3d')).map((r) => r.date)),
  },
  {
    source: 'mempool difficulty-adjustments',
    describe: (c) => `${c.mempoolUrl}/api/v1/mining/difficulty-adjustments/3m`,
    enabled: always,
    run: async (http, c) => answer((await fetchDifficultyAdjustments(http, c.mempoolUrl, '3m')).map((r) => r.date)),
  },
  {
    source: 'blockchain market-price',
    describe: (c) => `${c.blockchainUrl}/charts/market-price`,
    enabled: always,
    run: async (http, c, now) => {
      const { from, today } = windowOf(now);
      return answer((await fetchChart(http, c.blockchainUrl, 'market-price', from, today)).map((p) => p.date));
    },
  },
  {
    source: 'yahoo chart ^GSPC',
    describe: (c) => `${c.yahooUrl}/v8/finance/chart/%5EGSPC`,
    enabled: always,
    run: async (http, c, now) => {
      const { from, today } = windowOf(now);
      return answer((await fetchYahooChart(http, c.yahooUrl, '^GSPC', from, today, now)).bars.map((b) => b.date));
    },
  },
  {
    source: 'nasdaq historical MARA',
    describe: (c) => `${c.nasdaqUrl}/api/quote/MARA/historical`,
    enabled: always,
    run: async (http, c, now) => {
      const { from, today } = windowOf(now);
      return answer((await fetchNasdaqHistorical(http, c.nasdaqUrl, 'MARA', 'stocks', from, today)).map((b) => b.date));
    },
  },
  {
    source: 'bitstamp ohlc btcusd',
    describe: (c) => `${c.bitstampUrl}/api/v2/ohlc/btcusd/`,
    enabled: always,
    run: async (http, c, now) => {
      const { from, today } = windowOf(now);
      return answer((await fetchBitstampDaily(http, c.bitstampUrl, from, today, today)).map((r) => r.date));
    },
  },
  {
    source: 'derived revenue and fees',
    describe: (c) => `${c.mempoolUrl}/api/v1/mining/blocks/{rewards,fees}/all`,
    // Its inputs are whole-history lists of several MB: too large for a probe. Its parsers share mempool.space's
    // envelope, which the mempool probes above check.
    enabled: () =>
      "not probed: derived from mempool.space's whole-history block lists (several MB each); the mempool lines cover that host",
    run: () => Promise.reject(new Error('the derived probe is always skipped')),
  },
  {
    source: 'stooq daily ^spx',
    describe: (c) => `${c.stooqUrl}/q/d/l/?s=^spx`,
    enabled: (c) =>
      c.stooqApikey
        ? true
        : 'no key: set HASHPULSE_STOOQ_APIKEY (free, from stooq.com) to use Stooq as the third price source',
    run: async (http, c, now) => {
      const { from, today } = windowOf(now);
      return answer(
        (await fetchStooqDaily(http, c.stooqUrl, stooqSymbol({ ticker: '^GSPC' }), from, today, c.stooqApikey)).map(
          (b) => b.date,
        ),
      );
    },
  },
  {
    source: 'tiingo daily MARA',
    describe: (c) => `${c.tiingoUrl}/tiingo/daily/MARA/prices`,
    enabled: (c) =>
      c.tiingoToken
        ? true
        : 'no token: set HASHPULSE_TIINGO_TOKEN (free account at tiingo.com) to use Tiingo as the fourth price source',
    run: async (http, c, now) => {
      const { from, today } = windowOf(now);
      return answer(
        (await fetchTiingoDaily(http, c.tiingoUrl, 'MARA', from, today, c.tiingoToken)).bars.map((b) => b.date),
      );
    },
  },
  {
    source: 'sec submissions',
    describe: (c) => `${c.secUrl}/submissions/CIK${secCikLabel(c)}.json`,
    enabled: secEnabled,
    run: async (http, c) =>
      answer((await fetchSubmissions(http, c.secUrl, secCik(c), c.secUserAgent)).map((f) => f.filingDate)),
  },
  {
    source: 'sec companyconcept',
    describe: (c) =>
      `${c.secUrl}/api/xbrl/companyconcept/CIK${secCikLabel(c)}/dei/EntityCommonStockSharesOutstanding.json`,
    enabled: secEnabled,
    run: async (http, c) =>
      answer((await fetchSharesConcept(http, c.secUrl, secCik(c), c.secUserAgent)).map((r) => r.filed)),
  },
  {
    source: 'sec archives',
    describe: (c) => `${c.secArchivesUrl}/Archives/edgar/data/`,
    // The only archives document hashpulse reads is a filing's whole primary document (a 10-Q is megabytes).
    enabled: () =>
      'no small document to ask for: the archives serve whole filings (a 10-Q/20-F cover page of megabytes when the XBRL API lacks a filing, a production update found through its filing index); the sec lines above cover the SEC',
    run: () => Promise.reject(new Error('the sec archives probe is always skipped')),
  },
];
