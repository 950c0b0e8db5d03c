// pino logger: JSON lines (pretty on a TTY); the daemon logs to stdout, one-shot commands to stderr.
import { type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(level: string, stream: 'stdout' | 'stderr' = 'stderr'): Logger {
  const fd = stream === 'stdout' ? 1 : 2;
  const tty = stream === 'stdout' ? process.stdout.isTTY : process.stderr.isTTY;
  if (tty && level !== 'silent') {
    return pino({
      level,
      transport: { target: 'pino-pretty', options: { destination: fd, colorize: true, translateTime: 'SYS:standard' } },
    });
  }
  return pino({ level }, pino.destination({ fd, sync: true }));
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
