// The daemon: one per database file; schedules every job with node-cron (UTC), never overlaps a job with
// itself, catches up at start from the run ledger, and shuts down cleanly on SIGTERM/SIGINT. Where a run executes is
// the runner's business (src/daemon/job-runner.ts): in this thread by default, in a child process per run for
// `hashpulse daemon`.
import { EventEmitter } from 'node:events';
import cron, { type ScheduledTask } from 'node-cron';
import type { Context } from '../context.js';
import { ConfigError, describeError } from '../errors.js';
import type { JobDefinition, RunSummary, Trigger } from '../pipeline/job.js';
import { storeAssumptionsInForce } from '../store/economics.js';
import { failInterruptedRuns, lastRun, recordSkipped } from '../store/ledger.js';
import { acquireDaemonLock, HEARTBEAT_MS, heartbeat, releaseDaemonLock } from '../store/lock.js';
import { inProcessRunner, type JobRunner } from './job-runner.js';

export interface DaemonOptions {
  readonly jobs: readonly JobDefinition[];
  /** How long a running job may take to finish after SIGTERM before we close anyway. */
  readonly shutdownGraceMs?: number;
  readonly catchUp?: boolean;
  /** Where runs execute: in this thread on the daemon's context (the default), or childProcessRunner. */
  readonly runner?: JobRunner;
}

export interface DaemonEvents {
  'run:finished': [RunSummary];
  'run:skipped': [{ job: string; reason: string }];
  stopped: [];
}

export function resolveSchedule(job: JobDefinition, overrides: Readonly<Record<string, string>>): string {
  const expr = overrides[job.name] ?? job.schedule;
  if (!cron.validate(expr)) {
    throw new ConfigError(
      `HASHPULSE_SCHEDULE_${job.name.toUpperCase()}`,
      expr,
      `not a valid cron expression for job "${job.name}"`,
    );
  }
  return expr;
}

export class Daemon extends EventEmitter<DaemonEvents> {
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly running = new Map<string, Promise<RunSummary | undefined>>();
  private heartbeatTimer?: NodeJS.Timeout;
  private stopping = false;
  private readonly runner: JobRunner;

  constructor(
    private readonly ctx: Context,
    private readonly opts: DaemonOptions,
  ) {
    super();
    this.runner = opts.runner ?? inProcessRunner(ctx);
  }

  /** Takes the lock, validates schedules, marks interrupted runs, schedules jobs, runs catch-up. */
  async start(): Promise<void> {
    const schedules = this.opts.jobs.map((j) => [j, resolveSchedule(j, this.ctx.config.schedules)] as const);
    acquireDaemonLock(this.ctx.sqlite, this.ctx.config.dbPath, this.ctx.clock.now());
    this.heartbeatTimer = setInterval(() => {
      // A job process's write transaction can outlast the busy timeout: a missed beat is not worth a crash.
      try {
        heartbeat(this.ctx.sqlite, this.ctx.clock.now());
      } catch (err) {
        this.ctx.log.warn({ err }, `heartbeat not written: ${describeError(err)}`);
      }
    }, HEARTBEAT_MS);
    this.heartbeatTimer.unref();
    // Runs left 'running' by a crashed process never finished: say so in the ledger.
    const interrupted = failInterruptedRuns(this.ctx.sqlite, this.ctx.clock.now());
    if (interrupted > 0)
      this.ctx.log.warn(
        { runs: interrupted },
        `${interrupted} run(s) left 'running' by a stopped process marked failed`,
      );
    // The economics assumptions in force, for report_monthly in SQL (again after every job: see runJob).
    try {
      if (storeAssumptionsInForce(this.ctx.sqlite, this.ctx.config))
        this.ctx.log.info('economics assumptions stored for report_monthly');
    } catch (err) {
      this.ctx.log.warn({ err }, `economics assumptions not stored: ${describeError(err)}`);
    }
    for (const [job, expr] of schedules) {
      const task = cron.schedule(expr, () => void this.trigger(job, 'schedule'), { timezone: 'UTC', name: job.name });
      this.tasks.set(job.name, task);
      this.ctx.log.info(
        { job: job.name, schedule: expr, next: task.getNextRun()?.toISOString() },
        `scheduled ${job.name} at "${expr}" UTC`,
      );
    }
    if (this.opts.catchUp !== false) await this.catchUp();
  }

  /** A job whose last success is older than its max age (or that never succeeded) runs now, in order. */
  async catchUp(): Promise<void> {
    for (const job of this.opts.jobs) {
      if (this.stopping) return;
      const last = lastRun(this.ctx.sqlite, job.name, 'ok');
      const ageH = last ? (this.ctx.clock.now().getTime() - Date.parse(last.started_at)) / 3_600_000 : Infinity;
      if (ageH > job.maxAgeHours) {
        this.ctx.log.info(
          { job: job.name, lastOk: last?.started_at ?? null },
          `catch-up: ${job.name} last succeeded ${last ? `${ageH.toFixed(1)} h ago` : 'never'}; running now`,
        );
        await this.trigger(job, 'catch-up');
      }
    }
  }

  /** Runs a job unless it is already running (then the tick is skipped and recorded). */
  async trigger(job: JobDefinition, trigger: Trigger): Promise<RunSummary | undefined> {
    if (this.stopping) return undefined;
    if (this.running.has(job.name)) {
      const reason = `previous ${job.name} run still in progress; ${trigger} tick skipped`;
      this.ctx.log.warn({ job: job.name }, reason);
      try {
        recordSkipped(this.ctx.sqlite, job.name, trigger, reason, this.ctx.clock.now());
      } catch (err) {
        this.ctx.log.warn({ job: job.name, err }, `skipped tick not recorded: ${describeError(err)}`);
      }
      this.emit('run:skipped', { job: job.name, reason });
      return undefined;
    }
    const p = this.runner
      .run(job, trigger)
      .then((report) => {
        this.emit('run:finished', report);
        return report;
      })
      .catch((err: unknown) => {
        this.ctx.log.error({ job: job.name, err }, `job ${job.name} crashed: ${describeError(err)}`);
        return undefined;
      })
      .finally(() => this.running.delete(job.name));
    this.running.set(job.name, p);
    return p;
  }

  /** No new runs; waits for running jobs up to the grace period; releases the lock. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const t of this.tasks.values()) await t.destroy();
    this.tasks.clear();
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    // The safe point: no request is sent or retried from now on. A running job still writes what it already
    // fetched (each write is one synchronous transaction) and records the rest as failed, then ends.
    this.ctx.http.abort();
    this.runner.abort();
    const grace = this.opts.shutdownGraceMs ?? 30_000;
    if (this.running.size > 0) {
      this.ctx.log.info({ jobs: [...this.running.keys()], graceMs: grace }, 'waiting for running jobs to finish');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), grace)));
      const done = await Promise.race([Promise.all(this.running.values()).then(() => 'done' as const), timeout]);
      if (timer) clearTimeout(timer);
      if (done === 'timeout') {
        this.ctx.log.warn('running jobs did not finish within the grace period; their open transactions roll back');
        this.runner.kill();
      }
    }
    releaseDaemonLock(this.ctx.sqlite);
    this.emit('stopped');
  }
}
