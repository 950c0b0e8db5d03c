// `hashpulse report` in every format as a user runs it: the JSON contract's key set, CSV that parses back to
// report_monthly, Markdown, --out, a range, and one-line errors with exit code 2 for bad arguments.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { createNoteEnv, type TestEnv } from './support/env.js';

let t: TestEnv;
let env: Record<string, string>;
beforeAll(async () => {
  ({ t, env } = await createNoteEnv());
});
afterAll(async () => t.close());

/** Every key path of a JSON document; array elements as `[]` (the first element's keys). */
function keyPaths(x: unknown, prefix = ''): string[] {
  if (Array.isArray(x))
    return x.length > 0 && typeof x[0] === 'object' && x[0] !== null ? keyPaths(x[0], `${prefix}[]`) : [];
  if (x === null || typeof x !== 'object') return [];
  return Object.entries(x).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    return [p, ...keyPaths(v, p)];
  });
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end with CRLF or LF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// The JSON contract for one month, as of this release. Keys are only ever added: a missing key here is a broken
// contract; a new key is appended to this list in the same change that adds it.
const CONTRACT_KEYS = [
  'month',
  'network',
  'network.days_in_month',
  'network.days_with_data',
  'network.hashrate_avg_ehs',
  'network.hashrate_min_ehs',
  'network.hashrate_min_date',
  'network.hashrate_max_ehs',
  'network.hashrate_mom_pct',
  'network.difficulty_end',
  'network.difficulty_avg',
  'network.difficulty_mom_pct',
  'network.difficulty_ath',
  'network.difficulty_ath_date',
  'network.difficulty_below_ath_pct',
  'network.btc_close_usd',
  'network.btc_close_date',
  'network.btc_return_pct',
  'network.revenue_usd_per_day_avg',
  'network.revenue_days',
  'network.hashprice_usd_per_ehs_day',
  'network.hashprice_mom_pct',
  'equities',
  'equities.last_trading_date',
  'equities.combined_market_cap_usd',
  'equities.combined_market_cap_mom_pct',
  'equities.combined_peak_usd',
  'equities.combined_peak_month',
  'equities.below_peak_pct',
  'equities.btc_return_pct',
  'equities.outperformed_btc_count',
  'equities.priced_count',
  'equities.capped_count',
  'equities.universe_count',
  'equities.best_ticker',
  'equities.best_return_pct',
  'equities.worst_ticker',
  'equities.worst_return_pct',
  'equities.benchmark_return_pct',
  'equities.tickers',
  'equities.tickers[].ticker',
  'equities.tickers[].role',
  'equities.tickers[].close_date',
  'equities.tickers[].close_usd',
  'equities.tickers[].price_source',
  'equities.tickers[].return_pct',
  'equities.tickers[].market_cap_usd',
  'equities.tickers[].shares_outstanding',
  'equities.tickers[].shares_as_of',
  'equities.tickers[].shares_source',
  'equities.tickers[].outperformed_btc',
  'equities.tickers[].name',
  'equities.tickers[].return_ytd_pct',
  'equities.tickers[].return_minus_btc_pct',
  'equities.tickers[].share_of_combined_cap_pct',
  'equities.missing',
  'economics',
  'economics.hashprice_usd_per_ehs_day',
  'economics.power_cost_usd_per_ehs_day',
  'economics.gross_profit_usd_per_ehs_day',
  'economics.gross_profit_mom_pct',
  'economics.gross_margin_pct',
  'economics.height_est_date',
  'economics.height_est_retarget',
  'economics.blocks_per_day_est',
  'economics.height_month_end_est',
  'economics.subsidy_btc_per_block',
  'economics.subsidy_next_210000_blocks_btc',
  'economics.subsidy_schedule',
  'economics.subsidy_schedule[].from_height',
  'economics.subsidy_schedule[].to_height',
  'economics.subsidy_schedule[].blocks',
  'economics.subsidy_schedule[].subsidy_btc_per_block',
  'economics.subsidy_schedule[].subsidy_btc',
  'economics.btc_close_usd',
  'economics.block_reward_opportunity_usd',
  'economics.combined_market_cap_usd',
  'economics.valuation_to_opportunity_pct',
  'changes',
  'changes.ytd_base_month',
  'changes.yoy_base_month',
  'changes.hashrate_avg_ehs',
  'changes.hashrate_avg_ehs.value',
  'changes.hashrate_avg_ehs.mom_pct',
  'changes.hashrate_avg_ehs.ytd_pct',
  'changes.hashrate_avg_ehs.yoy_pct',
  'changes.hashrate_ytd_avg_ehs',
  'changes.hashprice_usd_per_ehs_day',
  'changes.hashprice_usd_per_ehs_day.value',
  'changes.hashprice_usd_per_ehs_day.mom_pct',
  'changes.hashprice_usd_per_ehs_day.ytd_pct',
  'changes.hashprice_usd_per_ehs_day.yoy_pct',
  'changes.combined_market_cap_usd',
  'changes.combined_market_cap_usd.value',
  'changes.combined_market_cap_usd.mom_pct',
  'changes.combined_market_cap_usd.ytd_pct',
  'changes.combined_market_cap_usd.yoy_pct',
  'retargets',
  'retargets[].date',
  'retargets[].time_utc',
  'retargets[].height',
  'retargets[].difficulty',
  'retargets[].change_pct',
  'assumptions',
  'assumptions.fleet_efficiency_jth',
  'assumptions.fleet_efficiency_source',
  'assumptions.power_price_usd_mwh',
  'assumptions.power_price_source',
  'assumptions.note',
  'assumptions.economics_file',
  'assumptions.power_cost_formula',
  'assumptions.month_end_height_method',
  'assumptions.opportunity_method',
  'assumptions.valuation_method',
  'assumptions.ytd_yoy_method',
  'sources',
  'sources.hashrate',
  'sources.difficulty',
  'sources.btc_price',
  'sources.miners_revenue',
  'sources.hashprice',
  'sources.equity_prices',
  'sources.shares_outstanding',
  'sources.retargets',
  'sources.power_cost',
  'sources.gross_profit',
  'sources.block_reward_opportunity',
  'network.btc_price_sources',
  'network.revenue_sources',
  'network.btc_price_usd_avg',
  'network.blocks_per_day_avg',
  'network.subsidy_btc_per_block_avg',
  'network.fees_per_block_btc_avg',
  'network.hashprice_btc_per_ehs_day',
  'network.hashprice_expected_usd_per_ehs_day',
  'network.hashprice_expected_mom_pct',
  'network.hashprice_expected_btc_per_ehs_day',
  'network.hashprice_difficulty_usd_per_ehs_day',
  'network.hashprice_difficulty_mom_pct',
  'network.hashprice_difficulty_btc_per_ehs_day',
  'economics.hashprice_btc_per_ehs_day',
  'economics.hashprice_mom_pct',
  'economics.hashprice_expected_usd_per_ehs_day',
  'economics.hashprice_expected_btc_per_ehs_day',
  'economics.hashprice_expected_mom_pct',
  'economics.hashprice_difficulty_usd_per_ehs_day',
  'economics.hashprice_difficulty_btc_per_ehs_day',
  'economics.hashprice_difficulty_mom_pct',
  'economics.blocks_per_day_avg',
  'economics.fees_per_block_btc_avg',
  'economics.hashprice_basis',
  'economics.hashprice_note_usd_per_ehs_day',
  'sources.served_by',
  'sources.served_by.btc_price',
  'sources.served_by.miners_revenue',
  'economics.valuation_to_opportunity_avg_since_2022_pct',
  'economics.valuation_to_avg_since_2022_ratio',
  'sources.operations',
  'operations', // null in this fixture (no production updates); its keys: test/operations-figures.test.ts
];

describe('--format json', () => {
  it('keeps every key of the contract, in the documented top-level order', async () => {
    const r = await runCli(['report', '--month', '2026-01', '--format', 'json'], env);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual([
      'month',
      'network',
      'equities',
      'economics',
      'changes',
      'retargets',
      'assumptions',
      'sources',
      'operations',
    ]);
    const keys = keyPaths(doc);
    expect(
      CONTRACT_KEYS.filter((k) => !keys.includes(k)),
      'keys removed or renamed (never allowed)',
    ).toEqual([]);
    expect(
      keys.filter((k) => !CONTRACT_KEYS.includes(k)),
      'new keys: append them to CONTRACT_KEYS',
    ).toEqual([]);
  });

  it('says which source served the month: blockchain.com for every price and revenue of the fixture January', async () => {
    const r = await runCli(['report', '--month', '2026-01', '--format', 'json'], env);
    const doc = JSON.parse(r.stdout) as { sources: { served_by: unknown }; assumptions: unknown };
    expect(doc.sources.served_by).toEqual({ btc_price: 'blockchain', miners_revenue: 'blockchain' });
    const text = await runCli(['report', '--month', '2026-01'], env);
    expect(text.stdout).toContain("BTC prices from blockchain.com; miners' revenue from blockchain.com.");
  });

  it('gives an array of those documents for a range, one per stored month', async () => {
    const r = await runCli(['report', '--from', '2025-10', '--to', '2026-01', '--format', 'json'], env);
    expect(r.code).toBe(0);
    const docs = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(docs.map((d) => d.month)).toEqual(['2025-11', '2025-12', '2026-01']); // no data for October: left out
    for (const d of docs)
      expect(keyPaths(d).filter((k) => !k.includes('[]'))).toEqual(
        expect.arrayContaining(['economics.gross_profit_usd_per_ehs_day', 'assumptions.power_price_usd_mwh']),
      );
  });
});

describe('--format csv', () => {
  it('parses back to report_monthly (the README’s contract): the view’s columns in order, one row per month, values unrounded', async () => {
    fs.writeFileSync(
      env.HASHPULSE_ECONOMICS!,
      'month,fleet_efficiency_jth,power_price_usd_mwh,note\n2025-12,18,,"a note with a comma, a ""quote"" and ünïcode"\n',
    );
    const r = await runCli(['report', '--from', '2025-11', '--to', '2026-01', '--format', 'csv'], env);
    // report only reads; `migrate` stores the same assumptions in the file, so SQL's report_monthly matches the CSV.
    expect((await runCli(['migrate'], env)).code).toBe(0);
    fs.rmSync(env.HASHPULSE_ECONOMICS!);
    expect(r.code).toBe(0);
    const rows = parseCsv(r.stdout);
    const view = t.opened.sqlite
      .prepare("select * from report_monthly where month between '2025-11' and '2026-01' order by month")
      .all() as Array<Record<string, unknown>>;
    expect((await runCli(['migrate'], env)).code).toBe(0); // and back to no file, for the tests after this one
    const columns = t.opened.sqlite
      .prepare('select * from report_monthly limit 0')
      .columns()
      .map((c) => c.name);
    expect(rows[0]).toEqual(columns);
    // The listed miners' operations are columns too (NULL in this fixture world: no production updates).
    expect(rows[0]).toEqual(
      expect.arrayContaining([
        'operations_combined_hashrate_ehs',
        'operations_share_of_network_pct',
        'operations_btc_produced',
      ]),
    );
    expect(rows.slice(1).map((x) => x[0])).toEqual(['2025-11', '2025-12', '2026-01']);
    rows.slice(1).forEach((cells, i) => {
      expect(cells).toHaveLength(columns.length);
      columns.forEach((c, j) => {
        const v = view[i]![c];
        const cell = cells[j]!;
        if (v === null) expect(cell, c).toBe('');
        else if (typeof v === 'number') expect(Number(cell), c).toBe(v);
        else expect(cell, c).toBe(v);
      });
    });
    const dec = Object.fromEntries(columns.map((c, j) => [c, rows[2]![j]]));
    expect(dec.assumptions_note).toBe('a note with a comma, a "quote" and ünïcode');
    expect(Number(dec.power_cost_usd_per_ehs_day)).toBeCloseTo(18 * 24 * 50.36, 9);
  });

  it('carries the figures a reader checks, unrounded, as computed by hand from the fixtures', async () => {
    const r = await runCli(['report', '--from', '2025-11', '--to', '2026-01', '--format', 'csv'], env);
    expect(r.code).toBe(0);
    const [header, ...body] = parseCsv(r.stdout);
    const [nov, dec, jan] = body.map((cells) => Object.fromEntries(header!.map((c, j) => [c, cells[j]!])));
    // Hashrate (test/fixtures/generate-network.mjs): November 1,080 EH/s every day; December 1,040 on the 30 days
    // mempool indexed (none on Dec 25): −3.7037 % MoM (1,040 / 1,080 − 1); January 30 days at 1,000 and 700 on
    // Jan 26: 30,700 / 31 = 990.322580… EH/s, −4.7767 % MoM (990.3226 / 1,040 − 1).
    expect(Number(nov!.hashrate_avg_ehs)).toBe(1080);
    expect(nov!.hashrate_mom_pct).toBe(''); // no October stored: NULL, an empty field
    expect(Number(dec!.hashrate_avg_ehs)).toBe(1040);
    expect(Number(dec!.hashrate_mom_pct)).toBeCloseTo(-3.7037, 4);
    expect(Number(jan!.hashrate_avg_ehs)).toBeCloseTo(990.322580645, 9); // unrounded: more than the note's 990
    expect(Number(jan!.hashrate_mom_pct)).toBeCloseTo(-4.7767, 4);
    // BTC month-end closes: 87,500 on Dec 31, 78,150 on Jan 31: 78,150 / 87,500 − 1 = −10.6857 %.
    expect(Number(dec!.btc_close_usd)).toBe(87500);
    expect(jan!.btc_close_date).toBe('2026-01-31');
    expect(Number(jan!.btc_close_usd)).toBe(78150);
    expect(Number(jan!.btc_return_pct)).toBeCloseTo(-10.6857, 4);
    // Combined market cap at the Jan 30 closes (generate-equities.mjs) × shares; this env's override gives CANG
    // 41 M from 2026-01-20: 12.50 × 370 M + 52.65 × 280 M + 12.30 × 41 M = 4.625 + 14.742 + 0.5043 = 19.8713 B.
    expect(Number(jan!.combined_market_cap_usd)).toBeCloseTo(19_871_300_000, 0);
    // Against bitcoin's 84,000 / 87,500 − 1 = −4.0 % to Jan 30: MARA +25 % (12.5 / 10) and IREN +42.2973 %
    // (52.65 / 37) beat it, CANG −18 % (12.30 / 15.00) did not.
    expect(Number(jan!.btc_return_trading_pct)).toBeCloseTo(-4, 9);
    expect(Number(jan!.outperformed_btc_count)).toBe(2);
    expect([jan!.best_ticker, Number(jan!.best_return_pct)]).toEqual(['IREN', expect.closeTo(42.2973, 4)]);
    expect([jan!.worst_ticker, Number(jan!.worst_return_pct)]).toEqual(['CANG', expect.closeTo(-18, 9)]);
    // Hashprice: January's revenue (30 × 42 M + 30 M = 1,290 M) over its EH/s-days (30,700): $42,019.54.
    expect(Number(jan!.hashprice_usd_per_ehs_day)).toBeCloseTo(42_019.54, 2);
  });
});

describe('--format md and table', () => {
  it('Markdown: a heading, the sentences as a list, one table per block', async () => {
    const r = await runCli(['report', '--month', '2026-01', '--format', 'md'], env);
    expect(r.code).toBe(0);
    expect(
      r.stdout.startsWith('# Bitcoin mining — January 2026\n\n- Average network hashrate fell 4.8% MoM to 990 EH/s'),
    ).toBe(true);
    expect(r.stdout).toContain(
      '## Miner economics\n\n| figure | value |\n|:---|:---|\n| Hashprice | $42,020 per EH/s per day |',
    );
    expect(r.stdout).toContain('| Gross profit | $20,868 per EH/s per day  (−1.4% MoM, margin 49.7%) |');
    expect(r.stdout).toContain(
      '## Difficulty retargets\n\n| date | height | difficulty | change |\n|:---|---:|---:|---:|\n| 2026-01-07 | 931,392 | 146.72 T | +0.17% |',
    );
    expect(r.stdout).toMatch(
      /^\| IREN \| \$52\.65 \| \+42\.3% \| beat \| 280,000,000 \| 2025-1\d-\d\d \| sec \| \$14\.7B \|$/m,
    );
    // IREN +42.3% against bitcoin's −4.0% over the same dates: +46.3 percentage points; 14.742 / 19.8713 = 74.2% of the cap.
    expect(r.stdout).toContain('| IREN | +42.3% | −4.0% | +46.3 pp | +42.3% | 74.2% |');
    expect(r.stdout).toContain('## Assumptions\n\n- Fleet efficiency 17.5 J/TH, built-in default.');
  });

  it('table: the note for each month of a range, oldest first', async () => {
    const r = await runCli(['report', '--from', '2025-11', '--to', '2026-01'], env);
    expect(r.code).toBe(0);
    const titles = r.stdout.split('\n').filter((l) => l.startsWith('Bitcoin mining — '));
    expect(titles).toEqual([
      'Bitcoin mining — November 2025',
      'Bitcoin mining — December 2025',
      'Bitcoin mining — January 2026',
    ]);
    // November: 46e6/1,080 − 21,151.2 = $21,441 (no October to compare); December: 44e6/1,040 − 21,151.2 = $21,156.
    expect(r.stdout).toMatch(/^ {2}Gross profit +\$21,441 per EH\/s per day {2}\(n\/a MoM, margin 50\.3%\)$/m);
    expect(r.stdout).toMatch(/^ {2}Gross profit +\$21,156 per EH\/s per day {2}\(−1\.3% MoM, margin 50\.0%\)$/m);
  });
});

describe('--out', () => {
  it('writes the file, prints its path, and takes the format from the extension', async () => {
    const out = path.join(t.dir, 'reports', 'jan.csv');
    const r = await runCli(['report', '--month', '2026-01', '--out', out], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${out}\n`);
    const rows = parseCsv(fs.readFileSync(out, 'utf8'));
    expect(rows).toHaveLength(2);
    expect(rows[1]![0]).toBe('2026-01');
    const md = path.join(t.dir, 'jan.md');
    expect((await runCli(['report', '--month', '2026-01', '--out', md], env)).code).toBe(0);
    expect(fs.readFileSync(md, 'utf8')).toMatch(/^# Bitcoin mining — January 2026/);
    const forced = path.join(t.dir, 'jan.txt');
    expect((await runCli(['report', '--month', '2026-01', '--format', 'json', '--out', forced], env)).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(forced, 'utf8')).month).toBe('2026-01');
  });
});

describe('bad arguments', () => {
  it.each([
    [['report', '--from', '2025-11'], /^hashpulse: --from needs --to \(a range is --from YYYY-MM --to YYYY-MM\)$/],
    [['report', '--to', '2026-01'], /^hashpulse: --to needs --from/],
    [
      ['report', '--month', '2026-01', '--from', '2025-11', '--to', '2026-01'],
      /^hashpulse: give either --month or --from\/--to, not both$/,
    ],
    [['report', '--from', '2026-01', '--to', '2025-11'], /^hashpulse: --to 2025-11 is before --from 2026-01$/],
    [
      ['report', '--from', '2025-13', '--to', '2026-01'],
      /^hashpulse: --from must be a month YYYY-MM \(2009 or later\), got "2025-13"$/,
    ],
    [['report', '--from', '2025-11', '--to', 'now'], /^hashpulse: --to must be a month YYYY-MM/],
    [['report', '--format', 'xlsx'], /^hashpulse: --format must be one of table, json, md, csv, html, got "xlsx"$/],
    [
      ['report', '--month', '2026-01', '--out', 'note.pdf'],
      /^hashpulse: cannot tell the format from "note\.pdf": add --format \(table, json, md, csv, html\)/,
    ],
    [
      ['report', '--from', '2019-01', '--to', '2019-12'],
      /^hashpulse: no data from 2019-01 to 2019-12 \(stored months: 2025-11 to 2026-01\); load it with: hashpulse backfill --from 2019-01-01$/,
    ],
  ])('refuses %j with one line and exit code 2', async (args, message) => {
    const r = await runCli(args, env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
});

describe('user text in the HTML page', () => {
  it('a note in data/economics.csv with </script> and markup is shown as text, never run or parsed as HTML', async () => {
    const evil = '</script><script>window.pwned=1</script><b>bold</b> & "quotes"';
    fs.writeFileSync(
      env.HASHPULSE_ECONOMICS!,
      `month,fleet_efficiency_jth,power_price_usd_mwh,note\n2026-01,17.5,,"${evil.replace(/"/g, '""')}"\n`,
    );
    const r = await runCli(['report', '--month', '2026-01', '--format', 'html'], env);
    fs.rmSync(env.HASHPULSE_ECONOMICS!);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('<script>window.pwned');
    expect(r.stdout).not.toContain('<b>bold</b>');
    // Escaped where it is shown: in the assumptions list as text.
    expect(r.stdout).toContain(
      '&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quotes&quot;',
    );
    // Exactly the page's own script elements close: one per opening tag.
    expect((r.stdout.match(/<script\b/g) ?? []).length).toBe((r.stdout.match(/<\/script>/g) ?? []).length);
  });
});

// Standard output to a pipe or a file is written with fs.writeSync (src/cli/output.ts), not process.stdout.
describe('standard output', () => {
  it('stops quietly when the reader goes away (hashpulse report … | head): exit 0, nothing on stderr', async () => {
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('./support/cli.js');
    // The HTML page (~290 kB) is more than a pipe holds (64 kB): the writer is still writing when the reader
    // closes after its first chunk, so its next write fails with EPIPE.
    const child = spawn(process.execPath, [CLI, 'report', '--month', '2026-01', '--format', 'html'], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const first = await new Promise<string>((resolve) =>
      child.stdout.once('data', (d: Buffer) => resolve(d.toString())),
    );
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(first.startsWith('<!doctype html>')).toBe(true);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('writes the same bytes to a file as to a pipe', async () => {
    const { spawnSync } = await import('node:child_process');
    const { CLI } = await import('./support/cli.js');
    const file = path.join(t.dir, 'stdout-to-file.json');
    const fd = fs.openSync(file, 'w');
    const args = [CLI, 'report', '--month', '2026-01', '--format', 'json'];
    const toFile = spawnSync(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', fd, 'pipe'],
    });
    fs.closeSync(fd);
    const piped = await runCli(['report', '--month', '2026-01', '--format', 'json'], env);
    expect(toFile.status).toBe(0);
    expect(piped.code).toBe(0);
    // The January note's average hashrate (30,700 EH/s-days ÷ 31, as cli.test.ts works out) is in both.
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).network.hashrate_avg_ehs).toBeCloseTo(990.3226, 3);
    expect(fs.readFileSync(file, 'utf8')).toBe(piped.stdout);
  });
});
