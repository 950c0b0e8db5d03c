// Job "shares": shares outstanding from SEC filings (XBRL API, cover pages) and data/shares-overrides.csv.
import type { JobDefinition } from '../src/pipeline/job.js';

export const shares: JobDefinition = {
  name: 'shares',
  description: 'shares outstanding: SEC XBRL API, newest cover pages, and the overrides file',
  schedule: '0 23 * * *',
  maxAgeHours: 26,
  run: async (ctx, params) => (await import('../src/pipeline/shares.js')).ingestShares(ctx, params),
};
