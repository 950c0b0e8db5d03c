// A read-only command as data: its name, its options and its action. Two parsers read the same spec:
//   - commander, in the program of every command (registerCommand): help, refusals, every form a command line may
//     take;
//   - parseCommandLine below, in the command's own read-only program (src/cli/read-only/): the plain forms only
//     (`--month 2026-01`, `--month=2026-01`, `-m 2026-01`, `--json`, `--db FILE` anywhere). On anything else it
//     answers null and src/cli.ts hands the command line to the program with commander, so a command's own program
//     never loads commander (40 kB, ~3.5 ms of report's start-up) and never has to word a refusal or the help.
// test/command-spec.test.ts checks that the two read every command line the second accepts alike.
import type { Command } from 'commander';
import { type GlobalOptions, leaveReadersToExit } from './common.js';
import { reportFailure } from './failure.js';

export interface OptionSpec {
  /** commander's syntax: `-m, --month <YYYY-MM>` (a value) or `--json` (a switch). */
  readonly flags: string;
  readonly description: string;
  readonly default?: string;
}

export interface CommandSpec<O extends GlobalOptions = GlobalOptions> {
  readonly name: string;
  readonly description: string;
  readonly options: readonly OptionSpec[];
  /** Shown after the options in `--help` (examples). */
  readonly helpAfter?: string;
  run(opts: O): Promise<void>;
}

/** The options of every command, before or after its name. */
export const GLOBAL_OPTIONS: readonly OptionSpec[] = [
  { flags: '--db <file>', description: 'SQLite database file (default: $HASHPULSE_DB or data/hashpulse.db)' },
  { flags: '-v, --verbose', description: 'debug logs and stack traces on errors' },
];

/** Adds the command to commander's program. */
export function registerCommand<O extends GlobalOptions>(program: Command, spec: CommandSpec<O>): Command {
  const cmd = program.command(spec.name).description(spec.description);
  for (const o of spec.options) {
    if (o.default === undefined) cmd.option(o.flags, o.description);
    else cmd.option(o.flags, o.description, o.default);
  }
  if (spec.helpAfter !== undefined) cmd.addHelpText('after', spec.helpAfter);
  return cmd.action((_o: unknown, c: Command) => spec.run(c.optsWithGlobals<O>()));
}

interface Flag {
  /** The key in the options object: commander's camelCase of the long name (`--jump-pct` → jumpPct). */
  readonly key: string;
  readonly takesValue: boolean;
  readonly global: boolean;
}

/** `-m, --month <YYYY-MM>` → its names and whether it takes a value; null for a form commander reads in ways this
 *  file does not (an optional or variadic value, a negation). */
function flagOf(o: OptionSpec, global: boolean): { names: string[]; flag: Flag } | null {
  // Split by hand: with a regular expression, reading the seven flags of `report` took 0.25 ms in a fresh
  // process, 0.09 ms this way.
  const parts = o.flags.split(' ');
  const short = parts[0]!.length === 3 && parts[0]!.endsWith(',') ? parts.shift()!.slice(0, 2) : null;
  const [long, value, ...rest] = parts;
  const plainValue = value === undefined || (value.startsWith('<') && value.endsWith('>') && !value.includes('.'));
  if (long === undefined || !long.startsWith('--') || long.startsWith('--no-') || !plainValue || rest.length > 0)
    return null;
  const words = long.slice(2).split('-');
  const key =
    words[0] +
    words
      .slice(1)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join('');
  return { names: short ? [short, long] : [long], flag: { key, takesValue: value !== undefined, global } };
}

/**
 * The options commander would give the command's action for `args` (the command line after `node hashpulse`), or
 * null when the line is not in the plain forms: `--help`, an unknown option or argument, an option given twice, a
 * value missing or starting with '-', short options run together, `--`. The command's name must be there once;
 * global options may come before or after it, the command's own only after it.
 */
export function parseCommandLine(
  spec: Pick<CommandSpec, 'name' | 'options'>,
  args: readonly string[],
): Record<string, string | boolean> | null {
  const flags = new Map<string, Flag>();
  const opts: Record<string, string | boolean> = {};
  for (const [list, global] of [
    [GLOBAL_OPTIONS, true],
    [spec.options, false],
  ] as const) {
    for (const o of list) {
      const f = flagOf(o, global);
      if (f === null) return null;
      for (const n of f.names) flags.set(n, f.flag);
      if (o.default !== undefined) opts[f.flag.key] = o.default;
    }
  }
  const given = new Set<string>();
  let named = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-')) {
      if (named || a !== spec.name) return null;
      named = true;
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const f = flags.get(eq > 0 ? a.slice(0, eq) : a);
    if (f === undefined || (!f.global && !named) || given.has(f.key)) return null;
    given.add(f.key);
    if (!f.takesValue) {
      if (eq > 0) return null;
      opts[f.key] = true;
      continue;
    }
    const value = eq > 0 ? a.slice(eq + 1) : args[++i];
    if (value === undefined || value.startsWith('-')) return null;
    opts[f.key] = value;
  }
  return named ? opts : null;
}

/** Runs the command when parseCommandLine reads `argv` (process.argv); resolves to the exit code, or to null when
 *  the command line is for commander (src/cli.ts then runs it through the program of every command). */
export async function runCommandLine<O extends GlobalOptions>(
  spec: CommandSpec<O>,
  argv: readonly string[],
): Promise<number | null> {
  const opts = parseCommandLine(spec, argv.slice(2));
  if (opts === null) return null;
  // The bin ends the process once this resolves (src/cli.ts).
  leaveReadersToExit();
  try {
    await spec.run(opts as unknown as O);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportFailure(err, argv);
  }
}
