// Materialises the monthly figures: network_monthly is rewritten from the live view in one transaction.
import type { Sqlite } from '../db/sqlite.js';
import { rewriteFromView } from './materialise.js';

/** Recomputes every month (MoM and all-time highs depend on history); returns the number of months. */
export function refreshNetworkMonthly(sqlite: Sqlite): number {
  return sqlite.transaction(() => rewriteFromView(sqlite, 'network_monthly', 'network_monthly_live'))();
}
