// Re-normalises stored data from the raw archive, without the network: a parser fix repairs history, and a
// bad day upstream can be re-read later. Each archived payload goes through the same parser and store call
// as when it was fetched, oldest first, so the newest data ends up in place.
import type { Context } from '../context.js';
import { describeError } from '../errors.js';
import { parseJsonBody } from '../http.js';
import { CHARTS, type ChartSlug, parseChart } from '../sources/blockchain.js';
import { parseDifficultyAdjustments, parseHashrate } from '../sources/mempool.js';
import { parseNasdaqHistorical } from '../sources/nasdaq.js';
import { type FilingRef, parseSharesConcept, parseSubmissions } from '../sources/sec.js';
import { parseCoverShares } from '../sources/sec-ixbrl.js';
import { parseStooqCsv, stooqSymbol } from '../sources/stooq.js';
import { parseTiingoDaily, tiingoSymbol } from '../sources/tiingo.js';
import { parseYahooChart, toAsTraded } from '../sources/yahoo.js';
import { refreshNetworkMonthly } from '../store/aggregate.js';
import {
  coverNote,
  refreshEquityMonthly,
  replaceShares,
  storedSplits,
  upsertCloses,
  upsertCoverShares,
} from '../store/equities.js';
import { type DailyTable, upsertDaily, upsertRetargets } from '../store/network.js';
import { archivedPayloads } from '../store/raw.js';
import type { IsoDate } from '../time.js';
import { loadUniverse } from '../universe.js';
import { openSessionDate } from './equities.js';
import { failedItem, type ItemResult } from './result.js';

export interface ReprocessOptions {
  readonly source?: string;
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

const CHART_TABLE: Record<ChartSlug, DailyTable> = {
  'hash-rate': 'hashrate_daily',
  difficulty: 'difficulty_daily',
  'market-price': 'btc_price_daily',
  'miners-revenue': 'miners_revenue_daily',
  'transaction-fees': 'tx_fees_daily',
};

export async function reprocess(ctx: Context, opts: ReprocessOptions = {}): Promise<ItemResult[]> {
  const universe = loadUniverse(ctx.config.universePath);
  const byCik = new Map(universe.tickers.filter((t) => t.cik).map((t) => [t.cik as number, t.ticker]));
  const inRange = (d: string) => (!opts.from || d >= opts.from) && (!opts.to || d <= opts.to);
  const results: ItemResult[] = [];
  const filings = new Map<string, FilingRef>(); // accession → filing, from archived submissions lists
  for (const p of archivedPayloads(ctx.sqlite, opts.source)) {
    const item = `raw#${p.id} ${p.url}`;
    const path = new URL(p.url).pathname;
    const ctxP = { source: p.source, url: p.url };
    try {
      let rows = 0;
      let m: RegExpExecArray | null;
      if (p.source === 'mempool' && path.includes('/mining/hashrate/')) {
        const r = parseHashrate(parseJsonBody(p), ctxP).filter((x) => inRange(x.date));
        rows = upsertDaily(
          ctx.sqlite,
          'hashrate_daily',
          'mempool',
          r.map((x) => ({ date: x.date, value: x.hashrate_ehs })),
        );
      } else if (p.source === 'mempool' && path.includes('/mining/difficulty-adjustments')) {
        rows = upsertRetargets(ctx.sqlite, 'mempool', parseDifficultyAdjustments(parseJsonBody(p), ctxP));
      } else if (p.source === 'blockchain' && (m = /\/charts\/([a-z-]+)$/.exec(path)) && m[1]! in CHARTS) {
        const slug = m[1] as ChartSlug;
        rows = upsertDaily(
          ctx.sqlite,
          CHART_TABLE[slug],
          'blockchain',
          parseChart(slug, parseJsonBody(p), ctxP).filter((x) => inRange(x.date)),
        );
      } else if (p.source === 'yahoo' && (m = /\/v8\/finance\/chart\/([^/]+)$/.exec(path))) {
        const symbol = decodeURIComponent(m[1]!);
        if (p.status !== 200) continue; // an archived unknown-symbol answer has no rows
        const chart = parseYahooChart(parseJsonBody(p), ctxP, { symbol, now: new Date(p.fetchedAt) });
        const bars = toAsTraded(chart.bars, chart.splits).filter((b) => inRange(b.date));
        rows = upsertCloses(ctx.sqlite, symbol, 'yahoo', bars, chart.splits);
      } else if (p.source === 'nasdaq' && (m = /\/api\/quote\/([^/]+)\/historical$/.exec(path))) {
        const ticker = universe.tickers.find(
          (t) => (t.nasdaq_symbol ?? t.ticker) === decodeURIComponent(m![1]!),
        )?.ticker;
        if (!ticker) continue;
        const bars = toAsTraded(parseNasdaqHistorical(parseJsonBody(p), ctxP), storedSplits(ctx.sqlite, ticker)).filter(
          (b) => inRange(b.date),
        );
        rows = upsertCloses(ctx.sqlite, ticker, 'nasdaq', bars);
      } else if (p.source === 'stooq' && path === '/q/d/l/') {
        const symbol = new URL(p.url).searchParams.get('s') ?? '';
        const ticker = universe.tickers.find((t) => stooqSymbol(t) === symbol)?.ticker;
        if (!ticker) continue;
        const dropFrom = openSessionDate(new Date(p.fetchedAt));
        const adjusted = parseStooqCsv(p.body, ctxP, { symbol, ...(dropFrom ? { dropFrom } : {}) });
        rows = upsertCloses(
          ctx.sqlite,
          ticker,
          'stooq',
          toAsTraded(adjusted, storedSplits(ctx.sqlite, ticker)).filter((b) => inRange(b.date)),
        );
      } else if (p.source === 'tiingo' && (m = /\/tiingo\/daily\/([^/]+)\/prices$/.exec(path))) {
        const ticker = universe.tickers.find((t) => tiingoSymbol(t) === decodeURIComponent(m![1]!))?.ticker;
        if (!ticker || p.status !== 200) continue;
        const r = parseTiingoDaily(parseJsonBody(p), ctxP, { symbol: decodeURIComponent(m[1]!), requireRows: false });
        const dropFrom = openSessionDate(new Date(p.fetchedAt));
        rows = upsertCloses(
          ctx.sqlite,
          ticker,
          'tiingo',
          r.bars.filter((b) => inRange(b.date) && (!dropFrom || b.date < dropFrom)),
          r.splits,
        );
      } else if (p.source === 'sec' && (m = /\/companyconcept\/CIK(\d{10})\//.exec(path))) {
        const ticker = byCik.get(Number(m[1]));
        if (!ticker) continue;
        rows = replaceShares(ctx.sqlite, ticker, 'sec', parseSharesConcept(parseJsonBody(p), ctxP));
      } else if (p.source === 'sec' && /\/submissions\/CIK\d{10}\.json$/.test(path)) {
        for (const f of parseSubmissions(parseJsonBody(p), ctxP)) filings.set(f.accessionNumber, f);
        continue;
      } else if (p.source === 'sec' && (m = /\/Archives\/edgar\/data\/(\d+)\/(\d{18})\//.exec(path))) {
        const ticker = byCik.get(Number(m[1]));
        if (!ticker) continue;
        const c = parseCoverShares(p.body, ctxP);
        const acc = `${m[2]!.slice(0, 10)}-${m[2]!.slice(10, 12)}-${m[2]!.slice(12)}`;
        const f = filings.get(acc);
        // The same note the shares job writes: a cross-check when the API has this filing, else the count itself.
        const inApi = ctx.sqlite
          .prepare("select 1 from shares_outstanding where ticker = ? and source = 'sec' and accession = ?")
          .get(ticker, acc);
        rows = upsertCoverShares(ctx.sqlite, ticker, {
          as_of: c.as_of,
          shares: c.shares,
          accession: acc,
          form: f?.form ?? null,
          filed: f?.filingDate ?? null,
          note: coverNote(c.classes, inApi !== undefined),
        });
      } else {
        continue; // submissions lists and anything else carry no rows
      }
      results.push({ item, status: 'ok', rows });
    } catch (err) {
      // A payload that was bad when fetched is still bad: say so, keep going.
      ctx.log.debug({ item, err }, `${item}: reprocessing failed: ${describeError(err)}`);
      results.push(failedItem(item, err));
    }
  }
  refreshNetworkMonthly(ctx.sqlite);
  refreshEquityMonthly(ctx.sqlite);
  return results;
}
