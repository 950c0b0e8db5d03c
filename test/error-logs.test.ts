// Errors stay Error objects from the failed item to the log: with --verbose the JSON log line of a failed series
// carries pino's serialized `err` (type, stack, the cause's message and stack), while the one-line summary, `run`'s
// table and the run ledger keep the message alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { createTestEnv, serveNetwork, type TestEnv } from './support/env.js';

let t: TestEnv;
beforeAll(async () => {
  t = await createTestEnv();
  serveNetwork(t.fake);
  // Every window of mempool's hashrate answers half a JSON document: JSON.parse's SyntaxError is the cause.
  t.fake.intercept = (req) =>
    req.path.startsWith('/api/v1/mining/hashrate/')
      ? { status: 200, body: '{"hashrates":[{"timestamp":1730419200,"avgHashrate":7.1e20},{"timest', headers: {} }
      : undefined;
});
afterAll(async () => t.close());

interface LogLine {
  level: number;
  msg: string;
  series?: string;
  err?: { type: string; message: string; stack: string };
}

describe('a failed series in the log', () => {
  it('--verbose: the log line has the PayloadError with its stack and its cause (the SyntaxError)', async () => {
    const r = await runCli(
      ['backfill', '--from', '2025-11-01', '--to', '2026-01-31', '--only', 'mempool.hashrate', '--verbose'],
      t.env,
    );
    expect(r.code).toBe(1);
    const lines = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
    const failed = lines.find((l) => l.series === 'mempool.hashrate' && /^mempool\.hashrate failed: /.test(l.msg));
    expect(failed?.level).toBe(50); // pino's error
    expect(failed?.err?.type).toBe('PayloadError');
    // The message with its cause appended (pino's messageWithCauses), the stack with "caused by:" and the cause's.
    expect(failed?.err?.message).toMatch(/^mempool: invalid payload: malformed or truncated JSON .*: .*JSON/);
    expect(failed?.err?.stack).toMatch(/^PayloadError: mempool: invalid payload: malformed or truncated JSON/);
    expect(failed?.err?.stack).toMatch(/\ncaused by: SyntaxError: /);
    // The human summary is one line, as before.
    expect(r.stdout).toMatch(/failed\s+network\s+mempool\.hashrate\s+0 rows {2}mempool: invalid payload: malformed/);
  });

  it('the run ledger keeps the message alone, on one line', async () => {
    const r = await runCli(['backfill', '--from', '2025-11-01', '--to', '2026-01-31', '--only', 'mempool.hashrate'], {
      ...t.env,
      HASHPULSE_LOG_LEVEL: 'error',
    });
    expect(r.code).toBe(1);
    const row = t.opened.sqlite.prepare('select error from job_runs order by id desc limit 1').get() as {
      error: string;
    };
    expect(row.error).toMatch(/^mempool\.hashrate: mempool: invalid payload: malformed or truncated JSON/);
    expect(row.error).not.toMatch(/caused by|\n/);
  });
});
