// A job = name + default schedule + run function; runJob wraps any run (manual or scheduled) in the ledger.
import type { Context } from '../context.js';
import { checkpoint } from '../db/sqlite.js';
import { asError, describeError } from '../errors.js';
import { runChecksCached, storeFindings } from '../quality/checks.js';
import { storeAssumptionsInForce } from '../store/economics.js';
import { finishRun, recordSkipped, startRun } from '../store/ledger.js';
import { pruneArchive } from '../store/raw.js';
import { type IsoDate, type Month, toIsoDate } from '../time.js';
import type { ChunkHooks } from './chunks.js';
import { type ItemResult, summarize } from './result.js';

export interface JobParams {
  readonly from?: IsoDate;
  readonly to?: IsoDate;
  readonly only?: readonly string[];
  /** Set by a backfill: skip committed chunks, mark each chunk in its own transaction, report progress. */
  readonly chunks?: ChunkHooks;
  /** Shares: 'all' refetches every filer's history (a backfill); default only new filings. */
  readonly refresh?: 'all' | 'new-filings';
  /** Publish: only this month (`hashpulse publish --month`), and whether to publish it even with gaps. */
  readonly month?: Month;
  readonly force?: boolean;
}

export interface JobDefinition {
  readonly name: string;
  readonly description: string;
  /** Default cron expression, evaluated in UTC; overridable with HASHPULSE_SCHEDULE_<NAME>. */
  readonly schedule: string;
  /** A job whose last success is older than this is run at daemon start (catch-up after downtime). */
  readonly maxAgeHours: number;
  run(ctx: Context, params: JobParams): Promise<ItemResult[]>;
}

export type Trigger = 'manual' | 'schedule' | 'catch-up' | 'backfill';

export interface RunSummary {
  readonly runId: number | null;
  readonly job: string;
  readonly status: 'ok' | 'failed' | 'skipped';
  readonly rowsWritten: number;
  readonly requests: number;
  readonly durationMs: number;
  readonly results: readonly ItemResult[];
  readonly error: string | null;
}

export async function runJob(
  ctx: Context,
  job: JobDefinition,
  trigger: Trigger,
  params: JobParams = {},
): Promise<RunSummary> {
  const started = Date.now();
  const requestsBefore = ctx.http.requests;
  const { chunks: _hooks, ...recorded } = params;
  const started_ = startRun(ctx.sqlite, job.name, trigger, recorded, ctx.clock.now());
  if ('busy' in started_) {
    const error = `${job.name} is already running in process ${started_.busy.pid} (since ${started_.busy.startedAt}); not started again`;
    recordSkipped(ctx.sqlite, job.name, trigger, error, ctx.clock.now());
    ctx.log.warn({ job: job.name, trigger, holder: started_.busy.pid }, error);
    return {
      runId: null,
      job: job.name,
      status: 'skipped',
      rowsWritten: 0,
      requests: 0,
      durationMs: Date.now() - started,
      results: [],
      error,
    };
  }
  const runId = started_.id;
  let results: ItemResult[] = [];
  let error: string | null = null;
  let crash: Error | undefined;
  try {
    results = await job.run(ctx, params);
  } catch (err) {
    crash = asError(err);
    error = crash.message;
  }
  pruneArchive(ctx.sqlite, ctx.config.rawRetentionDays, ctx.clock.now());
  // Data-quality checks after every run: findings are stored for the operator, they do not fail the run.
  try {
    // Parts whose tables this run did not change are read back from check_parts (same findings as a full run).
    const findings = runChecksCached(ctx.sqlite, { today: toIsoDate(ctx.clock.now()) }, true);
    storeFindings(ctx.sqlite, findings, ctx.clock.now());
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length > 0)
      ctx.log.warn(
        { job: job.name, errors: errors.length, first: errors[0]?.detail },
        `checks after ${job.name}: ${errors.length} error(s), see hashpulse check`,
      );
  } catch (err) {
    ctx.log.warn({ job: job.name, err }, `checks after ${job.name} could not run: ${describeError(err)}`);
  }
  // The economics assumptions in force, stored for report_monthly in SQL (`hashpulse report` only reads them).
  try {
    if (storeAssumptionsInForce(ctx.sqlite, ctx.config))
      ctx.log.info({ job: job.name }, 'economics assumptions changed; stored for report_monthly');
  } catch (err) {
    ctx.log.warn({ job: job.name, err }, `economics assumptions not stored: ${describeError(err)}`);
  }
  const { rows, failed } = summarize(results);
  if (!error && failed.length > 0) error = failed.map((f) => `${f.item}: ${f.error ?? 'failed'}`).join('; ');
  const status = error ? 'failed' : 'ok';
  const requests = ctx.http.requests - requestsBefore;
  finishRun(ctx.sqlite, runId, { status, rowsWritten: rows, requests, error }, ctx.clock.now());
  // A deliberate checkpoint after every job (PASSIVE: it copies what no reader still needs and never waits),
  // rather than leaving it to whichever connection happens to close last (see src/db/sqlite.ts).
  checkpoint(ctx.sqlite, 'PASSIVE');
  const durationMs = Date.now() - started;
  const line = { job: job.name, trigger, runId, status, rows, requests, durationMs };
  if (status === 'ok') ctx.log.info(line, `job ${job.name} ok: ${rows} rows, ${requests} requests, ${durationMs} ms`);
  // A job that threw logs its Error (stack, cause); failed items logged theirs when they failed.
  else ctx.log.error({ ...line, error, ...(crash ? { err: crash } : {}) }, `job ${job.name} failed: ${error}`);
  return { runId, job: job.name, status, rowsWritten: rows, requests, durationMs, results, error };
}
