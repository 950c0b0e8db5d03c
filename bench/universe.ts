// npm run bench (part 2): a full-history backfill of everything — network since 2009 and the 15 tickers of
// data/universe.json since listing, with their SEC filings — from a fake upstream on 127.0.0.1, then one daily
// incremental run. Reports requests, wall and CPU time (no rate-limit waits: spacing is off), peak RSS.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { equities } from '../jobs/equities.js';
import { network } from '../jobs/network.js';
import { shares } from '../jobs/shares.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { silentLogger } from '../src/log.js';
import { runJob } from '../src/pipeline/job.js';
import { loadUniverse } from '../src/universe.js';
import { FakeUpstream, json } from '../test/support/fake-upstream.js';
import { syntheticNetwork, syntheticSec, syntheticYahooChart } from './synthetic.js';

async function main(): Promise<void> {
  const universe = loadUniverse(path.resolve(import.meta.dirname, '../../data/universe.json'));
  const fake = await FakeUpstream.start();
  const net = syntheticNetwork();
  for (const p of ['all', '1w', '1m', '3m']) fake.on(`/api/v1/mining/hashrate/${p}`, json(net.hashrate));
  fake.on('/api/v1/mining/difficulty-adjustments', json(net.adjustments));
  fake.on('/api/v1/mining/difficulty-adjustments/1m', json(net.adjustments.slice(0, 3)));
  for (const [slug, body] of Object.entries(net.charts)) fake.on(`/charts/${slug}`, json(body));
  for (const t of universe.tickers) {
    fake.on(
      `/v8/finance/chart/${encodeURIComponent(t.ticker)}`,
      json(syntheticYahooChart(t.ticker, t.listed_since ?? '2010-01-04')),
    );
    if (!t.cik) continue;
    const sec = syntheticSec(t);
    const cik = String(t.cik).padStart(10, '0');
    fake.on(`/api/xbrl/companyconcept/CIK${cik}/dei/EntityCommonStockSharesOutstanding.json`, json(sec.concept));
    fake.on(`/submissions/CIK${cik}.json`, json(sec.submissions));
    if (sec.coverPath)
      fake.on(sec.coverPath, { status: 200, body: sec.cover, headers: { 'content-type': 'text/html' } });
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashpulse-bench-'));
  const env = {
    HASHPULSE_DB: path.join(dir, 'universe.db'),
    HASHPULSE_MEMPOOL_URL: fake.url,
    HASHPULSE_BLOCKCHAIN_URL: fake.url,
    HASHPULSE_YAHOO_URL: fake.url,
    HASHPULSE_NASDAQ_URL: fake.url,
    HASHPULSE_SEC_URL: fake.url,
    HASHPULSE_SEC_ARCHIVES_URL: fake.url,
    HASHPULSE_SEC_USER_AGENT: 'hashpulse-bench bench@example.com',
    HASHPULSE_UNIVERSE: path.resolve(import.meta.dirname, '../../data/universe.json'),
    HASHPULSE_HTTP_MIN_INTERVAL_MS: '0',
  };
  const config = loadConfig(env);
  const log = silentLogger();
  let now = new Date('2026-02-01T06:00:00Z');
  const { ctx, opened } = await createContext({ config, log, clock: { now: () => now } });

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const runs = [];
  for (const [job, params] of [
    [network, { from: '2009-01-03' }],
    [shares, { refresh: 'all' as const }],
    [equities, {}],
  ] as const)
    runs.push(await runJob(ctx, job, 'backfill', params));
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const failed = runs.filter((r) => r.status !== 'ok');
  if (failed.length) throw new Error(`bench backfill failed: ${failed.map((r) => r.error).join('; ')}`);
  const rows = runs.reduce((n, r) => n + r.rowsWritten, 0);

  now = new Date('2026-02-02T06:00:00Z');
  const daily = [];
  for (const job of [network, equities, shares]) daily.push(await runJob(ctx, job, 'schedule'));
  const rss = process.resourceUsage().maxRSS / 1024;
  await opened.close();
  await fake.close();
  fs.rmSync(dir, { recursive: true, force: true });

  console.log(
    [
      `full-history backfill: network since 2009 + ${universe.tickers.length} tickers since listing + ${universe.miners.length} SEC filers`,
      `  requests: ${runs.map((r) => `${r.job} ${r.requests}`).join(', ')} = ${runs.reduce((n, r) => n + r.requests, 0)} (target <= 60)`,
      `  ${rows.toLocaleString('en-US')} rows, ${wall.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU (target <= 5,000 ms CPU; spacing off, so no deliberate waits)`,
      `daily incremental run: requests ${daily.map((r) => `${r.job} ${r.requests}`).join(', ')} — one per series, ticker or filer`,
      `peak RSS: ${rss.toFixed(0)} MB`,
    ].join('\n'),
  );
}

await main();
