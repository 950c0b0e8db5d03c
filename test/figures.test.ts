// Figures as code: every view comes from src/figures/, is recreated when its text changes, and its columns match
// the TypeScript row types that read it.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OpenedDb, openDb } from '../src/db/connection.js';
import { applyFigures, figuresCurrent } from '../src/db/figures.js';
import { isMigrated } from '../src/db/sqlite.js';
import { FIGURES } from '../src/figures/index.js';
import { COLUMNS } from '../src/metrics/columns.js';
import { refreshNetworkMonthly } from '../src/store/aggregate.js';
import { tempDir } from './support/env.js';
import { makeOldFile } from './support/old-file.js';

let dir: string;
let opened: OpenedDb;
beforeEach(async () => {
  dir = tempDir();
  opened = await openDb(path.join(dir, 'f.db'));
});
afterEach(async () => {
  await opened.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const columnsOf = (name: string) =>
  opened.sqlite.prepare('select name from pragma_table_info(?)').pluck().all(name) as string[];
const views = () =>
  opened.sqlite.prepare("select name from sqlite_master where type = 'view' order by name").pluck().all() as string[];

describe('figures as code', () => {
  it('lists every file of src/figures/ in the registry, in an order where each view reads only those above it', () => {
    const dirFiles = fs
      .readdirSync(path.resolve(import.meta.dirname, '../src/figures'))
      .filter((f) => !['index.ts', 'figure.ts', 'columns.ts'].includes(f));
    expect(FIGURES.map((f) => `${f.name.replace(/_/g, '-')}.ts`).sort()).toEqual(dirFiles.sort());
    FIGURES.forEach((f, i) => {
      const later = FIGURES.slice(i + 1).map((x) => x.name);
      for (const name of later)
        expect(f.select, `${f.name} reads ${name}, which is created after it`).not.toMatch(new RegExp(`\\b${name}\\b`));
    });
  });

  it('creates exactly the registered views in a new file, and the database holds no other view', () => {
    expect(views()).toEqual(FIGURES.map((f) => f.name).sort());
    expect(isMigrated(opened.sqlite)).toBe(true);
  });

  it('ties every view and materialised table to the TypeScript row type that reads it (pragma table_info)', () => {
    for (const f of FIGURES)
      expect(Object.keys(COLUMNS), `${f.name} has no column list in src/metrics/columns.ts`).toContain(f.name);
    for (const [name, cols] of Object.entries(COLUMNS)) {
      expect(columnsOf(name).sort(), name).toEqual([...cols].sort());
    }
    for (const f of FIGURES.filter((x) => x.materialisedAs)) {
      expect(columnsOf(f.materialisedAs!).sort(), `${f.materialisedAs} vs ${f.name}`).toEqual(columnsOf(f.name).sort());
    }
  });

  it('recreates a view whose text changed, and only then (a file whose views are current is not touched)', () => {
    expect(applyFigures(opened.sqlite)).toBe(0);
    const changed = FIGURES.map((f) =>
      f.name === 'trading_month_ends' ? { ...f, select: `${f.select}\n-- a comment makes it new text` } : f,
    );
    expect(figuresCurrent(opened.sqlite, changed)).toBe(false);
    expect(applyFigures(opened.sqlite, changed)).toBe(FIGURES.length);
    const sql = opened.sqlite
      .prepare("select sql from sqlite_master where name = 'trading_month_ends'")
      .pluck()
      .get() as string;
    expect(sql).toContain('a comment makes it new text');
    expect(isMigrated(opened.sqlite)).toBe(false); // this release's views differ from the file's: readers ask for `hashpulse migrate`
    expect(applyFigures(opened.sqlite)).toBe(FIGURES.length);
    expect(isMigrated(opened.sqlite)).toBe(true);
  });

  it('refreshes a materialised table by column name: a view whose columns come in another order still lands right', () => {
    opened.sqlite
      .prepare(
        "insert into hashrate_daily (date, source, hashrate_ehs) values ('2026-01-01', 'mempool', 1000), ('2026-01-02', 'mempool', 900)",
      )
      .run();
    // The same figure with its columns in reverse order: `insert … select *` would put month into hashprice_mom_pct.
    const live = opened.sqlite
      .prepare('select * from network_monthly_live limit 0')
      .columns()
      .map((c) => `"${c.name}"`);
    const reordered = FIGURES.map((f) =>
      f.name === 'network_monthly_live'
        ? { ...f, select: `select ${[...live].reverse().join(', ')} from (\n${f.select}\n)` }
        : f,
    );
    applyFigures(opened.sqlite, reordered);
    expect(refreshNetworkMonthly(opened.sqlite)).toBe(1);
    const row = opened.sqlite.prepare('select month, days_in_month, hashrate_avg_ehs from network_monthly').get();
    expect(row).toEqual({ month: '2026-01', days_in_month: 31, hashrate_avg_ehs: (1000 + 900) / 2 });
  });

  it('upgrades a file made by the previous release (views from migrations 0001-0007): same views, data kept', async () => {
    // A file at migration 0007 exactly: the views the old migrations created, and a stored row.
    const old = path.join(dir, 'old.db');
    await makeOldFile(old, '0007_report', (raw) => {
      raw
        .prepare("insert into btc_price_daily (date, source, price_usd) values ('2026-01-30', 'blockchain', 84000)")
        .run();
    });
    const upgraded = await openDb(old);
    try {
      const v = upgraded.sqlite
        .prepare("select name from sqlite_master where type = 'view' order by name")
        .pluck()
        .all();
      expect(v).toEqual(FIGURES.map((f) => f.name).sort());
      expect(upgraded.sqlite.prepare('select btc_price_usd from network_daily').pluck().all()).toEqual([84000]);
    } finally {
      await upgraded.close();
    }
  });
});
