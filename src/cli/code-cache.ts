// Node 20 caches no compiled code between runs of a program (module.enableCompileCache came in Node 22), and the
// read-only program spends most of its start-up compiling its own text. So it is compiled through vm.Script with
// V8's code cache: a file the build writes beside it (scripts/build.mjs runs each read-only command once with
// HASHPULSE_CODE_CACHE_WRITE=1). At run time the cache is only read. V8 refuses a cache made by another Node
// version, with other V8 flags or for other text; the program is then compiled as usual, a little slower.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

export type CacheUse = 'accepted' | 'rejected' | 'none';

/** The head of the function Node's CommonJS loader wraps a module in (closed by `\n})`). */
export const CJS_WRAPPER = '(function (exports, require, module, __filename, __dirname) {';

/** Loads a CommonJS file as `require` would, compiled with `cacheFile`'s code cache when V8 accepts it; the module
 *  gets `requireFn` as its `require` (the caller's: the read-only programs require only Node's builtins, and
 *  createRequire would load node:module, ~0.6 ms of a start). With `write`, the cache is rewritten when the process
 *  exits, with every function compiled by then (those it loaded from the old cache included), so successive runs
 *  add to it. */
export function requireCached(
  file: string,
  cacheFile: string,
  requireFn: (id: string) => unknown,
  write = false,
): { exports: Record<string, unknown>; cache: CacheUse } {
  // The text and the cache are read into one buffer, the text first: each 4 kB page of memory a process touches
  // for the first time costs ~13 µs in this VM, and a buffer per file touched ~23 pages more (the buffers are
  // only freed by a collection, which a read command never runs).
  const textStats = fs.statSync(file);
  const textSize = textStats.size;
  let cacheSize = 0;
  try {
    // V8 checks a cache against the text's length only: one older than the file is not read at all.
    const cache = fs.statSync(cacheFile);
    if (cache.mtimeMs >= textStats.mtimeMs) cacheSize = cache.size;
  } catch {
    // No cache: compiled as usual.
  }
  const buf = Buffer.allocUnsafeSlow(Math.max(textSize, cacheSize));
  readInto(file, buf, textSize);
  // ASCII (the build checks it): Latin-1 makes the one-byte string V8 wants without decoding UTF-8.
  const source = buf.toString('latin1', 0, textSize);
  let cachedData: Buffer | undefined;
  if (cacheSize > 0) {
    try {
      readInto(cacheFile, buf, cacheSize);
      cachedData = buf.subarray(0, cacheSize);
    } catch {
      // Gone since: compiled as usual.
    }
  }
  // The wrapper Node's CommonJS loader puts around a module; on one line, so line numbers stay the file's. The
  // build writes the read-only programs already wrapped (scripts/build.mjs): wrapping here makes a second copy of
  // the text in V8's young generation, which then fills up during the command and costs it a collection (~2 ms).
  const wrapped = source.startsWith(CJS_WRAPPER) ? source : `${CJS_WRAPPER} ${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  const module = { exports: {} as Record<string, unknown> };
  const fn = script.runInThisContext() as (...args: unknown[]) => void;
  fn.call(module.exports, module.exports, requireFn, module, file, path.dirname(file));
  if (write)
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    });
  const cache = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted';
  return { exports: module.exports, cache };
}

/** Reads the first `size` bytes of `file` into `buf`. */
function readInto(file: string, buf: Buffer, size: number): void {
  const fd = fs.openSync(file, 'r');
  try {
    let done = 0;
    while (done < size) {
      const n = fs.readSync(fd, buf, done, size - done, done);
      if (n === 0) throw new Error(`${file}: ${size - done} bytes short of ${size}`);
      done += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}
