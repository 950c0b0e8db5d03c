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
