// Every source, job and migration file is registered; a file added without its registry entry fails here.

import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { JOBS } from '../jobs/index.js';
import { MIGRATION_NAMES } from '../migrations/index.js';
import { REPROCESS_SOURCES } from '../src/cli/reprocess.js';
import { register as registerRun } from '../src/cli/run.js';
import { archiveRoutes } from '../src/pipeline/archive.js';
import { SOURCES } from '../src/sources/index.js';

const root = path.resolve(import.meta.dirname, '..');
const stems = (dir: string, skip: string[]) =>
  fs
    .readdirSync(path.join(root, dir))
    .filter((f) => f.endsWith('.ts') && !skip.includes(f))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();

describe('registries', () => {
  it('lists every source module in src/sources/index.ts', () => {
    // validate.ts holds shared checks and probes.ts the probe registry (one entry per source): not sources.
    expect(Object.keys(SOURCES).sort()).toEqual(
      stems('src/sources', ['index.ts', 'validate.ts', 'probes.ts']).map((s) => s.replace(/-/g, '_')),
    );
  });
  it('names every job, in catch-up order, in `run --help`', () => {
    const program = new Command();
    registerRun(program);
    const usage = program.commands[0]!.registeredArguments[0]!.description;
    expect(usage).toBe('network, equities, shares, operations, aggregate or publish');
    expect(usage.split(/, | or /)).toEqual(JOBS.map((j) => j.name));
  });
  it('lists every job file in jobs/index.ts under its own name', () => {
    expect(JOBS.map((j) => j.name).sort()).toEqual(stems('jobs', ['index.ts']));
  });
  it('lists every migration in order, append-only', () => {
    expect([...MIGRATION_NAMES]).toEqual(stems('migrations', ['index.ts']));
  });
  it("reprocess --source offers exactly the sources of the archive's routes", async () => {
    expect(REPROCESS_SOURCES).toEqual([...new Set((await archiveRoutes()).map((r) => r.source))]);
  });
});
