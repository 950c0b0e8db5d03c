// A deterministic dump of every data table (not the logs: run ledger, chunk ledger, raw archive, check findings and
// the checks' bookkeeping — write counters and stored parts, which count writes, not data), to compare two runs byte
// for byte.
import type BetterSqlite3 from 'better-sqlite3';

/** The tables dumpTables leaves out by default. */
export const NOT_DATA: readonly string[] = [
  'job_runs',
  'daemon_lock',
  'backfill_chunks',
  'raw_payloads',
  'check_findings',
  'check_parts',
  'data_versions',
  'kysely_migration',
  'kysely_migration_lock',
  'figure_versions',
];

export function dumpTables(sqlite: BetterSqlite3.Database, exclude: readonly string[] = NOT_DATA): string {
  const tables = (
    sqlite
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
      .all() as Array<{ name: string }>
  )
    .map((t) => t.name)
    .filter((t) => !exclude.includes(t));
  return tables
    .map((t) => {
      const rows = sqlite.prepare(`select * from "${t}" order by 1, 2`).raw().all();
      return `${t}\n${rows.map((r) => JSON.stringify(r)).join('\n')}`;
    })
    .join('\n');
}

export function countRows(sqlite: BetterSqlite3.Database, table: string, where = '1 = 1'): number {
  return (sqlite.prepare(`select count(*) as n from "${table}" where ${where}`).get() as { n: number }).n;
}
