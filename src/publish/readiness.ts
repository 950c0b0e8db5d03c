// Is a month's note ready to publish? The gaps that stop it, each one sentence naming the series, ticker or check
// and the dates: the daily network figures (the series `status` and `check` know, figure series only), the
// retargets, every tracked ticker's close of the month's last US trading day, and error-level check findings.
import type { Sqlite } from '../db/sqlite.js';
import { NETWORK_SERIES } from '../pipeline/network.js';
import { type Finding, FRESH_DAYS } from '../quality/checks.js';
import { DAILY_TABLES } from '../store/network.js';
import { addDays, daysBetween, firstDayOfMonth, type IsoDate, lastDayOfMonth, type Month } from '../time.js';
import { lastUsTradingDay } from '../trading-calendar.js';

export interface Readiness {
  readonly month: Month;
  readonly lastTradingDate: IsoDate;
  /** Empty when the month is complete. */
  readonly gaps: readonly string[];
}

/** "2026-01-31" or "2026-01-30..2026-01-31 (2 days)". */
function span(first: IsoDate, last: IsoDate): string {
  return first === last ? first : `${first}..${last} (${daysBetween(first, last) + 1} days)`;
}

/** Runs of consecutive days of the month missing from `have`. */
function missingRuns(month: Month, have: ReadonlySet<string>): Array<[IsoDate, IsoDate]> {
  const runs: Array<[IsoDate, IsoDate]> = [];
  for (let d = firstDayOfMonth(month); d <= lastDayOfMonth(month); d = addDays(d, 1)) {
    if (have.has(d)) continue;
    const last = runs[runs.length - 1];
    if (last && addDays(last[1], 1) === d) last[1] = d;
    else runs.push([d, d]);
  }
  return runs;
}

/**
 * The gaps of `month`. `errors` are the error-level findings of a fresh `runChecks` (passed in: one check run serves
 * every month the job looks at).
 */
export function monthReadiness(sqlite: Sqlite, month: Month, errors: readonly Finding[]): Readiness {
  const first = firstDayOfMonth(month);
  const last = lastDayOfMonth(month);
  const gaps: string[] = [];

  // Network: each figure's days, from any source of its chain (a day a fallback filled is not a gap). The
  // comparison-only series (blockchain.com's hash-rate and difficulty) feed `check`, not the note.
  for (const s of NETWORK_SERIES.filter((x) => x.role === 'figure')) {
    const sources = [...new Set(s.chain.map((l) => l.source))];
    const have = new Set(
      sqlite
        .prepare(
          `select distinct date from ${s.table} where date between ? and ? and ${DAILY_TABLES[s.table]} is not null and source in (${sources.map(() => '?').join(', ')})`,
        )
        .pluck()
        .all(first, last, ...sources) as string[],
    );
    for (const [a, b] of missingRuns(month, have)) gaps.push(`${s.id} for ${span(a, b)} missing`);
  }
  const newestRetarget = sqlite
    .prepare('select max(date) from difficulty_retargets where date <= ?')
    .pluck()
    .get(last) as string | null;
  if (newestRetarget === null || daysBetween(newestRetarget, last) > FRESH_DAYS.retargets) {
    gaps.push(
      `mempool.difficulty-adjustments: ${newestRetarget ? `newest retarget ${newestRetarget}` : 'no retarget'}, more than ${FRESH_DAYS.retargets} days before ${last}`,
    );
  }

  // Equities: every tracked ticker's close of the last trading day. A miner with no close all month is named as
  // missing by the note itself ("No price this month for: …", left out of the sums), as the report does; one
  // with closes but not that day's would silently give the month an older close.
  const lastTradingDate = lastUsTradingDay(month);
  const tickers = sqlite.prepare('select ticker, role from universe order by role desc, ticker').all() as Array<{
    ticker: string;
    role: string;
  }>;
  if (tickers.length === 0) gaps.push('no tracked tickers stored (the equities job has not run)');
  const closeOn = sqlite.prepare('select 1 from equity_close_daily where ticker = ? and date = ?').pluck();
  const anyIn = sqlite
    .prepare('select 1 from equity_close_daily where ticker = ? and date between ? and ? limit 1')
    .pluck();
  for (const t of tickers) {
    if (closeOn.get(t.ticker, lastTradingDate)) continue;
    if (t.role === 'miner' && !anyIn.get(t.ticker, first, last)) continue;
    gaps.push(`${t.ticker} close for ${lastTradingDate} missing`);
  }

  // Data quality: an error-level finding dated inside the month (bounds, impossible retargets).
  for (const f of errors) {
    if (f.severity !== 'error' || (f.last_date ?? last) < first || (f.first_date ?? first) > last) continue;
    const when =
      f.first_date && f.last_date && f.first_date !== f.last_date
        ? `${f.first_date}..${f.last_date}`
        : (f.first_date ?? f.last_date ?? month);
    gaps.push(`check ${f.check} error in ${f.series} on ${when}: ${f.detail}`);
  }
  return { month, lastTradingDate, gaps };
}
