// The explicit registry of jobs; a test fails if a file in jobs/ is not listed here. A job file declares its name,
// schedule and max age, and loads the code it runs only when it runs: `status` and an idle daemon read the
// declarations without loading the HTTP clients, parsers and zod.
import type { JobDefinition } from '../src/pipeline/job.js';
import { aggregate } from './aggregate.js';
import { equities } from './equities.js';
import { network } from './network.js';
import { operations } from './operations.js';
import { publish } from './publish.js';
import { shares } from './shares.js';

/** In catch-up order: data first, then the monthly figures, then the note made of them. */
export const JOBS: readonly JobDefinition[] = [network, equities, shares, operations, aggregate, publish];

export function findJob(name: string): JobDefinition | undefined {
  return JOBS.find((j) => j.name === name);
}
