#!/usr/bin/env node
// hashpulse command line: parses arguments, runs one command, maps errors to one line and an exit code.
import { Command, CommanderError } from 'commander';
import * as backfill from './cli/backfill.js';
import * as check from './cli/check.js';
import { EXIT } from './cli/common.js';
import * as daemon from './cli/daemon.js';
import * as migrate from './cli/migrate.js';
import * as probe from './cli/probe.js';
import * as publish from './cli/publish.js';
import * as report from './cli/report.js';
import * as reprocess from './cli/reprocess.js';
import * as run from './cli/run.js';
import * as status from './cli/status.js';
import * as universe from './cli/universe.js';
import { ConfigError, LockError, UsageError } from './errors.js';

const COMMANDS = [daemon, backfill, run, status, probe, report, publish, check, reprocess, universe, migrate];

export function buildProgram(): Command {
  const program = new Command('hashpulse')
    .description('bitcoin network and listed-miner data → SQLite → monthly figures in the style of a mining note')
    .option('--db <file>', 'SQLite database file (default: $HASHPULSE_DB or data/hashpulse.db)')
    .option('-v, --verbose', 'debug logs and stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const c of COMMANDS) c.register(program);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; everything else commander rejects is bad usage.
      return err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.help'
        ? EXIT.ok
        : EXIT.usage;
    }
    const verbose = argv.includes('--verbose') || argv.includes('-v');
    const msg = err instanceof Error ? err.message : String(err);
    process.stderr.write(`hashpulse: ${msg}\n`);
    if (verbose && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    if (err instanceof UsageError || err instanceof ConfigError) return EXIT.usage;
    if (err instanceof LockError) return EXIT.locked;
    return EXIT.failed;
  }
}

const code = await main(process.argv);
process.exitCode = code;
