// The publish job and `hashpulse publish` as an operator meets them: a month waits while a series lags and says
// why, is published when the data arrives (or HASHPULSE_PUBLISH_AFTER_DAYS later, gaps named), gets a revision when
// its figures change and none on a re-run; files appear whole or not at all; the webhook's body and its failure;
// and the daemon's server serving the notes. All on the note fixtures (Nov 2025 – Jan 2026) through the fake
// upstream, with real files in each test's folder.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { equities } from '../jobs/equities.js';
import { network } from '../jobs/network.js';
import { publish } from '../jobs/publish.js';
import { shares } from '../jobs/shares.js';
import { loadConfig } from '../src/config.js';
import type { Context } from '../src/context.js';
import { startHealthServer } from '../src/daemon/health.js';
import { type JobParams, runJob } from '../src/pipeline/job.js';
import { refreshEquityMonthly } from '../src/store/equities.js';
import { lastUsTradingDay } from '../src/trading-calendar.js';
import { runCli } from './support/cli.js';
import { createNoteEnv, type TestEnv } from './support/env.js';

interface World {
  readonly t: TestEnv;
  readonly env: Record<string, string>;
  readonly ctx: Context;
  readonly dir: string;
  /** Log lines (pino JSON) of the runs made through `ctx`. */
  readonly logs: string[];
}

const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.t.close();
});

/** The note fixture world (backfilled Nov 2025 – Jan 2026, clock 2026-02-01T06:00Z) with a context that logs. */
async function world(extra: Record<string, string> = {}): Promise<World> {
  const { t, env: noteEnv } = await createNoteEnv();
  const env = { ...noteEnv, ...extra };
  const logs: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  const ctx: Context = { ...t.ctx, config: loadConfig(env), log };
  const w = { t, env, ctx, dir: env.HASHPULSE_PUBLISH_DIR!, logs };
  worlds.push(w);
  return w;
}

const runPublish = (w: World, params: JobParams = {}) => runJob(w.ctx, publish, 'manual', params);
const read = (w: World, name: string) => fs.readFileSync(path.join(w.dir, name), 'utf8');
const readJson = (w: World, name: string) =>
  JSON.parse(read(w, name)) as {
    publication: {
      month: string;
      revision: number;
      published_at: string;
      reason: string;
      complete: boolean;
      gaps: string[];
      last_trading_date: string;
    };
    equities: {
      combined_market_cap_usd: number;
      tickers: Array<{
        ticker: string;
        close_date: string;
        close_usd: number;
        market_cap_usd: number | null;
        shares_outstanding: number | null;
      }>;
    };
  };
const sha = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const listing = (w: World) => (fs.existsSync(w.dir) ? fs.readdirSync(w.dir).sort() : []);

interface PublicationRow {
  month: string;
  revision: number;
  reason: string;
  gaps: string;
  html_file: string;
  html_sha256: string;
  md_file: string;
  md_sha256: string;
  json_file: string;
  json_sha256: string;
  webhook_state: string;
  webhook_error: string | null;
}
const publications = (w: World) =>
  w.t.opened.sqlite.prepare('select * from publications order by month, revision').all() as PublicationRow[];

describe('the month’s last US trading day', () => {
  it('is the last weekday, except Memorial Day and Good Friday', () => {
    expect(lastUsTradingDay('2026-01')).toBe('2026-01-30'); // January 31, 2026 is a Saturday
    expect(lastUsTradingDay('2025-12')).toBe('2025-12-31'); // a Wednesday
    expect(lastUsTradingDay('2022-12')).toBe('2022-12-30'); // Dec 31 a Saturday; no New Year closure on the Friday
    expect(lastUsTradingDay('2021-05')).toBe('2021-05-28'); // Monday May 31, 2021 was Memorial Day
    expect(lastUsTradingDay('2024-03')).toBe('2024-03-28'); // Good Friday March 29, 2024; 30–31 a weekend
    expect(lastUsTradingDay('2018-03')).toBe('2018-03-29'); // Good Friday March 30, 2018
  });
});

describe('publish job', () => {
  it('waits while a series lags, says why in status, and publishes when the data arrives', async () => {
    const w = await world();
    const s = w.t.opened.sqlite;
    // mempool.space has not served January 31 yet, and Yahoo missed CANG's close of Friday January 30.
    s.prepare("delete from hashrate_daily where source = 'mempool' and date = '2026-01-31'").run();
    s.prepare("delete from equity_prices_daily where ticker = 'CANG' and date = '2026-01-30'").run();

    const waiting = await runPublish(w);
    expect(waiting.status).toBe('ok'); // waiting is not a failure
    expect(waiting.results).toEqual([
      {
        item: '2026-01',
        status: 'skipped',
        rows: 0,
        // The deadline: the month ends 2026-02-01 00:00, plus the default 10 days.
        detail:
          '2026-01 not published: mempool.hashrate for 2026-01-31 missing; CANG close for 2026-01-30 missing (publishes anyway from 2026-02-11)',
      },
    ]);
    expect(listing(w)).toEqual([]);
    expect(publications(w)).toEqual([]);
    const status = await runCli(['status'], w.env);
    expect(status.stdout).toContain('notes: none published yet\n');
    expect(status.stdout).toContain(
      '2026-01 not published: mempool.hashrate for 2026-01-31 missing; CANG close for 2026-01-30 missing (publishes anyway from 2026-02-11)\n',
    );

    // The daily jobs run again: each asks its upstream from a few days before its newest stored day.
    expect((await runJob(w.ctx, network, 'schedule')).status).toBe('ok');
    expect((await runJob(w.ctx, equities, 'schedule')).status).toBe('ok');
    w.t.setNow('2026-02-02T06:00:00Z');
    const published = await runPublish(w);
    expect(published.status).toBe('ok');
    expect(published.results[0]).toMatchObject({ item: '2026-01', status: 'ok', rows: 1 });
    expect(published.results[0]!.detail).toBe(
      `2026-01 revision 1 published (complete): ${['html', 'md', 'json'].map((f) => path.join(w.dir, `2026-01.${f}`)).join(', ')}`,
    );
    expect(listing(w)).toEqual(['2026-01.html', '2026-01.json', '2026-01.md']);

    const doc = readJson(w, '2026-01.json');
    expect(doc.publication).toEqual({
      month: '2026-01',
      revision: 1,
      published_at: '2026-02-02T06:00:00.000Z',
      reason: 'complete',
      complete: true,
      gaps: [],
      last_trading_date: '2026-01-30',
    });
    // CANG at its January 30 close: 12.30 × 41,000,000 shares (the override) = $504,300,000.
    expect(doc.equities.tickers.find((x) => x.ticker === 'CANG')).toMatchObject({
      close_date: '2026-01-30',
      close_usd: 12.3,
      market_cap_usd: 504_300_000,
    });
    const md = read(w, '2026-01.md');
    expect(md.startsWith('# Bitcoin mining — January 2026\n')).toBe(true);
    expect(md).toContain('## Publication\n\n- Revision 1, published 2026-02-02 06:00 UTC by hashpulse.\n');
    expect(read(w, '2026-01.html')).toContain('<li>Revision 1, published 2026-02-02 06:00 UTC by hashpulse.</li>');

    const [row] = publications(w);
    expect(row).toMatchObject({
      month: '2026-01',
      revision: 1,
      reason: 'complete',
      gaps: '[]',
      html_file: '2026-01.html',
      md_file: '2026-01.md',
      json_file: '2026-01.json',
      webhook_state: 'off',
    });
    expect([row!.html_sha256, row!.md_sha256, row!.json_sha256]).toEqual(
      ['2026-01.html', '2026-01.md', '2026-01.json'].map((f) => sha(fs.readFileSync(path.join(w.dir, f)))),
    );
    expect(w.t.opened.sqlite.prepare('select count(*) from publication_pending').pluck().get()).toBe(0);
    const after = await runCli(['status'], w.env);
    expect(after.stdout).toContain(
      `notes: 2026-01 revision 1 published 2026-02-02 06:00 (complete): 2026-01.html, 2026-01.md, 2026-01.json\n`,
    );
    expect(after.stdout).not.toContain('not published');
  });

  it('publishes anyway after HASHPULSE_PUBLISH_AFTER_DAYS with the gaps named, then a revision when the close arrives', async () => {
    const w = await world();
    const s = w.t.opened.sqlite;
    s.prepare("delete from equity_prices_daily where ticker = 'CANG' and date = '2026-01-30'").run();
    refreshEquityMonthly(s); // as the equities job does after writing

    w.t.setNow('2026-02-10T06:00:00Z');
    expect((await runPublish(w)).results[0]!.status).toBe('skipped');
    w.t.setNow('2026-02-11T06:00:00Z');
    const late = await runPublish(w);
    expect(late.results[0]!.detail).toMatch(
      /^2026-01 revision 1 published \(with 1 gap\(s\), 10 days after the month\): /,
    );
    const doc = readJson(w, '2026-01.json');
    expect(doc.publication).toMatchObject({
      revision: 1,
      reason: 'deadline',
      complete: false,
      gaps: ['CANG close for 2026-01-30 missing'],
    });
    // What the gap means: CANG's month-end close is its January 29 close, $14.00 × 41,000,000 = $574,000,000.
    expect(doc.equities.tickers.find((x) => x.ticker === 'CANG')).toMatchObject({
      close_date: '2026-01-29',
      close_usd: 14,
      market_cap_usd: 574_000_000,
    });
    const md = read(w, '2026-01.md');
    expect(md).toContain(
      '- Published 10 days after the month ended (HASHPULSE_PUBLISH_AFTER_DAYS) before its data was complete: CANG close for 2026-01-30 missing.\n',
    );
    expect(md).toContain('- Gap: CANG close for 2026-01-30 missing.\n');
    expect(read(w, '2026-01.html')).toContain(
      '<p>Published 10 days after the month ended (HASHPULSE_PUBLISH_AFTER_DAYS) before its data was complete: CANG close for 2026-01-30 missing.</p>',
    );
    const first = publications(w)[0]!;

    // The close arrives (Yahoo from 5 days before CANG's newest stored close): the figures change, revision 2.
    expect((await runJob(w.ctx, equities, 'schedule')).status).toBe('ok');
    w.t.setNow('2026-02-12T06:00:00Z');
    const revised = await runPublish(w);
    expect(revised.results[0]!.detail).toMatch(/^2026-01 revision 2 published \(complete\): /);
    expect(listing(w)).toEqual([
      '2026-01.html',
      '2026-01.json',
      '2026-01.md',
      '2026-01.r1.html',
      '2026-01.r1.json',
      '2026-01.r1.md',
    ]);
    expect(readJson(w, '2026-01.json').publication).toMatchObject({ revision: 2, reason: 'complete', gaps: [] });
    expect(readJson(w, '2026-01.r1.json').publication).toMatchObject({ revision: 1, reason: 'deadline' });
    const rows = publications(w);
    expect(rows.map((r) => [r.revision, r.reason, r.html_file, r.json_file])).toEqual([
      [1, 'deadline', '2026-01.r1.html', '2026-01.r1.json'],
      [2, 'complete', '2026-01.html', '2026-01.json'],
    ]);
    // Revision 1's files are kept byte for byte as published.
    expect(sha(fs.readFileSync(path.join(w.dir, '2026-01.r1.html')))).toBe(first.html_sha256);
    expect(sha(fs.readFileSync(path.join(w.dir, '2026-01.r1.md')))).toBe(first.md_sha256);
    expect(read(w, '2026-01.md')).toContain('- Earlier revisions are kept as 2026-01.r1.html (and .md, .json).\n');
  });

  it('a late share count is a new revision; a re-run with the same figures publishes nothing', async () => {
    const w = await world();
    expect((await runPublish(w)).results[0]!.detail).toMatch(/^2026-01 revision 1 published \(complete\)/);
    const before = listing(w).map((f) => [f, sha(fs.readFileSync(path.join(w.dir, f)))]);

    w.t.setNow('2026-02-02T06:00:00Z');
    const again = await runPublish(w);
    expect(again.status).toBe('ok');
    expect(again.results).toEqual([
      { item: '2026-01', status: 'ok', rows: 0, detail: '2026-01 unchanged since revision 1 (2026-02-01 06:00 UTC)' },
    ]);
    expect(listing(w).map((f) => [f, sha(fs.readFileSync(path.join(w.dir, f)))])).toEqual(before);
    expect(publications(w)).toHaveLength(1);

    // A corrected press release: CANG had 45,000,000 shares on 2026-01-20, not 41,000,000.
    fs.writeFileSync(
      w.env.HASHPULSE_SHARES_OVERRIDES!,
      'ticker,as_of,shares,note\nCANG,2026-01-20,"45,000,000","corrected press release"\n',
    );
    expect((await runJob(w.ctx, shares, 'schedule')).status).toBe('ok');
    w.t.setNow('2026-02-03T06:00:00Z');
    expect((await runPublish(w)).results[0]!.detail).toMatch(/^2026-01 revision 2 published \(complete\)/);
    const doc = readJson(w, '2026-01.json');
    // 12.30 × 45,000,000 = $553,500,000; the combined cap moves by the difference:
    // 19,871,300,000 − 504,300,000 + 553,500,000 = $19,920,500,000.
    expect(doc.equities.tickers.find((x) => x.ticker === 'CANG')).toMatchObject({
      shares_outstanding: 45_000_000,
      market_cap_usd: 553_500_000,
    });
    expect(doc.equities.combined_market_cap_usd).toBe(19_920_500_000);
    expect(readJson(w, '2026-01.r1.json').equities.tickers.find((x) => x.ticker === 'CANG')).toMatchObject({
      market_cap_usd: 504_300_000,
    });
    expect(publications(w).map((r) => [r.revision, r.json_file])).toEqual([
      [1, '2026-01.r1.json'],
      [2, '2026-01.json'],
    ]);

    w.t.setNow('2026-02-04T06:00:00Z');
    expect((await runPublish(w)).results[0]!.detail).toBe('2026-01 unchanged since revision 2 (2026-02-03 06:00 UTC)');
    expect(publications(w)).toHaveLength(2);
  });

  it('writes every file whole: a reader polling the folder only ever reads a published version', async () => {
    const w = await world();
    fs.mkdirSync(w.dir, { recursive: true });
    // A second process reads every file of the folder as fast as it can, and records what it read.
    const poller = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs'), path = require('path'), crypto = require('crypto');
         const dir = process.argv[1], seen = new Set(); let reads = 0, temps = 0, stop = false;
         process.stdin.on('data', () => { stop = true; });
         function pass() {
           for (const n of fs.readdirSync(dir)) {
             if (n.startsWith('.')) { temps++; continue; }
             let b; try { b = fs.readFileSync(path.join(dir, n)); } catch (e) { if (e.code === 'ENOENT') continue; throw e; }
             reads++; seen.add(n + ' ' + crypto.createHash('sha256').update(b).digest('hex'));
           }
         }
         function loop() {
           pass();
           if (stop) { pass(); process.stdout.write(JSON.stringify({ reads, temps, seen: [...seen] })); process.exit(0); }
           setImmediate(loop);
         }
         process.stdout.write('ready\\n'); loop();`,
        w.dir,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let out = '';
    const ready = new Promise<void>((resolve) =>
      poller.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.startsWith('ready\n')) resolve();
      }),
    );
    const exited = new Promise<void>((resolve) => poller.on('close', () => resolve()));
    await ready;
    // Five revisions in a row (forced: the same figures), each replacing the three files and keeping the last.
    for (let i = 0; i < 5; i++) expect((await runPublish(w, { month: '2026-01', force: true })).status).toBe('ok');
    poller.stdin.end('stop\n');
    await exited;
    const polled = JSON.parse(out.slice('ready\n'.length)) as { reads: number; temps: number; seen: string[] };

    const published = new Set(publications(w).flatMap((r) => [r.html_sha256, r.md_sha256, r.json_sha256]));
    expect(published.size).toBe(15); // each revision's files differ (revision number and time are in them)
    expect(polled.reads).toBeGreaterThanOrEqual(15); // at least the final pass over the 15 files
    expect(
      polled.seen.filter((x) => !published.has(x.split(' ')[1]!)),
      'a read that is no published version (a partial file)',
    ).toEqual([]);
    // No temporary file is left, and every file parses.
    expect(listing(w).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(listing(w)).toHaveLength(15);
    for (const f of listing(w)) {
      const text = read(w, f);
      if (f.endsWith('.json')) expect(() => JSON.parse(text), f).not.toThrow();
      else if (f.endsWith('.html'))
        expect(text.startsWith('<!doctype html>') && text.endsWith('</html>\n'), f).toBe(true);
      else expect(text.startsWith('# Bitcoin mining — January 2026\n') && text.endsWith('\n'), f).toBe(true);
    }
  });

  it('a file where the folder should be, or a folder where a note should be: the run fails naming the path, nothing is half-written, the next run publishes', async () => {
    const w0 = await world();
    const blocked = path.join(w0.t.dir, 'not-a-folder');
    fs.writeFileSync(blocked, 'a file, not a folder\n');
    const w = { ...w0, ctx: { ...w0.ctx, config: loadConfig({ ...w0.env, HASHPULSE_PUBLISH_DIR: blocked }) } };

    const r1 = await runPublish(w);
    expect(r1.status).toBe('failed');
    expect(r1.error).toBe(`2026-01: cannot create or use the notes folder: EEXIST: file already exists (${blocked})`);
    const ledger = () =>
      w.t.opened.sqlite
        .prepare("select status, error from job_runs where job = 'publish' order by id desc limit 1")
        .get() as { status: string; error: string };
    expect(ledger()).toEqual({ status: 'failed', error: r1.error });
    const logged = w.logs
      .map((l) => JSON.parse(l) as { level: number; msg: string; path?: string })
      .filter((l) => l.level >= 50);
    expect(logged.map((l) => l.msg)).toContain(`2026-01 not published: ${r1.error!.slice('2026-01: '.length)}`);
    expect(logged.find((l) => l.path)?.path).toBe(blocked);
    expect(fs.readFileSync(blocked, 'utf8')).toBe('a file, not a folder\n');
    expect(publications(w)).toEqual([]);

    // The folder exists, but a folder stands where the JSON note goes: the HTML and Markdown were renamed into
    // place before the JSON failed (html, md, json is the order), and are taken back out.
    fs.mkdirSync(path.join(w0.dir, '2026-01.json'), { recursive: true });
    const r2 = await runPublish(w0);
    expect(r2.status).toBe('failed');
    expect(r2.error).toBe(
      `2026-01: cannot put the note file in place: EISDIR: illegal operation on a directory (${path.join(w0.dir, '2026-01.json')})`,
    );
    expect(listing(w0)).toEqual(['2026-01.json']);
    expect(fs.readdirSync(path.join(w0.dir, '2026-01.json'))).toEqual([]);
    expect(publications(w0)).toEqual([]);

    // Cleared: the next run publishes.
    fs.rmdirSync(path.join(w0.dir, '2026-01.json'));
    const r3 = await runPublish(w0);
    expect(r3.status).toBe('ok');
    expect(listing(w0)).toEqual(['2026-01.html', '2026-01.json', '2026-01.md']);
    expect(publications(w0).map((r) => r.revision)).toEqual([1]);
  });
});

describe('webhook', () => {
  it('posts the headline sentences and file names; a 500 is recorded and retried next run without failing the publication', async () => {
    const hook = '/services/T0001/B0002/s3cr3t';
    const w = await world();
    const url = `${w.t.fake.url}${hook}`;
    const wh = {
      ...w,
      ctx: { ...w.ctx, config: loadConfig({ ...w.env, HASHPULSE_PUBLISH_WEBHOOK_URL: url }) },
      env: { ...w.env, HASHPULSE_PUBLISH_WEBHOOK_URL: url },
    };
    w.t.fake.on(hook, { status: 500, body: 'internal_error', headers: { 'content-type': 'text/plain' } });

    const r1 = await runPublish(wh);
    expect(r1.status).toBe('failed');
    expect(r1.results.map((r) => [r.item, r.status])).toEqual([
      ['2026-01', 'ok'],
      ['webhook 2026-01 revision 1', 'failed'],
    ]);
    // The note is published all the same.
    expect(listing(w)).toEqual(['2026-01.html', '2026-01.json', '2026-01.md']);
    // The URL in errors shows the host and first path segment: the rest of a chat webhook's path is its secret.
    const shown = `${w.t.fake.url}/services/***`;
    const error = `webhook: HTTP 500: internal_error (${shown})`;
    expect(publications(w)[0]).toMatchObject({ webhook_state: 'failed', webhook_error: error });
    expect(r1.error).toBe(
      `webhook 2026-01 revision 1: ${error}; the note is published, the webhook is tried again next run`,
    );
    expect(w.logs.join('')).not.toContain('s3cr3t');
    // Retried like any request: the first attempt and HASHPULSE_HTTP_RETRIES=3 more.
    expect(w.t.fake.requestsTo(hook)).toHaveLength(4);
    const status = await runCli(['status'], wh.env);
    expect(status.stdout).toContain(
      `webhook for 2026-01 revision 1 failed: ${error} (tried again on the next publish run)\n`,
    );
    expect(status.stdout).toMatch(/ {2}- job publish failed at .*: webhook 2026-01 revision 1: webhook: HTTP 500/);

    // Slack's incoming webhooks answer 200 with the text "ok".
    w.t.fake.on(hook, { status: 200, body: 'ok', headers: { 'content-type': 'text/plain' } });
    w.t.setNow('2026-02-02T06:00:00Z');
    const r2 = await runPublish(wh);
    expect(r2.status).toBe('ok');
    expect(r2.results.map((r) => [r.item, r.status, r.detail])).toEqual([
      ['2026-01', 'ok', '2026-01 unchanged since revision 1 (2026-02-01 06:00 UTC)'],
      ['webhook 2026-01 revision 1', 'ok', `sent to ${shown}`],
    ]);
    const sent = w.t.fake.requestsTo(hook).at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.headers['content-type']).toBe('application/json');
    const body = JSON.parse(sent.body) as { text: string; month: string; revision: number; files: string[] };
    expect(Object.keys(body)).toEqual(['text', 'month', 'revision', 'files']);
    expect(body).toMatchObject({
      month: '2026-01',
      revision: 1,
      files: ['2026-01.html', '2026-01.md', '2026-01.json'],
    });
    const lines = body.text.split('\n');
    expect(lines[0]).toBe('Bitcoin mining — January 2026');
    // The note's sentences, as in the Markdown: IREN 37.00 → 52.65 = +42.3%; CANG 1.50 → 12.30 after the 1:10
    // reverse split (15.00 a share before it) = −18.0%; S&P 500 6,850 → 6,940 = +1.3%.
    expect(lines).toContain('Best IREN +42.3%, worst CANG −18.0%; S&P 500 +1.3%.');
    expect(
      lines
        .slice(1)
        .map((l) => `- ${l}`)
        .every((l) => read(w, '2026-01.md').includes(`${l}\n`)),
    ).toBe(true);
    expect(publications(w)[0]).toMatchObject({ webhook_state: 'sent', webhook_error: null });

    // Sent once: the next run sends nothing.
    expect((await runPublish(wh)).results.map((r) => r.item)).toEqual(['2026-01']);
    expect(w.t.fake.requestsTo(hook)).toHaveLength(5);
  });
});

describe('hashpulse publish', () => {
  it('refuses a bad month in one line (exit 2), publishes by hand, and exits 1 while a month waits', async () => {
    const w = await world();
    const bad = await runCli(['publish', '--month', '2026-13'], w.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('hashpulse: --month must be a month YYYY-MM (2009 or later), got "2026-13"\n');
    const open = await runCli(['publish', '--month', '2026-02'], w.env);
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(
      /^hashpulse: --month 2026-02 has not ended yet \(now 2026-02-01T06:00:\d\d\.\d{3}Z\)\n$/,
    );

    // December 2025 lacks mempool.space's hashrate of the 25th (the fixture's gap); January is complete. It is
    // past December's deadline (2026-01-11), so by hand it is published with the gap named.
    const dec = await runCli(['publish', '--month', '2025-12'], w.env);
    expect(dec.code).toBe(0);
    expect(dec.stdout).toBe(
      `ok      2025-12 revision 1 published (with 1 gap(s), 10 days after the month): ${['html', 'md', 'json'].map((f) => path.join(w.dir, `2025-12.${f}`)).join(', ')}\n`,
    );
    expect(readJson(w, '2025-12.json').publication.gaps).toEqual(['mempool.hashrate for 2025-12-25 missing']);

    const jan = await runCli(['publish'], w.env);
    expect(jan.code).toBe(0);
    expect(jan.stdout).toContain('ok      2026-01 revision 1 published (complete): ');
    expect(jan.stdout).toContain('ok      2025-12 unchanged since revision 1');

    // A month that waits: exit 1, and it says why.
    w.t.opened.sqlite.prepare("delete from equity_prices_daily where ticker = 'MARA' and date = '2025-11-28'").run();
    const nov = await runCli(['publish', '--month', '2025-11'], { ...w.env, HASHPULSE_NOW: '2025-12-02T06:00:00Z' });
    expect(nov.code).toBe(1);
    expect(nov.stdout).toBe(
      'waiting 2025-11 not published: MARA close for 2025-11-28 missing (publishes anyway from 2025-12-11)\n',
    );
  });
});

describe('the notes on the daemon’s HTTP server', () => {
  it('serves the newest note at /, an index at /notes/, each file with ETag and Last-Modified, links between months, 404 otherwise', async () => {
    const w = await world();
    for (const month of ['2025-11', '2025-12']) expect((await runPublish(w, { month, force: true })).status).toBe('ok');
    const server = await startHealthServer({
      sqlite: w.t.opened.sqlite,
      jobs: [publish],
      schedules: {},
      host: '127.0.0.1',
      port: 0,
      log: w.ctx.log,
      notesDir: w.dir,
    });
    try {
      const get = (p: string, headers: Record<string, string> = {}, method = 'GET') =>
        fetch(`${server.url}${p}`, { method, headers });
      const dec1 = await get('/notes/2025-12.html');
      const decPage1 = await dec1.text();
      expect(decPage1).toContain(
        '<a rel="prev" href="/notes/2025-11.html">← November 2025</a><a href="/notes/">all notes</a><span>no later note</span>',
      );

      // January is published (and revised once): December's page now links to it, so its ETag changes.
      expect((await runPublish(w)).results.map((r) => r.detail)).toEqual([
        '2025-11 unchanged since revision 1 (2026-02-01 06:00 UTC)',
        '2025-12 unchanged since revision 1 (2026-02-01 06:00 UTC)',
        expect.stringMatching(/^2026-01 revision 1 published \(complete\)/),
      ]);
      w.t.setNow('2026-02-02T06:00:00Z');
      expect((await runPublish(w, { month: '2026-01', force: true })).results[0]!.detail).toMatch(
        /^2026-01 revision 2 published/,
      );
      const dec2 = await get('/notes/2025-12.html', { 'if-none-match': dec1.headers.get('etag')! });
      expect(dec2.status).toBe(200);
      expect(dec2.headers.get('etag')).not.toBe(dec1.headers.get('etag'));
      expect(await dec2.text()).toContain('<a rel="next" href="/notes/2026-01.html">January 2026 →</a>');

      const home = await get('/');
      expect(home.status).toBe(200);
      expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const homePage = await home.text();
      expect(homePage).toContain('<title>Bitcoin mining — January 2026</title>');
      expect(homePage).toContain(
        '<a rel="prev" href="/notes/2025-12.html">← December 2025</a><a href="/notes/">all notes</a><span>no later note</span>',
      );
      // The file on disk is the note as published: the server adds the bar, nothing else.
      expect(homePage.replace(/\n<nav class="notes-nav"[^\n]*<\/nav>/, '')).toBe(read(w, '2026-01.html'));
      expect(Date.parse(home.headers.get('last-modified')!)).toBeGreaterThan(0);

      // Revalidation: the same ETag gets a 304 with no body.
      const etag = home.headers.get('etag')!;
      expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
      const again = await get('/', { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
      expect((await get('/', { 'if-modified-since': home.headers.get('last-modified')! })).status).toBe(304);

      const md = await get('/notes/2026-01.md');
      expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
      expect(await md.text()).toBe(read(w, '2026-01.md'));
      const json = await get('/notes/2026-01.json');
      expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(((await json.json()) as { publication: { revision: number } }).publication.revision).toBe(2);
      const r1 = await (await get('/notes/2026-01.r1.html')).text();
      expect(r1).toContain(
        'Revision 1 of this note, kept for the record; the latest (revision 2) is <a href="/notes/2026-01.html">January 2026</a>.',
      );
      const head = await get('/notes/2026-01.json', {}, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.headers.get('etag')).toBe(json.headers.get('etag'));
      expect(await head.text()).toBe('');

      const index = await (await get('/notes/')).text();
      expect(index.match(/<tr>.*?<\/tr>/g)!.map((row) => row.replace(/<[^>]+>/g, '|').replace(/\|+/g, '|'))).toEqual([
        '|month|revision|published (UTC)|data|files|',
        '|January 2026|2 (latest)|2026-02-02 06:00|complete|HTML| · |Markdown| · |JSON|',
        '|1|2026-02-01 06:00|complete|HTML| · |Markdown| · |JSON|',
        '|December 2025|1 (latest)|2026-02-01 06:00|1 gap(s): mempool.hashrate for 2025-12-25 missing|HTML| · |Markdown| · |JSON|',
        '|November 2025|1 (latest)|2026-02-01 06:00|complete|HTML| · |Markdown| · |JSON|',
      ]);
      expect(index).toContain('<a href="/notes/2026-01.r1.html">HTML</a>');

      for (const p of [
        '/notes/2026-02.html',
        '/notes/2026-01.txt',
        '/notes/2026-01.r9.html',
        '/notes',
        '/notes/../test.db',
        '/test.db',
        '/notes/.2026-01.html.1.tmp',
      ]) {
        expect((await get(p)).status, p).toBe(404);
      }
      expect((await get('/', {}, 'POST')).status).toBe(404);
      expect([200, 503]).toContain((await get('/healthz')).status);
    } finally {
      await server.close();
    }
  });
});

// Optional: the served pages in a real browser (Debian's chromium through playwright-core, as in
// test/report-html.test.ts). Skipped, saying why, where no Chromium is installed.
const CHROMIUM = process.env.HASHPULSE_CHROMIUM || '/usr/bin/chromium';
const browserMissing = fs.existsSync(CHROMIUM)
  ? null
  : `no browser at ${CHROMIUM} (install Debian's chromium package: apt-get install -y chromium)`;
if (browserMissing) console.warn(`publish.test.ts: browser check skipped: ${browserMissing}`);

describe.skipIf(browserMissing !== null)('the served notes in Chromium', () => {
  it('draws the charts, follows the links between months, and requests nothing but the pages', async () => {
    const w = await world();
    for (const month of ['2025-12', '2026-01']) expect((await runPublish(w, { month, force: true })).status).toBe('ok');
    const server = await startHealthServer({
      sqlite: w.t.opened.sqlite,
      jobs: [publish],
      schedules: {},
      host: '127.0.0.1',
      port: 0,
      log: w.ctx.log,
      notesDir: w.dir,
    });
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
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
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      // A browser asks for /favicon.ico by itself (a 404 here): not a request of the page.
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico'))
          errors.push(`console: ${m.text()} (${m.location().url})`);
      });
      page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
      page.on('request', (q) => {
        if (!q.url().endsWith('/favicon.ico')) requests.push(q.url());
      });
      const drawn = async () => {
        await page.waitForSelector('html[data-charts-drawn]', { timeout: 15_000 });
        return page.getAttribute('html', 'data-charts-drawn');
      };
      await page.goto(`${server.url}/`);
      expect(await drawn()).toBe('5');
      expect(await page.locator('section.note h2').allTextContents()).toEqual(['January 2026']);
      await Promise.all([page.waitForURL(`${server.url}/notes/2025-12.html`), page.click('a[rel="prev"]')]);
      expect(await drawn()).toBe('5');
      expect(await page.locator('section.note h2').allTextContents()).toEqual(['December 2025']);
      await Promise.all([page.waitForURL(`${server.url}/notes/2026-01.html`), page.click('a[rel="next"]')]);
      expect(await drawn()).toBe('5');
      expect(errors).toEqual([]);
      expect(requests).toEqual([
        `${server.url}/`,
        `${server.url}/notes/2025-12.html`,
        `${server.url}/notes/2026-01.html`,
      ]);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
