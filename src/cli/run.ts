// `hashpulse run <job>`: run one job now, in the foreground, recorded in the ledger like a scheduled run.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { EXIT, type GlobalOptions, withContext } from './common.js';
import { writeStdout } from './output.js';

export function register(program: Command): void {
  program
    .command('run')
    .description('run one job now, recorded in job_runs')
    // The names are written out so --help loads no job (test/registries.test.ts keeps them in step with jobs/).
    .argument('<job>', 'network, equities, shares, operations, aggregate or publish')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const { JOBS, findJob } = await import('../../jobs/index.js');
      const job = findJob(name);
      if (!job) throw new UsageError(`unknown job "${name}" (known: ${JOBS.map((j) => j.name).join(', ')})`);
      const { runJob } = await import('../pipeline/job.js');
      const summary = await withContext(opts, (ctx) => runJob(ctx, job, 'manual'));
      for (const r of summary.results) {
        writeStdout(
          `${r.status.padEnd(7)} ${r.item.padEnd(32)} ${String(r.rows).padStart(6)} rows  ${r.error ?? r.detail ?? ''}\n`,
        );
      }
      writeStdout(
        summary.error && summary.status === 'skipped'
          ? `skipped: ${summary.error}\n`
          : `${summary.status}: ${summary.rowsWritten} rows, ${summary.requests} requests (run ${summary.runId ?? 'none'})\n`,
      );
      if (summary.status === 'skipped') process.exitCode = EXIT.locked;
      else if (summary.status !== 'ok') process.exitCode = EXIT.failed;
    });
}
