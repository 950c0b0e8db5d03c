// Backfills a user can trust: resumable after a failure or kill -9, idempotent, with identical tables.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, runCli } from './support/cli.js';
import { dumpTables } from './support/dump.js';
import { createTestEnv, serveEquities, serveNetwork, type TestEnv } from './support/env.js';

let t: TestEnv;
beforeEach(async () => {
  t = await createTestEnv();
  serveNetwork(t.fake);
  serveEquities(t.fake);
});
afterEach(async () => t.close());

const ARGS = ['backfill', '--from', '2025-11-01', '--to', '2026-01-31'];

/** The tables an uninterrupted backfill leaves, in a separate database file against the same fake upstream. */
async function referenceDump(): Promise<string> {
  const dbPath = path.join(t.dir, 'reference.db');
  const r = await runCli(ARGS, { ...t.env, HASHPULSE_DB: dbPath });
  expect(r.code).toBe(0);
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    return dumpTables(db);
  } finally {
    db.close();
  }
}

function dumpOf(dbPath: string): { dump: string; integrity: string } {
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    return { dump: dumpTables(db), integrity: db.prepare('pragma integrity_check').pluck().get() as string };
  } finally {
    db.close();
  }
}

/** Chunks of any backfill committed in a database file (read-only). */
function committedChunks(dbPath: string): number {
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    return db.prepare('select count(*) from backfill_chunks').pluck().get() as number;
  } catch {
    return 0; // killed before the migrations created the table
  } finally {
    db.close();
  }
}

/** A small seeded PRNG (mulberry32), so every run of the suite kills at the same requests. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe('resumable backfill', () => {
  it('after a failed chunk, the same command refetches only what was not committed', async () => {
    const reference = await referenceDump();
    const dbPath = path.join(t.dir, 'resume.db');
    const env = { ...t.env, HASHPULSE_DB: dbPath };
    t.fake.script(
      '/charts/miners-revenue',
      Array.from({ length: 4 }, () => ({ status: 503, body: 'Service Unavailable' })),
    );
    t.fake.script('/api/v1/mining/blocks/rewards/all', [{ status: 404, body: 'Not Found' }]); // no derived revenue either
    const first = await runCli(ARGS, env);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/^failed\s+network\s+blockchain\.miners-revenue/m);

    t.fake.requests.length = 0;
    const second = await runCli(ARGS, env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^skipped\s+network\s+mempool\.hashrate\s+0 rows\s+committed by an earlier attempt/m);
    // Only the failed series is asked again; every ticker and filing was committed the first time.
    expect(t.fake.requests.map((r) => r.path)).toEqual(['/charts/miners-revenue']);
    expect(dumpOf(dbPath).dump).toBe(reference);

    const forced = await runCli([...ARGS, '--force'], env);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^ok\s+network\s+mempool\.hashrate\s+91 rows/m);
    expect(dumpOf(dbPath).dump).toBe(reference);
  });

  it('every first request answered 503 or 429 (with and without Retry-After): the backfill completes, identical rows', async () => {
    const reference = await referenceDump();
    const dbPath = path.join(t.dir, 'faulty.db');
    const faults = [
      { status: 503, body: 'Service Unavailable' },
      { status: 429, body: 'Too Many Requests', headers: { 'retry-after': '0' } },
      { status: 429, body: 'Too Many Requests' },
      { status: 503, body: 'upstream connect error', headers: { 'retry-after': '1' } },
    ];
    const paths = [...new Set(t.fake.requests.map((r) => r.path))];
    expect(paths.length).toBe(18); // every path the reference backfill asked for
    for (const [i, p] of paths.entries()) t.fake.script(p, [faults[i % faults.length]!]);
    t.fake.requests.length = 0;
    const r = await runCli(ARGS, { ...t.env, HASHPULSE_DB: dbPath }, { timeoutMs: 30_000 });
    expect(r.code).toBe(0);
    expect(t.fake.requests).toHaveLength(2 * 18);
    expect(dumpOf(dbPath).dump).toBe(reference);
  });

  it('prints one progress line per chunk when stderr is not a terminal', async () => {
    const r = await runCli(ARGS, t.env);
    // 7 network series + 4 tickers' prices + 3 miners' shares + the overrides file = 15 chunks.
    expect(r.stderr).toMatch(/^\[1\/15\] ok network /m);
    expect(r.stderr).toMatch(/^\[15\/15\] ok equities prices\.\^GSPC: 46 rows, 18 requests so far$/m);
  });

  it('kill -9 at 20 moments of real work (a seeded request of each run), then one more run: the tables equal an uninterrupted backfill', async () => {
    const reference = await referenceDump();
    // The reference backfill fetches 14 chunks over HTTP (7 network series, 3 miners' shares, 4 tickers' prices);
    // each still-uncommitted chunk costs a run at least one request, so a run with U chunks left makes at least U
    // requests. Killing a run at its k-th request, k drawn (seeded) from 1..U, therefore always lands inside the
    // run, never after it: every kill is certain, and where it lands varies from the first request to the last.
    // Four database files take five kills each, so kills land early, midway and late in a backfill.
    const HTTP_CHUNKS = 14;
    const random = seeded(20260125);
    const kills: Array<{ at: number; of: number; signal: string | null }> = [];
    for (let round = 0; round < 4; round++) {
      const dbPath = path.join(t.dir, `killed-${round}.db`);
      const env = { PATH: process.env.PATH ?? '', ...t.env, HASHPULSE_DB: dbPath };
      for (let i = 0; i < 5; i++) {
        const left = HTTP_CHUNKS - (fs.existsSync(dbPath) ? committedChunks(dbPath) : 0);
        expect(left).toBeGreaterThan(0); // a kill leaves the chunk whose request it cut short uncommitted
        const at = 1 + Math.floor(random() * left);
        const child = spawn(process.execPath, [CLI, ...ARGS], { env, stdio: 'ignore' });
        const exited = new Promise<string | null>((r) => child.on('close', (_code, signal) => r(signal)));
        let seen = 0;
        t.fake.intercept = () => {
          if (++seen !== at) return undefined;
          child.kill('SIGKILL'); // this request is never answered, so its chunk cannot have been committed
          return { fault: 'hang' };
        };
        kills.push({ at, of: left, signal: await exited });
        t.fake.intercept = undefined;
      }
      const last = await runCli(ARGS, env, { timeoutMs: 30_000 });
      expect(last.code).toBe(0);
      const { dump, integrity } = dumpOf(dbPath);
      expect(integrity).toBe('ok');
      expect(dump).toBe(reference);
    }
    expect(kills.filter((k) => k.signal === 'SIGKILL')).toHaveLength(20); // every run was cut short by its kill
    expect(kills.filter((k) => k.at > 1).length).toBeGreaterThan(5); // many kills landed after chunks were fetched
  }, 120_000);
});
