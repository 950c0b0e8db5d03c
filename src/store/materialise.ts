// Materialised monthly tables: rewritten from their live views with an explicit column list, never `select *`,
// so a column added to a view anywhere but last cannot shift values into the wrong columns.
import type { Sqlite } from '../db/sqlite.js';

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
