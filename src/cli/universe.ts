// `hashpulse universe`: the tracked tickers from the universe file.
import type { Command } from 'commander';
import { type CommandSpec, registerCommand } from './command-spec.js';
import type { GlobalOptions } from './common.js';
import { writeStdout } from './output.js';

async function run(opts: GlobalOptions & { json?: boolean }): Promise<void> {
  const { settings } = await import('./common.js');
  const { loadUniverse } = await import('../universe.js');
  // Like the other read-only commands, only what it uses is read and validated (a bad upstream URL is not its
  // business).
  const { universePath } = settings(['universePath']);
  const u = loadUniverse(universePath);
  if (opts.json) {
    writeStdout(`${JSON.stringify(u.tickers, null, 2)}\n`);
    return;
  }
  const rows = u.tickers.map((t) => [
    t.ticker,
    t.role,
    t.cik ? String(t.cik) : '',
    t.filer ?? '',
    t.exchange ?? '',
    t.name,
  ]);
  const head = ['ticker', 'role', 'cik', 'filer', 'exchange', 'name'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  writeStdout(
    `${[line(head), ...rows.map(line)].join('\n')}\n${u.miners.length} miners, ${u.tickers.length - u.miners.length} benchmark(s) — from ${universePath}\n`,
  );
}

export const spec: CommandSpec<GlobalOptions & { json?: boolean }> = {
  name: 'universe',
  description: 'list the tracked tickers (edit data/universe.json, or $HASHPULSE_UNIVERSE, to change them)',
  options: [{ flags: '--json', description: 'print the list as JSON' }],
  run,
};

export function register(program: Command): void {
  registerCommand(program, spec);
}
