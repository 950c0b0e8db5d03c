// `hashpulse report`: the month's figures as the note's sentences (table) or the JSON contract.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { lastCompleteMonth, monthName, parseMonthArg } from '../time.js';
import { type GlobalOptions, withReader } from './common.js';

interface ReportOptions extends GlobalOptions {
  month?: string;
  format: string;
}

const FORMATS = ['table', 'json'] as const;

export function register(program: Command): void {
  program
    .command('report')
    .description("print a month's figures in the style of the monthly mining note")
    .option('-m, --month <YYYY-MM>', 'the month to report (default: the last complete month, UTC)')
    .option('-f, --format <format>', `output format: ${FORMATS.join(' | ')}`, 'table')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ReportOptions>();
      if (!FORMATS.includes(opts.format as (typeof FORMATS)[number])) {
        throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${opts.format}"`);
      }
      const month = opts.month ? parseMonthArg(opts.month, '--month') : lastCompleteMonth(new Date());
      const { getNetworkMonth, storedMonthRange } = await import('../metrics/network.js');
      const { getSectorMonth, getTickerMonths } = await import('../metrics/equities.js');
      const { networkJson, networkSentences, networkTable } = await import('../report/network.js');
      const { equitiesJson, equitySentences, tickerTable } = await import('../report/equities.js');
      await withReader(opts, (sqlite) => {
        const n = getNetworkMonth(sqlite, month);
        const sector = getSectorMonth(sqlite, month);
        if (!n && !sector) {
          const range = storedMonthRange(sqlite);
          const have = range ? `stored months: ${range.first} to ${range.last}` : 'the database has no network data yet';
          throw new UsageError(`no data for ${month} (${have}); load it with: hashpulse backfill --from ${month}-01`);
        }
        const tickers = sector ? getTickerMonths(sqlite, month) : [];
        if (opts.format === 'json') {
          const net = n ? networkJson(n) : { network: null, sources: {} };
          const doc = { month, network: net.network, equities: sector ? equitiesJson(sector, tickers) : null, sources: net.sources };
          process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
          return;
        }
        const lines = [`Bitcoin mining — ${monthName(month)}`, ''];
        if (n) {
          const rows = networkTable(n);
          const width = Math.max(...rows.map(([k]) => k.length));
          lines.push(...networkSentences(n), '', ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`));
          if (n.days_with_data < n.days_in_month) lines.push('', `Note: ${n.days_in_month - n.days_with_data} day(s) of ${month} have no hashrate data.`);
        } else {
          lines.push(`No network data for ${month}.`);
        }
        if (sector) lines.push('', ...equitySentences(sector), '', ...tickerTable(tickers));
        else lines.push('', `No equity data for ${month} (run: hashpulse run equities).`);
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
