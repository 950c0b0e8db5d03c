// `hashpulse check`: days where a secondary source disagrees with the primary one by more than a threshold.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { SourceComparisonView } from '../db/schema.js';
import { EXIT, type GlobalOptions, withReader } from './common.js';

interface CheckOptions extends GlobalOptions {
  hashratePct: string;
  difficultyPct: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('check')
    .description('list days where mempool.space and blockchain.com disagree by more than a threshold')
    .option('--hashrate-pct <pct>', 'hashrate disagreement threshold in percent', '15')
    .option('--difficulty-pct <pct>', 'difficulty disagreement threshold in percent', '1')
    .option('--json', 'print findings as JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<CheckOptions>();
      const thresholds: Record<string, number> = {};
      for (const [metric, raw, flag] of [
        ['hashrate_ehs', opts.hashratePct, '--hashrate-pct'],
        ['difficulty', opts.difficultyPct, '--difficulty-pct'],
      ] as const) {
        const v = Number(raw);
        if (!Number.isFinite(v) || v < 0) throw new UsageError(`${flag} must be a non-negative number, got "${raw}"`);
        thresholds[metric] = v;
      }
      await withReader(opts, (sqlite) => {
        const rows = sqlite.prepare('select * from network_source_comparison order by date, metric').all() as SourceComparisonView[];
        const findings = rows.filter((r) => Math.abs(r.diff_pct) > (thresholds[r.metric] ?? Infinity));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ compared: rows.length, thresholds_pct: thresholds, findings }, null, 2)}\n`);
        } else {
          for (const f of findings) {
            process.stdout.write(
              `${f.date}  ${f.metric.padEnd(12)}  ${f.primary_source} ${f.primary_value.toPrecision(6)} vs ${f.other_source} ${f.other_value.toPrecision(6)}  (${f.diff_pct >= 0 ? '+' : ''}${f.diff_pct.toFixed(2)}%)\n`,
            );
          }
          process.stdout.write(`${findings.length} disagreement(s) above threshold among ${rows.length} compared day-values\n`);
        }
        if (findings.length > 0) process.exitCode = EXIT.failed;
      });
    });
}
