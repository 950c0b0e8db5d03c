// The one place "now" comes from: the system clock, or the instant HASHPULSE_NOW names (read in config.ts).

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * HASHPULSE_NOW=2026-02-01T06:00:00Z makes every command and the daemon act as if started at that instant; time then
 * runs on from it, so schedules and timeouts still work. `startMs` null (the variable unset): the system clock.
 */
export function clockStartingAt(startMs: number | null): Clock {
  if (startMs === null) return systemClock;
  const t0 = Date.now();
  return { now: () => new Date(startMs + (Date.now() - t0)) };
}
