// The read-only commands' own parser (src/cli/command-spec.ts): the options it reads from a plain command line, the
// lines it leaves to commander, and, for every line it reads, the same options as commander gives the action.
import { describe, expect, it } from 'vitest';
import { spec as check } from '../src/cli/check.js';
import { type CommandSpec, parseCommandLine, registerCommand } from '../src/cli/command-spec.js';
import { spec as report } from '../src/cli/report.js';
import { buildProgram } from '../src/cli/run-program.js';
import { spec as status } from '../src/cli/status.js';
import { spec as universe } from '../src/cli/universe.js';

const SPECS: Record<string, CommandSpec> = { report, status, check, universe } as unknown as Record<
  string,
  CommandSpec
>;

/** What commander gives the command's action for `args`, or its error code. */
async function commanderReads(spec: CommandSpec, args: string[]): Promise<Record<string, unknown> | string> {
  let got: Record<string, unknown> | undefined;
  const program = buildProgram([
    {
      register: (p) =>
        registerCommand(p, {
          ...spec,
          run: async (o) => {
            got = { ...o };
          },
        }),
    },
  ]);
  for (const c of [program, ...program.commands]) c.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  try {
    await program.parseAsync(['node', 'hashpulse', ...args]);
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
  return got ?? 'no action';
}

describe('parseCommandLine', () => {
  it('reads the plain forms of a command line, with the defaults commander gives', () => {
    expect(parseCommandLine(report, ['report', '--month', '2026-01', '--format=json'])).toEqual({
      month: '2026-01',
      format: 'json',
    });
    expect(parseCommandLine(report, ['--db', 'a.db', 'report', '-m', '2025-12', '-o', 'n.html'])).toEqual({
      db: 'a.db',
      month: '2025-12',
      out: 'n.html',
    });
    expect(parseCommandLine(report, ['report', '--from', '2025-01', '--to', '2025-12', '--db=b.db'])).toEqual({
      from: '2025-01',
      to: '2025-12',
      db: 'b.db',
    });
    expect(parseCommandLine(report, ['report'])).toEqual({});
    // check's thresholds default to the figures its --help shows: 15, 1, 1 and 40 percent.
    expect(parseCommandLine(check, ['check', '--jump-pct', '25', '--strict'])).toEqual({
      hashratePct: '15',
      difficultyPct: '1',
      pricePct: '1',
      jumpPct: '25',
      strict: true,
    });
    expect(parseCommandLine(status, ['status', '--json'])).toEqual({ json: true });
    expect(parseCommandLine(universe, ['universe'])).toEqual({});
  });

  it.each([
    [['report', '--help']],
    [['report', '-h']],
    [['--help', 'report']],
    [['report', '--no-such-option']],
    [['report', '--month']], // no value
    [['report', '--month', '--format', 'json']], // a value that is an option
    [['report', '--month', '2026-01', '--month', '2026-02']], // given twice
    [['report', '-m2026-01']], // short option and value run together
    [['report', 'extra']],
    [['report', 'report']],
    [['report', '--', '--month', '2026-01']],
    [['--month', '2026-01', 'report']], // the command's option before the command
    [['status']], // another command
    [['--db', 'a.db']], // no command
    [['status', '--json=yes']], // a switch with a value
    [['report', '--db', 'a.db', '--db', 'b.db']],
  ])('leaves %j to commander', (args) => {
    expect(parseCommandLine(report, args)).toBeNull();
  });

  it('leaves every line to commander for an option form it does not read (optional or variadic value, negation)', () => {
    for (const flags of ['--color [when]', '--tickers <list...>', '--no-color'])
      expect(parseCommandLine({ name: 'x', options: [{ flags, description: '' }] }, ['x'])).toBeNull();
    expect(parseCommandLine({ name: 'x', options: [{ flags: '--tickers <list>', description: '' }] }, ['x'])).toEqual(
      {},
    );
  });

  // Every line the parser reads, commander reads alike (the other lines go to commander itself).
  const LINES: Array<[string, string[]]> = [
    ['report', ['report']],
    ['report', ['report', '--month', '2026-01', '--format', 'json']],
    ['report', ['report', '-m', '2026-13', '-f', 'xml']],
    ['report', ['report', '--month=2026-01', '--out=x.md', '--db=f.db']],
    ['report', ['--db', 'f.db', 'report', '--from', '2025-01', '--to', '2025-06']],
    ['report', ['report', '--month', '']],
    ['report', ['report', '--month=', '--format=csv']],
    ['report', ['report', '-o', 'note 2026-01.html', '--db', 'report']],
    ['status', ['status']],
    ['status', ['status', '--json', '--db', 'x.db']],
    ['check', ['check']],
    ['check', ['check', '--hashrate-pct', '10', '--difficulty-pct=2', '--price-pct', '0.5', '--jump-pct', '60']],
    ['check', ['--db=x.db', 'check', '--json', '--strict']],
    ['universe', ['universe', '--json']],
  ];
  it.each(LINES)('%s: %j reads as commander reads it', async (name, args) => {
    const spec = SPECS[name]!;
    const own = parseCommandLine(spec, args);
    expect(own).not.toBeNull();
    expect(own).toEqual(await commanderReads(spec, args));
  });

  // The lines the parser leaves are not lost: commander answers them (here, with the refusal the user sees).
  it('commander refuses the mistakes the parser leaves to it', async () => {
    expect(await commanderReads(report, ['report', '--month'])).toBe('commander.optionMissingArgument');
    expect(await commanderReads(report, ['report', '--no-such-option'])).toBe('commander.unknownOption');
    expect(await commanderReads(report, ['report', 'extra'])).toBe('commander.excessArguments');
  });
});
