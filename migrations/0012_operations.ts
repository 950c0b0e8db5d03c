// 0012: miner operations (issue 11) — each miner's monthly bitcoin produced, hashrate and bitcoin held, from its
// production update on EDGAR or entered by hand, and the ledger of the filings examined (a daily run fetches only
// filings it has not seen). 0011 is another change's number.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('miner_operations_monthly')
    .addColumn('ticker', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull()) // YYYY-MM
    .addColumn('source', 'text', (c) => c.notNull()) // sec-8k, sec-6k, override
    .addColumn('btc_produced', 'real')
    .addColumn('hashrate_ehs', 'real')
    .addColumn('hashrate_basis', 'text') // operating (month end), average (over the month), installed (capacity)
    .addColumn('btc_held', 'real')
    .addColumn('accession', 'text')
    .addColumn('document_url', 'text')
    .addColumn('provenance', 'text') // JSON: figure → the table cell or sentence it came from
    .addColumn('status', 'text', (c) => c.notNull()) // parsed, unparsed
    .addColumn('filed', 'text') // filing date of the SEC document
    .addColumn('note', 'text') // overrides: the file's note; SEC rows: why a figure is missing
    .addPrimaryKeyConstraint('miner_operations_monthly_pk', ['ticker', 'month', 'source'])
    .execute();
  await db.schema
    .createTable('sec_operations_filings')
    .addColumn('ticker', 'text', (c) => c.notNull())
    .addColumn('accession', 'text', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('filed', 'text', (c) => c.notNull())
    .addColumn('document_url', 'text') // the exhibit read (NULL when the filing has no EX-99.1)
    .addColumn('kind', 'text', (c) => c.notNull()) // production-update, other, no-exhibit
    .addColumn('month', 'text')
    .addColumn('status', 'text') // parsed, unparsed (production updates only)
    .addColumn('detail', 'text') // why a figure is missing, or why the filing is not an update
    .addPrimaryKeyConstraint('sec_operations_filings_pk', ['ticker', 'accession'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sec_operations_filings').ifExists().execute();
  await db.schema.dropTable('miner_operations_monthly').ifExists().execute();
}
