// Batch work returns one result per item (a series, a ticker, a chunk) instead of throwing half-way.
import { asError } from '../errors.js';

export interface ItemResult {
  readonly item: string;
  readonly status: 'ok' | 'failed' | 'skipped';
  readonly rows: number;
  readonly detail?: string;
  /** One line saying what went wrong: what `run` prints and the run ledger (job_runs.error) stores. */
  readonly error?: string;
  /** The Error itself, with its stack and cause: what the logs show (pino's `err` key). */
  readonly err?: Error;
}

/** A failed item: the error's message for the summary and the ledger, the Error itself for the logs. */
export function failedItem(item: string, err: unknown): ItemResult {
  const e = asError(err);
  return { item, status: 'failed', rows: 0, error: e.message, err: e };
}

export function summarize(results: readonly ItemResult[]): { rows: number; failed: ItemResult[] } {
  return { rows: results.reduce((n, r) => n + r.rows, 0), failed: results.filter((r) => r.status === 'failed') };
}
