// Job "equities": daily closes of every ticker in the universe (Yahoo; Nasdaq, Stooq, Tiingo as fallbacks), after the US close.
import type { JobDefinition } from '../src/pipeline/job.js';

export const equities: JobDefinition = {
  name: 'equities',
  description:
    'daily closes of the miners and the benchmark (Yahoo Finance; Nasdaq, then Stooq and Tiingo when keyed, as fallbacks)',
  // 22:30 UTC, Monday to Friday: after the 16:00 New York close in both winter (21:00 UTC) and summer time.
  schedule: '30 22 * * 1-5',
  // Friday's run is the newest until Monday's: 72 h plus slack, so a weekend is not "stale".
  maxAgeHours: 80,
  run: async (ctx, params) => (await import('../src/pipeline/equities.js')).ingestEquities(ctx, params),
};
