// Re-normalises stored data from the raw archive, without the network: a parser fix repairs history, and a
// bad day upstream can be re-read later. Each archived payload goes through the same parser and store call
// as when it was fetched, oldest first, so the newest data ends up in place.
import type { Context } from '../context.js';
import { describeError } from '../errors.js';
import { refreshAllMonthly } from '../store/aggregate.js';
import { archivedPayloads } from '../store/raw.js';
import type { IsoDate } from '../time.js';
import { loadUniverse } from '../universe.js';
import { archiveRoutes, type Replay, routeOf } from './archive.js';
import { failedItem, type ItemResult } from './result.js';

export interface ReprocessOptions {
  readonly source?: string;
  readonly from?: IsoDate;
  readonly to?: IsoDate;
}

export async function reprocess(ctx: Context, opts: ReprocessOptions = {}): Promise<ItemResult[]> {
  const universe = loadUniverse(ctx.config.universePath);
  const replay: Replay = {
    ctx,
    universe,
    byCik: new Map(universe.tickers.filter((t) => t.cik).map((t) => [t.cik as number, t.ticker])),
    inRange: (d) => (!opts.from || d >= opts.from) && (!opts.to || d <= opts.to),
    filings: new Map(),
  };
  const routes = await archiveRoutes();
  const results: ItemResult[] = [];
  for (const p of archivedPayloads(ctx.sqlite, opts.source)) {
    const item = `raw#${p.id} ${p.url}`;
    const routed = routeOf(routes, p);
    if (!routed) continue; // payloads no route reads (Bitstamp, mempool prices and rewards) are left alone
    try {
      const rows = routed.route.replay(p, routed.match, replay);
      if (rows === null) continue;
      results.push({ item, status: 'ok', rows });
    } catch (err) {
      // A payload that was bad when fetched is still bad: say so, keep going.
      ctx.log.debug({ item, err }, `${item}: reprocessing failed: ${describeError(err)}`);
      results.push(failedItem(item, err));
    }
  }
  refreshAllMonthly(ctx.sqlite);
  return results;
}
