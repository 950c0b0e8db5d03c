// Miner operations: the monthly rows (parsed from SEC filings or entered by hand) and the ledger of filings examined.
import type { Sqlite } from '../db/sqlite.js';
import type { OperationsOverride } from '../sources/operations-csv.js';
import type { HashrateBasis } from '../sources/sec-press.js';
import { refreshReportTables } from './materialise.js';
import { writeTransaction } from './transaction.js';

export type OperationsSource = 'sec-8k' | 'sec-6k' | 'override';

export interface OperationsRowIn {
  readonly ticker: string;
  readonly month: string;
  readonly source: OperationsSource;
  readonly btc_produced: number | null;
  readonly hashrate_ehs: number | null;
  readonly hashrate_basis: HashrateBasis | null;
  readonly btc_held: number | null;
  readonly accession: string | null;
  readonly document_url: string | null;
  /** Figure → where it came from (stored as JSON). */
  readonly provenance: Readonly<Record<string, string | null>>;
  readonly status: 'parsed' | 'unparsed';
  readonly filed: string | null;
  readonly note: string | null;
}

export interface FilingCheckedIn {
  readonly ticker: string;
  readonly accession: string;
  readonly form: string;
  readonly filed: string;
  readonly document_url: string | null;
  readonly kind: 'production-update' | 'other' | 'no-exhibit';
  readonly month: string | null;
  readonly status: 'parsed' | 'unparsed' | null;
  readonly detail: string | null;
}

/** Accessions of a ticker's filings already examined: a daily run never fetches them again. */
export function checkedAccessions(sqlite: Sqlite, ticker: string): Set<string> {
  return new Set(
    sqlite.prepare('select accession from sec_operations_filings where ticker = ?').pluck().all(ticker) as string[],
  );
}

/** Writes the examined filings and their monthly rows (one ticker's chunk); a later filing of the same month and
 *  form replaces the earlier one's row. Returns the monthly rows written. */
export function storeOperationsFilings(
  sqlite: Sqlite,
  filings: readonly FilingCheckedIn[],
  rows: readonly OperationsRowIn[],
): number {
  // No timestamp: re-running a backfill gives identical tables (job_runs says when each run happened).
  const ledger = sqlite.prepare(
    `insert into sec_operations_filings (ticker, accession, form, filed, document_url, kind, month, status, detail) values (?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (ticker, accession) do update set form = excluded.form, filed = excluded.filed, document_url = excluded.document_url, kind = excluded.kind,
       month = excluded.month, status = excluded.status, detail = excluded.detail`,
  );
  const up = upsertStatement(sqlite);
  writeTransaction(sqlite, () => {
    for (const f of filings)
      ledger.run(f.ticker, f.accession, f.form, f.filed, f.document_url, f.kind, f.month, f.status, f.detail);
    for (const r of rows) up(r);
    if (rows.length > 0) refreshReportTables(sqlite); // operations_* and report_monthly read these rows
  });
  return rows.length;
}

/** The overrides file is the whole truth of source 'override': its rows replace the stored ones. */
export function replaceOperationsOverrides(sqlite: Sqlite, rows: readonly OperationsOverride[]): number {
  const up = upsertStatement(sqlite);
  sqlite.transaction(() => {
    sqlite.prepare("delete from miner_operations_monthly where source = 'override'").run();
    for (const r of rows) {
      up({
        ticker: r.ticker,
        month: r.month,
        source: 'override',
        btc_produced: r.btc_produced,
        hashrate_ehs: r.hashrate_ehs,
        hashrate_basis: r.hashrate_basis,
        btc_held: r.btc_held,
        accession: null,
        document_url: null,
        provenance: { entered_at: r.line },
        status: 'parsed',
        filed: null,
        note: r.note,
      });
    }
    refreshReportTables(sqlite); // operations_* and report_monthly read these rows
  })();
  return rows.length;
}

function upsertStatement(sqlite: Sqlite): (r: OperationsRowIn) => void {
  const st = sqlite.prepare(
    `insert into miner_operations_monthly (ticker, month, source, btc_produced, hashrate_ehs, hashrate_basis, btc_held, accession, document_url, provenance, status, filed, note)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (ticker, month, source) do update set btc_produced = excluded.btc_produced, hashrate_ehs = excluded.hashrate_ehs,
       hashrate_basis = excluded.hashrate_basis, btc_held = excluded.btc_held, accession = excluded.accession, document_url = excluded.document_url,
       provenance = excluded.provenance, status = excluded.status, filed = excluded.filed, note = excluded.note`,
  );
  return (r) => {
    st.run(
      r.ticker,
      r.month,
      r.source,
      r.btc_produced,
      r.hashrate_ehs,
      r.hashrate_basis,
      r.btc_held,
      r.accession,
      r.document_url,
      JSON.stringify(r.provenance),
      r.status,
      r.filed,
      r.note,
    );
  };
}

export interface UnparsedFiling {
  readonly ticker: string;
  readonly accession: string;
  readonly filed: string;
  readonly month: string | null;
  readonly document_url: string | null;
  readonly detail: string | null;
}

/**
 * Production updates the parser could not read with confidence and that no hand entry covers yet (a row in
 * data/operations.csv for the month — or, when the release named no month, for the month before the filing).
 */
export function unresolvedUnparsed(sqlite: Sqlite): UnparsedFiling[] {
  return sqlite
    .prepare(
      `select f.ticker, f.accession, f.filed, f.month, f.document_url, f.detail from sec_operations_filings f
       where f.kind = 'production-update' and f.status = 'unparsed'
         and not exists (select 1 from miner_operations_monthly o where o.ticker = f.ticker and o.source = 'override'
           and o.month = coalesce(f.month, strftime('%Y-%m', f.filed, 'start of month', '-1 month')))
       order by f.filed, f.ticker`,
    )
    .all() as UnparsedFiling[];
}
