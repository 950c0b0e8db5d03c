// Miners' revenue and fees per UTC day DERIVED from mempool.space, for days blockchain.com leaves out: mempool
// publishes per-block averages in daily buckets but not how many blocks each day had, so the count is estimated.
// Rows are stored under source 'derived', never as measured values.
import { PayloadError } from '../errors.js';
import type { Http } from '../http.js';
import { subsidySatsAt } from '../mining.js';
import type { IsoDate } from '../time.js';
import {
  type BlockBucket,
  fetchBlockBuckets,
  fetchHashrateHistory,
  type HashrateHistory,
  MEMPOOL_PRICE_START,
} from './mempool.js';
import { assertPlausible, BOUNDS, type PayloadContext } from './validate.js';

export const SOURCE = 'derived';

/** Expected hashes per block at difficulty 1. */
const HASHES_PER_DIFFICULTY = 2 ** 32;
const SATS_PER_BTC = 1e8;

export interface DerivedDay {
  readonly date: IsoDate;
  /** Estimated blocks mined that day (fractional: an estimate, not a count). */
  readonly blocks_est: number;
  readonly fees_btc: number;
  /** NULL before mempool.space has prices (2010-07-19) or when the bucket carries none. */
  readonly revenue_usd: number | null;
}

export interface DeriveInput {
  readonly rewards: readonly BlockBucket[];
  readonly fees: readonly BlockBucket[];
  readonly history: HashrateHistory;
}

/** Difficulty in force at `height`: the retarget with the greatest height ≤ it (list ascending by height). */
function difficultyAt(list: HashrateHistory['difficulty'], height: number): number | null {
  let lo = 0;
  let hi = list.length - 1;
  let found: number | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]![0] <= height) {
      found = list[mid]![1];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * blocks_est = hashrate × 86,400 s ÷ (difficulty × 2^32). mempool's daily hashrate is Bitcoin Core's
 * getnetworkhashps over exactly that day's blocks (their work over the time from the last block before the day to
 * the day's last block), so this gives back the day's block count up to that time span's difference from 24 h
 * (about ±1 % a day, unbiased). The difficulty is the one in force at the bucket's mean height: on a retarget
 * day, the one most of its blocks were mined at.
 * fees_btc = blocks_est × avgFees; revenue_usd = blocks_est × avgRewards × USD, where avgRewards is what the
 * coinbases claimed (subsidy + fees) and USD the price mempool linked to the day's first block (its first hourly
 * price; weekly before 2022). Each day's claimed subsidy (avgRewards − avgFees) is checked against the protocol's:
 * 50 BTC halved every 210,000 blocks, at the day's heights.
 * A day needs a rewards bucket, a fees bucket of the same mean height and a hashrate point; others are left out.
 */
export function deriveMinersDaily(input: DeriveInput, ctx: PayloadContext): DerivedDay[] {
  if (input.history.difficulty.length === 0)
    throw new PayloadError(
      ctx.source,
      ctx.url,
      'the hashrate answer lists no retargets: no difficulty to count blocks with',
    );
  const hashrate = new Map(input.history.hashrates.map((h) => [h.date, h.hashrate_ehs]));
  const fees = new Map(input.fees.map((f) => [f.date, f]));
  const out: DerivedDay[] = [];
  for (const r of input.rewards) {
    const f = fees.get(r.date);
    const ehs = hashrate.get(r.date);
    // The two lists are read by two queries: a bucket that changed in between (a block indexed or priced late)
    // shows a different mean height; such a day is left out rather than mixed.
    if (!f || ehs === undefined || Math.abs(f.avg_height - r.avg_height) > 1) continue;
    const difficulty = difficultyAt(input.history.difficulty, r.avg_height);
    if (difficulty === null) continue;
    const blocks = (ehs * 1e18 * 86_400) / (difficulty * HASHES_PER_DIFFICULTY);
    const claimed = r.avg_sats - f.avg_sats;
    const firstHeight = Math.max(0, Math.floor(r.avg_height - blocks));
    const lastHeight = Math.ceil(r.avg_height + blocks);
    if (claimed < 0 || claimed > subsidySatsAt(firstHeight) + 1 || claimed < subsidySatsAt(lastHeight) / 2) {
      throw new PayloadError(
        ctx.source,
        ctx.url,
        `${r.date}: rewards ${r.avg_sats} − fees ${f.avg_sats} sats per block claim ${claimed} sats of subsidy, but heights ~${r.avg_height} pay ${subsidySatsAt(r.avg_height)} (wrong unit, or rewards and fees of different days?)`,
      );
    }
    out.push({
      date: r.date,
      blocks_est: blocks,
      fees_btc: (blocks * f.avg_sats) / SATS_PER_BTC,
      revenue_usd:
        r.usd !== null && r.date >= MEMPOOL_PRICE_START ? ((blocks * r.avg_sats) / SATS_PER_BTC) * r.usd : null,
    });
  }
  if (out.length === 0)
    throw new PayloadError(
      ctx.source,
      ctx.url,
      'no day has a rewards bucket, a fees bucket and a hashrate point together',
    );
  assertPlausible(
    out.map((d) => ({ date: d.date, value: d.fees_btc })),
    BOUNDS.fees_btc,
    ctx,
  );
  assertPlausible(
    out.flatMap((d) => (d.revenue_usd === null ? [] : [{ date: d.date, value: d.revenue_usd }])),
    BOUNDS.revenue_usd,
    ctx,
  );
  return out;
}

/**
 * Three whole-history requests to mempool.space, one after another: rewards, fees, and the hashrate with its
 * retargets (`hashrateHistory` lets a caller that already asked for /hashrate/all share its answer).
 */
export async function fetchDerivedMinersDaily(
  http: Http,
  mempoolUrl: string,
  hashrateHistory?: () => Promise<HashrateHistory>,
): Promise<DerivedDay[]> {
  const rewards = await fetchBlockBuckets(http, mempoolUrl, 'rewards');
  const fees = await fetchBlockBuckets(http, mempoolUrl, 'fees');
  const history = await (hashrateHistory ? hashrateHistory() : fetchHashrateHistory(http, mempoolUrl));
  return deriveMinersDaily(
    { rewards, fees, history },
    { source: 'mempool', url: `${mempoolUrl}/api/v1/mining/blocks/rewards/all` },
  );
}
