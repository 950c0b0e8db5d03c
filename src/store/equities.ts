// Idempotent upserts of equity rows (closes, splits, share counts, the universe) and the monthly refresh.
import type { Sqlite } from '../db/sqlite.js';
import { type Ticker, tickerPeriods } from '../universe.js';
import { refreshReportTables, rewriteFromView } from './materialise.js';
import { writeTransaction } from './transaction.js';

export interface CloseRow {
  readonly date: string;
  readonly close_usd: number;
  readonly volume: number | null;
}
export interface SplitRow {
  readonly date: string;
  readonly numerator: number;
  readonly denominator: number;
}
export interface SharesRowIn {
  readonly as_of: string;
  readonly shares: number;
  readonly accession?: string | null;
  readonly form?: string | null;
  readonly filed?: string | null;
  readonly note?: string | null;
}

export function upsertCloses(
  sqlite: Sqlite,
  ticker: string,
  source: string,
  rows: readonly CloseRow[],
  splits: readonly SplitRow[] = [],
): number {
  const close = sqlite.prepare(
    `insert into equity_prices_daily (ticker, date, source, close_usd, volume) values (?, ?, ?, ?, ?)
     on conflict (ticker, date, source) do update set close_usd = excluded.close_usd, volume = excluded.volume`,
  );
  const split = sqlite.prepare(
    `insert into equity_splits (ticker, date, numerator, denominator, source) values (?, ?, ?, ?, ?)
     on conflict (ticker, date) do update set numerator = excluded.numerator, denominator = excluded.denominator, source = excluded.source`,
  );
  writeTransaction(sqlite, () => {
    for (const r of rows) close.run(ticker, r.date, source, r.close_usd, r.volume);
    for (const s of splits) split.run(ticker, s.date, s.numerator, s.denominator, source);
  });
  return rows.length + splits.length;
}

/**
 * Closes from a source that carries no volume (Yahoo's spark): a day already stored keeps its volume; a new day
 * has none. Returns the rows written.
 */
export function upsertClosesKeepingVolume(
  sqlite: Sqlite,
  ticker: string,
  source: string,
  rows: ReadonlyArray<{ readonly date: string; readonly close_usd: number }>,
): number {
  const close = sqlite.prepare(
    `insert into equity_prices_daily (ticker, date, source, close_usd, volume) values (?, ?, ?, ?, null)
     on conflict (ticker, date, source) do update set close_usd = excluded.close_usd`,
  );
  writeTransaction(sqlite, () => {
    for (const r of rows) close.run(ticker, r.date, source, r.close_usd);
  });
  return rows.length;
}

/** One source's stored closes of a ticker from `from` on, by date. */
export function storedCloses(sqlite: Sqlite, ticker: string, source: string, from: string): Map<string, number> {
  const rows = sqlite
    .prepare('select date, close_usd from equity_prices_daily where ticker = ? and source = ? and date >= ?')
    .all(ticker, source, from) as Array<{ date: string; close_usd: number }>;
  return new Map(rows.map((r) => [r.date, r.close_usd]));
}

/** Replaces one source's share counts for a ticker (a re-fetch is the whole history; overrides are the file). */
export function replaceShares(
  sqlite: Sqlite,
  ticker: string,
  source: 'sec' | 'sec-cover' | 'override',
  rows: readonly SharesRowIn[],
): number {
  const del = sqlite.prepare('delete from shares_outstanding where ticker = ? and source = ?');
  const ins = sqlite.prepare(
    'insert into shares_outstanding (ticker, as_of, source, shares, accession, form, filed, note) values (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  sqlite.transaction(() => {
    del.run(ticker, source);
    for (const r of rows)
      ins.run(ticker, r.as_of, source, r.shares, r.accession ?? null, r.form ?? null, r.filed ?? null, r.note ?? null);
  })();
  return rows.length;
}

/** The note stored with a cover-page count: why it was read. */
export function coverNote(classes: number, crossCheck: boolean): string {
  return crossCheck ? 'cross-check of the XBRL API' : `${classes} class(es) on the cover page`;
}

/** Upserts one cover-page count without dropping older ones (each filing adds one). */
export function upsertCoverShares(sqlite: Sqlite, ticker: string, row: SharesRowIn): number {
  sqlite
    .prepare(
      `insert into shares_outstanding (ticker, as_of, source, shares, accession, form, filed, note) values (?, ?, 'sec-cover', ?, ?, ?, ?, ?)
       on conflict (ticker, as_of, source) do update set shares = excluded.shares, accession = coalesce(excluded.accession, accession),
         form = coalesce(excluded.form, form), filed = coalesce(excluded.filed, filed), note = coalesce(excluded.note, note)`,
    )
    .run(ticker, row.as_of, row.shares, row.accession ?? null, row.form ?? null, row.filed ?? null, row.note ?? null);
  return 1;
}

/** Tables whose rows are keyed by ticker: a former symbol's rows move to the ticker's id (one continuous series). */
const TICKER_TABLES = ['equity_prices_daily', 'equity_splits', 'shares_outstanding'] as const;

/** The universe and universe_periods tables mirror data/universe.json: same rows, nothing else. Rows stored under
 *  a ticker's former symbol (by an older universe file) are re-keyed to the ticker, so its series stays one. */
export function syncUniverse(sqlite: Sqlite, tickers: readonly Ticker[]): void {
  const ins = sqlite.prepare(
    `insert into universe (ticker, name, role, cik, exchange, filer) values (?, ?, ?, ?, ?, ?)
     on conflict (ticker) do update set name = excluded.name, role = excluded.role, cik = excluded.cik, exchange = excluded.exchange, filer = excluded.filer`,
  );
  // The names and roles the report's tables show (report_tickers_monthly.name, operations_monthly.universe_count).
  const shown = sqlite.prepare(
    'select group_concat(ticker || char(31) || name || char(31) || role, char(30)) from (select * from universe order by ticker)',
  );
  sqlite
    .transaction(() => {
      const before = shown.pluck().get();
      const keep = new Set(tickers.map((t) => t.ticker));
      for (const t of sqlite.prepare('select ticker from universe').pluck().all() as string[]) {
        if (!keep.has(t)) sqlite.prepare('delete from universe where ticker = ?').run(t);
      }
      for (const t of tickers) ins.run(t.ticker, t.name, t.role, t.cik ?? null, t.exchange ?? null, t.filer ?? null);
      sqlite.prepare('delete from universe_periods').run();
      const per = sqlite.prepare(
        'insert into universe_periods (ticker, valid_from, valid_to, symbol, name, filer, shares_per_unit) values (?, ?, ?, ?, ?, ?, ?)',
      );
      for (const t of tickers) {
        for (const p of tickerPeriods(t))
          per.run(p.ticker, p.valid_from, p.valid_to, p.symbol, p.name, p.filer, p.shares_per_unit);
        for (const former of new Set((t.symbols ?? []).map((s) => s.symbol).filter((s) => s !== t.ticker))) {
          for (const table of TICKER_TABLES) {
            // A row the ticker already holds for the same key wins; the former symbol's copy is then dropped.
            sqlite.prepare(`update or ignore ${table} set ticker = ? where ticker = ?`).run(t.ticker, former);
            sqlite.prepare(`delete from ${table} where ticker = ?`).run(former);
          }
        }
      }
      if (shown.pluck().get() !== before) refreshReportTables(sqlite);
    })
    .immediate(); // IMMEDIATE: reads the stored tickers before it writes
}

export function newestCloseDate(sqlite: Sqlite, ticker: string): string | null {
  return (
    (sqlite.prepare('select max(date) from equity_prices_daily where ticker = ?').pluck().get(ticker) as
      | string
      | null) ?? null
  );
}

export function storedSplits(sqlite: Sqlite, ticker: string): SplitRow[] {
  return sqlite
    .prepare('select date, numerator, denominator from equity_splits where ticker = ? order by date')
    .all(ticker) as SplitRow[];
}

/** Sources whose answers list split events (Yahoo's `events.splits`, Tiingo's `splitFactor`). */
export const SPLIT_AWARE_SOURCES = ['yahoo', 'tiingo'] as const;

/**
 * The newest close a split-aware source stored for the ticker: split events are known up to about that day, so
 * a split-adjusted series (Nasdaq, Stooq) can be un-adjusted correctly only if no split happened after it.
 */
export function splitsKnownThrough(sqlite: Sqlite, ticker: string): string | null {
  return (
    (sqlite
      .prepare(
        `select max(date) from equity_prices_daily where ticker = ? and source in (${SPLIT_AWARE_SOURCES.map(() => '?').join(', ')})`,
      )
      .pluck()
      .get(ticker, ...SPLIT_AWARE_SOURCES) as string | null) ?? null
  );
}

/** Rewrites equity_monthly then sector_monthly from their live views, and the report's tables that read them, in
 *  one transaction. */
export function refreshEquityMonthly(sqlite: Sqlite): number {
  return sqlite
    .transaction(() => {
      rewriteFromView(sqlite, 'equity_monthly', 'equity_monthly_live');
      const months = rewriteFromView(sqlite, 'sector_monthly', 'sector_monthly_live');
      refreshReportTables(sqlite);
      return months;
    })
    .immediate(); // IMMEDIATE: reads before it writes (see refreshNetworkMonthly)
}
