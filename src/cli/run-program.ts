// The command line program around a list of commands, with commander: global options, help, one command run, errors
// mapped to one line and an exit code. src/cli/program.ts gives it every command. (The read-only programs,
// src/cli/read-only/, parse the plain forms of their command line without commander: src/cli/command-spec.ts.)
import { Command, CommanderError } from 'commander';
import { GLOBAL_OPTIONS } from './command-spec.js';
import { EXIT } from './common.js';
import { reportFailure } from './failure.js';
import { stdoutIsPipeOrFile, writeStdout } from './output.js';

/** A command module: registers its options and action on the program. */
export interface CommandModule {
  register(program: Command): void;
}

export function buildProgram(commands: readonly CommandModule[]): Command {
  const program = new Command('hashpulse').description(
    'bitcoin network and listed-miner data → SQLite → monthly figures in the style of a mining note',
  );
  for (const o of GLOBAL_OPTIONS) program.option(o.flags, o.description);
  program.showHelpAfterError('(run with --help for usage)').exitOverride();
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
    return reportFailure(err, argv);
  }
}
