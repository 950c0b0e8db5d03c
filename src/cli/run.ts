// `hashpulse run <job>`: run one job now, in the foreground, recorded in the ledger like a scheduled run.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { EXIT, type GlobalOptions, withContext } from './common.js';

export function register(program: Command): void {
  program
    .command('run')
    .description('run one job now (network), recorded in job_runs')
    .argument('<job>', 'job name')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const { JOBS, findJob } = await import('../../jobs/index.js');
      const job = findJob(name);
      if (!job) throw new UsageError(`unknown job "${name}" (known: ${JOBS.map((j) => j.name).join(', ')})`);
      const { runJob } = await import('../pipeline/job.js');
      const report = await withContext(opts, (ctx) => runJob(ctx, job, 'manual'));
      for (const r of report.results) {
        process.stdout.write(
          `${r.status.padEnd(7)} ${r.item.padEnd(32)} ${String(r.rows).padStart(6)} rows  ${r.error ?? r.detail ?? ''}\n`,
        );
      }
      process.stdout.write(
        report.error && report.status === 'skipped'
          ? `skipped: ${report.error}\n`
          : `${report.status}: ${report.rowsWritten} rows, ${report.requests} requests (run ${report.runId ?? 'none'})\n`,
      );
      if (report.status === 'skipped') process.exitCode = EXIT.locked;
      else if (report.status !== 'ok') process.exitCode = EXIT.failed;
    });
}
