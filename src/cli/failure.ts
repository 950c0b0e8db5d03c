// A command's error as the user sees it: one line on stderr (and the stack with -v), and the exit code it means.
// Shared by the program of every command (src/cli/run-program.ts) and the read-only programs
// (src/cli/command-spec.ts), which do not load commander.
import { ConfigError, LockError, UsageError } from '../errors.js';
import { EXIT } from './common.js';

/** Prints `err` and returns the exit code: 2 for bad usage or configuration, 3 for a lock held, else 1. */
export function reportFailure(err: unknown, argv: readonly string[]): number {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`hashpulse: ${msg}\n`);
  if (verbose && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  if (err instanceof UsageError || err instanceof ConfigError) return EXIT.usage;
  if (err instanceof LockError) return EXIT.locked;
  return EXIT.failed;
}
