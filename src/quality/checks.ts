// Data-quality checks over the stored rows: gaps, implausible values, impossible retargets, unexplained equity
// jumps, source disagreement and stale series. Pure reads; `storeFindings` replaces the stored set.
import type { SourceComparisonView } from '../db/schema.js';
import type { Sqlite } from '../db/sqlite.js';
import { NETWORK_SERIES } from '../pipeline/network.js';
import { DAILY_TABLES, type DailyTable } from '../store/network.js';
import { unresolvedUnparsed } from '../store/operations.js';
import { addDays, daysBetween, type IsoDate } from '../time.js';

export type Severity = 'error' | 'warning';

/** Blocks between two difficulty retargets. */
const RETARGET_INTERVAL = 2016;

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
  /** Two sources of the BTC price, or two price sources of a ticker's close, differing by more than this (percent)
   *  on a day is flagged. */
  readonly priceDisagreementPct?: number;
  /** A daily close moving more than this (percent) without a split is flagged. */
  readonly jumpPct?: number;
}

/** Price sources in the order the chain asks them (src/pipeline/equities.ts); the first is the "primary" of a pair. */
const PRICE_SOURCE_RANK = `case source when 'yahoo' then 0 when 'nasdaq' then 1 when 'stooq' then 2 when 'tiingo' then 3 else 4 end`;

/** How old (in days) a series' newest row may be and still count as fresh: one rule for check and status. */
export const FRESH_DAYS = { network: 2, retargets: 20, prices: 5, sharesQuarterly: 200, sharesAnnual: 400 } as const;

/** The daily network series: label (the series id), table, value column and the sources of its chain, primary
 *  first. Gaps, bounds and staleness are those of the figure: a day any of its sources has is not a gap. */
export const DAILY_SERIES: ReadonlyArray<{
  label: string;
  table: DailyTable;
  column: string;
  sources: readonly string[];
}> = NETWORK_SERIES.map((s) => ({
  label: s.id,
  table: s.table,
  column: DAILY_TABLES[s.table],
  sources: [...new Set(s.chain.map((l) => l.source))],
}));

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
  for (const { label, table, column, sources } of DAILY_SERIES) {
    const inSources = `source in (${sources.map(() => '?').join(', ')})`;
    // Gaps: runs of missing days between the first and last stored day, found in SQL (one row per gap, not one
    // string per stored day); julianday's whole days are daysBetween's for the ISO dates stored.
    const newest = sqlite
      .prepare(`select max(date) from ${table} where ${inSources}`)
      .pluck()
      .get(...sources) as string | null;
    if (newest === null) continue;
    const gaps = sqlite
      .prepare(
        `select prev, date, cast(round(julianday(date) - julianday(prev)) as integer) - 1 as gap from (
           select date, lag(date) over (order by date) as prev from (select distinct date from ${table} where ${inSources})
         ) where prev is not null and round(julianday(date) - julianday(prev)) > 1 order by date`,
      )
      .all(...sources) as Array<{ prev: string; date: string; gap: number }>;
    for (const g of gaps) {
      out.push({
        check: 'gap',
        severity: 'warning',
        series: label,
        first_date: addDays(g.prev, 1),
        last_date: addDays(g.date, -1),
        value: g.gap,
        detail: `${g.gap} day(s) with no ${column}`,
      });
    }
    const [lo, hi, what] = MODERN_BOUNDS[column]!;
    const bad = sqlite
      .prepare(
        `select date, source, ${column} as v from ${table} where ${inSources} and date >= '2019-01-01' and (${column} < ? or ${column} > ?) order by date, source`,
      )
      .all(...sources, lo, hi) as Array<{ date: string; source: string; v: number }>;
    for (const b of bad) {
      const from = b.source === sources[0] ? '' : ` (from ${b.source})`;
      out.push({
        check: 'bounds',
        severity: 'error',
        series: label,
        first_date: b.date,
        last_date: b.date,
        value: b.v,
        detail: `${what} ${b.v} outside ${lo}..${hi}${from}`,
      });
    }
    const age = daysBetween(newest, opts.today);
    if (age > FRESH_DAYS.network)
      out.push({
        check: 'stale',
        severity: 'warning',
        series: label,
        first_date: newest,
        last_date: newest,
        value: age,
        detail: `newest day is ${newest}, ${age} days old`,
      });
  }

  // Retargets: each within the protocol's x4 / ÷4 of the previous one, per 2,016-block period between them (a
  // gap in the stored list, or 2009, when difficulty stayed at 1 and mempool wrote no rows). The genesis row
  // (height 0) is not a retarget: nothing is compared with it.
  const retargets = sqlite
    .prepare('select height, date, difficulty from difficulty_retargets where height > 0 order by height')
    .all() as Array<{ height: number; date: string; difficulty: number }>;
  for (let i = 1; i < retargets.length; i++) {
    const ratio = retargets[i]!.difficulty / retargets[i - 1]!.difficulty;
    const periods = Math.max(1, Math.ceil((retargets[i]!.height - retargets[i - 1]!.height) / RETARGET_INTERVAL));
    if (Math.abs(Math.log(ratio)) > periods * Math.log(4) + 1e-9) {
      const bound = periods === 1 ? 'x4 / ÷4' : `x4 / ÷4 per period over ${periods} periods`;
      out.push({
        check: 'retarget',
        severity: 'error',
        series: 'mempool.difficulty-adjustments',
        first_date: retargets[i]!.date,
        last_date: retargets[i]!.date,
        value: ratio,
        detail: `height ${retargets[i]!.height} changes difficulty x${ratio.toFixed(3)}, beyond ${bound}`,
      });
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
    out.push({
      check: 'jump',
      severity: 'warning',
      series: `prices.${m.ticker}`,
      first_date: m.prev_date,
      last_date: m.date,
      value: pct,
      detail: `close ${m.prev_close} → ${m.close_usd} (${pct.toFixed(1)}%) with no split event: check for an ADS ratio change or a bad tick`,
    });
  }
  const stalePrices = sqlite
    .prepare('select ticker, max(date) as d from equity_prices_daily group by ticker')
    .all() as Array<{ ticker: string; d: string }>;
  for (const p of stalePrices) {
    const age = daysBetween(p.d, opts.today);
    if (age > FRESH_DAYS.prices)
      out.push({
        check: 'stale',
        severity: 'warning',
        series: `prices.${p.ticker}`,
        first_date: p.d,
        last_date: p.d,
        value: age,
        detail: `newest close is ${p.d}, ${age} days old`,
      });
  }

  // Source disagreement (the secondary source vs the primary one). BTC price: every other source of a day vs the
  // highest-priority source of that day (blockchain.com, then mempool.space, then Bitstamp).
  const limits: Record<string, number> = {
    hashrate_ehs: opts.hashrateDisagreementPct ?? 15,
    difficulty: opts.difficultyDisagreementPct ?? 1,
    price_usd: opts.priceDisagreementPct ?? 1,
  };
  const diffs = [
    // The thresholds applied in SQL too: most compared days agree, and need no row object.
    ...(sqlite
      .prepare(
        `select * from network_source_comparison
         where (metric = 'hashrate_ehs' and abs(diff_pct) > ?) or (metric = 'difficulty' and abs(diff_pct) > ?)
         order by date, metric`,
      )
      .all(limits.hashrate_ehs, limits.difficulty) as SourceComparisonView[]),
    ...priceComparison(sqlite),
  ].sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0,
  );
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
    .all(pricePct) as Array<{
    ticker: string;
    date: string;
    primary_source: string;
    primary_value: number;
    other_source: string;
    other_value: number;
    diff_pct: number;
  }>;
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

/** BTC price by source on the days two or more sources have one: each other source against the day's first in
 *  chain order. Fallback sources fill the days blockchain.com leaves out, so they overlap it on the days a run
 *  asked them for (and on any day loaded with `backfill --only <source>`). */
function priceComparison(sqlite: Sqlite): SourceComparisonView[] {
  const priority = [
    ...new Set(
      NETWORK_SERIES.filter((s) => s.table === 'btc_price_daily').flatMap((s) =>
        s.chain.map((l) => l.source as string),
      ),
    ),
  ];
  const rows = sqlite
    .prepare(
      'select date, source, price_usd from btc_price_daily where date in (select date from btc_price_daily group by date having count(*) > 1) order by date',
    )
    .all() as Array<{ date: string; source: string; price_usd: number }>;
  const byDate = new Map<string, Array<{ source: string; price_usd: number }>>();
  for (const r of rows) byDate.set(r.date, [...(byDate.get(r.date) ?? []), r]);
  const rank = (src: string) => (priority.includes(src) ? priority.indexOf(src) : priority.length);
  const out = [];
  for (const [date, list] of byDate) {
    const sorted = [...list].sort((a, b) => rank(a.source) - rank(b.source) || (a.source < b.source ? -1 : 1));
    const primary = sorted[0]!;
    if (!(primary.price_usd > 0)) continue;
    for (const o of sorted.slice(1)) {
      out.push({
        date,
        metric: 'price_usd',
        primary_source: primary.source,
        primary_value: primary.price_usd,
        other_source: o.source,
        other_value: o.price_usd,
        diff_pct: (o.price_usd / primary.price_usd - 1) * 100,
      });
    }
  }
  return out;
}

/** Replaces the stored findings with this run's, in one transaction. */
export function storeFindings(sqlite: Sqlite, findings: readonly Finding[], now: Date): void {
  const ins = sqlite.prepare(
    'insert into check_findings (checked_at, check_name, severity, series, first_date, last_date, value, detail) values (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  sqlite.transaction(() => {
    sqlite.prepare('delete from check_findings').run();
    for (const f of findings)
      ins.run(now.toISOString(), f.check, f.severity, f.series, f.first_date, f.last_date, f.value, f.detail);
  })();
}
