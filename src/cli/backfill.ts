// `hashpulse backfill`: load a date range by hand — network series, equity closes, share counts — with one
// range request per series or ticker, each job recorded in the ledger.
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { ItemResult } from '../pipeline/result.js';
import { addDays, daysBetween, parseDateArg, toIsoDate } from '../time.js';
import { cliClock, EXIT, type GlobalOptions, parseList } from './common.js';
import { writeStdout } from './output.js';

interface BackfillOptions extends GlobalOptions {
  from?: string;
  to?: string;
  only?: string[];
  dryRun?: boolean;
  force?: boolean;
}

export interface BackfillPlan {
  /** Network series/sources to load, [] = none, undefined = all. */
  network?: string[];
  equities?: string[];
  shares?: string[];
  /** Miners whose production updates to read; [] = none, undefined = all. Only with --only operations[.TICKER]:
   *  a plain backfill leaves them out. */
  operations?: string[];
}

/** Turns --only tokens into what each job loads; unknown tokens are a UsageError listing what is known. */
export function planBackfill(
  only: readonly string[] | undefined,
  seriesIds: readonly string[],
  tickers: readonly string[],
  miners: readonly string[],
): BackfillPlan {
  if (!only || only.length === 0) return { operations: [] };
  const plan: Required<BackfillPlan> = { network: [], equities: [], shares: [], operations: [] };
  const all = { network: false, equities: false, shares: false, operations: false };
  for (const raw of only) {
    const o = raw.trim();
    const up = o.toUpperCase();
    if (o === 'network' || o === 'equities' || o === 'shares' || o === 'operations') all[o] = true;
    else if (/^operations\./i.test(o) && miners.includes(up.slice('operations.'.length)))
      plan.operations.push(up.slice('operations.'.length));
    else if (seriesIds.includes(o) || seriesIds.some((id) => id.startsWith(`${o}.`)))
      plan.network.push(o); // a series id or a source name
    else if (tickers.includes(up)) {
      plan.equities.push(up);
      if (miners.includes(up)) plan.shares.push(up);
    } else {
      throw new UsageError(
        `--only: unknown series or ticker "${o}" (known: network, equities, shares, operations, operations.<miner>, ${[...new Set(seriesIds.map((id) => id.split('.')[0]!))].join(', ')}, ${seriesIds.join(', ')}, or a ticker: ${tickers.join(', ')})`,
      );
    }
  }
  return {
    network: all.network ? undefined : plan.network,
    equities: all.equities ? undefined : plan.equities,
    shares: all.shares ? undefined : plan.shares,
    operations: all.operations ? undefined : plan.operations,
  };
}

export function register(program: Command): void {
  program
    .command('backfill')
    .description('load history for a date range: network data, equity closes and share counts (default: all history)')
    .option(
      '--from <YYYY-MM-DD>',
      "first day to load (default: 2009-01-03 for network data, each ticker's listing date for prices)",
    )
    .option('--to <YYYY-MM-DD>', 'last day to load (default: the last complete day)')
    .option(
      '--only <what>',
      'comma-separated: network, equities, shares, operations (or operations.MARA), a source (mempool, blockchain, bitstamp, derived), a series id, or a ticker',
      parseList,
    )
    .option('--dry-run', 'print the requests it would make and write nothing')
    .option('--force', 'refetch chunks an interrupted run of the same backfill already committed')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<BackfillOptions>();
      const from = opts.from ? parseDateArg(opts.from, '--from') : undefined;
      const to = opts.to ? parseDateArg(opts.to, '--to') : undefined;
      if (from && to && to < from) throw new UsageError(`--to ${to} is before --from ${from}`);
      const { configFrom } = await import('./common.js');
      const { NETWORK_SERIES_IDS, HISTORY_START, networkItems } = await import('../pipeline/network.js');
      const { OPERATIONS_HISTORY_START } = await import('../pipeline/operations.js');
      const { loadUniverse } = await import('../universe.js');
      const config = await configFrom(opts);
      const universe = loadUniverse(config.universePath);
      const plan = planBackfill(
        opts.only,
        NETWORK_SERIES_IDS,
        universe.tickers.map((t) => t.ticker),
        universe.miners.map((t) => t.ticker),
      );
      const wants = (list: string[] | undefined) => list === undefined || list.length > 0;

      if (opts.dryRun) {
        const lines: string[] = [];
        if (wants(plan.network)) {
          const ids = networkItems(plan.network);
          // Every series is one request, except the derived figures (three mempool.space requests they share) and
          // Bitstamp (one per 1,000 days).
          const derived = ids.filter((id) => id.startsWith('derived.')).length > 0 ? 3 : 0;
          const days = daysBetween(from ?? HISTORY_START, to ?? addDays(toIsoDate(cliClock().now()), -1)) + 1;
          const bitstamp = ids.includes('bitstamp.btcusd') ? Math.max(1, Math.ceil(days / 1000)) : 0;
          const single = ids.filter((id) => !id.startsWith('derived.') && id !== 'bitstamp.btcusd').length;
          const how =
            derived + bitstamp === 0
              ? 'one per series'
              : [
                  single ? `${single} one per series` : '',
                  derived ? `${derived} shared by the derived figures` : '',
                  bitstamp ? `${bitstamp} to Bitstamp` : '',
                ]
                  .filter(Boolean)
                  .join(', ');
          lines.push(
            `network ${from ?? HISTORY_START}..${to ?? 'yesterday'}: ${single + derived + bitstamp} request(s), ${how}: ${ids.join(', ')}` +
              (plan.network === undefined
                ? " (plus a second source's requests for a figure whose primary fails or leaves days out: mempool.space 1–3, Bitstamp 1 per 1,000 days)"
                : ''),
          );
        }
        if (wants(plan.equities)) {
          const ts = plan.equities ?? universe.tickers.map((t) => t.ticker);
          lines.push(
            `equities ${from ?? 'listing date'}..${to ?? 'today'}: ${ts.length} request(s) to Yahoo, one per ticker (for a ticker Yahoo fails: Nasdaq, then Stooq and Tiingo if their keys are set): ${ts.join(', ')}`,
          );
        }
        if (wants(plan.shares)) {
          const ts = plan.shares ?? universe.miners.map((t) => t.ticker);
          lines.push(
            `shares: ${ts.length * 2} to ${ts.length * 3} request(s) to the SEC (concept + submissions, + a cover page when the API lags): ${ts.join(', ')}`,
          );
        }
        if (wants(plan.operations)) {
          const ts = plan.operations ?? universe.miners.map((t) => t.ticker);
          lines.push(
            `operations ${from ?? OPERATIONS_HISTORY_START}..${to ?? 'today'}: ${ts.length} submissions list(s) from the SEC, then 2 requests per 8-K (Item 7.01/8.01) or 6-K in the range (filing index, exhibit): ${ts.join(', ')}`,
          );
        }
        // Hosts are asked in parallel, each at its own pace: the slowest host sets the time.
        const n = (list: string[] | undefined, all: number) => (list === undefined ? all : list.length);
        const perHost = [
          (wants(plan.network) ? 5 : 0) * config.httpMinIntervalMs, // blockchain.com's five charts
          (wants(plan.equities) ? n(plan.equities, universe.tickers.length) : 0) * config.httpMinIntervalMs, // Yahoo
          (wants(plan.shares) ? 3 * n(plan.shares, universe.miners.length) : 0) *
            Math.min(config.httpMinIntervalMs, 125), // SEC
        ];
        lines.push(
          `about ${Math.ceil(Math.max(...perHost) / 1000)} s at the rate limits (HASHPULSE_HTTP_MIN_INTERVAL_MS=${config.httpMinIntervalMs} per host, SEC 125 ms), plus download and parse time`,
        );
        writeStdout(`Would fetch (nothing is written):\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
        return;
      }

      const { withContext } = await import('./common.js');
      const { runJob } = await import('../pipeline/job.js');
      const { chunkLedger, forgetBackfill } = await import('../store/chunks.js');
      const { network } = await import('../../jobs/network.js');
      const { equities } = await import('../../jobs/equities.js');
      const { shares } = await import('../../jobs/shares.js');
      const { operations } = await import('../../jobs/operations.js');
      const range = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
      const today = toIsoDate(cliClock().now());
      // A backfill is identified by its job and resolved range: the same command re-run resumes it.
      const keys: Record<string, string> = {
        network: `network ${from ?? HISTORY_START}..${to ?? addDays(today, -1)} ${plan.network?.join(',') ?? 'all'}`,
        equities: `equities ${from ?? 'listing'}..${to ?? today} ${plan.equities?.join(',') ?? 'all'}`,
        shares: `shares ${today} ${plan.shares?.join(',') ?? 'all'}`,
        operations: `operations ${from ?? OPERATIONS_HISTORY_START}..${to ?? today} ${plan.operations?.join(',') ?? 'all'}`,
      };
      const runs = [
        wants(plan.network)
          ? {
              job: network,
              params: { from: from ?? HISTORY_START, ...range, ...(plan.network ? { only: plan.network } : {}) },
            }
          : null,
        wants(plan.shares)
          ? { job: shares, params: { refresh: 'all' as const, ...(plan.shares ? { only: plan.shares } : {}) } }
          : null,
        wants(plan.equities)
          ? { job: equities, params: { ...range, ...(plan.equities ? { only: plan.equities } : {}) } }
          : null,
        wants(plan.operations)
          ? {
              job: operations,
              params: {
                from: from ?? OPERATIONS_HISTORY_START,
                ...range,
                refresh: 'all' as const,
                ...(plan.operations ? { only: plan.operations } : {}),
              },
            }
          : null,
      ].filter((r) => r !== null);
      let exit: number = EXIT.ok;
      const totals = {
        network: networkItems(plan.network).length,
        equities: plan.equities?.length ?? universe.tickers.length,
        shares: (plan.shares?.length ?? universe.miners.length) + 1,
        operations: (plan.operations?.length ?? universe.miners.length) + 1,
      };
      const total = runs.reduce((n, r) => n + (totals[r.job.name as keyof typeof totals] ?? 0), 0);
      await withContext(opts, async (ctx) => {
        const progress = await createProgress(total, () => ctx.http.requests);
        for (const { job, params } of runs) {
          const key = keys[job.name]!;
          if (opts.force) forgetBackfill(ctx.sqlite, key);
          const chunks = chunkLedger<ItemResult>(
            ctx.sqlite,
            key,
            () => ctx.clock.now(),
            (r) => progress.item(job.name, r),
          );
          const report = await runJob(ctx, job, 'backfill', { ...params, chunks });
          if (job === runs.at(-1)?.job) progress.stop();
          for (const r of report.results) {
            writeStdout(
              `${r.status.padEnd(7)} ${`${job.name}`.padEnd(9)} ${r.item.padEnd(32)} ${String(r.rows).padStart(6)} rows  ${r.error ?? r.detail ?? ''}\n`,
            );
          }
          if (report.status === 'skipped') {
            writeStdout(`skipped ${job.name}: ${report.error}\n`);
            exit = Math.max(exit, EXIT.locked);
          } else {
            writeStdout(
              `${report.status}: ${job.name}: ${report.rowsWritten} rows written, ${report.requests} requests, ${(report.durationMs / 1000).toFixed(1)} s (run ${report.runId} in job_runs)\n`,
            );
            if (report.status !== 'ok') exit = Math.max(exit, EXIT.failed);
          }
        }
      });
      process.exitCode = exit;
    });
}

interface Progress {
  item(job: string, r: { item: string; status: string; rows: number; error?: string }): void;
  stop(): void;
}

/** A cli-progress bar on a terminal; plain lines on stderr otherwise (logs, CI, cron). */
async function createProgress(total: number, requests: () => number): Promise<Progress> {
  let done = 0;
  let rows = 0;
  if (process.stderr.isTTY) {
    const { SingleBar, Presets } = await import('cli-progress');
    const bar = new SingleBar(
      {
        format:
          'backfill {bar} {value}/{total} chunks | {rows} rows | {requests} requests | ETA {eta_formatted} | {last}',
        stream: process.stderr,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    bar.start(total, 0, { rows: 0, requests: 0, last: '' });
    return {
      item: (_job, r) => {
        done++;
        rows += r.rows;
        bar.update(done, { rows, requests: requests(), last: `${r.status} ${r.item}` });
      },
      stop: () => bar.stop(),
    };
  }
  return {
    item: (job, r) => {
      done++;
      rows += r.rows;
      process.stderr.write(
        `[${done}/${total}] ${r.status} ${job} ${r.item}: ${r.rows} rows, ${requests()} requests so far${r.error ? ` — ${r.error}` : ''}\n`,
      );
    },
    stop: () => undefined,
  };
}
