// Data-quality checks over the stored rows: gaps, implausible values, impossible retargets, unexplained equity
// jumps, source disagreement and stale series. Pure reads; `storeFindings` replaces the stored set.
import type { Sqlite } from '../db/sqlite.js';
import { unresolvedUnparsed } from '../store/operations.js';
import { addDays, daysBetween, type IsoDate } from '../time.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  readonly check: 'gap' | 'bounds' | 'retarget' | 'jump' | 'disagreement' | 'stale' | 'unparsed';
  readonly severity: Severity;
  readonly series: string;
  readonly first_date: IsoDate | null;
  readonly last_date: IsoDate | null;
  readonly value: number | null;
  readonly detail: string;
}

export interface CheckOptions {
  readonly today: IsoDate;
  readonly hashrateDisagreementPct?: number;
  readonly difficultyDisagreementPct?: number;
  /** A daily close moving more than this (percent) without a split is flagged. */
  readonly jumpPct?: number;
  /** Two price sources' closes of one ticker and day differing by more than this (percent) are flagged. */
  readonly priceDisagreementPct?: number;
}

/** Price sources in the order the chain asks them (src/pipeline/equities.ts); the first is the "primary" of a pair. */
const PRICE_SOURCE_RANK = `case source when 'yahoo' then 0 when 'nasdaq' then 1 when 'stooq' then 2 when 'tiingo' then 3 else 4 end`;

/** How old (in days) a series' newest row may be and still count as fresh: one rule for check and status. */
export const FRESH_DAYS = { network: 2, retargets: 20, prices: 5, sharesQuarterly: 200, sharesAnnual: 400 } as const;

/** The daily network series: (label, table, value column, source). */
export const DAILY_SERIES = [
  ['mempool.hashrate', 'hashrate_daily', 'hashrate_ehs', 'mempool'],
  ['blockchain.market-price', 'btc_price_daily', 'price_usd', 'blockchain'],
  ['blockchain.miners-revenue', 'miners_revenue_daily', 'revenue_usd', 'blockchain'],
  ['blockchain.transaction-fees', 'tx_fees_daily', 'fees_btc', 'blockchain'],
  ['blockchain.hash-rate', 'hashrate_daily', 'hashrate_ehs', 'blockchain'],
  ['blockchain.difficulty', 'difficulty_daily', 'difficulty', 'blockchain'],
] as const;

/** Bounds per value column from 2019 on (the network's modern era); anything outside is an error. */
const MODERN_BOUNDS: Record<string, readonly [number, number, string]> = {
  hashrate_ehs: [1, 100_000, 'hashrate in EH/s'],
  price_usd: [100, 10_000_000, 'BTC price in USD'],
  revenue_usd: [100_000, 10_000_000_000, 'miners revenue in USD/day'],
  difficulty: [1e12, 1e16, 'difficulty'],
  fees_btc: [0, 100_000, 'fees in BTC/day'],
};

export function runChecks(sqlite: Sqlite, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  for (const [label, table, column, source] of DAILY_SERIES) {
    const dates = sqlite.prepare(`select date from ${table} where source = ? order by date`).pluck().all(source) as string[];
    if (dates.length === 0) continue;
    // Gaps: runs of missing days between the first and last stored day.
    for (let i = 1; i < dates.length; i++) {
      const gap = daysBetween(dates[i - 1]!, dates[i]!) - 1;
      if (gap > 0) {
        out.push({ check: 'gap', severity: 'warning', series: label, first_date: addDays(dates[i - 1]!, 1), last_date: addDays(dates[i]!, -1), value: gap, detail: `${gap} day(s) with no ${column}` });
      }
    }
    const [lo, hi, what] = MODERN_BOUNDS[column]!;
    const bad = sqlite.prepare(`select date, ${column} as v from ${table} where source = ? and date >= '2019-01-01' and (${column} < ? or ${column} > ?) order by date`).all(source, lo, hi) as Array<{ date: string; v: number }>;
    for (const b of bad) out.push({ check: 'bounds', severity: 'error', series: label, first_date: b.date, last_date: b.date, value: b.v, detail: `${what} ${b.v} outside ${lo}..${hi}` });
    const newest = dates.at(-1)!;
    const age = daysBetween(newest, opts.today);
    if (age > FRESH_DAYS.network) out.push({ check: 'stale', severity: 'warning', series: label, first_date: newest, last_date: newest, value: age, detail: `newest day is ${newest}, ${age} days old` });
  }

  // Retargets: each within the protocol's x4 / ÷4 of the previous one.
  const retargets = sqlite.prepare('select height, date, difficulty from difficulty_retargets order by height').all() as Array<{ height: number; date: string; difficulty: number }>;
  for (let i = 1; i < retargets.length; i++) {
    const ratio = retargets[i]!.difficulty / retargets[i - 1]!.difficulty;
    if (ratio > 4 || ratio < 0.25) {
      out.push({ check: 'retarget', severity: 'error', series: 'mempool.difficulty-adjustments', first_date: retargets[i]!.date, last_date: retargets[i]!.date, value: ratio, detail: `height ${retargets[i]!.height} changes difficulty x${ratio.toFixed(3)}, beyond x4 / ÷4` });
    }
  }

  // Equities: a close moving more than jumpPct in a day with no split between (a bad tick, or a listed-unit change
  // missing from the universe file). Compared per ordinary share, so a declared ADS ratio change is no jump.
  const jump = opts.jumpPct ?? 40;
  const moves = sqlite
    .prepare(
      `select m.ticker, m.date, m.prev_date, m.close_usd, m.prev_close from (
         select ticker, date, close_usd, shares_per_unit, lag(date) over w as prev_date, lag(close_usd) over w as prev_close,
           lag(shares_per_unit) over w as prev_units
         from equity_close_daily window w as (partition by ticker order by date)) m
       where m.prev_close > 0 and abs((m.close_usd / m.shares_per_unit) / (m.prev_close / m.prev_units) - 1) * 100 > ?
         and not exists (select 1 from equity_splits_effective s where s.ticker = m.ticker and s.date > m.prev_date and s.date <= m.date)`,
    )
    .all(jump) as Array<{ ticker: string; date: string; prev_date: string; close_usd: number; prev_close: number }>;
  for (const m of moves) {
    const pct = (m.close_usd / m.prev_close - 1) * 100;
    out.push({ check: 'jump', severity: 'warning', series: `prices.${m.ticker}`, first_date: m.prev_date, last_date: m.date, value: pct, detail: `close ${m.prev_close} → ${m.close_usd} (${pct.toFixed(1)}%) with no split event: check for an ADS ratio change or a bad tick` });
  }
  const stalePrices = sqlite.prepare('select ticker, max(date) as d from equity_prices_daily group by ticker').all() as Array<{ ticker: string; d: string }>;
  for (const p of stalePrices) {
    const age = daysBetween(p.d, opts.today);
    if (age > FRESH_DAYS.prices) out.push({ check: 'stale', severity: 'warning', series: `prices.${p.ticker}`, first_date: p.d, last_date: p.d, value: age, detail: `newest close is ${p.d}, ${age} days old` });
  }

  // Source disagreement (the secondary source vs the primary one).
  const limits: Record<string, number> = { hashrate_ehs: opts.hashrateDisagreementPct ?? 15, difficulty: opts.difficultyDisagreementPct ?? 1 };
  const diffs = sqlite.prepare('select * from network_source_comparison order by date, metric').all() as Array<{ date: string; metric: string; primary_source: string; primary_value: number; other_source: string; other_value: number; diff_pct: number }>;
  for (const d of diffs) {
    if (Math.abs(d.diff_pct) <= (limits[d.metric] ?? Infinity)) continue;
    out.push({
      check: 'disagreement',
      severity: 'warning',
      series: d.metric,
      first_date: d.date,
      last_date: d.date,
      value: d.diff_pct,
      detail: `${d.primary_source} ${d.primary_value.toPrecision(6)} vs ${d.other_source} ${d.other_value.toPrecision(6)} (${d.diff_pct >= 0 ? '+' : ''}${d.diff_pct.toFixed(2)}%)`,
    });
  }

  // Price sources of one ticker and day (both closes as traded): each pair, the preferred source first. A gap
  // here is a bad tick, a missed split event when un-adjusting Nasdaq/Stooq, or a wrong symbol mapping.
  const pricePct = opts.priceDisagreementPct ?? 1;
  const pairs = sqlite
    .prepare(
      `with p as (select ticker, date, source, close_usd, ${PRICE_SOURCE_RANK} as rk from equity_prices_daily)
       select a.ticker, a.date, a.source as primary_source, a.close_usd as primary_value, b.source as other_source, b.close_usd as other_value,
         (b.close_usd / a.close_usd - 1) * 100 as diff_pct
       from p a join p b on b.ticker = a.ticker and b.date = a.date and (b.rk > a.rk or (b.rk = a.rk and b.source > a.source))
       where a.close_usd > 0 and abs(b.close_usd / a.close_usd - 1) * 100 > ?
       order by a.ticker, a.date, a.rk, b.rk`,
    )
    .all(pricePct) as Array<{ ticker: string; date: string; primary_source: string; primary_value: number; other_source: string; other_value: number; diff_pct: number }>;
  for (const d of pairs) {
    out.push({
      check: 'disagreement',
      severity: 'warning',
      series: `prices.${d.ticker}`,
      first_date: d.date,
      last_date: d.date,
      value: d.diff_pct,
      detail: `${d.ticker} close ${d.primary_source} ${d.primary_value.toPrecision(6)} vs ${d.other_source} ${d.other_value.toPrecision(6)} (${d.diff_pct >= 0 ? '+' : ''}${d.diff_pct.toFixed(2)}%)`,
    });
  }

  // Production updates read without confidence (a figure missing or said two ways) and not yet entered by hand.
  for (const u of unresolvedUnparsed(sqlite)) {
    out.push({
      check: 'unparsed',
      severity: 'warning',
      series: `operations.${u.ticker}`,
      first_date: u.filed,
      last_date: u.filed,
      value: null,
      detail: `${u.accession}${u.month ? ` (${u.month})` : ''} unparsed: ${(u.detail ?? '').split(' | ')[0]} — enter the month in data/operations.csv (${u.document_url ?? 'no document'})`,
    });
  }
  return out;
}

/** Replaces the stored findings with this run's, in one transaction. */
export function storeFindings(sqlite: Sqlite, findings: readonly Finding[], now: Date): void {
  const ins = sqlite.prepare('insert into check_findings (checked_at, check_name, severity, series, first_date, last_date, value, detail) values (?, ?, ?, ?, ?, ?, ?, ?)');
  sqlite.transaction(() => {
    sqlite.prepare('delete from check_findings').run();
    for (const f of findings) ins.run(now.toISOString(), f.check, f.severity, f.series, f.first_date, f.last_date, f.value, f.detail);
  })();
}
