// `hashpulse daemon` (npm start): run the scheduled jobs until SIGTERM/SIGINT.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { GlobalOptions } from './common.js';

interface DaemonCliOptions extends GlobalOptions {
  catchUp: boolean;
}

export function register(program: Command): void {
  program
    .command('daemon')
    .description('run the scheduled jobs (one daemon per database file); stops cleanly on SIGTERM/SIGINT')
    .option('--no-catch-up', 'do not run overdue jobs at start')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<DaemonCliOptions>();
      // A long-lived, mostly idle process: keep V8's young generation small (1 MB semi-spaces instead of up to
      // 16 MB) — about 15 MB less resident memory, at the cost of more frequent, tiny scavenges during a run.
      (await import('node:v8')).setFlagsFromString('--max-semi-space-size=1');
      (await import('node:v8')).setFlagsFromString('--semi-space-growth-factor=1');
      // With those small semi-spaces a run's short-lived data (parsed payloads, the checks' date lists) is promoted,
      // and V8's default old-generation growth let the heap reach ~77 MB between full collections over scheduled
      // runs; --optimize-for-size (V8: favour memory over speed; a daemon waiting on HTTP has speed to spare)
      // keeps it near 35 MB (bench:daemon, 30 network runs 2 s apart).
      (await import('node:v8')).setFlagsFromString('--optimize-for-size');
      const { openCliContext } = await import('./common.js');
      const { Daemon } = await import('../daemon/daemon.js');
      const { childProcessRunner } = await import('../daemon/job-runner.js');
      const { JOBS } = await import('../../jobs/index.js');
      const opened = await openCliContext(opts, 'stdout');
      const { config, log } = opened.ctx;
      // Every run in its own short-lived process (dist/src/job-process.js, beside this bundle's entry): the job's
      // code and memory leave with it, and this process stays at its idle size and keeps answering while a job's
      // synchronous SQLite work runs. The flags above are this process's own; a job process runs with node's defaults.
      const script = path.join(path.dirname(fs.realpathSync(process.argv[1] ?? '')), 'job-process.js');
      const runner = childProcessRunner({ ctx: opened.ctx, script });
      const daemon = new Daemon(opened.ctx, { jobs: JOBS, catchUp: opts.catchUp, runner });
      let _closing: Promise<void> | undefined;
      let stopHealth: (() => Promise<void>) | undefined;
      const shutdown = (signal: string) => {
        _closing ??= (async () => {
          log.info({ signal }, `received ${signal}; shutting down`);
          await daemon.stop();
          await stopHealth?.();
          opened.close();
          log.info('stopped');
          log.flush?.();
          process.exit(0);
        })();
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
      try {
        await daemon.start();
      } catch (err) {
        opened.close();
        throw err;
      }
      if (config.httpPort > 0) {
        const { startHealthServer } = await import('../daemon/health.js');
        const health = await startHealthServer({
          sqlite: opened.ctx.sqlite,
          jobs: JOBS,
          schedules: config.schedules,
          host: config.httpHost,
          port: config.httpPort,
          log,
          notesDir: config.publishDir,
        });
        stopHealth = health.close;
        log.info(
          { url: health.url },
          `health endpoint on ${health.url}/healthz and ${health.url}/metrics; the notes on ${health.url}/ and ${health.url}/notes/`,
        );
      }
      log.info({ db: config.dbPath, pid: process.pid }, `hashpulse daemon running on ${config.dbPath}`);
      // node-cron's timers keep the process alive from here on.
    });
}
