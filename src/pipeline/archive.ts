// The routes of the raw archive: which stored payload (source + URL path) is read again by which parser into which
// table. `hashpulse reprocess` (./reprocess.ts) iterates this list and nothing else. The daily network series
// declare their own route where they are declared (`archived` on a link of NETWORK_SERIES, ./network.ts); the
// retargets, the equity prices and the SEC payloads have theirs here. A new archived source is one entry.
import type { Context } from '../context.js';
import { parseJsonBody } from '../http.js';
import { parseDifficultyAdjustments } from '../sources/mempool.js';
import { parseNasdaqHistorical } from '../sources/nasdaq.js';
import { type FilingRef, parseSharesConcept, parseSubmissions } from '../sources/sec.js';
import { parseCoverShares } from '../sources/sec-ixbrl.js';
import { parseStooqCsv, stooqSymbol } from '../sources/stooq.js';
import { parseTiingoDaily, tiingoSymbol } from '../sources/tiingo.js';
import { parseYahooChart, toAsTraded } from '../sources/yahoo.js';
import { coverNote, replaceShares, storedSplits, upsertCloses, upsertCoverShares } from '../store/equities.js';
import { upsertDaily, upsertRetargets } from '../store/network.js';
import type { ArchivedPayload } from '../store/raw.js';
import type { Universe } from '../universe.js';
import { openSessionDate } from './equities.js';
import { NETWORK_SERIES, RETARGETS_SERIES } from './network.js';

/** What one reprocess run shares between payloads. */
export interface Replay {
  readonly ctx: Context;
  readonly universe: Universe;
  /** CIK → ticker of the universe. */
  readonly byCik: ReadonlyMap<number, string>;
  /** The --from/--to window. */
  inRange(date: string): boolean;
  /** accession → filing, from the archived submissions lists read so far (oldest first). */
  readonly filings: Map<string, FilingRef>;
}

export interface ArchiveRoute {
  /** The series or endpoint the payloads belong to. */
  readonly id: string;
  /** raw_payloads.source. */
  readonly source: string;
  /** Matched against the URL's path; the groups go to replay. */
  readonly path: RegExp;
  /** Parses the payload and stores its rows: the number written, or null when the payload holds no rows for us
   *  (an unknown ticker, an archived error answer, a submissions list). Throws what the parser throws. */
  replay(p: ArchivedPayload, m: RegExpExecArray, r: Replay): number | null;
}

const decoded = (m: RegExpExecArray) => decodeURIComponent(m[1]!);

/** The daily network series' routes, declared with the series (`archived`); their parsers load on demand. */
async function networkRoutes(): Promise<ArchiveRoute[]> {
  const routes: ArchiveRoute[] = [];
  for (const s of NETWORK_SERIES) {
    for (const link of s.chain) {
      if (!link.archived) continue;
      const parse = await link.archived.parser();
      routes.push({
        id: link.id,
        source: link.source,
        path: link.archived.path,
        replay: (p, _m, r) =>
          upsertDaily(
            r.ctx.sqlite,
            s.table,
            link.source,
            parse(p).filter((x) => r.inRange(x.date)),
          ),
      });
    }
  }
  return routes;
}

const OTHER_ROUTES: readonly ArchiveRoute[] = [
  {
    id: RETARGETS_SERIES,
    source: 'mempool',
    path: /\/mining\/difficulty-adjustments/,
    replay: (p, _m, r) => upsertRetargets(r.ctx.sqlite, 'mempool', parseDifficultyAdjustments(parseJsonBody(p), p)),
  },
  {
    id: 'yahoo.chart',
    source: 'yahoo',
    path: /\/v8\/finance\/chart\/([^/]+)$/,
    replay: (p, m, r) => {
      const symbol = decoded(m);
      if (p.status !== 200) return null; // an archived unknown-symbol answer has no rows
      const chart = parseYahooChart(parseJsonBody(p), p, { symbol, now: new Date(p.fetchedAt) });
      const bars = toAsTraded(chart.bars, chart.splits).filter((b) => r.inRange(b.date));
      return upsertCloses(r.ctx.sqlite, symbol, 'yahoo', bars, chart.splits);
    },
  },
  {
    id: 'nasdaq.historical',
    source: 'nasdaq',
    path: /\/api\/quote\/([^/]+)\/historical$/,
    replay: (p, m, r) => {
      const ticker = r.universe.tickers.find((t) => (t.nasdaq_symbol ?? t.ticker) === decoded(m))?.ticker;
      if (!ticker) return null;
      const bars = toAsTraded(parseNasdaqHistorical(parseJsonBody(p), p), storedSplits(r.ctx.sqlite, ticker)).filter(
        (b) => r.inRange(b.date),
      );
      return upsertCloses(r.ctx.sqlite, ticker, 'nasdaq', bars);
    },
  },
  {
    id: 'stooq.daily',
    source: 'stooq',
    path: /^\/q\/d\/l\/$/,
    replay: (p, _m, r) => {
      const symbol = new URL(p.url).searchParams.get('s') ?? '';
      const ticker = r.universe.tickers.find((t) => stooqSymbol(t) === symbol)?.ticker;
      if (!ticker) return null;
      const dropFrom = openSessionDate(new Date(p.fetchedAt));
      const adjusted = parseStooqCsv(p.body, p, { symbol, ...(dropFrom ? { dropFrom } : {}) });
      return upsertCloses(
        r.ctx.sqlite,
        ticker,
        'stooq',
        toAsTraded(adjusted, storedSplits(r.ctx.sqlite, ticker)).filter((b) => r.inRange(b.date)),
      );
    },
  },
  {
    id: 'tiingo.daily',
    source: 'tiingo',
    path: /\/tiingo\/daily\/([^/]+)\/prices$/,
    replay: (p, m, r) => {
      const ticker = r.universe.tickers.find((t) => tiingoSymbol(t) === decoded(m))?.ticker;
      if (!ticker || p.status !== 200) return null;
      const got = parseTiingoDaily(parseJsonBody(p), p, { symbol: decoded(m), requireRows: false });
      const dropFrom = openSessionDate(new Date(p.fetchedAt));
      return upsertCloses(
        r.ctx.sqlite,
        ticker,
        'tiingo',
        got.bars.filter((b) => r.inRange(b.date) && (!dropFrom || b.date < dropFrom)),
        got.splits,
      );
    },
  },
  {
    id: 'sec.shares',
    source: 'sec',
    path: /\/companyconcept\/CIK(\d{10})\//,
    replay: (p, m, r) => {
      const ticker = r.byCik.get(Number(m[1]));
      if (!ticker) return null;
      return replaceShares(r.ctx.sqlite, ticker, 'sec', parseSharesConcept(parseJsonBody(p), p));
    },
  },
  {
    id: 'sec.submissions',
    source: 'sec',
    path: /\/submissions\/CIK\d{10}\.json$/,
    replay: (p, _m, r) => {
      // No rows of its own: the filings it lists name the form and date of the cover pages read after it.
      for (const f of parseSubmissions(parseJsonBody(p), p)) r.filings.set(f.accessionNumber, f);
      return null;
    },
  },
  {
    id: 'sec.cover',
    source: 'sec',
    path: /\/Archives\/edgar\/data\/(\d+)\/(\d{18})\//,
    replay: (p, m, r) => {
      const ticker = r.byCik.get(Number(m[1]));
      if (!ticker) return null;
      const c = parseCoverShares(p.body, p);
      const acc = `${m[2]!.slice(0, 10)}-${m[2]!.slice(10, 12)}-${m[2]!.slice(12)}`;
      const f = r.filings.get(acc);
      // The same note the shares job writes: a cross-check when the API has this filing, else the count itself.
      const inApi = r.ctx.sqlite
        .prepare("select 1 from shares_outstanding where ticker = ? and source = 'sec' and accession = ?")
        .get(ticker, acc);
      return upsertCoverShares(r.ctx.sqlite, ticker, {
        as_of: c.as_of,
        shares: c.shares,
        accession: acc,
        form: f?.form ?? null,
        filed: f?.filingDate ?? null,
        note: coverNote(c.classes, inApi !== undefined),
      });
    },
  },
];

/** Every route: the network series' first, then the others. */
export async function archiveRoutes(): Promise<readonly ArchiveRoute[]> {
  return [...(await networkRoutes()), ...OTHER_ROUTES];
}

/** The route of one archived payload: the first whose source and path match, with the match. */
export function routeOf(
  routes: readonly ArchiveRoute[],
  p: ArchivedPayload,
): { route: ArchiveRoute; match: RegExpExecArray } | null {
  const path = new URL(p.url).pathname;
  for (const route of routes) {
    if (route.source !== p.source) continue;
    const match = route.path.exec(path);
    if (match) return { route, match };
  }
  return null;
}
