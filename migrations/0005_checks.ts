// 0005: data-quality findings of the latest `hashpulse check` (also run after every job).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('check_findings')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .addColumn('check_name', 'text', (c) => c.notNull()) // gap, bounds, retarget, jump, disagreement, stale
    .addColumn('severity', 'text', (c) => c.notNull()) // error, warning
    .addColumn('series', 'text', (c) => c.notNull())
    .addColumn('first_date', 'text')
    .addColumn('last_date', 'text')
    .addColumn('value', 'real')
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('check_findings').ifExists().execute();
}
