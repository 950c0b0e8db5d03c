// The run ledger (job_runs): one row per run, manual or scheduled, written before and after the work.
import type { Db } from '../db/connection.js';
import type { JobStatus } from '../db/schema.js';

export interface RunOutcome {
  readonly status: Exclude<JobStatus, 'running'>;
  readonly rowsWritten: number;
  readonly requests: number;
  readonly error?: string | null;
}

export async function startRun(db: Db, job: string, trigger: string, params: unknown, now: Date): Promise<number> {
  const r = await db
    .insertInto('job_runs')
    .values({ job, trigger, started_at: now.toISOString(), finished_at: null, status: 'running', error: null, params: params === undefined ? null : JSON.stringify(params) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function finishRun(db: Db, id: number, outcome: RunOutcome, now: Date): Promise<void> {
  await db
    .updateTable('job_runs')
    .set({
      finished_at: now.toISOString(),
      status: outcome.status,
      rows_written: outcome.rowsWritten,
      requests: outcome.requests,
      error: outcome.error ?? null,
    })
    .where('id', '=', id)
    .execute();
}

export async function recordSkipped(db: Db, job: string, trigger: string, reason: string, now: Date): Promise<void> {
  await db
    .insertInto('job_runs')
    .values({ job, trigger, started_at: now.toISOString(), finished_at: now.toISOString(), status: 'skipped', error: reason, params: null })
    .execute();
}

export async function lastRun(db: Db, job: string, status?: JobStatus) {
  let q = db.selectFrom('job_runs').selectAll().where('job', '=', job);
  if (status) q = q.where('status', '=', status);
  return q.orderBy('id', 'desc').limit(1).executeTakeFirst();
}
