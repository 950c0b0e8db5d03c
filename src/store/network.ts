// Idempotent upserts of network rows: multi-row INSERT … ON CONFLICT DO UPDATE, one transaction per call.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { RetargetRow } from '../sources/mempool.js';

/** Daily tables and their value column (the unit is in the column name). */
export const DAILY_TABLES = {
  hashrate_daily: 'hashrate_ehs',
  difficulty_daily: 'difficulty',
  btc_price_daily: 'price_usd',
  miners_revenue_daily: 'revenue_usd',
  tx_fees_daily: 'fees_btc',
} as const;
export type DailyTable = keyof typeof DAILY_TABLES;

const CHUNK = 500; // rows per INSERT statement (3 bound values each, well under SQLite's limit)

type Executor = Kysely<Database> | Transaction<Database>;

export async function upsertDaily(
  db: Executor,
  table: DailyTable,
  source: string,
  rows: ReadonlyArray<{ date: string; value: number }>,
): Promise<number> {
  const column = DAILY_TABLES[table];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const values = rows.slice(i, i + CHUNK).map((r) => ({ date: r.date, source, [column]: r.value }));
    await db
      .insertInto(table)
      .values(values as never)
      .onConflict((oc) => oc.columns(['date', 'source']).doUpdateSet({ [column]: (eb: { ref: (c: string) => unknown }) => eb.ref(`excluded.${column}`) } as never))
      .execute();
  }
  return rows.length;
}

export async function upsertRetargets(db: Executor, source: string, rows: readonly RetargetRow[]): Promise<number> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('difficulty_retargets')
      .values(rows.slice(i, i + CHUNK).map((r) => ({ ...r, source })))
      .onConflict((oc) =>
        oc.column('height').doUpdateSet((eb) => ({
          time_utc: eb.ref('excluded.time_utc'),
          date: eb.ref('excluded.date'),
          difficulty: eb.ref('excluded.difficulty'),
          change_pct: eb.ref('excluded.change_pct'),
          source: eb.ref('excluded.source'),
        })),
      )
      .execute();
  }
  return rows.length;
}

/** Newest stored date of one daily series, or null when it has none. */
export async function newestDate(db: Executor, table: DailyTable, source: string): Promise<string | null> {
  const r = await db.selectFrom(table).select((eb) => eb.fn.max('date').as('d')).where('source', '=', source).executeTakeFirst();
  return (r?.d as string | null | undefined) ?? null;
}

export async function retargetCount(db: Executor): Promise<number> {
  const r = await db.selectFrom('difficulty_retargets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function newestRetargetDate(db: Executor): Promise<string | null> {
  const r = await db.selectFrom('difficulty_retargets').select((eb) => eb.fn.max('date').as('d')).executeTakeFirst();
  return (r?.d as string | null | undefined) ?? null;
}
