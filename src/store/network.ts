// Idempotent upserts of network rows. Writes are synchronous better-sqlite3 transactions with prepared
// statements: atomic with respect to the event loop (no other job's write can interleave), short, and ~8x
// faster than building one Kysely query per chunk.
import type { Sqlite } from '../db/sqlite.js';
import type { RetargetRow } from '../sources/mempool.js';
import { writeTransaction } from './transaction.js';

/** Daily tables and their value column (the unit is in the column name). */
export const DAILY_TABLES = {
  hashrate_daily: 'hashrate_ehs',
  difficulty_daily: 'difficulty',
  btc_price_daily: 'price_usd',
  miners_revenue_daily: 'revenue_usd',
  tx_fees_daily: 'fees_btc',
} as const;
export type DailyTable = keyof typeof DAILY_TABLES;

export function upsertDaily(
  sqlite: Sqlite,
  table: DailyTable,
  source: string,
  rows: ReadonlyArray<{ date: string; value: number }>,
): number {
  const column = DAILY_TABLES[table];
  const stmt = sqlite.prepare(
    `insert into ${table} (date, source, ${column}) values (?, ?, ?) on conflict (date, source) do update set ${column} = excluded.${column}`,
  );
  writeTransaction(sqlite, () => {
    for (const r of rows) stmt.run(r.date, source, r.value);
  });
  return rows.length;
}

export function upsertRetargets(sqlite: Sqlite, source: string, rows: readonly RetargetRow[]): number {
  const stmt = sqlite.prepare(
    `insert into difficulty_retargets (height, time_utc, date, difficulty, change_pct, source) values (?, ?, ?, ?, ?, ?)
     on conflict (height) do update set time_utc = excluded.time_utc, date = excluded.date, difficulty = excluded.difficulty,
       change_pct = excluded.change_pct, source = excluded.source`,
  );
  writeTransaction(sqlite, () => {
    for (const r of rows) stmt.run(r.height, r.time_utc, r.date, r.difficulty, r.change_pct, source);
  });
  return rows.length;
}

/** Newest stored date of one daily series, or null when it has none. */
export function newestDate(sqlite: Sqlite, table: DailyTable, source: string): string | null {
  return (
    (sqlite.prepare(`select max(date) from ${table} where source = ?`).pluck().get(source) as string | null) ?? null
  );
}

export function newestRetargetDate(sqlite: Sqlite): string | null {
  return (sqlite.prepare('select max(date) from difficulty_retargets').pluck().get() as string | null) ?? null;
}

/** The newest stored retarget: its height and when it happened (ISO timestamp), or null when none is stored. */
export function newestRetarget(sqlite: Sqlite): { height: number; time_utc: string } | null {
  return (
    (sqlite.prepare('select height, time_utc from difficulty_retargets order by height desc limit 1').get() as
      | { height: number; time_utc: string }
      | undefined) ?? null
  );
}
