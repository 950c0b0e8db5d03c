// Writing a set of note files all or none: each through a hidden temporary file in the same folder, flushed to
// disk, then renamed over its name (atomic on POSIX file systems), so a reader sees the old file or the new one,
// never a part of one.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FileError } from '../errors.js';

export interface FileToWrite {
  readonly name: string;
  readonly text: string;
}

export interface WrittenFile {
  readonly name: string;
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

export function sha256(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

/** "ENOSPC: no space left on device" out of Node's "ENOSPC: no space left on device, write". */
function reason(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split(', ')[0]!;
}

function writeFlushed(file: string, data: string | Buffer): void {
  const fd = fs.openSync(file, 'wx', 0o644);
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function tempNameFor(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`,
  );
}

interface Step {
  readonly target: string;
  readonly data: string | Buffer;
  tmp?: string;
  /** What was at `target` before (restored if a later step fails); null: nothing. */
  previous?: Buffer | null;
}

/**
 * Puts `files` into `dir`, creating it. `keep` first copies files already there to other names (the previous
 * revision's `2026-01.html` → `2026-01.r1.html`); a `from` that does not exist is skipped. If any write or rename
 * fails, the names already replaced get their previous content back, new names are removed, every temporary file
 * is deleted, and a FileError names the path that failed.
 */
export function writeFilesAtomically(
  dir: string,
  files: readonly FileToWrite[],
  keep: ReadonlyArray<{ readonly from: string; readonly to: string }> = [],
): WrittenFile[] {
  const folder = path.resolve(dir);
  try {
    fs.mkdirSync(folder, { recursive: true });
    if (!fs.statSync(folder).isDirectory())
      throw Object.assign(new Error('ENOTDIR: not a directory'), { code: 'ENOTDIR' });
  } catch (err) {
    throw new FileError(folder, `cannot create or use the notes folder: ${reason(err)}`, { cause: err });
  }
  const steps: Step[] = [];
  for (const k of keep) {
    const from = path.join(folder, k.from);
    if (fs.existsSync(from)) steps.push({ target: path.join(folder, k.to), data: fs.readFileSync(from) });
  }
  for (const f of files) steps.push({ target: path.join(folder, f.name), data: f.text });

  const removeTemps = () => {
    for (const s of steps) if (s.tmp) fs.rmSync(s.tmp, { force: true });
  };
  for (const s of steps) {
    try {
      s.tmp = tempNameFor(s.target);
      writeFlushed(s.tmp, s.data);
    } catch (err) {
      removeTemps();
      throw new FileError(s.target, `cannot write the note file: ${reason(err)}`, { cause: err });
    }
  }
  const done: Step[] = [];
  for (const s of steps) {
    try {
      s.previous = fs.existsSync(s.target) && fs.statSync(s.target).isFile() ? fs.readFileSync(s.target) : null;
      fs.renameSync(s.tmp!, s.target);
      s.tmp = undefined;
      done.push(s);
    } catch (err) {
      const unrestored: string[] = [];
      for (const d of done.reverse()) {
        try {
          if (d.previous) {
            const back = tempNameFor(d.target);
            writeFlushed(back, d.previous);
            fs.renameSync(back, d.target);
          } else {
            fs.rmSync(d.target, { force: true });
          }
        } catch (undo) {
          unrestored.push(`${d.target}: ${reason(undo)}`);
        }
      }
      removeTemps();
      const also = unrestored.length > 0 ? `; could not restore ${unrestored.join(', ')}` : '';
      throw new FileError(s.target, `cannot put the note file in place: ${reason(err)}${also}`, { cause: err });
    }
  }
  // The renames themselves reach the disk with the folder's entry table.
  try {
    const fd = fs.openSync(folder, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not every file system lets a folder be flushed; the files themselves were.
  }
  return files.map((f) => {
    const p = path.join(folder, f.name);
    return { name: f.name, path: p, sha256: sha256(f.text), bytes: Buffer.byteLength(f.text) };
  });
}
