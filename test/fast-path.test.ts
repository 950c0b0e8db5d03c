// The read-only programs (dist/src/cli.cjs → dist/src/read-only/<command>.cjs): which command lines they take, what
// the build left out of them, and the code cache each starts from.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FAST_COMMANDS, fastCommand } from '../src/cli/fast-path.js';
import { runCli } from './support/cli.js';
import { tempDir } from './support/env.js';

describe('fastCommand', () => {
  it.each([
    [[], 'help'],
    [['--help'], 'help'],
    [['help', 'run'], 'help'],
    [['report', '--month', '2026-01', '--format', 'json'], 'report'],
    [['status', '--json'], 'status'],
    [['check', '--json'], 'check'],
    [['universe'], 'universe'],
    // --db takes a value: a file named like a command is not the command.
    [['--db', 'status', 'run', 'network'], null],
    [['--db', 'my.db', 'report'], 'report'],
    [['--db=my.db', 'status'], 'status'],
    // -v wants a stack trace with the .ts names: the other program, which has the source maps on.
    [['-v', 'report'], null],
    [['report', '--month', '2026-01', '--verbose'], null],
    // check --store writes.
    [['check', '--store'], null],
    [['run', 'network'], null],
    [['daemon'], null],
    [['backfill', '--from', '2026-01-01'], null],
    [['no-such-command'], null],
  ] as const)('%j → %s', (args, expected) => {
    expect(fastCommand(args)).toBe(expected);
  });
});

describe('the read-only program as built', () => {
  const dist = path.resolve(import.meta.dirname, '../dist');
  const meta = JSON.parse(fs.readFileSync(path.join(dist, 'meta-read-only.json'), 'utf8')) as {
    inputs: Record<string, unknown>;
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  const inputs = Object.keys(meta.inputs);
  /** The source files in one command's program. */
  const inputsOf = (command: string): string[] => {
    const out = Object.keys(meta.outputs).find((o) => o.endsWith(`/src/read-only/${command}.cjs`));
    expect(out, command).toBeDefined();
    return Object.keys(meta.outputs[out!]!.inputs);
  };
  const cli = path.join(dist, 'src/cli.cjs');

  it('holds none of the packages only the writing commands load', () => {
    for (const pkg of ['axios', 'kysely', 'cheerio', 'pino', 'cli-progress'])
      expect(inputs.filter((i) => i.includes(`node_modules/${pkg}/`))).toEqual([]);
    // The jobs' declarations are in (status reads their schedules); what they run when they run is not.
    expect(
      inputs.filter((i) =>
        /^src\/(sources\/(mempool|blockchain|bitstamp|yahoo|sec|nasdaq|stooq|tiingo)|store\/raw)/.test(i),
      ),
    ).toEqual([]);
  });

  it('holds every read-only command module and better-sqlite3', () => {
    for (const c of FAST_COMMANDS.filter((c) => c !== 'help')) expect(inputs).toContain(`src/cli/${c}.ts`);
    expect(inputs).toContain('node_modules/better-sqlite3/lib/database.js');
  });

  it("each command's program holds that command and no other (help holds them all)", () => {
    const commands = FAST_COMMANDS.filter((c) => c !== 'help');
    for (const c of commands) {
      const own = inputsOf(c);
      expect(own).toContain(`src/cli/${c}.ts`);
      expect(own.filter((i) => commands.some((o) => i === `src/cli/${o}.ts`))).toEqual([`src/cli/${c}.ts`]);
    }
    // No program holds node-cron: status reads its schedules without it and requires it from node_modules only
    // for a schedule written another way (the test below).
    for (const c of FAST_COMMANDS) expect(inputsOf(c).filter((i) => i.includes('node_modules/node-cron/'))).toEqual([]);
    for (const c of commands) expect(inputsOf('help')).toContain(`src/cli/${c}.ts`);
    // A command's own program parses its plain command lines itself (src/cli/command-spec.ts); the help program,
    // to which it hands the others, has commander.
    for (const c of commands) expect(inputsOf(c).filter((i) => i.includes('node_modules/commander/'))).toEqual([]);
    expect(inputsOf('help').filter((i) => i.includes('node_modules/commander/')).length).toBeGreaterThan(0);
  });

  // The same command line through the command's own program and through the program of every command (-v sends it
  // there): the same help, the same refusal.
  it.each(FAST_COMMANDS.filter((c) => c !== 'help'))('%s: help and a bad option read as in the whole program', (c) => {
    const env = { PATH: process.env.PATH ?? '', HASHPULSE_DB: path.join(os.tmpdir(), 'hashpulse-no-such.db') };
    const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });
    for (const args of [
      [c, '--help'],
      [c, '--no-such-option'],
    ]) {
      const own = run(args);
      const whole = run(['-v', ...args]);
      expect({ out: own.stdout, err: own.stderr, code: own.status }).toEqual({
        out: whole.stdout,
        err: whole.stderr,
        code: whole.status,
      });
    }
    // What both say, so two empty answers cannot agree: the command's usage, and the refusal naming the option.
    expect(run([c, '--help']).stdout).toContain(`Usage: hashpulse ${c} [options]`);
    const bad = run([c, '--no-such-option']);
    expect({ code: bad.status, err: bad.stderr }).toEqual({
      code: 2,
      err: "error: unknown option '--no-such-option'\n(run with --help for usage)\n",
    });
  });

  it("status's program loads node-cron for a schedule with names: 0 0 1 JAN * runs next on 1 January", async () => {
    const dir = tempDir();
    const env = { HASHPULSE_DB: path.join(dir, 'h.db'), HASHPULSE_SCHEDULE_NETWORK: '0 0 1 JAN *' };
    expect((await runCli(['migrate'], env)).code).toBe(0);
    const r = await runCli(['status', '--json'], env);
    const jobs = (JSON.parse(r.stdout) as { jobs: Array<{ job: string; schedule: string; next_run: string }> }).jobs;
    // The next run is counted from the wall clock: the next New Year, at midnight UTC.
    expect(jobs.find((j) => j.job === 'network')).toMatchObject({
      schedule: '0 0 1 JAN *',
      next_run: `${new Date().getUTCFullYear() + 1}-01-01T00:00:00.000Z`,
    });
    // A plain schedule beside it, read without node-cron: the aggregate job's 45 23 * * * is at 23:45 UTC.
    expect(jobs.find((j) => j.job === 'aggregate')?.next_run).toMatch(/T23:45:00\.000Z$/);
  });

  it('has a code cache per command, made by the build', () => {
    for (const c of FAST_COMMANDS)
      expect(fs.statSync(path.join(dist, `src/read-only/${c}.cjs.v8cache`)).size).toBeGreaterThan(0);
  });
});

describe('requireCached', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  // Each load runs in a process of its own: within one process V8 finds the text it compiled before in memory,
  // and would report any cache as accepted.
  it('loads a CommonJS file, writes its cache only when asked, reads it, refuses garbage and a stale cache', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hashpulse-code-cache-'));
    dirs.push(dir);
    const { build } = await import('esbuild');
    const loader = path.join(dir, 'loader.mjs');
    await build({
      entryPoints: [path.resolve(import.meta.dirname, '../src/cli/code-cache.ts')],
      outfile: path.join(dir, 'code-cache.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'warning',
    });
    fs.writeFileSync(
      loader,
      "import { createRequire } from 'node:module';\nimport { requireCached } from './code-cache.mjs';\n" +
        "const r = requireCached(process.argv[2], process.argv[3], createRequire(process.argv[2]), process.argv[4] === 'write');\n" +
        'console.log(JSON.stringify({ cache: r.cache, twice: r.exports.twice(21), dir: r.exports.dir }));\n',
    );
    const file = path.join(dir, 'm.cjs');
    const cache = path.join(dir, 'm.cjs.v8cache');
    fs.writeFileSync(file, 'exports.twice = (x) => x * 2; exports.dir = __dirname;');
    const load = (write = false) => {
      const r = spawnSync(process.execPath, [loader, file, cache, write ? 'write' : ''], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as { cache: string; twice: number; dir: string };
    };

    expect(load()).toEqual({ cache: 'none', twice: 42, dir });
    expect(fs.existsSync(cache)).toBe(false); // reading never writes
    expect(load(true).cache).toBe('none');
    expect(fs.statSync(cache).size).toBeGreaterThan(0); // written at exit
    expect(load()).toEqual({ cache: 'accepted', twice: 42, dir });

    const good = fs.readFileSync(cache);
    fs.writeFileSync(cache, Buffer.from('not a code cache'));
    expect(load()).toEqual({ cache: 'rejected', twice: 42, dir });

    // A cache older than the file (the file rebuilt since) is not read at all.
    fs.writeFileSync(cache, good);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(file, later, later);
    expect(load().cache).toBe('none');
  });
});
