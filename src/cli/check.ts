// `hashpulse check`: data quality — gaps, implausible values, impossible retargets, unexplained equity jumps,
// source disagreement, stale series. Read-only unless --store (then the findings go to check_findings, as after
// every job run); errors make the exit code 1.
import type { Command } from 'commander';
import type { Sqlite } from '../db/sqlite.js';
import { UsageError } from '../errors.js';
import { toIsoDate } from '../time.js';
import { type CommandSpec, registerCommand } from './command-spec.js';
import { cliClock, EXIT, type GlobalOptions, withContext, withReader } from './common.js';
import { writeStdout } from './output.js';

interface CheckOptions extends GlobalOptions {
  hashratePct: string;
  difficultyPct: string;
  pricePct: string;
  jumpPct: string;
  strict?: boolean;
  json?: boolean;
  store?: boolean;
}

function pct(raw: string, flag: string): number {
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0) throw new UsageError(`${flag} must be a non-negative number, got "${raw}"`);
  return v;
}

async function run(opts: CheckOptions): Promise<void> {
  const thresholds = {
    hashrateDisagreementPct: pct(opts.hashratePct, '--hashrate-pct'),
    difficultyDisagreementPct: pct(opts.difficultyPct, '--difficulty-pct'),
    priceDisagreementPct: pct(opts.pricePct, '--price-pct'),
    jumpPct: pct(opts.jumpPct, '--jump-pct'),
  };
  const { runChecksCached, storeFindings } = await import('../quality/checks.js');
  const check = (sqlite: Sqlite) => {
    const now = cliClock().now();
    // Default thresholds: the parts whose tables did not change since the last run that stored them (the
    // daemon after every job, check --store) are read back; the result is a full run's.
    const findings = runChecksCached(sqlite, { today: toIsoDate(now), ...thresholds }, opts.store);
    if (opts.store) storeFindings(sqlite, findings, now);
    const errors = findings.filter((f) => f.severity === 'error').length;
    const warnings = findings.length - errors;
    if (opts.json) {
      writeStdout(`${JSON.stringify({ errors, warnings, thresholds_pct: thresholds, findings }, null, 2)}\n`);
    } else {
      // One write for the whole listing: thousands of findings written line by line cost a system call each.
      const lines = findings.map((f) => {
        const when = f.first_date === f.last_date ? (f.first_date ?? '') : `${f.first_date}..${f.last_date}`;
        return `${f.severity.padEnd(7)}  ${f.check.padEnd(12)}  ${f.series.padEnd(28)}  ${when.padEnd(21)}  ${f.detail}\n`;
      });
      lines.push(`${errors} error(s), ${warnings} warning(s)${opts.store ? ' (stored in check_findings)' : ''}\n`);
      writeStdout(lines.join(''));
    }
    if (errors > 0 || (opts.strict && warnings > 0)) process.exitCode = EXIT.failed;
  };
  if (opts.store) await withContext(opts, async (ctx) => check(ctx.sqlite));
  else {
    // One snapshot for every part of the checks, so a run the daemon commits meanwhile is seen whole or not at all
    // (check --store writes, in the writer's own transactions).
    const { readTransaction } = await import('../store/transaction.js');
    await withReader(opts, (sqlite) => readTransaction(sqlite, () => check(sqlite)));
  }
}

export const spec: CommandSpec<CheckOptions> = {
  name: 'check',
  description: 'check the stored data: gaps, implausible values, unexplained jumps, source disagreement, stale series',
  options: [
    {
      flags: '--hashrate-pct <pct>',
      description: 'flag days where blockchain.com and mempool.space hashrate differ by more than this',
      default: '15',
    },
    { flags: '--difficulty-pct <pct>', description: 'the same for difficulty', default: '1' },
    {
      flags: '--price-pct <pct>',
      description:
        "flag a day where two sources of the BTC price, or two price sources of a ticker's close, differ by more than this",
      default: '1',
    },
    {
      flags: '--jump-pct <pct>',
      description: 'flag a daily close moving more than this without a split event',
      default: '40',
    },
    { flags: '--strict', description: 'exit 1 on warnings too, not only on errors' },
    { flags: '--json', description: 'print findings as JSON' },
    {
      flags: '--store',
      description:
        'also store the findings in check_findings (opens the file read-write; without it check writes nothing)',
    },
  ],
  run,
};

export function register(program: Command): void {
  registerCommand(program, spec);
}
