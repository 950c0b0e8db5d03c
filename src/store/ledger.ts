// The run ledger (job_runs): one row per run, manual or scheduled, written before and after the work.
import os from 'node:os';
import { sql } from 'kysely';
import type { Db } from '../db/connection.js';
import type { JobStatus } from '../db/schema.js';

export interface RunOutcome {
  readonly status: Exclude<JobStatus, 'running'>;
  readonly rowsWritten: number;
  readonly requests: number;
  readonly error?: string | null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Records the start of a run, or returns the holder when the same job is already running in a live process
 * (the daemon and a manual `hashpulse run` must not overlap). Check and insert share one write transaction.
 */
export async function startRun(
  db: Db,
  job: string,
  trigger: string,
  params: unknown,
  now: Date,
): Promise<{ id: number } | { busy: { pid: number; startedAt: string } }> {
  const host = os.hostname();
  return db.transaction().execute(async (trx) => {
    // Take the write lock first so two processes cannot both see "nobody is running".
    await sql`update job_runs set id = id where 0`.execute(trx);
    const holders = await trx.selectFrom('job_runs').select(['id', 'pid', 'hostname', 'started_at']).where('job', '=', job).where('status', '=', 'running').execute();
    for (const h of holders) {
      if (h.pid !== null && h.hostname === host && h.pid !== process.pid && alive(h.pid)) return { busy: { pid: h.pid, startedAt: h.started_at } };
    }
    const r = await trx
      .insertInto('job_runs')
      .values({ job, trigger, started_at: now.toISOString(), finished_at: null, status: 'running', error: null, params: params === undefined ? null : JSON.stringify(params), pid: process.pid, hostname: host })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: r.id };
  });
}

export async function finishRun(db: Db, id: number, outcome: RunOutcome, now: Date): Promise<void> {
  await db
    .updateTable('job_runs')
    .set({ finished_at: now.toISOString(), status: outcome.status, rows_written: outcome.rowsWritten, requests: outcome.requests, error: outcome.error ?? null })
    .where('id', '=', id)
    .execute();
}

export async function recordSkipped(db: Db, job: string, trigger: string, reason: string, now: Date): Promise<void> {
  await db
    .insertInto('job_runs')
    .values({ job, trigger, started_at: now.toISOString(), finished_at: now.toISOString(), status: 'skipped', error: reason, params: null, pid: process.pid, hostname: os.hostname() })
    .execute();
}

/** Runs left 'running' by a process that is gone never finished: mark them failed (at daemon start). */
export async function failInterruptedRuns(db: Db, now: Date): Promise<number> {
  const host = os.hostname();
  const rows = await db.selectFrom('job_runs').select(['id', 'pid', 'hostname']).where('status', '=', 'running').execute();
  const dead = rows.filter((r) => r.hostname !== host || r.pid === null || !alive(r.pid)).map((r) => r.id);
  if (dead.length === 0) return 0;
  await db
    .updateTable('job_runs')
    .set({ status: 'failed', finished_at: now.toISOString(), error: 'interrupted: the process stopped before the run finished' })
    .where('id', 'in', dead)
    .execute();
  return dead.length;
}

export async function lastRun(db: Db, job: string, status?: JobStatus) {
  let q = db.selectFrom('job_runs').selectAll().where('job', '=', job);
  if (status) q = q.where('status', '=', status);
  return q.orderBy('id', 'desc').limit(1).executeTakeFirst();
}
