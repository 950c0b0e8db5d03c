// The equities half of the monthly report: the note's sentences, a per-ticker table, and the JSON section.
import type { SectorMonth, TickerMonth } from '../metrics/equities.js';
import { fmtNum, fmtPct, fmtUsd, fmtUsdShort, moved } from './format.js';

export function equitySentences(s: SectorMonth): string[] {
  const out: string[] = [];
  const n = s.universe_count;
  if (s.combined_market_cap_usd !== null) {
    const peak =
      s.below_peak_pct !== null && Math.abs(s.below_peak_pct) >= 0.05
        ? ` and sits ${Math.abs(s.below_peak_pct).toFixed(1)}% below its ${s.combined_peak_month} peak of ${fmtUsdShort(s.combined_peak_usd)}`
        : ', a new high';
    const of = s.capped_count < n ? ` (${s.capped_count} of ${n} with a price and a share count)` : '';
    out.push(
      `The ${n} miners' combined market cap ${moved(s.combined_market_cap_mom_pct)} to ${fmtUsdShort(s.combined_market_cap_usd)}${of}${peak}.`,
    );
  }
  if (s.btc_return_pct !== null) {
    out.push(
      `${s.outperformed_btc_count} of ${n} outperformed bitcoin's ${fmtPct(s.btc_return_pct)} (both measured to ${s.last_trading_date}, the month's last US trading day).`,
    );
  }
  if (s.best_ticker && s.worst_ticker) {
    const bench = s.benchmark_return_pct !== null ? `; S&P 500 ${fmtPct(s.benchmark_return_pct)}` : '';
    out.push(
      `Best ${s.best_ticker} ${fmtPct(s.best_return_pct)}, worst ${s.worst_ticker} ${fmtPct(s.worst_return_pct)}${bench}.`,
    );
  }
  if (s.missing_tickers)
    out.push(`No price this month for: ${s.missing_tickers.split(',').join(', ')} (left out of the sums).`);
  return out;
}

export const TICKER_HEAD = ['ticker', 'close', 'return', 'vs BTC', 'shares', 'as of', 'from', 'market cap'] as const;

/** One row of printed cells per ticker, in TICKER_HEAD's order (shared by the text, Markdown and HTML notes). */
export function tickerCells(rows: readonly TickerMonth[]): string[][] {
  return rows.map((r) => [
    r.ticker,
    fmtUsd(r.close_usd, 2),
    fmtPct(r.return_pct),
    r.outperformed_btc === null ? '' : r.outperformed_btc ? 'beat' : 'lagged',
    r.shares_outstanding === null ? '' : fmtNum(r.shares_outstanding),
    r.shares_as_of ?? '',
    r.shares_source ?? '',
    fmtUsdShort(r.market_cap_usd),
  ]);
}

export function tickerTable(rows: readonly TickerMonth[]): string[] {
  const head = [...TICKER_HEAD];
  const body = tickerCells(rows);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    `  ${cells
      .map((c, i) => (i === 0 || i >= 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd()}`;
  return [line(head), ...body.map(line)];
}

export function equitiesJson(s: SectorMonth, rows: readonly TickerMonth[]) {
  const { month: _m, missing_tickers, ...sector } = s;
  return {
    ...sector,
    tickers: rows.map((r) => ({
      ticker: r.ticker,
      role: r.role,
      close_date: r.close_date,
      close_usd: r.close_usd,
      price_source: r.price_source,
      return_pct: r.return_pct,
      market_cap_usd: r.market_cap_usd,
      shares_outstanding: r.shares_outstanding,
      shares_as_of: r.shares_as_of,
      shares_source: r.shares_source,
      outperformed_btc: r.outperformed_btc === null ? null : r.outperformed_btc === 1,
    })),
    missing: missing_tickers ? missing_tickers.split(',') : [],
  };
}
