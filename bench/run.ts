// npm run bench: ingest 17 years of daily network data from a fake upstream on 127.0.0.1 and compare with a raw
// better-sqlite3 insert loop on the same rows; then time `hashpulse report` as a whole process. Not a test.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { network } from '../jobs/network.js';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { openDb } from '../src/db/connection.js';
import { silentLogger } from '../src/log.js';
import { runJob } from '../src/pipeline/job.js';
import { DAILY_TABLES, type DailyTable, upsertDaily } from '../src/store/network.js';
import { FakeUpstream, json } from '../test/support/fake-upstream.js';
import { syntheticNetwork as synthetic } from './synthetic.js';

const NOW = new Date('2026-02-01T06:00:00Z');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const data = synthetic();
  const fake = await FakeUpstream.start();
  fake.on('/api/v1/mining/hashrate/all', json(data.hashrate));
  fake.on('/api/v1/mining/difficulty-adjustments', json(data.adjustments));
  for (const [slug, body] of Object.entries(data.charts)) fake.on(`/charts/${slug}`, json(body));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashpulse-bench-'));
  const dbPath = path.join(dir, 'bench.db');
  const env = {
    HASHPULSE_DB: dbPath,
    HASHPULSE_MEMPOOL_URL: fake.url,
    HASHPULSE_BLOCKCHAIN_URL: fake.url,
    HASHPULSE_HTTP_MIN_INTERVAL_MS: '0',
  };
  const config = loadConfig(env);
  const log = silentLogger();
  const { ctx, opened } = await createContext({ config, log, clock: { now: () => NOW } });

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await runJob(ctx, network, 'backfill', { from: '2009-01-03' });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (report.status !== 'ok') throw new Error(`bench backfill failed: ${report.error}`);
  const rows = report.rowsWritten;

  // The same rows, inserted by a raw prepared statement loop in one transaction.
  const rawDb = new BetterSqlite3(path.join(dir, 'raw.db'));
  rawDb.pragma('journal_mode = WAL');
  const tables = opened.sqlite
    .prepare(
      "select name, sql from sqlite_master where type = 'table' and name like '%_daily' or name = 'difficulty_retargets'",
    )
    .all() as Array<{ name: string; sql: string }>;
  const dumps = tables.map((t) => ({
    ...t,
    rows: opened.sqlite.prepare(`select * from ${t.name}`).raw().all() as unknown[][],
  }));
  for (const t of tables) rawDb.exec(t.sql);
  const r0 = performance.now();
  rawDb.transaction(() => {
    for (const t of dumps) {
      if (t.rows.length === 0) continue;
      const stmt = rawDb.prepare(`insert into ${t.name} values (${t.rows[0]!.map(() => '?').join(', ')})`);
      for (const r of t.rows) stmt.run(...r);
    }
  })();
  const rawMs = performance.now() - r0;
  const rawRows = dumps.reduce((n, t) => n + t.rows.length, 0);
  rawDb.close();

  // The store step alone: our upserts on the same daily rows into an empty database.
  const storeDb = await openDb(path.join(dir, 'store.db'));
  const daily = dumps.filter((t) => t.name in DAILY_TABLES);
  const s0 = performance.now();
  let storeRows = 0;
  for (const t of daily) {
    const bySource = new Map<string, Array<{ date: string; value: number }>>();
    for (const [date, source, value] of t.rows as Array<[string, string, number]>) {
      const list = bySource.get(source) ?? [];
      list.push({ date, value });
      bySource.set(source, list);
    }
    for (const [source, rows] of bySource) storeRows += upsertDaily(storeDb.sqlite, t.name as DailyTable, source, rows);
  }
  const storeMs = performance.now() - s0;
  await storeDb.close();
  await opened.close();
  await fake.close();

  // `hashpulse report` as a user runs it: whole process, median of 10.
  const cli = path.resolve(import.meta.dirname, '../src/cli.js');
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const s = performance.now();
    execFileSync(process.execPath, [cli, 'report', '--month', '2026-01'], {
      env: { ...process.env, HASHPULSE_DB: dbPath },
      stdio: 'ignore',
    });
    times.push(performance.now() - s);
  }
  const nodeOnly: number[] = [];
  for (let i = 0; i < 5; i++) {
    const s = performance.now();
    execFileSync(process.execPath, ['-e', '0']);
    nodeOnly.push(performance.now() - s);
  }
  if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
  else console.log(`kept ${dbPath}`);

  const ours = rows / (wallMs / 1000);
  const raw = rawRows / (rawMs / 1000);
  const lines = [
    `network ingest, ${data.days} days (2009-01-03..2026-01-31), ${rows} rows, ${report.requests} requests`,
    `  hashpulse (HTTP + parse + validate + upsert): ${wallMs.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, ${Math.round(ours).toLocaleString('en-US')} rows/s`,
    `  raw better-sqlite3 prepared insert loop, one transaction: ${rawMs.toFixed(0)} ms, ${Math.round(raw).toLocaleString('en-US')} rows/s`,
    `  ratio hashpulse / raw: ${(ours / raw).toFixed(2)} end to end (target >= 0.5)`,
    `  store step alone (upsertDaily, ${storeRows} daily rows): ${storeMs.toFixed(0)} ms, ${Math.round(storeRows / (storeMs / 1000)).toLocaleString('en-US')} rows/s, ratio to raw ${(storeRows / (storeMs / 1000) / raw).toFixed(2)}`,
    `hashpulse report --month 2026-01: median ${median(times).toFixed(0)} ms wall over 10 runs (min ${Math.min(...times).toFixed(0)}; node -e 0 alone: ${median(nodeOnly).toFixed(0)} ms; target <= 150)`,
    `peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  ];
  console.log(lines.join('\n'));
}

await main();
