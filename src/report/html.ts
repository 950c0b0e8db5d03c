// `--format html`: one self-contained page — the note's text and tables plus five charts drawn by Chart.js, whose
// UMD build is inlined from node_modules (the page needs no network). Loaded only for --format html.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { DailyPoint, ReportMonth, ReportTicker, Retarget } from '../metrics/note-data.js';
import { monthName } from '../time.js';
import type { Note, NoteBlock } from './note.js';

export interface ChartWindow {
  readonly from: string;
  readonly to: string;
  readonly daily: readonly DailyPoint[];
  readonly months: readonly ReportMonth[];
  readonly retargets: readonly Retarget[];
  /** The listed miners' share of network hashrate by month (operations_monthly); absent or [] without updates. */
  readonly operations?: ReadonlyArray<{ readonly month: string; readonly share_of_network_pct: number | null }>;
}

export interface HtmlInput {
  readonly title: string;
  readonly notes: readonly Note[];
  readonly window: ChartWindow;
  /** The month whose per-ticker returns are charted (the last of the range) and its rows. */
  readonly tickersMonth: string;
  readonly tickers: readonly ReportTicker[];
  readonly btcReturnTradingPct: number | null;
  readonly lastTradingDate: string | null;
}

/** The data the page's script draws, in plain arrays aligned on `days` / `months`. */
export interface ChartData {
  readonly days: string[];
  readonly hashrate: Array<number | null>;
  readonly hashrateMonthAvg: Array<number | null>;
  readonly difficultyT: Array<number | null>;
  readonly retargets: Array<{ date: string; height: number; difficulty_t: number; change_pct: number | null }>;
  readonly hashprice: Array<number | null>;
  readonly hashpriceMonth: Array<number | null>;
  readonly hashpriceExpected: Array<number | null>;
  readonly hashpriceDifficulty: Array<number | null>;
  readonly powerCost: Array<number | null>;
  readonly months: string[];
  readonly combinedCapB: Array<number | null>;
  readonly minersSharePct: Array<number | null>;
  readonly tickersMonth: string;
  readonly returns: Array<{
    label: string;
    return_pct: number;
    kind: 'miner' | 'btc' | 'benchmark';
    beat: boolean | null;
  }>;
  readonly returnsDates: string | null;
}

export function chartData(input: HtmlInput): ChartData {
  const w = input.window;
  const byMonth = new Map(w.months.map((m) => [m.month, m]));
  const monthOf = (d: string) => byMonth.get(d.slice(0, 7));
  const returns: Array<ChartData['returns'][number]> = input.tickers
    .filter((t) => t.role === 'miner' && t.return_pct !== null)
    .map((t) => ({
      label: t.ticker,
      return_pct: t.return_pct as number,
      kind: 'miner' as const,
      beat: t.outperformed_btc === null ? null : t.outperformed_btc === 1,
    }))
    .sort((a, b) => b.return_pct - a.return_pct);
  if (input.btcReturnTradingPct !== null)
    returns.push({ label: 'Bitcoin', return_pct: input.btcReturnTradingPct, kind: 'btc', beat: null });
  for (const t of input.tickers) {
    if (t.role === 'benchmark' && t.return_pct !== null)
      returns.push({ label: t.name ?? t.ticker, return_pct: t.return_pct, kind: 'benchmark', beat: null });
  }
  return {
    days: w.daily.map((d) => d.date),
    hashrate: w.daily.map((d) => d.hashrate_ehs),
    hashrateMonthAvg: w.daily.map((d) => monthOf(d.date)?.hashrate_avg_ehs ?? null),
    difficultyT: w.daily.map((d) => (d.difficulty === null ? null : d.difficulty / 1e12)),
    // Only the retargets inside the drawn days (the window may start before the first stored day).
    retargets: w.retargets
      .filter((r) => w.daily.length > 0 && r.date >= w.daily[0]!.date && r.date <= w.daily[w.daily.length - 1]!.date)
      .map((r) => ({ date: r.date, height: r.height, difficulty_t: r.difficulty / 1e12, change_pct: r.change_pct })),
    hashprice: w.daily.map((d) => d.hashprice_usd_per_ehs_day),
    hashpriceMonth: w.daily.map((d) => monthOf(d.date)?.hashprice_usd_per_ehs_day ?? null),
    hashpriceExpected: w.daily.map((d) => d.hashprice_expected_usd_per_ehs_day),
    hashpriceDifficulty: w.daily.map((d) => d.hashprice_difficulty_usd_per_ehs_day),
    powerCost: w.daily.map((d) => monthOf(d.date)?.power_cost_usd_per_ehs_day ?? null),
    months: w.months.map((m) => m.month),
    combinedCapB: w.months.map((m) => (m.combined_market_cap_usd === null ? null : m.combined_market_cap_usd / 1e9)),
    minersSharePct: w.months.map((m) => w.operations?.find((o) => o.month === m.month)?.share_of_network_pct ?? null),
    tickersMonth: input.tickersMonth,
    returns,
    returnsDates: input.lastTradingDate,
  };
}

/** Chart.js's UMD build, read from node_modules at render time, without its source-map comment. */
export function loadChartLibrary(): string {
  const require = createRequire(import.meta.url);
  const file = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');
  const js = fs.readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  if (/<\/script/i.test(js)) throw new Error(`${file} contains "</script" and cannot be inlined`);
  return js;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON inside <script type="application/json">: "<" escaped so no "</script>" or "<!--" can end the element. */
function scriptJson(x: unknown): string {
  return JSON.stringify(x)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function blockHtml(b: NoteBlock): string {
  const h = `<h3>${escapeHtml(b.title)}</h3>`;
  switch (b.kind) {
    case 'pairs':
      return `${h}<table class="pairs"><tbody>${b.rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</tbody></table>`;
    case 'table': {
      const cls = (i: number) => (b.align[i] === 'right' ? ' class="num"' : '');
      const head = `<thead><tr>${b.head.map((c, i) => `<th${cls(i)}>${escapeHtml(c)}</th>`).join('')}</tr></thead>`;
      const body = `<tbody>${b.rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody>`;
      return `${h}<table>${head}${body}</table>`;
    }
    case 'lines':
      return `${h}<ul>${b.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`;
  }
}

function noteHtml(n: Note): string {
  return `<section class="note" id="note-${n.month}"><h2>${escapeHtml(monthName(n.month))}</h2>${n.sentences.map((s) => `<p>${escapeHtml(s)}</p>`).join('')}${n.blocks.map(blockHtml).join('')}</section>`;
}

export const CHART_IDS = [
  'chart-hashrate',
  'chart-difficulty',
  'chart-hashprice',
  'chart-market-cap',
  'chart-miners-share',
  'chart-returns',
] as const;

function chartFigure(id: string, caption: string, hasData: boolean, empty: string): string {
  const body = hasData
    ? `<div class="chart"><canvas id="${id}" role="img" aria-label="${escapeHtml(caption)}"></canvas></div>`
    : `<p class="empty">${escapeHtml(empty)}</p>`;
  return `<figure><figcaption>${escapeHtml(caption)}</figcaption>${body}</figure>`;
}

const CSS = `
:root { color-scheme: light; --ink: #1d2329; --muted: #5c6670; --rule: #dfe3e8; --bg: #ffffff; --panel: #f7f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); }
main { max-width: 1180px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 21px; margin: 32px 0 8px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.meta { color: var(--muted); margin: 0 0 16px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
figure { margin: 0; background: var(--panel); border: 1px solid var(--rule); border-radius: 6px; padding: 10px 12px 12px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
.chart { position: relative; height: 300px; }
.empty { color: var(--muted); height: 300px; display: flex; align-items: center; justify-content: center; margin: 0; }
.note p { margin: 4px 0; max-width: 90ch; }
table { border-collapse: collapse; margin: 4px 0 8px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid var(--rule); color: var(--muted); font-weight: 600; }
table.pairs th { font-weight: 500; color: var(--muted); }
.num { text-align: right; }
ul { margin: 4px 0; padding-left: 20px; color: var(--muted); } li { margin: 2px 0; max-width: 110ch; }
footer { margin-top: 32px; color: var(--muted); font-size: 13px; }
`;

// Runs in the page. Plain ES2017, no imports; every chart failure is a console error the browser test catches.
const DRAW = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('hashpulse-data').textContent);
  var C = { line: '#1f5fa8', avg: '#d9480f', cost: '#7b2cbf', btc: '#f7931a', up: '#2b8a3e', down: '#c92a2a', grey: '#868e96', bar: '#4263eb' };
  var drawn = 0;
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
  Chart.defaults.color = '#3b434b';
  // Legend in dataset order (draw order is set with 'order' so averages sit on top of the daily lines).
  Chart.defaults.plugins.legend.labels.sort = function (a, b) { return a.datasetIndex - b.datasetIndex; };
  Chart.defaults.plugins.legend.labels.usePointStyle = true;
  Chart.defaults.plugins.legend.labels.pointStyle = 'line';
  function num(x, d) { return x == null ? 'n/a' : x.toLocaleString('en-US', { minimumFractionDigits: d || 0, maximumFractionDigits: d || 0 }); }
  function pct(x, d) { return x == null ? 'n/a' : (x > 0 ? '+' : x < 0 ? '\\u2212' : '') + num(Math.abs(x), d == null ? 1 : d) + '%'; }
  function make(id, config) {
    var el = document.getElementById(id);
    if (!el) return;
    try { new Chart(el, config); drawn += 1; } catch (e) { console.error('hashpulse: chart ' + id + ' failed: ' + (e && e.message)); }
  }
  var xDays = { ticks: { maxTicksLimit: 6, autoSkip: true, autoSkipPadding: 16, maxRotation: 0 }, grid: { display: false } };
  var index = { mode: 'index', intersect: false };
  function yTitle(t) { return { title: { display: true, text: t }, grid: { color: '#e9ecef' } }; }

  make('chart-hashrate', { type: 'line', data: { labels: data.days, datasets: [
    { label: 'Daily hashrate', data: data.hashrate, borderColor: C.line, backgroundColor: C.line, borderWidth: 1.5, pointRadius: 0, order: 2 },
    { label: 'Monthly average', data: data.hashrateMonthAvg, borderColor: C.avg, backgroundColor: C.avg, borderWidth: 2.5, borderDash: [8, 4], pointRadius: 0, stepped: true, order: 1 }
  ] }, options: { interaction: index, scales: { x: xDays, y: yTitle('EH/s') },
    plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ': ' + num(c.parsed.y, 1) + ' EH/s'; } } } } } });

  var rt = {};
  data.retargets.forEach(function (r) { rt[r.date] = r; });
  make('chart-difficulty', { type: 'line', data: { labels: data.days, datasets: [
    { label: 'Difficulty in force', data: data.difficultyT, borderColor: C.line, backgroundColor: C.line, borderWidth: 2, pointRadius: 0, stepped: true },
    { label: 'Retarget', data: data.days.map(function (d) { return rt[d] ? rt[d].difficulty_t : null; }), showLine: false,
      pointRadius: 6, pointHoverRadius: 8, pointStyle: 'triangle', borderColor: C.avg, backgroundColor: C.avg }
  ] }, options: { interaction: index, scales: { x: xDays, y: yTitle('difficulty, T') },
    plugins: { tooltip: { callbacks: { label: function (c) {
      if (c.datasetIndex === 1) { var r = rt[c.label]; return 'Retarget at ' + num(r.height) + ': ' + pct(r.change_pct, 2); }
      return 'Difficulty ' + num(c.parsed.y, 2) + ' T'; } } } } } });

  make('chart-hashprice', { type: 'line', data: { labels: data.days, datasets: [
    { label: 'Daily hashprice, realized', data: data.hashprice, borderColor: C.line, backgroundColor: C.line, borderWidth: 1.5, pointRadius: 0, order: 3 },
    { label: 'Daily hashprice, expected at 144 blocks', data: data.hashpriceExpected, borderColor: C.up, backgroundColor: C.up, borderWidth: 1, pointRadius: 0, order: 4 },
    { label: 'Daily hashprice, from difficulty', data: data.hashpriceDifficulty, borderColor: C.grey, backgroundColor: C.grey, borderWidth: 1, borderDash: [4, 2], pointRadius: 0, order: 5 },
    { label: 'Monthly hashprice', data: data.hashpriceMonth, borderColor: C.avg, backgroundColor: C.avg, borderWidth: 2.5, borderDash: [8, 4], pointRadius: 0, stepped: true, order: 2 },
    { label: 'Power cost (assumed)', data: data.powerCost, borderColor: C.cost, backgroundColor: C.cost, borderWidth: 2, borderDash: [2, 3], pointRadius: 0, stepped: true, order: 1 }
  ] }, options: { interaction: index, scales: { x: xDays, y: Object.assign(yTitle('USD per EH/s per day'), { beginAtZero: true }) },
    plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ': $' + num(c.parsed.y); } } } } } });

  make('chart-miners-share', { type: 'line', data: { labels: data.months, datasets: [
    { label: "Listed miners' share of network hashrate", data: data.minersSharePct, borderColor: C.line, backgroundColor: C.line, borderWidth: 2, pointRadius: 3 }
  ] }, options: { scales: { x: { grid: { display: false } }, y: Object.assign(yTitle('% of network hashrate'), { beginAtZero: true }) },
    plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) { return num(c.parsed.y, 1) + '% of the network'; } } } } } });

  make('chart-market-cap', { type: 'bar', data: { labels: data.months, datasets: [
    { label: 'Combined market cap', data: data.combinedCapB, backgroundColor: C.bar }
  ] }, options: { scales: { x: { grid: { display: false } }, y: yTitle('USD billion') },
    plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) { return '$' + num(c.parsed.y, 2) + 'B'; } } } } } });

  make('chart-returns', { type: 'bar', data: { labels: data.returns.map(function (r) { return r.label; }), datasets: [
    { label: 'Return, ' + data.tickersMonth, data: data.returns.map(function (r) { return r.return_pct; }),
      backgroundColor: data.returns.map(function (r) { return r.kind === 'btc' ? C.btc : r.kind === 'benchmark' ? C.grey : r.beat ? C.up : C.down; }) }
  ] }, options: { scales: { x: { grid: { display: false } }, y: yTitle('%') },
    plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) { return pct(c.parsed.y) + (data.returnsDates ? ' (to ' + data.returnsDates + ')' : ''); } } } } } });

  document.documentElement.setAttribute('data-charts-drawn', String(drawn));
})();
`;

export function renderHtml(input: HtmlInput, chartLibrary: string): string {
  const d = chartData(input);
  const hasDaily = d.days.length > 0;
  const figures = [
    chartFigure(
      'chart-hashrate',
      'Network hashrate: daily and monthly average (EH/s)',
      d.hashrate.some((x) => x !== null),
      'No hashrate data in this window.',
    ),
    chartFigure(
      'chart-difficulty',
      'Difficulty in force, with retargets (T)',
      d.difficultyT.some((x) => x !== null),
      'No difficulty data in this window.',
    ),
    chartFigure(
      'chart-hashprice',
      'Hashprice and assumed power cost (USD per EH/s per day)',
      d.hashprice.some((x) => x !== null),
      'No hashprice data in this window.',
    ),
    chartFigure(
      'chart-market-cap',
      "Miners' combined market cap by month (USD billion)",
      d.combinedCapB.some((x) => x !== null),
      'No equity data in this window.',
    ),
    chartFigure(
      'chart-miners-share',
      "Listed miners' share of network hashrate by month (%)",
      d.minersSharePct.some((x) => x !== null),
      'No production updates in this window.',
    ),
    chartFigure(
      'chart-returns',
      `Returns in ${monthName(input.tickersMonth)}: miners vs bitcoin over the same dates${input.lastTradingDate ? ` (to ${input.lastTradingDate})` : ''} (%)`,
      d.returns.length > 0,
      `No per-ticker returns for ${input.tickersMonth}.`,
    ),
  ];
  const span = hasDaily
    ? `Charts: ${d.days[0]} to ${d.days[d.days.length - 1]}.`
    : 'No daily data in the chart window.';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="hashpulse">
<title>${escapeHtml(input.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(input.title)}</h1><p class="meta">${escapeHtml(span)} Figures from the hashpulse database (views report_monthly, report_tickers_monthly); assumptions are listed with each month.</p></header>
<section class="charts">${figures.join('\n')}</section>
${input.notes.map(noteHtml).join('\n')}
<footer>Made by hashpulse. Charts drawn with Chart.js (MIT licence), included in this file.</footer>
</main>
<script type="application/json" id="hashpulse-data">${scriptJson(d)}</script>
<script>${chartLibrary}</script>
<script>${DRAW}</script>
</body>
</html>
`;
}
