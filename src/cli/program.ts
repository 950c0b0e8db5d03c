// hashpulse command line: parses arguments, runs one command, maps errors to one line and an exit code. Each
// command module registers its options here and loads what its action needs when it runs (dynamic imports), so
// `--help` or `report` never load the HTTP clients, zod or Kysely.
import { Command, CommanderError } from 'commander';
import { ConfigError, LockError, UsageError } from '../errors.js';
import * as backfill from './backfill.js';
import * as check from './check.js';
import { EXIT } from './common.js';
import * as daemon from './daemon.js';
import * as migrate from './migrate.js';
import { stdoutIsPipeOrFile, writeStdout } from './output.js';
import * as probe from './probe.js';
import * as publish from './publish.js';
import * as report from './report.js';
import * as reprocess from './reprocess.js';
import * as run from './run.js';
import * as status from './status.js';
import * as universe from './universe.js';

const COMMANDS = [daemon, backfill, run, status, probe, report, publish, check, reprocess, universe, migrate];

export function buildProgram(): Command {
  const program = new Command('hashpulse')
    .description('bitcoin network and listed-miner data → SQLite → monthly figures in the style of a mining note')
    .option('--db <file>', 'SQLite database file (default: $HASHPULSE_DB or data/hashpulse.db)')
    .option('-v, --verbose', 'debug logs and stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  // Help to a pipe or a file without process.stdout (src/cli/output.ts): what commander does then anyway (80
  // columns; the help has no colours to keep), without loading Node's streams. Set before the commands are
  // added, which inherit it.
  if (stdoutIsPipeOrFile())
    program.configureOutput({ writeOut: writeStdout, getOutHelpWidth: () => 80, getOutHasColors: () => false });
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
