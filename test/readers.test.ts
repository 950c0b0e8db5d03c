// Readers of the file never see "database is locked": a separate process reading with no busy timeout (the sqlite3
// CLI's default) while hashpulse backfills, runs a job under the daemon, and starts and exits short commands; and
// read-only commands write nothing, not even a checkpoint.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTransaction } from '../src/store/transaction.js';
import { CLI, runCli } from './support/cli.js';
import { createTestEnv, serveEquities, serveNetwork, type TestEnv } from './support/env.js';

const POLLER = path.resolve(import.meta.dirname, 'support/reader-poller.mjs');

let t: TestEnv;
/** A file only child processes open: the test process holds no connection to it (t.opened is another file). */
let db: string;
let env: Record<string, string>;
beforeEach(async () => {
  t = await createTestEnv();
  serveNetwork(t.fake);
  serveEquities(t.fake);
  db = path.join(t.dir, 'readers.db');
  env = { ...t.env, HASHPULSE_DB: db, HASHPULSE_ECONOMICS: path.join(t.dir, 'economics.csv') };
});
afterEach(async () => t.close());

/** Resolves when the child's stdout (or stderr) has printed something matching `re`. */
function waitForOutput(child: ChildProcessWithoutNullStreams, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = re.exec(out);
      if (m) resolve(m[0]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('close', (code) => reject(new Error(`exited with ${code} before printing ${re}; output:\n${out}`)));
  });
}

interface PollResult {
  reads: Record<string, number>;
  errors: Array<{ phase: string; code: string; message: string }>;
}

async function startPoller(mode: 'new' | 'keep') {
  const child = spawn(process.execPath, [POLLER, db, mode, '3'], { stdio: ['pipe', 'pipe', 'pipe'] });
  await waitForOutput(child, /^ready$/m);
  return {
    phase: (name: string) => child.stdin.write(`phase ${name}\n`),
    stop: async (): Promise<PollResult> => {
      const line = waitForOutput(child, /^\{.*\}$/m);
      child.stdin.write('stop\n');
      return JSON.parse(await line) as PollResult;
    },
  };
}

function startDaemon() {
  // The aggregate job every second (node-cron's six fields), so scheduled runs happen while the reader polls; the
  // backfill and `run network` run other jobs, which the daemon would otherwise skip as already running.
  const child = spawn(process.execPath, [CLI, 'daemon'], {
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      HASHPULSE_LOG_LEVEL: 'info',
      HASHPULSE_SCHEDULE_AGGREGATE: '* * * * * *',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((r) => child.on('close', r));
  return {
    waitFor: (re: RegExp) => waitForOutput(child, re),
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Three commands that only read and two that write, each opening the file and exiting. */
const SHORT_COMMANDS = [['report', '--month', '2026-01'], ['status'], ['check'], ['run', 'network'], ['migrate']];

async function runShortCommands(
  poller: { phase(name: string): void },
  after?: (args: string[]) => void,
): Promise<void> {
  for (const args of SHORT_COMMANDS) {
    poller.phase(args[0]!);
    const r = await runCli(args, env);
    expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).not.toBe(2);
    after?.(args);
  }
}

function walAndShm(): { wal: number | null; shm: boolean } {
  return { wal: fs.existsSync(`${db}-wal`) ? fs.statSync(`${db}-wal`).size : null, shm: fs.existsSync(`${db}-shm`) };
}

describe('a reader with no busy timeout, opening a new connection for every read (the sqlite3 CLI)', () => {
  it('under the daemon sees no error at all: a job runs, a backfill runs, five short commands start and exit, the daemon stops', async () => {
    const daemon = startDaemon();
    await daemon.waitFor(/hashpulse daemon running/);
    const poller = await startPoller('new');

    poller.phase('job');
    await daemon.waitFor(/"trigger":"schedule"[^\n]*"msg":"job aggregate ok/);
    poller.phase('backfill');
    const backfill = await runCli(['backfill', '--from', '2025-11-01', '--to', '2026-01-31'], env);
    expect(backfill.code, backfill.stdout + backfill.stderr).toBe(0);
    await runShortCommands(poller);
    // The daemon is the last writer to close: the moment the old code checkpointed and deleted the WAL.
    poller.phase('daemon-stop');
    expect(await daemon.stop()).toBe(0);
    poller.phase('after');
    const closed = walAndShm();

    const result = await poller.stop();
    expect(result.errors).toEqual([]);
    // The reader was reading throughout: in every phase it read the file at least once.
    for (const p of ['job', 'backfill', ...SHORT_COMMANDS.map((c) => c[0]!), 'daemon-stop'])
      expect(result.reads[p], p).toBeGreaterThan(0);
    // The WAL stays in place, emptied by the daemon's last checkpoint (TRUNCATE), with the shared-memory index.
    expect(closed).toEqual({ wal: 0, shm: true });
  }, 120_000);

  it('without the daemon (every command opens the idle file and is the last to close it) sees no lock held by hashpulse', async () => {
    expect((await runCli(['migrate'], env)).code).toBe(0);
    const poller = await startPoller('new');
    const left: Array<[string, ReturnType<typeof walAndShm>]> = [];

    poller.phase('backfill');
    const backfill = await runCli(['backfill', '--from', '2025-11-01', '--to', '2026-01-31'], env);
    expect(backfill.code, backfill.stdout + backfill.stderr).toBe(0);
    left.push(['backfill', walAndShm()]);
    await runShortCommands(poller, (args) => left.push([args[0]!, walAndShm()]));

    const result = await poller.stop();
    // A command closing the file last used to checkpoint under an exclusive lock and delete the WAL: plain
    // SQLITE_BUSY. None is left. What no program can avoid is SQLite's WAL-index recovery when a process opens a
    // file nobody has open (sqlite's doc/wal-lock.md: "required when the number of connected database clients
    // changes from zero to one"): a reader opening in those microseconds gets SQLITE_BUSY_RECOVERY, from hashpulse
    // or from any other program. It cannot happen under the daemon (the test above).
    expect(result.errors.filter((e) => e.code !== 'SQLITE_BUSY_RECOVERY')).toEqual([]);
    for (const p of ['backfill', ...SHORT_COMMANDS.map((c) => c[0]!)]) expect(result.reads[p], p).toBeGreaterThan(0);
    // Every command left the WAL in place and empty, so that recovery at the next first opening reads nothing.
    expect(left).toEqual(['backfill', ...SHORT_COMMANDS.map((c) => c[0]!)].map((c) => [c, { wal: 0, shm: true }]));
  }, 120_000);
});

/** The database and its WAL, byte for byte (the -shm is SQLite's shared memory, not content). */
function fingerprint(file: string): string {
  const h = createHash('sha256');
  for (const f of [file, `${file}-wal`]) h.update(fs.existsSync(f) ? fs.readFileSync(f) : Buffer.alloc(0)).update('\0');
  return h.digest('hex');
}

describe('read-only commands', () => {
  it('report, status and check open the file read-only and leave it byte for byte as it was, with other assumptions in force', async () => {
    expect((await runCli(['backfill', '--from', '2025-11-01', '--to', '2026-01-31'], env)).code).toBe(0);
    const before = fingerprint(db);
    // Assumptions other than the stored ones: the report computes with them and writes nothing.
    const what = { ...env, HASHPULSE_FLEET_EFFICIENCY_JTH: '20', HASHPULSE_POWER_PRICE_USD_MWH: '40' };
    const report = await runCli(['report', '--month', '2026-01', '--format', 'json'], what);
    expect(report.code).toBe(0);
    const doc = JSON.parse(report.stdout) as {
      economics: Record<string, number>;
      assumptions: Record<string, unknown>;
    };
    expect(doc.economics.power_cost_usd_per_ehs_day).toBe(20 * 24 * 40); // 19,200: 20 J/TH × 24 h × $40/MWh
    expect(doc.assumptions).toMatchObject({ fleet_efficiency_source: 'env', power_price_source: 'env' });
    expect(report.stderr).toMatch(/report_monthly in the file keeps the stored ones until/);
    expect((await runCli(['status'], env)).code).not.toBe(2);
    expect((await runCli(['check'], env)).code).not.toBe(2);
    expect(fingerprint(db)).toBe(before);
    // SQL users still see the stored assumptions (the built-in 17.5 J/TH and $50.36/MWh)...
    const read = () => {
      const s = new BetterSqlite3(db, { readonly: true });
      try {
        return s
          .prepare(
            "select fleet_efficiency_jth, power_price_usd_mwh, power_cost_usd_per_ehs_day from report_monthly where month = '2026-01'",
          )
          .get();
      } finally {
        s.close();
      }
    };
    expect(read()).toEqual({
      fleet_efficiency_jth: 17.5,
      power_price_usd_mwh: 50.36,
      power_cost_usd_per_ehs_day: 17.5 * 24 * 50.36,
    });
    // ...until a command whose job is writing stores the ones in force.
    expect((await runCli(['migrate'], what)).stdout).toMatch(/economics assumptions stored/);
    expect(read()).toEqual({ fleet_efficiency_jth: 20, power_price_usd_mwh: 40, power_cost_usd_per_ehs_day: 19_200 });
  });

  it('check --store is the writing form: findings go to check_findings', async () => {
    expect(
      (await runCli(['backfill', '--from', '2025-11-01', '--to', '2026-01-31', '--only', 'network'], env)).code,
    ).toBe(0);
    const latest = () => {
      const s = new BetterSqlite3(db, { readonly: true });
      try {
        return s.prepare('select checked_at from check_findings order by checked_at desc limit 1').pluck().get();
      } finally {
        s.close();
      }
    };
    const afterBackfill = latest();
    const plain = await runCli(['check'], env);
    expect(plain.stdout).toMatch(/^\d+ error\(s\), \d+ warning\(s\)$/m);
    expect(latest()).toBe(afterBackfill);
    const stored = await runCli(['check', '--store'], env);
    expect(stored.stdout).toMatch(/warning\(s\) \(stored in check_findings\)$/m);
    expect(latest()).not.toBe(afterBackfill);
  });

  it('on a file whose schema is behind, say to run hashpulse migrate (exit 2) and change nothing; on no file, say how to make one', async () => {
    const { Kysely, Migrator, SqliteDialect } = await import('kysely');
    const { loadMigrations } = await import('../migrations/index.js');
    const raw = new BetterSqlite3(db);
    raw.pragma('journal_mode = WAL');
    const k = new Kysely<unknown>({ dialect: new SqliteDialect({ database: raw }) });
    expect(
      (await new Migrator({ db: k, provider: { getMigrations: loadMigrations } }).migrateTo('0007_report')).error,
    ).toBeUndefined();
    await k.destroy();
    const before = fingerprint(db);
    for (const args of [['status'], ['report', '--month', '2026-01'], ['check']]) {
      const r = await runCli(args, env);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr.trim()).toBe(
        `hashpulse: the schema of ${db} is not this release's: run \`hashpulse migrate\` (or start the daemon), then retry`,
      );
    }
    expect(fingerprint(db)).toBe(before);
    expect((await runCli(['migrate'], env)).code).toBe(0);
    expect((await runCli(['status'], env)).code).not.toBe(2);

    const none = await runCli(['status'], { ...env, HASHPULSE_DB: path.join(t.dir, 'none.db') });
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toMatch(
      /^hashpulse: no database at .*none\.db: load data with `hashpulse backfill` or start the daemon/,
    );
    expect(fs.existsSync(path.join(t.dir, 'none.db'))).toBe(false);
  });
});

describe('readTransaction (report reads in one)', () => {
  it('sees one snapshot while another connection commits, nests in an open transaction, and ends on an error', () => {
    const file = path.join(t.dir, 'snapshot.db');
    const writer = new BetterSqlite3(file);
    writer.pragma('journal_mode = WAL');
    writer.exec('create table t (x integer)');
    writer.exec('insert into t values (1)');
    const reader = new BetterSqlite3(file, { readonly: true });
    const count = () => reader.prepare('select count(*) from t').pluck().get() as number;
    try {
      // A write committed between the two reads is not seen by the second.
      expect(
        readTransaction(reader, () => {
          const before = count();
          writer.exec('insert into t values (2)');
          return [before, count()];
        }),
      ).toEqual([1, 1]);
      expect(reader.inTransaction).toBe(false);
      expect(count()).toBe(2);
      // Inside the caller's transaction: no second BEGIN (which SQLite would refuse).
      reader.exec('BEGIN');
      expect(readTransaction(reader, count)).toBe(2);
      expect(reader.inTransaction).toBe(true);
      reader.exec('COMMIT');
      // A read that throws leaves no transaction open.
      expect(() =>
        readTransaction(reader, () => {
          throw new Error('boom');
        }),
      ).toThrow('boom');
      expect(reader.inTransaction).toBe(false);
    } finally {
      reader.close();
      writer.close();
    }
  });
});
