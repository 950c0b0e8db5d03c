// pino logger: JSON lines (pretty on a TTY); the daemon logs to stdout, one-shot commands to stderr.
import { createRequire } from 'node:module';
import { type Logger, pino } from 'pino';
import type PinoPretty from 'pino-pretty';

export type { Logger };

export function createLogger(level: string, stream: 'stdout' | 'stderr' = 'stderr'): Logger {
  const fd = stream === 'stdout' ? 1 : 2;
  const tty = stream === 'stdout' ? process.stdout.isTTY : process.stderr.isTTY;
  if (tty && level !== 'silent') {
    // pino-pretty as a stream in this thread, loaded only here: as a pino transport it would run in a worker
    // thread (10-20 MB more for a daemon started in a terminal). A terminal reads slowly anyway.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
    return pino({ level }, pretty({ destination: fd, colorize: true, translateTime: 'SYS:standard', sync: true }));
  }
  return pino({ level }, pino.destination({ fd, sync: true }));
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
