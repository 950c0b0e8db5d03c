// 0006: the raw archive — every payload fetched, gzipped, so `hashpulse reprocess` can re-parse history offline.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('raw_payloads')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('fetched_at', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('body_gz', 'blob', (c) => c.notNull())
    .addUniqueConstraint('raw_payloads_url_sha', ['url', 'sha256'])
    .execute();
  await db.schema.createIndex('raw_payloads_fetched').on('raw_payloads').columns(['fetched_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('raw_payloads').ifExists().execute();
}
