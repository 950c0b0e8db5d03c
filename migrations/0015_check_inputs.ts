// 0015: what `hashpulse check` needs to skip work when nothing changed (issue 12). data_versions holds one counter
// per table the checks read, bumped by triggers on every insert, update and delete of a row, in the writer's own
// transaction (whoever writes: hashpulse, a backfill, a user's sqlite3). check_parts keeps, per part of the checks,
// the findings of the last full computation and the counters (and code fingerprint) it was computed from: a part
// whose counters are unchanged is read back instead of recomputed (src/quality/checks.ts runChecksCached).
import { type Kysely, sql } from 'kysely';

/** The tables the checks read (directly or through network_source_comparison, equity_close_daily and
 *  equity_splits_effective). */
const INPUTS = [
  'hashrate_daily',
  'difficulty_daily',
  'btc_price_daily',
  'miners_revenue_daily',
  'tx_fees_daily',
  'difficulty_retargets',
  'equity_prices_daily',
  'equity_splits',
  'universe',
  'universe_periods',
  'miner_operations_monthly',
  'sec_operations_filings',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  // WITHOUT ROWID: the triggers' update is one B-tree lookup, not an index lookup then a row update (~0.8 µs per row
  // written instead of ~1.25 µs, in a loop of 80,000 upserts).
  await sql`create table data_versions (name text primary key, version integer not null) without rowid`.execute(db);
  for (const t of INPUTS) {
    await sql`insert into data_versions (name, version) values (${t}, 0)`.execute(db);
    for (const op of ['insert', 'update', 'delete'])
      await sql`create trigger ${sql.raw(`${t}_${op}_version`)} after ${sql.raw(op)} on ${sql.raw(t)}
        begin update data_versions set version = version + 1 where name = ${sql.lit(t)}; end`.execute(db);
  }
  await db.schema
    .createTable('check_parts')
    .addColumn('part', 'text', (c) => c.primaryKey()) // 'series:mempool.hashrate', 'retarget', 'jump', …
    .addColumn('inputs', 'text', (c) => c.notNull()) // the counters and code fingerprint it was computed from
    .addColumn('findings', 'text', (c) => c.notNull()) // JSON array of findings, in the order checks lists them
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of INPUTS)
    for (const op of ['insert', 'update', 'delete'])
      await sql`drop trigger if exists ${sql.raw(`${t}_${op}_version`)}`.execute(db);
  await db.schema.dropTable('check_parts').ifExists().execute();
  await db.schema.dropTable('data_versions').ifExists().execute();
}
