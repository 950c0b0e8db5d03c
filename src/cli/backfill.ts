// `hashpulse backfill`: load a date range by hand (one range request per series), recorded in the ledger.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { parseDateArg } from '../time.js';
import { EXIT, type GlobalOptions, parseList, withContext } from './common.js';

interface BackfillOptions extends GlobalOptions {
  from?: string;
  to?: string;
  only?: string[];
  dryRun?: boolean;
}

export function register(program: Command): void {
  program
    .command('backfill')
    .description('load history for a date range (default: all history up to yesterday)')
    .option('--from <YYYY-MM-DD>', 'first day to load (default 2009-01-03)')
    .option('--to <YYYY-MM-DD>', 'last day to load (default: yesterday, the last complete UTC day)')
    .option('--only <series>', 'only these series or sources, comma-separated (e.g. mempool, blockchain.market-price)', parseList)
    .option('--dry-run', 'print what would be fetched and write nothing')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<BackfillOptions>();
      const { HISTORY_START, NETWORK_SERIES_IDS } = await import('../pipeline/network.js');
      const from = opts.from ? parseDateArg(opts.from, '--from') : HISTORY_START;
      const to = opts.to ? parseDateArg(opts.to, '--to') : undefined;
      if (to && to < from) throw new UsageError(`--to ${to} is before --from ${from}`);
      for (const o of opts.only ?? []) {
        if (!['network', 'mempool', 'blockchain', ...NETWORK_SERIES_IDS].includes(o)) {
          throw new UsageError(`--only: unknown series "${o}" (known: network, mempool, blockchain, ${NETWORK_SERIES_IDS.join(', ')})`);
        }
      }
      const only = opts.only;
      if (opts.dryRun) {
        const ids = NETWORK_SERIES_IDS.filter((id) => !only?.length || only.some((o) => o === 'network' || o === id || id.startsWith(`${o}.`)));
        process.stdout.write(`Would fetch ${from}..${to ?? 'yesterday'} with ${ids.length} request(s), one per series:\n${ids.map((i) => `  ${i}`).join('\n')}\n`);
        return;
      }
      const { runJob } = await import('../pipeline/job.js');
      const { network } = await import('../../jobs/network.js');
      const report = await withContext(opts, (ctx) => runJob(ctx, network, 'backfill', { from, ...(to ? { to } : {}), ...(only ? { only } : {}) }));
      for (const r of report.results) {
        process.stdout.write(`${r.status.padEnd(7)} ${r.item.padEnd(32)} ${String(r.rows).padStart(6)} rows  ${r.error ?? r.detail ?? ''}\n`);
      }
      process.stdout.write(report.error && report.status === 'skipped' ? `skipped: ${report.error}\n` : `${report.status}: ${report.rowsWritten} rows written, ${report.requests} requests, ${(report.durationMs / 1000).toFixed(1)} s (run ${report.runId ?? 'none'} in job_runs)\n`);
      if (report.status === 'skipped') process.exitCode = EXIT.locked;
      else if (report.status !== 'ok') process.exitCode = EXIT.failed;
    });
}
