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
interface PageGlobals {
  document: { getElementById(id: string): CanvasLike & { textContent: string } };
  Chart: { getChart(canvas: CanvasLike): { data: { datasets: Array<{ data: unknown[] }> } } | undefined };
}

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

  it('opens without errors or network requests and draws all five charts (January 2026)', async () => {
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

  it('draws a range too, with the range’s months and the last month’s returns', async () => {
    const { page, errors } = await open(await writeHtml(['--from', '2025-12', '--to', '2026-01']));
    expect(errors).toEqual([]);
    expect(await page.getAttribute('html', 'data-charts-drawn')).toBe(String(CHART_IDS.length));
    expect(await page.locator('section.note h2').allTextContents()).toEqual(['January 2026', 'December 2025']);
    await page.close();
  });
});
