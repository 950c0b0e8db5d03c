// Materialises the monthly figures: network_monthly is rewritten from the live view in one transaction.
import type { Sqlite } from '../db/sqlite.js';

/** Recomputes every month (MoM and all-time highs depend on history); returns the number of months. */
export function refreshNetworkMonthly(sqlite: Sqlite): number {
  return sqlite.transaction(() => {
    sqlite.prepare('delete from network_monthly').run();
    return sqlite.prepare('insert into network_monthly select * from network_monthly_live').run().changes;
  })();
}
