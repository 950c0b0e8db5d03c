// How the daemon runs a job. In its own thread (inProcessRunner: what tests get by default, with any
// JobDefinition), or — what `hashpulse daemon` does — each run in a short-lived child process
// (childProcessRunner): the job's code (axios, zod, cheerio, the parsers), its heap and the SQLite page cache of its
// connection go back to the system when the run ends, and the daemon's thread keeps its timers, heartbeat and health
// endpoint answering while the job's synchronous SQLite work runs. Both ends of the pipe are here: the daemon's side
// (childProcessRunner) and the job process's side (serveJobProcess, started by src/daemon/job-process.ts).
//
// The child runs the same runJob as every other path (ledger, checks, checkpoint, its log lines) on its own
// connection to the file, with the daemon's configuration, log level and clock. The daemon keeps the lock, the
// heartbeat, the schedules and the no-overlap rule; the child's run row carries the child's pid, so a run cut off by
// a dead job process is marked failed like any interrupted run (failInterruptedRuns).
import { type ChildProcess, fork } from 'node:child_process';
import type { Config } from '../config.js';
import type { Context } from '../context.js';
import { type JobDefinition, type RunSummary, runJob, type Trigger } from '../pipeline/job.js';
import type { ItemResult } from '../pipeline/result.js';
import { failInterruptedRuns } from '../store/ledger.js';

export interface JobRunner {
  run(job: JobDefinition, trigger: Trigger): Promise<RunSummary>;
  /** SIGTERM's safe point: no request is sent or retried from now on by any running job. */
  abort(): void;
  /** The grace period ran out: end every running job now (its open transaction rolls back). */
  kill(): void;
}

/** Jobs run in the daemon's own thread, on its context (any JobDefinition, registered or not). */
export function inProcessRunner(ctx: Context): JobRunner {
  return {
    run: (job, trigger) => runJob(ctx, job, trigger),
    abort: () => ctx.http.abort(),
    kill: () => {},
  };
}

/** Daemon → job process. */
type ToChild =
  | {
      readonly type: 'run';
      readonly job: string;
      readonly trigger: Trigger;
      readonly config: Config;
      readonly logLevel: string;
      /** The daemon's "now" when the run starts (HASHPULSE_NOW runs on from its instant in the child too). */
      readonly nowMs: number;
    }
  | { readonly type: 'abort' };

/** Job process → daemon: the run's summary, and the process's peak resident memory (getrusage ru_maxrss, KB). */
interface FromChild {
  readonly type: 'finished';
  readonly summary: RunSummary;
  readonly maxRssKb: number;
}

export interface ChildProcessRunnerOptions {
  /** The daemon's context: its config, logger (level), clock and database handle (to mark a dead child's run). */
  readonly ctx: Context;
  /** The built job-process entry: dist/src/job-process.js. */
  readonly script: string;
}

/**
 * Each run in a child process (node's fork, V8 serialization over the IPC channel) running one registered job by
 * name (jobs/index.ts). Resolves with the child's RunSummary; rejects when the child ends without one (killed,
 * crashed), after marking its run failed in the ledger.
 */
export function childProcessRunner(o: ChildProcessRunnerOptions): JobRunner {
  const children = new Set<ChildProcess>();
  const send = (child: ChildProcess, m: ToChild) => {
    if (child.connected) child.send(m, () => {}); // a child that is already exiting no longer listens: nothing to do
  };
  return {
    run(job, trigger) {
      return new Promise<RunSummary>((resolve, reject) => {
        const child = fork(o.script, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        children.add(child);
        let finished: FromChild | undefined;
        child.on('message', (m: FromChild) => {
          if (m.type === 'finished') finished = m;
        });
        child.once('error', (err) => {
          children.delete(child);
          reject(err);
        });
        // 'close', not 'exit': it comes after the IPC channel is closed, so every message has arrived.
        child.once('close', (code, signal) => {
          children.delete(child);
          if (finished) {
            o.ctx.log.info(
              { job: job.name, trigger, jobPid: child.pid, peakRssMb: +(finished.maxRssKb / 1024).toFixed(1) },
              `job process for ${job.name} (pid ${child.pid}) ended: peak RSS ${(finished.maxRssKb / 1024).toFixed(1)} MB`,
            );
            resolve(finished.summary);
            return;
          }
          // Its run row names a pid that is gone now: record it failed at once, not at the next daemon start.
          try {
            failInterruptedRuns(o.ctx.sqlite, o.ctx.clock.now());
          } catch {
            // busy with another writer: the next daemon start marks it
          }
          reject(
            new Error(
              `the job process for ${job.name} (pid ${child.pid}) ended with ${signal ?? `exit code ${code}`} before its run finished`,
            ),
          );
        });
        send(child, {
          type: 'run',
          job: job.name,
          trigger,
          config: o.ctx.config,
          logLevel: o.ctx.log.level,
          nowMs: o.ctx.clock.now().getTime(),
        });
      });
    },
    abort() {
      for (const c of children) send(c, { type: 'abort' });
    },
    kill() {
      for (const c of children) c.kill('SIGKILL');
    },
  };
}

/** The job process's side: one run, asked for over the IPC channel; then the process ends. */
export function serveJobProcess(): void {
  let ctx: Context | undefined;
  let aborted = false;
  const abort = () => {
    aborted = true;
    ctx?.http.abort();
  };
  // The daemon gone (killed, crashed): nobody will wait for this run; stop fetching and end like a SIGTERM.
  process.once('disconnect', abort);
  // systemd's `stop` signals every process of the unit (KillMode=control-group), a terminal's Ctrl-C the whole
  // process group: the job process treats the signal as the daemon's abort (it writes what it fetched, records the
  // rest as failed and ends), and the daemon, signalled too, waits for it through its grace period.
  process.on('SIGTERM', abort);
  process.on('SIGINT', abort);
  process.on('message', (m: ToChild) => {
    if (m.type === 'abort') abort();
    else
      void runOne(m).catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
  });

  async function runOne(m: Extract<ToChild, { type: 'run' }>): Promise<void> {
    const { findJob } = await import('../../jobs/index.js');
    const job = findJob(m.job);
    if (!job) throw new Error(`job process: no job named "${m.job}" in jobs/index.ts`);
    const { createLogger } = await import('../log.js');
    const { createContext } = await import('../context.js');
    const { clockStartingAt } = await import('../clock.js');
    const opened = await createContext({
      config: m.config,
      log: createLogger(m.logLevel, 'stdout'),
      clock: clockStartingAt(m.nowMs),
    });
    ctx = opened.ctx;
    if (aborted) ctx.http.abort();
    let summary: RunSummary;
    try {
      summary = await runJob(ctx, job, m.trigger);
    } finally {
      await opened.close();
    }
    const maxRssKb = process.resourceUsage().maxRSS;
    if (!process.connected) return;
    // Exit once the message is written (not before: node loses a message still queued when the channel closes), and
    // whatever handle the job left open (a keep-alive socket): the run is over, its log lines were written synchronously.
    const sent = (err: Error | null) => process.exit(err ? 1 : 0);
    try {
      process.send?.({ type: 'finished', summary, maxRssKb } satisfies FromChild, sent);
    } catch {
      // An item's Error that V8 cannot copy (an exotic cause): the summary without the Error objects.
      const results = summary.results.map(({ err: _err, ...r }): ItemResult => r);
      process.send?.({ type: 'finished', summary: { ...summary, results }, maxRssKb } satisfies FromChild, sent);
    }
  }
}
