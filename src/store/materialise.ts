// Materialised monthly tables: rewritten from their live views with an explicit column list, never `select *`,
// so a column added to a view anywhere but last cannot shift values into the wrong columns.
// The handle's type straight from better-sqlite3: src/db/figures.ts refreshes these tables when it recreates the
// views, and src/db/sqlite.ts imports it, so importing ../db/sqlite.js here would close a cycle.
import type { Database as Sqlite } from 'better-sqlite3';

/** The table's columns, in table order (names only). */
export function tableColumns(sqlite: Sqlite, table: string): string[] {
  return sqlite.prepare(`select name from pragma_table_info(?)`).pluck().all(table) as string[];
}

/** Replaces every row of `table` with the rows of `view`, column by name; returns the rows written. A column of
 *  the table that the view lacks is an SQL error (loud), and the column test keeps the two in step. */
export function rewriteFromView(sqlite: Sqlite, table: string, view: string): number {
  const cols = tableColumns(sqlite, table)
    .map((c) => `"${c}"`)
    .join(', ');
  sqlite.prepare(`delete from ${table}`).run();
  return sqlite.prepare(`insert into ${table} (${cols}) select ${cols} from ${view}`).run().changes;
}

/** The report's tables, in the order they are rewritten: each live view reads the tables before it (operations_monthly_live
 *  reads operations_tickers_monthly, report_monthly_live reads operations_monthly). */
export const REPORT_TABLES = [
  'operations_tickers_monthly',
  'operations_monthly',
  'report_monthly',
  'report_tickers_monthly',
] as const;

/**
 * Rewrites the report's tables from their live views (`<table>_live`). Their inputs are network_monthly,
 * sector_monthly, equity_monthly, the daily network tables, difficulty_retargets, universe, miner_operations_monthly
 * and the economics assumptions; every writer of those calls this inside its own transaction (refreshNetworkMonthly,
 * refreshEquityMonthly, syncUniverse when the universe changed, the operations writers, syncEconomicsAssumptions),
 * so a reader never sees the tables behind their inputs. ~25 ms on a full history.
 */
export function refreshReportTables(sqlite: Sqlite): void {
  for (const table of REPORT_TABLES) rewriteFromView(sqlite, table, `${table}_live`);
}
