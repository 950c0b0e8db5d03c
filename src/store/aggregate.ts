// Materialises the monthly figures: network_monthly is rewritten from the live view in one transaction, and the
// report's tables that read it with it.
import type { Sqlite } from '../db/sqlite.js';
import { refreshReportTables, rewriteFromView } from './materialise.js';

/** Recomputes every month (MoM and all-time highs depend on history); returns the number of months. */
export function refreshNetworkMonthly(sqlite: Sqlite): number {
  // IMMEDIATE: the rewrite reads the table's columns first; a deferred transaction that read before writing fails
  // at once with SQLITE_BUSY_SNAPSHOT when another process (the daemon, a backfill) committed in between.
  // The report's tables read network_monthly, the daily tables and the retargets: rewritten in the same transaction.
  return sqlite
    .transaction(() => {
      const months = rewriteFromView(sqlite, 'network_monthly', 'network_monthly_live');
      refreshReportTables(sqlite);
      return months;
    })
    .immediate();
}

/** Every monthly table from its live view (network_monthly, equity_monthly, sector_monthly) and then the report's
 *  tables, once, in one transaction: for the aggregate job and reprocess, which used to refresh the report's tables
 *  after each of the two. Returns the months of network_monthly and of sector_monthly. */
export function refreshAllMonthly(sqlite: Sqlite): { network: number; sector: number } {
  return sqlite
    .transaction(() => {
      const network = rewriteFromView(sqlite, 'network_monthly', 'network_monthly_live');
      rewriteFromView(sqlite, 'equity_monthly', 'equity_monthly_live');
      const sector = rewriteFromView(sqlite, 'sector_monthly', 'sector_monthly_live');
      refreshReportTables(sqlite);
      return { network, sector };
    })
    .immediate(); // IMMEDIATE: reads before it writes (see refreshNetworkMonthly)
}
