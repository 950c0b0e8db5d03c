// dist/ is an esbuild bundle (scripts/build.mjs); its stack traces must still name the TypeScript.
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

describe('the built CLI', () => {
  it('prints a stack naming the .ts files with -v', async () => {
    const missing = path.join(os.tmpdir(), 'hashpulse-no-such-dir', 'none.db');
    const r = await runCli(['report', '--month', '2026-01', '-v'], { HASHPULSE_DB: missing });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hashpulse: no database at /);
    // The error is thrown in src/db/sqlite.ts (openReadOnly), called from src/cli/common.ts (withReader).
    expect(r.stderr).toMatch(/at openReadOnly \(.*[\\/]src[\\/]db[\\/]sqlite\.ts:\d+:\d+\)/);
    expect(r.stderr).toMatch(/[\\/]src[\\/]cli[\\/]common\.ts:\d+:\d+/);
  });
});
