// `hashpulse reprocess`: re-parse the raw archive into the tables, without touching the network.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseDateArg } from '../time.js';
import { EXIT, type GlobalOptions, withContext } from './common.js';
import { writeStdout } from './output.js';

interface ReprocessCliOptions extends GlobalOptions {
  source?: string;
  from?: string;
  to?: string;
}

/** The sources of src/pipeline/archive.ts's routes (a test keeps the two equal; not imported here, so that
 *  registering the command does not load every parser). */
export const REPROCESS_SOURCES = ['mempool', 'blockchain', 'yahoo', 'nasdaq', 'stooq', 'tiingo', 'sec'];

export function register(program: Command): void {
  program
    .command('reprocess')
    .description('re-parse archived payloads into the tables (offline): repairs history after a parser fix')
    .option('--source <name>', `only payloads of one source: ${REPROCESS_SOURCES.join(', ')}`)
    .option('--from <YYYY-MM-DD>', 'only rows dated on or after this day')
    .option('--to <YYYY-MM-DD>', 'only rows dated on or before this day')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ReprocessCliOptions>();
      if (opts.source && !REPROCESS_SOURCES.includes(opts.source))
        throw new UsageError(`--source must be one of ${REPROCESS_SOURCES.join(', ')}, got "${opts.source}"`);
      const from = opts.from ? parseDateArg(opts.from, '--from') : undefined;
      const to = opts.to ? parseDateArg(opts.to, '--to') : undefined;
      const { reprocess } = await import('../pipeline/reprocess.js');
      const results = await withContext(opts, (ctx) =>
        reprocess(ctx, {
          ...(opts.source ? { source: opts.source } : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
        }),
      );
      for (const r of results)
        writeStdout(
          `${r.status.padEnd(7)} ${String(r.rows).padStart(6)} rows  ${r.item}${r.error ? `  ${r.error}` : ''}\n`,
        );
      const failed = results.filter((r) => r.status === 'failed').length;
      writeStdout(
        `${results.length} archived payload(s) re-read, ${results.reduce((n, r) => n + r.rows, 0)} rows written, ${failed} could not be parsed; no request was made\n`,
      );
      if (results.length === 0)
        writeStdout('the raw archive is empty (HASHPULSE_RAW_RETENTION_DAYS=0, or nothing fetched yet)\n');
      if (failed > 0) process.exitCode = EXIT.failed;
    });
}
