// `hashpulse publish [--month YYYY-MM] [--force]`: what the publish job does, now, by hand — recorded in job_runs
// like `hashpulse run publish`.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { lastCompleteMonth, parseMonthArg } from '../time.js';
import { cliClock, EXIT, type GlobalOptions, withContext } from './common.js';
import { writeStdout } from './output.js';

interface PublishCliOptions extends GlobalOptions {
  month?: string;
  force?: boolean;
}

export function register(program: Command): void {
  program
    .command('publish')
    .description(
      "write a finished month's note (HTML, Markdown, JSON) to the notes folder once its data is complete; exit 1 when a month was not published",
    )
    .option(
      '-m, --month <YYYY-MM>',
      'only this month (default: what the publish job looks at — the previous month, and new revisions of published ones)',
    )
    .option(
      '--force',
      'publish even with gaps (named in the note), and even when the figures did not change (a new revision)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  hashpulse publish\n  hashpulse publish --month 2026-01\n  hashpulse publish --month 2026-01 --force',
    )
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<PublishCliOptions>();
      const month = opts.month === undefined ? undefined : parseMonthArg(opts.month, '--month');
      const now = cliClock().now();
      if (month !== undefined && month > lastCompleteMonth(now))
        throw new UsageError(`--month ${month} has not ended yet (now ${now.toISOString()})`);
      const { findJob } = await import('../../jobs/index.js');
      const { runJob } = await import('../pipeline/job.js');
      const job = findJob('publish')!;
      const report = await withContext(opts, (ctx) =>
        runJob(ctx, job, 'manual', { ...(month ? { month } : {}), ...(opts.force ? { force: true } : {}) }),
      );
      for (const r of report.results)
        writeStdout(
          `${r.status === 'ok' ? 'ok     ' : r.status === 'skipped' ? 'waiting' : 'FAILED '} ${r.detail ?? r.error ?? r.item}\n`,
        );
      if (report.status === 'skipped') {
        writeStdout(`skipped: ${report.error}\n`);
        process.exitCode = EXIT.locked;
      } else if (report.status !== 'ok') {
        if (report.results.length === 0 && report.error) writeStdout(`FAILED  ${report.error}\n`);
        process.exitCode = EXIT.failed;
      } else if (report.results.some((r) => r.status === 'skipped')) {
        process.exitCode = EXIT.failed;
      }
    });
}
