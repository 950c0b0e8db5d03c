// Batch work returns one result per item (a series, a ticker, a chunk) instead of throwing half-way.
export interface ItemResult {
  readonly item: string;
  readonly status: 'ok' | 'failed' | 'skipped';
  readonly rows: number;
  readonly detail?: string;
  readonly error?: string;
}

export function summarize(results: readonly ItemResult[]): { rows: number; failed: ItemResult[] } {
  return { rows: results.reduce((n, r) => n + r.rows, 0), failed: results.filter((r) => r.status === 'failed') };
}
