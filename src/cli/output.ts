// Standard output of the command line. To a pipe or a file it is written with fs.writeSync, not process.stdout:
// creating that stream loads Node's stream modules, ~10 ms of a read-only command's start-up (a third of what it
// may spend over bare node). A terminal gets process.stdout as before, so commander's help keeps the terminal's
// width and colours.
import fs from 'node:fs';

let piped: boolean | undefined;

/** True when standard output is a pipe, a file or /dev/null (`hashpulse status >/dev/null` in a cron job or a
 *  monitor that reads the exit code): anything but a terminal or another character device. */
export function stdoutIsPipeOrFile(): boolean {
  if (piped === undefined) {
    try {
      const out = fs.fstatSync(1);
      piped = !out.isCharacterDevice() || out.rdev === fs.statSync('/dev/null').rdev;
    } catch {
      piped = false; // no descriptor 1 that fstat can read (or no /dev/null): leave it to process.stdout
    }
  }
  return piped;
}

/** Writes all of `text` to standard output. A reader that went away (`hashpulse check | head`) ends the output
 *  quietly; a full non-blocking pipe is waited for. */
export function writeStdout(text: string): void {
  if (!stdoutIsPipeOrFile()) {
    process.stdout.write(text);
    return;
  }
  const buf = Buffer.from(text, 'utf8');
  let done = 0;
  while (done < buf.length) {
    try {
      done += fs.writeSync(1, buf, done);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw err;
      // A pipe set non-blocking by another process and full: give its reader a millisecond.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}
