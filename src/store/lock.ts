// The daemon lock: one row in daemon_lock. Taken in an IMMEDIATE transaction; freed on exit; a holder whose
// pid is gone (same host) or, on another host, whose heartbeat is older than STALE_MS, is treated as crashed.
import os from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
import { LockError } from '../errors.js';
import { processAlive } from './ledger.js';

export const HEARTBEAT_MS = 30_000;
export const STALE_MS = 3 * HEARTBEAT_MS;

interface LockRow {
  pid: number;
  hostname: string;
  started_at: string;
  heartbeat_at: string;
}

export function acquireDaemonLock(sqlite: BetterSqlite3.Database, dbPath: string, now = new Date()): void {
  const host = os.hostname();
  sqlite
    .transaction(() => {
      const row = sqlite
        .prepare('select pid, hostname, started_at, heartbeat_at from daemon_lock where id = 1')
        .get() as LockRow | undefined;
      if (row && row.pid !== process.pid) {
        const fresh = now.getTime() - Date.parse(row.heartbeat_at) < STALE_MS;
        const holderAlive = row.hostname === host ? processAlive(row.pid) : fresh;
        if (holderAlive) {
          throw new LockError(
            `another hashpulse daemon (pid ${row.pid} on ${row.hostname}, since ${row.started_at}) already uses ${dbPath}; stop it first or point HASHPULSE_DB elsewhere`,
          );
        }
      }
      sqlite
        .prepare(
          'insert into daemon_lock (id, pid, hostname, started_at, heartbeat_at) values (1, ?, ?, ?, ?) on conflict(id) do update set pid = excluded.pid, hostname = excluded.hostname, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at',
        )
        .run(process.pid, host, now.toISOString(), now.toISOString());
    })
    .immediate();
}

export function heartbeat(sqlite: BetterSqlite3.Database, now = new Date()): void {
  sqlite
    .prepare('update daemon_lock set heartbeat_at = ? where id = 1 and pid = ?')
    .run(now.toISOString(), process.pid);
}

export function releaseDaemonLock(sqlite: BetterSqlite3.Database): void {
  sqlite.prepare('delete from daemon_lock where id = 1 and pid = ?').run(process.pid);
}
