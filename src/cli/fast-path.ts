// Which command lines the read-only program (dist/src/cli.cjs) runs by itself. The build leaves out of it the code
// that only the other commands load (scripts/build.mjs, plugin `read-only-program`), so this list and the build's
// must agree: test/fast-path.test.ts checks both.

/** The commands that only read the database (and `help`): they run without the ES-module program. */
export const FAST_COMMANDS: readonly string[] = ['report', 'status', 'check', 'universe', 'help'];

/** The read-only command a command line names ('help' for none), or null: with -v/--verbose (a stack trace needs
 *  the source maps of the other program), with `check --store` (which writes), or for any other command.
 *  `--db <file>` takes a value, which is not a command. */
export function fastCommand(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-v' || a === '--verbose') return null;
    if (a === '--db') {
      i++;
      continue;
    }
    if (a.startsWith('-')) {
      // A global option we do not know (or --help/--version): commander decides; only help is read-only.
      if (a === '--help' || a === '-h' || a.startsWith('--db=')) continue;
      return null;
    }
    const rest = args.slice(i + 1);
    if (rest.some((x) => x === '-v' || x === '--verbose')) return null;
    return FAST_COMMANDS.includes(a) && !(a === 'check' && rest.includes('--store')) ? a : null;
  }
  return 'help';
}
