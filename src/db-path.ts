// HASHPULSE_DB alone, for read-only commands (report, check, status) that must start fast: the full zod
// schema in config.ts costs ~80 ms of start-up on a small server and validates variables they never use.
export const DEFAULT_DB_PATH = 'data/hashpulse.db';

export function dbPathFrom(env: Record<string, string | undefined>, override?: string): string {
  return override || env.HASHPULSE_DB || DEFAULT_DB_PATH;
}
