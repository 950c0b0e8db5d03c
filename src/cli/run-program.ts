// The command line program around a list of commands: global options, one command run, errors mapped to one line
// and an exit code. src/cli/program.ts gives it every command; each read-only program (src/cli/read-only/) gives it
// the one command it runs, so it loads and sets up no other (scripts/build.mjs).
import { Command, CommanderError } from 'commander';
import { ConfigError, LockError, UsageError } from '../errors.js';
import { EXIT } from './common.js';
import { stdoutIsPipeOrFile, writeStdout } from './output.js';

/** A command module: registers its options and action on the program. */
export interface CommandModule {
  register(program: Command): void;
}

export function buildProgram(commands: readonly CommandModule[]): Command {
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
  for (const c of commands) c.register(program);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

/** Runs one command line; resolves to the process's exit code. */
export async function runProgram(commands: readonly CommandModule[], argv: string[]): Promise<number> {
  const program = buildProgram(commands);
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
