// `hashpulse report --format html` opened in a real browser (Debian's Chromium through playwright-core): no console
// or page errors, no request beyond the file itself, and every chart has drawn. One screenshot per chart goes to
// test-output/screenshots/. Skipped, with the reason printed, only when no Chromium is installed.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The six charts the note promises, pinned here: removing one from the page fails these tests.
const CHART_IDS = [
  'chart-hashrate',
  'chart-difficulty',
  'chart-hashprice',
  'chart-market-cap',
  'chart-miners-share',
  'chart-returns',
] as const;

import { refreshReportTables } from '../src/store/materialise.js';
import { runCli } from './support/cli.js';
import { createNoteEnv, type TestEnv } from './support/env.js';

const CHROMIUM = process.env.HASHPULSE_CHROMIUM || '/usr/bin/chromium';
const SCREENSHOTS = path.resolve(import.meta.dirname, '../test-output/screenshots');
const browserMissing = fs.existsSync(CHROMIUM)
  ? null
  : `no browser at ${CHROMIUM} (install Debian's chromium package: apt-get install -y chromium)`;
if (browserMissing) console.warn(`report-html.test.ts: browser checks skipped: ${browserMissing}`);

/** The little of the page's globals the checks use. */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
}
interface ScaleLike {
  getPixelForValue(value: number, index?: number): number;
}
interface ChartLike {
  data: { labels: string[]; datasets: Array<{ data: unknown[]; backgroundColor?: unknown }> };
  scales: { x: ScaleLike; y: ScaleLike };
  currentDevicePixelRatio: number;
  getDatasetMeta(i: number): { data: Array<{ x: number; y: number; base?: number }> };
}
interface PageGlobals {
  document: { getElementById(id: string): CanvasLike & { textContent: string } };
  Chart: { getChart(canvas: CanvasLike): ChartLike | undefined };
}

/** One plotted point as the page's Chart.js instance holds and draws it. */
interface Plotted {
  label: string;
  value: unknown;
  /** Where Chart.js drew the point (CSS px) and where its scales put the label's index and the value. */
  x: number;
  y: number;
  scaleX: number;
  scaleY: number;
  /** The largest alpha in the 5 × 5 device pixels around the point (a line passes through it: painted). */
  alphaAt: number;
  /** A bar's middle pixel (halfway between its top and its base), as [r, g, b, a]; null for a line. */
  barMiddle: number[] | null;
}

/** Reads dataset `dataset` at label `label` of the chart on canvas `id`, and the canvas pixels at that point. */
async function plotted(page: import('playwright-core').Page, id: string, dataset: number, label: string) {
  return page.evaluate(
    ([canvasId, di, lab]) => {
      const g = globalThis as unknown as PageGlobals;
      const canvas = g.document.getElementById(canvasId);
      const chart = g.Chart.getChart(canvas)!;
      const i = chart.data.labels.indexOf(lab);
      if (i < 0) throw new Error(`${canvasId}: no label ${lab}`);
      const value = chart.data.datasets[di]!.data[i];
      const el = chart.getDatasetMeta(di).data[i]!;
      const ratio = chart.currentDevicePixelRatio;
      const ctx = canvas.getContext('2d');
      const box = ctx.getImageData(Math.round(el.x * ratio) - 2, Math.round(el.y * ratio) - 2, 5, 5).data;
      let alphaAt = 0;
      for (let k = 3; k < box.length; k += 4) alphaAt = Math.max(alphaAt, box[k]!);
      const barMiddle =
        el.base === undefined
          ? null
          : Array.from(
              ctx.getImageData(Math.round(el.x * ratio), Math.round(((el.y + el.base) / 2) * ratio), 1, 1).data,
            );
      return {
        label: chart.data.labels[i]!,
        value,
        x: el.x,
        y: el.y,
        scaleX: chart.scales.x.getPixelForValue(i, i),
        scaleY: typeof value === 'number' ? chart.scales.y.getPixelForValue(value) : Number.NaN,
        alphaAt,
        barMiddle,
      } satisfies Plotted;
    },
    [id, dataset, label] as const,
  );
}

/** The point is drawn where the scales put its label and its value, and the canvas is painted there. */
function expectDrawnAtItsValue(p: Plotted, what: string) {
  expect(Math.abs(p.x - p.scaleX), `${what}: x`).toBeLessThan(0.5);
  expect(Math.abs(p.y - p.scaleY), `${what}: y`).toBeLessThan(0.5);
  expect(p.alphaAt, `${what}: painted`).toBeGreaterThan(0);
}

/** '#2b8a3e' → [43, 138, 62, 255] */
const rgba = (hex: string) => [1, 3, 5].map((k) => Number.parseInt(hex.slice(k, k + 2), 16)).concat(255);

let t: TestEnv;
let env: Record<string, string>;
beforeAll(async () => {
  ({ t, env } = await createNoteEnv());
  // Hand entries of MARA's production (as data/operations.csv would give them), so the miners'-share chart has
  // points: 52 EH/s in December (1,040 EH/s network: 5.0 %), 49.5 EH/s in January (990.32 EH/s: 5.0 %).
  const ins = t.opened.sqlite.prepare(
    "insert into miner_operations_monthly (ticker, month, source, btc_produced, hashrate_ehs, hashrate_basis, status) values ('MARA', ?, 'override', ?, ?, 'average', 'parsed')",
  );
  ins.run('2025-12', 700, 52);
  ins.run('2026-01', 650, 49.5);
  refreshReportTables(t.opened.sqlite); // as the operations writers do in the transaction of their rows
});
afterAll(async () => t.close());

async function writeHtml(args: string[]): Promise<string> {
  const file = path.join(t.dir, `report-${args.join('_').replace(/[^\w-]/g, '')}.html`);
  const r = await runCli(['report', ...args, '--format', 'html', '--out', file], env);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(`${file}\n`);
  return file;
}

describe('the HTML file', () => {
  it('is one self-contained file: Chart.js inlined, no external script, style or image', async () => {
    const html = fs.readFileSync(await writeHtml(['--month', '2026-01']), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.includes('Chart.js v4'), "Chart.js's banner: the library is inlined").toBe(true);
    // Outside the inline scripts, the page references nothing: no src, no stylesheet link, no CSS url().
    const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '<script></script>');
    expect(markup.match(/\bsrc=|<link\b|@import|url\(/gi)).toBeNull();
    expect(html.includes('sourceMappingURL'), 'source-map comment left in the inlined library').toBe(false);
    expect((html.match(/<script\b/g) ?? []).length).toBe(3); // the data, Chart.js, the drawing code
    for (const id of CHART_IDS) expect(html.includes(`<canvas id="${id}"`), id).toBe(true);
    expect(html.includes('<p>Gross profit was $20,868 per EH/s per day'), 'the note').toBe(true);
    expect(html.length).toBeLessThan(400_000);
  });
});

describe.skipIf(browserMissing !== null)('in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    // launch() gives every run a new, empty user-data-dir of its own (and removes it on close).
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(file: string) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
    page.on('request', (q) => requests.push(q.url()));
    await page.goto(`file://${file}`);
    await page.waitForSelector('html[data-charts-drawn]', { timeout: 15_000 });
    return { page, errors, requests };
  }

  it('opens without errors or network requests and draws all six charts (January 2026)', async () => {
    const file = await writeHtml(['--month', '2026-01']);
    const { page, errors, requests } = await open(file);
    expect(errors).toEqual([]);
    expect(requests).toEqual([`file://${file}`]);
    expect(await page.getAttribute('html', 'data-charts-drawn')).toBe(String(CHART_IDS.length));
    for (const id of CHART_IDS) {
      // A drawn chart: a Chart.js instance with data, and a canvas with many painted (non-transparent) pixels.
      const state = await page.evaluate((canvasId) => {
        // Runs in the page (the test's tsconfig has no DOM types, hence the narrow local view of it).
        const page = globalThis as unknown as PageGlobals;
        const canvas = page.document.getElementById(canvasId) as CanvasLike;
        const chart = page.Chart.getChart(canvas);
        const { width, height } = canvas;
        const pixels = canvas.getContext('2d').getImageData(0, 0, width, height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
        return {
          width,
          height,
          painted,
          points: chart ? chart.data.datasets.reduce((n, d) => n + d.data.filter((v) => v !== null).length, 0) : 0,
        };
      }, id);
      expect(state.width, id).toBeGreaterThan(200);
      expect(state.points, id).toBeGreaterThan(0);
      expect(state.painted / (state.width * state.height), id).toBeGreaterThan(0.01);
      await page.locator(`figure:has(#${id})`).screenshot({ path: path.join(SCREENSHOTS, `${id}.png`) });
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'report-2026-01-full.png'), fullPage: true });
    // What the charts show, checked against the hand-computed fixtures.
    const data = await page.evaluate(
      () =>
        JSON.parse(
          (globalThis as unknown as PageGlobals).document.getElementById('hashpulse-data').textContent,
        ) as Record<string, unknown>,
    );
    expect((data.days as string[])[0]).toBe('2025-11-01'); // eleven months before January, clipped to the stored data
    expect((data.days as string[]).at(-1)).toBe('2026-01-31');
    expect(data.months).toEqual(['2025-11', '2025-12', '2026-01']);
    expect((data.retargets as Array<{ height: number }>).map((r) => r.height)).toEqual([
      923_328, 925_344, 927_360, 929_376, 931_392, 933_408,
    ]);
    expect((data.returns as Array<{ label: string }>).map((r) => r.label)).toEqual([
      'IREN',
      'MARA',
      'CANG',
      'Bitcoin',
      'S&P 500',
    ]);
    await page.close();
  });

  it('plots the hand-computed values where the scales put them, one or two per chart', async () => {
    const { page, errors } = await open(await writeHtml(['--month', '2026-01']));
    expect(errors).toEqual([]);
    const at = (id: string, dataset: number, label: string) => plotted(page, id, dataset, label);

    // Hashrate (line, days): mempool's 700 EH/s on 2026-01-26; the monthly-average step there is January's
    // (30 × 1,000 + 700) / 31 = 990.3226 EH/s, December's 1,040 (30 indexed days at 1,040).
    const jan26 = await at('chart-hashrate', 0, '2026-01-26');
    expect(jan26.value).toBe(700);
    expectDrawnAtItsValue(jan26, 'hashrate 2026-01-26');
    const janAvg = await at('chart-hashrate', 1, '2026-01-26');
    expect(janAvg.value as number).toBeCloseTo(990.3226, 4);
    expectDrawnAtItsValue(janAvg, 'hashrate January average');
    expect((await at('chart-hashrate', 1, '2025-12-31')).value).toBe(1040);
    expect(janAvg.y, 'the lower value is drawn lower').toBeGreaterThan((await at('chart-hashrate', 1, '2025-12-31')).y);

    // Difficulty (stepped line and retarget markers): the 2026-01-22 retarget to 141.67 T, in force on Jan 31;
    // 146.47 T (the 2025-12-24 retarget) on Dec 31.
    const retarget = await at('chart-difficulty', 1, '2026-01-22');
    expect(retarget.value).toBeCloseTo(141.67, 9);
    expectDrawnAtItsValue(retarget, 'retarget 2026-01-22');
    expect((await at('chart-difficulty', 0, '2026-01-31')).value).toBeCloseTo(141.67, 9);
    expect((await at('chart-difficulty', 0, '2025-12-31')).value).toBeCloseTo(146.47, 9);
    expect((await at('chart-difficulty', 1, '2026-01-21')).value).toBeNull(); // no retarget that day

    // Hashprice: Jan 26 realized 30 M / 700 EH/s = $42,857.14; the monthly step 1,290 M / 30,700 = $42,019.54;
    // the power cost 17.5 J/TH × 24 h × $50.36/MWh = $21,151.20.
    const hp = await at('chart-hashprice', 0, '2026-01-26');
    expect(hp.value as number).toBeCloseTo(42_857.14, 2);
    expectDrawnAtItsValue(hp, 'hashprice 2026-01-26');
    expect((await at('chart-hashprice', 3, '2026-01-26')).value as number).toBeCloseTo(42_019.54, 2);
    const cost = await at('chart-hashprice', 4, '2026-01-26');
    expect(cost.value as number).toBeCloseTo(21_151.2, 6);
    expectDrawnAtItsValue(cost, 'power cost');

    // Combined market cap (bars, months): 12.50 × 370 M + 52.65 × 280 M + 12.30 × 41 M (the override) = 19.8713 B.
    const cap = await at('chart-market-cap', 0, '2026-01');
    expect(cap.label).toBe('2026-01');
    expect(cap.value as number).toBeCloseTo(19.8713, 9);
    expectDrawnAtItsValue(cap, 'market cap 2026-01');
    expect(cap.barMiddle).toEqual(rgba('#4263eb'));

    // Miners' share (line, months): MARA's 49.5 EH/s of 990.3226 = 4.9984 %; 52 of 1,040 = 5.0 % in December.
    const share = await at('chart-miners-share', 0, '2026-01');
    expect(share.value as number).toBeCloseTo(4.9984, 4);
    expectDrawnAtItsValue(share, 'miners share 2026-01');
    expect((await at('chart-miners-share', 0, '2025-12')).value as number).toBeCloseTo(5, 9);

    // Returns (bars): IREN 52.65 / 37 − 1 = +42.2973 % (beat bitcoin: green); CANG 12.30 / 15.00 − 1 = −18 % (red,
    // a bar below zero); Bitcoin 84,000 / 87,500 − 1 = −4 % to Jan 30 (orange).
    const iren = await at('chart-returns', 0, 'IREN');
    expect(iren.value as number).toBeCloseTo(42.2973, 4);
    expectDrawnAtItsValue(iren, 'IREN');
    expect(iren.barMiddle).toEqual(rgba('#2b8a3e'));
    const cang = await at('chart-returns', 0, 'CANG');
    expect(cang.value as number).toBeCloseTo(-18, 9);
    expectDrawnAtItsValue(cang, 'CANG');
    expect(cang.barMiddle).toEqual(rgba('#c92a2a'));
    expect(cang.y, 'a loss hangs below the zero line').toBeGreaterThan(iren.y);
    const btc = await at('chart-returns', 0, 'Bitcoin');
    expect(btc.value as number).toBeCloseTo(-4, 9);
    expect(btc.barMiddle).toEqual(rgba('#f7931a'));
    await page.close();
  });

  it('draws a range too, with the range’s months and the last month’s returns', async () => {
    const { page, errors } = await open(await writeHtml(['--from', '2025-12', '--to', '2026-01']));
    expect(errors).toEqual([]);
    expect(await page.getAttribute('html', 'data-charts-drawn')).toBe(String(CHART_IDS.length));
    expect(await page.locator('section.note h2').allTextContents()).toEqual(['January 2026', 'December 2025']);
    await page.close();
  });
});
