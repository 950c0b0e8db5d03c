// The run ledger (job_runs): one row per run, manual or scheduled, written before and after the work.
import os from 'node:os';
import type { JobRunTable, JobStatus } from '../db/schema.js';
import type { Sqlite } from '../db/sqlite.js';

export interface RunOutcome {
  readonly status: Exclude<JobStatus, 'running'>;
  readonly rowsWritten: number;
  readonly requests: number;
  readonly error?: string | null;
}

export type JobRun = Omit<JobRunTable, 'id' | 'rows_written' | 'requests'> & {
  id: number;
  rows_written: number;
  requests: number;
};

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Records the start of a run, or returns the holder when the same job is already running in a live process
 * (the daemon and a manual `hashpulse run` must not overlap). Check and insert share one IMMEDIATE transaction.
 */
export function startRun(
  sqlite: Sqlite,
  job: string,
  trigger: string,
  params: unknown,
  now: Date,
): { id: number } | { busy: { pid: number; startedAt: string } } {
  const host = os.hostname();
  return sqlite
    .transaction(() => {
      const holders = sqlite
        .prepare("select pid, hostname, started_at from job_runs where job = ? and status = 'running'")
        .all(job) as Array<{ pid: number | null; hostname: string | null; started_at: string }>;
      for (const h of holders) {
        if (h.pid !== null && h.hostname === host && h.pid !== process.pid && processAlive(h.pid))
          return { busy: { pid: h.pid, startedAt: h.started_at } };
      }
      const r = sqlite
        .prepare(
          "insert into job_runs (job, trigger, started_at, status, params, pid, hostname) values (?, ?, ?, 'running', ?, ?, ?)",
        )
        .run(job, trigger, now.toISOString(), params === undefined ? null : JSON.stringify(params), process.pid, host);
      return { id: Number(r.lastInsertRowid) };
    })
    .immediate();
}

export function finishRun(sqlite: Sqlite, id: number, outcome: RunOutcome, now: Date): void {
  sqlite
    .prepare('update job_runs set finished_at = ?, status = ?, rows_written = ?, requests = ?, error = ? where id = ?')
    .run(now.toISOString(), outcome.status, outcome.rowsWritten, outcome.requests, outcome.error ?? null, id);
}

export function recordSkipped(sqlite: Sqlite, job: string, trigger: string, reason: string, now: Date): void {
  sqlite
    .prepare(
      "insert into job_runs (job, trigger, started_at, finished_at, status, error, pid, hostname) values (?, ?, ?, ?, 'skipped', ?, ?, ?)",
    )
    .run(job, trigger, now.toISOString(), now.toISOString(), reason, process.pid, os.hostname());
}

/** Runs left 'running' by a process that is gone never finished: mark them failed (at daemon start). */
export function failInterruptedRuns(sqlite: Sqlite, now: Date): number {
  const host = os.hostname();
  const rows = sqlite.prepare("select id, pid, hostname from job_runs where status = 'running'").all() as Array<{
    id: number;
    pid: number | null;
    hostname: string | null;
  }>;
  const dead = rows.filter(
    (r) => r.hostname !== host || r.pid === null || (r.pid !== process.pid && !processAlive(r.pid)),
  );
  const stmt = sqlite.prepare(
    "update job_runs set status = 'failed', finished_at = ?, error = 'interrupted: the process stopped before the run finished' where id = ?",
  );
  sqlite.transaction(() => {
    for (const r of dead) stmt.run(now.toISOString(), r.id);
  })();
  return dead.length;
}

export function lastRun(sqlite: Sqlite, job: string, status?: JobStatus): JobRun | undefined {
  return (
    status
      ? sqlite.prepare('select * from job_runs where job = ? and status = ? order by id desc limit 1').get(job, status)
      : sqlite.prepare('select * from job_runs where job = ? order by id desc limit 1').get(job)
  ) as JobRun | undefined;
}
