// 0013: the published monthly notes — one row per month and revision, with the files and their sha256 — and, per
// month not yet published, why not (the gaps) and from when it is published anyway.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('publications')
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull().check(sql`revision >= 1`))
    .addColumn('published_at', 'text', (c) => c.notNull())
    // complete: every check passed; deadline: HASHPULSE_PUBLISH_AFTER_DAYS passed with gaps; forced: publish --force.
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('complete', 'deadline', 'forced')`))
    .addColumn('gaps', 'text', (c) => c.notNull().defaultTo('[]')) // JSON array of sentences, [] when complete
    .addColumn('last_trading_date', 'text', (c) => c.notNull())
    .addColumn('figures_sha256', 'text', (c) => c.notNull()) // of the month's JSON figures and gaps: a change = a new revision
    .addColumn('headline', 'text', (c) => c.notNull()) // the note's sentences, one per line (the webhook's text)
    .addColumn('html_file', 'text', (c) => c.notNull()) // where this revision's files are now (2026-01.html, later 2026-01.r1.html)
    .addColumn('html_sha256', 'text', (c) => c.notNull())
    .addColumn('md_file', 'text', (c) => c.notNull())
    .addColumn('md_sha256', 'text', (c) => c.notNull())
    .addColumn('json_file', 'text', (c) => c.notNull())
    .addColumn('json_sha256', 'text', (c) => c.notNull())
    .addColumn('webhook_state', 'text', (c) =>
      c.notNull().check(sql`webhook_state in ('off', 'pending', 'sent', 'failed')`),
    )
    .addColumn('webhook_at', 'text')
    .addColumn('webhook_error', 'text')
    .addPrimaryKeyConstraint('publications_pk', ['month', 'revision'])
    .execute();
  await db.schema
    .createTable('publication_pending')
    .addColumn('month', 'text', (c) => c.primaryKey())
    .addColumn('checked_at', 'text', (c) => c.notNull())
    .addColumn('gaps', 'text', (c) => c.notNull()) // JSON array of sentences
    .addColumn('publish_after', 'text', (c) => c.notNull()) // the date from which the month is published anyway
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('publication_pending').ifExists().execute();
  await db.schema.dropTable('publications').ifExists().execute();
}
