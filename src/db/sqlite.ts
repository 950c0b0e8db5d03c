// The raw better-sqlite3 handles: writers in WAL mode that never hold a lock a reader with no busy timeout could run
// into, read-only handles for the read commands, a cheap schema check.
//
// Why writers close the way they do: when the last read-write connection to a WAL file closes, SQLite takes an
// EXCLUSIVE lock on the database file, checkpoints, and deletes the -wal and -shm files
// (https://www.sqlite.org/walformat.html, "operations that require locks"). A reader opening the file in those
// milliseconds cannot get its SHARED lock and, with no busy timeout (the sqlite3 CLI's default), fails with
// "database is locked". SQLITE_FCNTL_PERSIST_WAL only skips the deletion, not the locked checkpoint;
// SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE skips both, but better-sqlite3 binds neither sqlite3_db_config for it nor
// sqlite3_file_control. What it does give: a connection opened read-only never runs that close-time checkpoint,
// because the EXCLUSIVE lock it would need is a write lock (fcntl F_WRLCK), which an O_RDONLY descriptor cannot
// take (unix VFS; better-sqlite3 issue #376 shows the same). So every writer opens a read-only companion that
// holds a SHARED lock for as long as the writer lives and is closed after it: the writer is never "last", the
// companion cannot checkpoint, and the -wal and -shm stay in place. Checkpoints are deliberate instead: PASSIVE
// after every job (src/pipeline/job.ts) and TRUNCATE before closing, which leaves an empty WAL. That keeps short the
// one moment no program can remove: a process opening a file that no process has open rebuilds the -shm index
// ("recovery", SQLite's doc/wal-lock.md), and a reader with no busy timeout opening during those microseconds gets
// SQLITE_BUSY_RECOVERY. It cannot happen while the daemon holds the file open.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { MIGRATION_NAMES } from '../../migrations/index.js';
import { UsageError } from '../errors.js';
import { figuresFingerprint } from './figures.js';

export type Sqlite = BetterSqlite3.Database;

export const BUSY_TIMEOUT_MS = 10_000;
/** How much of the file a read-only connection maps into memory (SQLite maps no more than the file's size). */
const READ_MMAP_BYTES = 1 << 30;
/** How long the closing checkpoint waits for a reader still on an old snapshot before leaving the WAL as it is. */
const CLOSE_CHECKPOINT_WAIT_MS = 1_000;

const ADDON = 'better-sqlite3/build/Release/better_sqlite3.node';
let addon: object | string | null | undefined;
/** better-sqlite3's addon, loaded here by its path, so the `bindings` package does not search for it at every start
 *  (its search reads a stack trace and tries a dozen paths); where it cannot be found, better-sqlite3 searches as
 *  usual. The read-only programs bundle better-sqlite3's JavaScript (scripts/build.mjs), where that search would
 *  fail. The node_modules folders above this file are tried first, as Node's resolution would (a stat each):
 *  require.resolve also reads and parses package.json files, and require() of the addon resolves it again; the two
 *  cost a read command ~1.5 ms of its start-up. better-sqlite3 takes the loaded addon as `nativeBinding` (its
 *  issue #972); it is loaded once per process. */
function nativeBinding(): { nativeBinding?: string } {
  if (addon === undefined) {
    let file: string | null = null;
    // import.meta.dirname is Node ≥ 20.11 (and __dirname in the CommonJS builds: scripts/build.mjs).
    for (let dir = import.meta.dirname ?? path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', ADDON);
      if (fs.existsSync(candidate)) {
        file = candidate;
        break;
      }
      if (path.dirname(dir) === dir) break;
    }
    if (file !== null) {
      const module = { exports: {} };
      process.dlopen(module, file);
      addon = module.exports;
    } else {
      try {
        addon = createRequire(import.meta.url).resolve(ADDON);
      } catch {
        addon = null;
      }
    }
  }
  // better-sqlite3's types name only the path; its code takes the addon object too.
  return addon ? { nativeBinding: addon as string } : {};
}

export type CheckpointMode = 'PASSIVE' | 'TRUNCATE';

/** Copies the WAL into the database file; returns SQLite's answer (busy = 1 when readers or a writer stopped it
 *  short, which is not an error: the next checkpoint goes on). Never throws. */
export function checkpoint(
  sqlite: Sqlite,
  mode: CheckpointMode,
): { busy: number; log: number; checkpointed: number } | undefined {
  try {
    const rows = sqlite.pragma(`wal_checkpoint(${mode})`) as Array<{ busy: number; log: number; checkpointed: number }>;
    return rows[0];
  } catch {
    return undefined; // inside a transaction, or not in WAL mode (:memory:): nothing to do
  }
}

/** A read-write handle for the commands that write (daemon, backfill, run, reprocess, migrate, check --store). */
export function openSqlite(file: string): Sqlite {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new BetterSqlite3(file, nativeBinding());
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  if (file === ':memory:') return sqlite;
  // The read-only companion (see the header): its first read takes the SHARED lock it keeps until closed.
  const companion = new BetterSqlite3(file, {
    ...nativeBinding(),
    readonly: true,
    fileMustExist: true,
    timeout: BUSY_TIMEOUT_MS,
  });
  companion.prepare('select count(*) from sqlite_master').get();
  const close = sqlite.close.bind(sqlite);
  sqlite.close = () => {
    if (sqlite.open) {
      sqlite.pragma(`busy_timeout = ${CLOSE_CHECKPOINT_WAIT_MS}`);
      checkpoint(sqlite, 'TRUNCATE');
      close();
    }
    if (companion.open) companion.close();
    return sqlite;
  };
  return sqlite;
}

/** True when every known migration is recorded as applied and the views are this release's (no Kysely needed).
 *  One statement: it is the first of every command, and preparing each of several cost as much as running it. */
export function isMigrated(sqlite: Sqlite): boolean {
  let row: { applied: string | null; fingerprint: string | null } | undefined;
  try {
    row = sqlite
      .prepare(
        "select (select group_concat(name, char(10)) from kysely_migration) as applied, (select sha256 from figure_versions where name = '*') as fingerprint",
      )
      .get() as typeof row;
  } catch (err) {
    // A file no migration ran on (or an older one, without figure_versions).
    if (err instanceof Error && /^no such table: /.test(err.message)) return false;
    throw err;
  }
  const applied = new Set((row?.applied ?? '').split('\n'));
  return MIGRATION_NAMES.every((n) => applied.has(n)) && row?.fingerprint === figuresFingerprint();
}

/**
 * For read-only commands (report, status, check, probe): the file opened read-only, so they write nothing and
 * never checkpoint. A read-only command cannot migrate: a missing file or a schema that is not this release's is
 * one line and exit 2, telling the user which writer to run. (Migrating from a reader would change the file
 * under a daemon of another release, and make a read command a writer again.)
 */
export function openReadOnly(file: string): Sqlite {
  if (!fs.existsSync(file)) {
    throw new UsageError(
      `no database at ${file}: load data with \`hashpulse backfill\` or start the daemon (\`hashpulse migrate\` creates an empty one)`,
    );
  }
  const sqlite = new BetterSqlite3(file, {
    ...nativeBinding(),
    readonly: true,
    fileMustExist: true,
    timeout: BUSY_TIMEOUT_MS,
  });
  try {
    // Pages read through a memory map of the file, before the first statement reads the schema: SQLite then
    // needs no read call and no 4 kB buffer of its own per page (each fresh page of memory costs ~13 µs in this
    // VM). 0.9 ms less of opening the file and reading a month in a fresh process (15 runs each). A reader only:
    // WAL readers and writers share a file mapped this way, and an I/O error on the mapping (a failing disk)
    // stops the process with SIGBUS instead of an error, which for a read command is the same end.
    sqlite.exec(`pragma mmap_size = ${READ_MMAP_BYTES}`);
    if (!isMigrated(sqlite)) {
      throw new UsageError(
        `the schema of ${file} is not this release's: run \`hashpulse migrate\` (or start the daemon), then retry`,
      );
    }
    sqlite.pragma('temp_store = memory'); // scratch objects of a reader (report's assumptions) stay in memory
    return sqlite;
  } catch (err) {
    sqlite.close();
    throw err;
  }
}
