// Materialises the monthly figures: network_monthly is rewritten from the live view in one transaction.
import type { Sqlite } from '../db/sqlite.js';
import { rewriteFromView } from './materialise.js';

/** Recomputes every month (MoM and all-time highs depend on history); returns the number of months. */
export function refreshNetworkMonthly(sqlite: Sqlite): number {
  // IMMEDIATE: the rewrite reads the table's columns first; a deferred transaction that read before writing fails
  // at once with SQLITE_BUSY_SNAPSHOT when another process (the daemon, a backfill) committed in between.
  return sqlite.transaction(() => rewriteFromView(sqlite, 'network_monthly', 'network_monthly_live')).immediate();
}
