// A reader as a user would write one, run as its own process: better-sqlite3, read-only, busy timeout 0, polling
// the file every few milliseconds. `new` opens a new connection per read (as the sqlite3 CLI does per invocation);
// `keep` holds one connection (as Datasette or a Python app does).
//   node reader-poller.mjs <db> <new|keep> <interval ms>
// stdout: "ready" after the first successful read; after "phase <name>" on stdin, reads count in that phase;
// after "stop" on stdin, one JSON line { reads: { phase: n }, errors: [{ phase, code, message }] } and exit.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Database = require('better-sqlite3');

const [file, mode = 'new', intervalMs = '3'] = process.argv.slice(2);
let phase = 'start';
const reads = {};
const errors = [];
let kept;
let ready = false;

function read(db) {
  db.prepare('select count(*) from sqlite_master').pluck().get();
  db.prepare('select count(*) from job_runs').pluck().get();
}

function poll() {
  try {
    if (mode === 'keep') {
      kept ??= new Database(file, { readonly: true, fileMustExist: true, timeout: 0 });
      read(kept);
    } else {
      const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 0 });
      try {
        read(db);
      } finally {
        db.close();
      }
    }
    reads[phase] = (reads[phase] ?? 0) + 1;
    if (!ready) {
      ready = true;
      process.stdout.write('ready\n');
    }
  } catch (err) {
    errors.push({ phase, code: err.code, message: err.message });
  }
}

const timer = setInterval(poll, Number(intervalMs));
let input = '';
process.stdin.on('data', (chunk) => {
  input += chunk;
  let nl;
  while ((nl = input.indexOf('\n')) >= 0) {
    const line = input.slice(0, nl).trim();
    input = input.slice(nl + 1);
    if (line.startsWith('phase ')) phase = line.slice(6);
    if (line === 'stop') {
      clearInterval(timer);
      kept?.close();
      process.stdout.write(`${JSON.stringify({ reads, errors })}\n`, () => process.exit(0));
    }
  }
});
