// `hashpulse report`: the whole monthly note — network, miner economics, equities — for one month or a range, as
// a terminal table, Markdown, the JSON contract, CSV or a self-contained HTML page with charts.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { FORMATS, type Format } from '../report/formats.js';
import { lastCompleteMonth, type Month, parseMonthArg } from '../time.js';
import { type CommandSpec, registerCommand } from './command-spec.js';
import { cliClock, type GlobalOptions, settings, withReader } from './common.js';
import { writeStdout } from './output.js';

interface ReportOptions extends GlobalOptions {
  month?: string;
  from?: string;
  to?: string;
  format?: string;
  out?: string;
}

const BY_EXTENSION: Readonly<Record<string, Format>> = {
  '.html': 'html',
  '.htm': 'html',
  '.md': 'md',
  '.json': 'json',
  '.csv': 'csv',
  '.txt': 'table',
};

function chooseFormat(opts: ReportOptions): Format {
  if (opts.format !== undefined) {
    if (!FORMATS.includes(opts.format as Format))
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${opts.format}"`);
    return opts.format as Format;
  }
  const ext = opts.out ? /\.[^./\\]+$/.exec(opts.out)?.[0].toLowerCase() : undefined;
  if (ext === undefined) return 'table';
  const byExt = BY_EXTENSION[ext];
  if (!byExt)
    throw new UsageError(
      `cannot tell the format from "${opts.out}": add --format (${FORMATS.join(', ')}) or use ${Object.keys(BY_EXTENSION).join(', ')}`,
    );
  return byExt;
}

function chooseMonths(opts: ReportOptions): { from: Month; to: Month; range: boolean } {
  if (opts.month !== undefined && (opts.from !== undefined || opts.to !== undefined))
    throw new UsageError('give either --month or --from/--to, not both');
  if (opts.from !== undefined || opts.to !== undefined) {
    if (opts.from === undefined) throw new UsageError('--to needs --from (a range is --from YYYY-MM --to YYYY-MM)');
    if (opts.to === undefined) throw new UsageError('--from needs --to (a range is --from YYYY-MM --to YYYY-MM)');
    const from = parseMonthArg(opts.from, '--from');
    const to = parseMonthArg(opts.to, '--to');
    if (to < from) throw new UsageError(`--to ${to} is before --from ${from}`);
    return { from, to, range: true };
  }
  const month = opts.month !== undefined ? parseMonthArg(opts.month, '--month') : lastCompleteMonth(cliClock().now());
  return { from: month, to: month, range: false };
}

async function run(opts: ReportOptions): Promise<void> {
  const format = chooseFormat(opts);
  const { from, to, range } = chooseMonths(opts);
  if (format === 'html' && !opts.out && process.stdout.isTTY) {
    throw new UsageError('the HTML page is a file of about 250 KB: write it with --out FILE.html (or redirect stdout)');
  }
  // Assumptions first: a bad variable or a bad line in the file stops the command before anything is read.
  const { economicsDefaults: defaults, economicsPath: economicsFile } = settings([
    'economicsDefaults',
    'economicsPath',
  ]);
  const { readEconomicsFile } = await import('../economics-file.js');
  const overrides = readEconomicsFile(economicsFile);
  const { useAssumptionsInForce } = await import('../store/economics.js');
  const { readReport, renderReport } = await import('../report/render.js');
  const { storedMonthRange } = await import('../metrics/network.js');
  const request = { from, to, range, format, economicsFile };

  const read = await withReader(opts, (sqlite) => {
    // Read-only: the assumptions in force are laid over the stored ones in this connection, never written.
    if (useAssumptionsInForce(sqlite, defaults, overrides)) {
      process.stderr.write(
        "hashpulse: these figures use the assumptions in force now; report_monthly in the file keeps the stored ones until the daemon's next job, `hashpulse run`, `hashpulse backfill` or `hashpulse migrate`\n",
      );
    }
    const r = readReport(sqlite, request);
    if (r.data.length === 0) {
      const stored = storedMonthRange(sqlite);
      const have = stored ? `stored months: ${stored.first} to ${stored.last}` : 'the database has no network data yet';
      const what = range ? `from ${from} to ${to}` : `for ${from}`;
      throw new UsageError(`no data ${what} (${have}); load it with: hashpulse backfill --from ${from}-01`);
    }
    return r;
  });
  const text = await renderReport(read, request);

  if (opts.out) {
    const file = path.resolve(opts.out);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    writeStdout(`${file}\n`);
  } else {
    writeStdout(text);
  }
}

export const spec: CommandSpec<ReportOptions> = {
  name: 'report',
  description: 'print the monthly mining note: network, miner economics and equities, with the assumptions',
  options: [
    { flags: '-m, --month <YYYY-MM>', description: 'the month to report (default: the last complete month, UTC)' },
    { flags: '--from <YYYY-MM>', description: 'first month of a range (with --to)' },
    { flags: '--to <YYYY-MM>', description: 'last month of a range (with --from)' },
    {
      flags: '-f, --format <format>',
      description: `output format: ${FORMATS.join(' | ')} (default: from the --out extension, else table)`,
    },
    { flags: '-o, --out <file>', description: 'write the report to this file and print its path' },
  ],
  helpAfter:
    '\nExamples:\n  hashpulse report --month 2026-01\n  hashpulse report --from 2025-01 --to 2025-12 --format csv --out 2025.csv\n  hashpulse report --month 2026-01 --out note-2026-01.html',
  run,
};

export function register(program: Command): void {
  registerCommand(program, spec);
}
