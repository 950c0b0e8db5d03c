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

/** The thresholds `hashpulse check` uses unless told otherwise (percent). */
export const DEFAULT_THRESHOLDS = {
  hashrateDisagreementPct: 15,
  difficultyDisagreementPct: 1,
  priceDisagreementPct: 1,
  jumpPct: 40,
} as const;

/**
 * One part of the checks: its findings depend only on the rows of `tables` (and the thresholds), so a part whose
 * tables did not change since it was last computed gives the same findings (see runChecksCached). A part with
 * `key` null depends on today's date (staleness) and is always computed; it is cheap (newest dates by index).
 */
interface Part {
  readonly key: string | null;
  readonly tables: readonly string[];
  readonly run: (sqlite: Sqlite, opts: CheckOptions) => Finding[];
}

/** The parts in the order their findings are listed. */
function parts(): Part[] {
  const out: Part[] = [];
  for (const { label, table, column, sources } of DAILY_SERIES) {
    const inSources = `source in (${sources.map(() => '?').join(', ')})`;
    const newest = (sqlite: Sqlite) =>
      sqlite
        .prepare(`select max(date) from ${table} where ${inSources}`)
        .pluck()
        .get(...sources) as string | null;
    out.push({
      key: `series:${label}`,
      tables: [table],
      run: (sqlite) => {
        const found: Finding[] = [];
        if (newest(sqlite) === null) return found;
        // Gaps: runs of missing days between the first and last stored day, found in SQL (one row per gap, not one
        // string per stored day); julianday's whole days are daysBetween's for the ISO dates stored.
        const gaps = sqlite
          .prepare(
            `select prev, date, cast(round(julianday(date) - julianday(prev)) as integer) - 1 as gap from (
               select date, lag(date) over (order by date) as prev from (select distinct date from ${table} where ${inSources})
             ) where prev is not null and round(julianday(date) - julianday(prev)) > 1 order by date`,
          )
          .all(...sources) as Array<{ prev: string; date: string; gap: number }>;
        for (const g of gaps) {
          found.push({
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
          found.push({
            check: 'bounds',
            severity: 'error',
            series: label,
            first_date: b.date,
            last_date: b.date,
            value: b.v,
            detail: `${what} ${b.v} outside ${lo}..${hi}${from}`,
          });
        }
        return found;
      },
    });
    out.push({
      key: null,
      tables: [table],
      run: (sqlite, opts) => {
        const last = newest(sqlite);
        if (last === null) return [];
        const age = daysBetween(last, opts.today);
        if (age <= FRESH_DAYS.network) return [];
        return [
          {
            check: 'stale',
            severity: 'warning',
            series: label,
            first_date: last,
            last_date: last,
            value: age,
            detail: `newest day is ${last}, ${age} days old`,
          },
        ];
      },
    });
  }
  out.push({ key: 'retarget', tables: ['difficulty_retargets'], run: retargetChecks });
  out.push({
    key: 'jump',
    tables: ['equity_prices_daily', 'equity_splits', 'universe', 'universe_periods'],
    run: jumpChecks,
  });
  out.push({ key: null, tables: ['equity_prices_daily'], run: stalePrices });
  out.push({
    key: 'disagreement',
    tables: [...new Set(DAILY_SERIES.map((s) => s.table)), 'difficulty_retargets'],
    run: disagreementChecks,
  });
  out.push({ key: 'price-pairs', tables: ['equity_prices_daily'], run: pricePairChecks });
  out.push({ key: 'unparsed', tables: ['miner_operations_monthly', 'sec_operations_filings'], run: unparsedChecks });
  return out;
}

export function runChecks(sqlite: Sqlite, opts: CheckOptions): Finding[] {
  return parts().flatMap((p) => p.run(sqlite, opts));
}

function retargetChecks(sqlite: Sqlite): Finding[] {
  const out: Finding[] = [];
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
  return out;
}

function jumpChecks(sqlite: Sqlite, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  // Equities: a close moving more than jumpPct in a day with no split between (a bad tick, or a listed-unit change
  // missing from the universe file). Compared per ordinary share, so a declared ADS ratio change is no jump.
  const jump = opts.jumpPct ?? DEFAULT_THRESHOLDS.jumpPct;
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
  return out;
}

function stalePrices(sqlite: Sqlite, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  // Each ticker's newest close, ticker by ticker through the primary key (ticker, date, source): a skip-scan that
  // reads two index entries per ticker, where `group by ticker` read every row (~2-6 ms over the full history).
  const newest = sqlite
    .prepare(
      `with recursive t(ticker) as (
         select min(ticker) from equity_prices_daily
         union all select (select min(ticker) from equity_prices_daily where ticker > t.ticker) from t where t.ticker is not null)
       select ticker, (select max(date) from equity_prices_daily p where p.ticker = t.ticker) as d from t where ticker is not null`,
    )
    .all() as Array<{ ticker: string; d: string }>;
  for (const p of newest) {
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
  return out;
}

function disagreementChecks(sqlite: Sqlite, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  // Source disagreement (the secondary source vs the primary one). BTC price: every other source of a day vs the
  // highest-priority source of that day (blockchain.com, then mempool.space, then Bitstamp).
  const limits: Record<string, number> = {
    hashrate_ehs: opts.hashrateDisagreementPct ?? DEFAULT_THRESHOLDS.hashrateDisagreementPct,
    difficulty: opts.difficultyDisagreementPct ?? DEFAULT_THRESHOLDS.difficultyDisagreementPct,
    price_usd: opts.priceDisagreementPct ?? DEFAULT_THRESHOLDS.priceDisagreementPct,
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
  return out;
}

function pricePairChecks(sqlite: Sqlite, opts: CheckOptions): Finding[] {
  const out: Finding[] = [];
  // Price sources of one ticker and day (both closes as traded): each pair, the preferred source first. A gap
  // here is a bad tick, a missed split event when un-adjusting Nasdaq/Stooq, or a wrong symbol mapping.
  const pricePct = opts.priceDisagreementPct ?? DEFAULT_THRESHOLDS.priceDisagreementPct;
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
  return out;
}

function unparsedChecks(sqlite: Sqlite): Finding[] {
  // Production updates read without confidence (a figure missing or said two ways) and not yet entered by hand.
  return unresolvedUnparsed(sqlite).map((u) => ({
    check: 'unparsed',
    severity: 'warning',
    series: `operations.${u.ticker}`,
    first_date: u.filed,
    last_date: u.filed,
    value: null,
    detail: `${u.accession}${u.month ? ` (${u.month})` : ''} unparsed: ${(u.detail ?? '').split(' | ')[0]} — enter the month in data/operations.csv (${u.document_url ?? 'no document'})`,
  }));
}

/** True when every threshold is the default one (the findings check_parts keeps were computed with these). */
function defaultThresholds(opts: CheckOptions): boolean {
  return (Object.keys(DEFAULT_THRESHOLDS) as Array<keyof typeof DEFAULT_THRESHOLDS>).every(
    (k) => (opts[k] ?? DEFAULT_THRESHOLDS[k]) === DEFAULT_THRESHOLDS[k],
  );
}

/** A finding as check_parts stores it: an array in Finding's key order (a third of the size of the objects, and
 *  quicker to parse: the source comparison alone lists ~4,700 findings over the full history). */
type Stored = [Finding['check'], Severity, string, IsoDate | null, IsoDate | null, number | null, string];

/** Bump when a check's logic changes outside SQL views and the listed constants (the stored parts are then stale). */
const CHECKS_LOGIC_VERSION = 1;

/**
 * runChecks, reusing stored parts: with the default thresholds, a part whose tables' counters (data_versions, bumped
 * by triggers in every writer's transaction) and the code fingerprint (the views' fingerprint, the bounds, the
 * series' sources, CHECKS_LOGIC_VERSION) are those it was stored with gives its stored findings; every other part is
 * computed, and so is staleness (it depends on today). The result equals runChecks's. With `store` (a writer),
 * the parts computed are stored for the next run. Other thresholds compute everything and store nothing.
 */
export function runChecksCached(sqlite: Sqlite, opts: CheckOptions, store = false): Finding[] {
  if (!defaultThresholds(opts)) return runChecks(sqlite, opts);
  const versions = new Map(
    (sqlite.prepare('select name, version from data_versions').raw().all() as Array<[string, number]>).map(
      ([n, v]) => [n, v] as const,
    ),
  );
  // The code the findings came from: the views (their fingerprint), the bounds, the series and their sources. Kept
  // as text, not hashed: a few hundred bytes per part, and no node:crypto to load (~10 ms of `check`'s start-up).
  const code = `${CHECKS_LOGIC_VERSION}|${
    sqlite.prepare("select sha256 from figure_versions where name = '*'").pluck().get() ?? ''
  }|${JSON.stringify(MODERN_BOUNDS)}|${JSON.stringify(DAILY_SERIES)}`;
  const stored = new Map(
    (
      sqlite.prepare('select part, inputs, findings from check_parts').raw().all() as Array<[string, string, string]>
    ).map(([p, i, f]) => [p, { inputs: i, findings: f }] as const),
  );
  const fresh: Array<[string, string, string]> = [];
  const out: Finding[] = [];
  for (const p of parts()) {
    if (p.key === null) {
      out.push(...p.run(sqlite, opts));
      continue;
    }
    const inputs = JSON.stringify([code, Object.fromEntries(p.tables.map((t) => [t, versions.get(t) ?? null]))]);
    const hit = stored.get(p.key);
    if (hit && hit.inputs === inputs) {
      for (const [check, severity, series, first_date, last_date, value, detail] of JSON.parse(
        hit.findings,
      ) as Stored[])
        out.push({ check, severity, series, first_date, last_date, value, detail });
      continue;
    }
    const found = p.run(sqlite, opts);
    out.push(...found);
    // A value JSON cannot carry (±Infinity, NaN) is not stored: that part is computed every time.
    if (store && found.every((f) => f.value === null || Number.isFinite(f.value)))
      fresh.push([
        p.key,
        inputs,
        JSON.stringify(
          found.map((f): Stored => [f.check, f.severity, f.series, f.first_date, f.last_date, f.value, f.detail]),
        ),
      ]);
  }
  if (fresh.length > 0) {
    const put = sqlite.prepare(
      'insert into check_parts (part, inputs, findings) values (?, ?, ?) on conflict (part) do update set inputs = excluded.inputs, findings = excluded.findings',
    );
    sqlite.transaction(() => {
      for (const f of fresh) put.run(...f);
    })();
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
