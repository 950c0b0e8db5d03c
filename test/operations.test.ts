// The `operations` job against the fake EDGAR: which filings it reads (and which it never asks for), what it
// stores with which provenance, the hand file, and an unparseable release flagged in check and status.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { operations } from '../jobs/operations.js';
import { evaluateStatus } from '../src/daemon/status.js';
import { runJob } from '../src/pipeline/job.js';
import { isCandidate } from '../src/pipeline/operations.js';
import { runChecks } from '../src/quality/checks.js';
import { runCli } from './support/cli.js';
import { createTestEnv, type TestEnv } from './support/env.js';
import { OPERATIONS_UNIVERSE, serveOperations } from './support/operations.js';

let t: TestEnv;
beforeEach(async () => {
  // Two weeks after RIOT's and HIVE's November 2023 updates (filed 2023-12-06): both inside the 62-day window.
  t = await createTestEnv({ now: '2023-12-20T23:15:00Z', config: { universePath: OPERATIONS_UNIVERSE } });
  serveOperations(t.fake);
});
afterEach(async () => t.close());

const monthly = () =>
  t.opened.sqlite
    .prepare(
      'select ticker, month, source, btc_produced, hashrate_ehs, hashrate_basis, btc_held, accession, status from miner_operations_monthly order by ticker, month, source',
    )
    .all();
const ledger = () =>
  t.opened.sqlite
    .prepare('select ticker, accession, form, kind, month, status from sec_operations_filings order by filed, ticker')
    .all();
const archivePaths = () => t.fake.requests.map((r) => r.path).filter((p) => p.startsWith('/Archives/'));

describe('the operations job', () => {
  it('reads only 8-Ks under Item 7.01/8.01 and 6-Ks, each through its filing index, and stores every figure with its source', async () => {
    const report = await runJob(t.ctx, operations, 'manual');
    expect(report.status).toBe('ok');
    // RIOT's earnings 8-K (Item 2.02), its Form 4 and 10-Q, HIVE's 40-F are never fetched; CORZ's filing (2024) is
    // after today. Two requests per filing read: the index, then the EX-99.1 it names.
    expect(archivePaths()).toEqual([
      '/Archives/edgar/data/1167419/000155837023019523/0001558370-23-019523-index.htm',
      '/Archives/edgar/data/1167419/000155837023019523/riot-20231204xex99d1.htm',
      '/Archives/edgar/data/1167419/000155837023020117/0001558370-23-020117-index.htm',
      '/Archives/edgar/data/1167419/000155837023020117/riot-20231212xex99d1.htm',
      '/Archives/edgar/data/1720424/000121390023093911/0001213900-23-093911-index.htm',
      '/Archives/edgar/data/1720424/000121390023093911/ea189877ex99-1_hive.htm',
    ]);
    // The SEC's rules: every request names the app and a contact.
    expect(t.fake.requests.every((r) => r.headers['user-agent'] === 'hashpulse-tests tests@example.com')).toBe(true);
    expect(monthly()).toEqual([
      {
        ticker: 'HIVE',
        month: '2023-11',
        source: 'sec-6k',
        btc_produced: 276.3,
        hashrate_ehs: 4.14,
        hashrate_basis: 'average',
        btc_held: 1627,
        accession: '0001213900-23-093911',
        status: 'parsed',
      },
      {
        ticker: 'RIOT',
        month: '2023-11',
        source: 'sec-8k',
        btc_produced: 552,
        hashrate_ehs: 12.4,
        hashrate_basis: 'installed',
        btc_held: 7358,
        accession: '0001558370-23-019523',
        status: 'parsed',
      },
    ]);
    expect(ledger()).toEqual([
      {
        ticker: 'HIVE',
        accession: '0001213900-23-093911',
        form: '6-K',
        kind: 'production-update',
        month: '2023-11',
        status: 'parsed',
      },
      {
        ticker: 'RIOT',
        accession: '0001558370-23-019523',
        form: '8-K',
        kind: 'production-update',
        month: '2023-11',
        status: 'parsed',
      },
      { ticker: 'RIOT', accession: '0001558370-23-020117', form: '8-K', kind: 'other', month: null, status: null },
    ]);
    const riot = t.opened.sqlite
      .prepare("select document_url, provenance from miner_operations_monthly where ticker = 'RIOT'")
      .get() as { document_url: string; provenance: string };
    expect(riot.document_url).toBe(
      `${t.fake.url}/Archives/edgar/data/1167419/000155837023019523/riot-20231204xex99d1.htm`,
    );
    expect(JSON.parse(riot.provenance)).toMatchObject({
      btc_produced: 'table 1, row "Bitcoin Produced", column "November 2023": 552',
    });
  });

  it('fetches only new filings: a second run asks for the three submissions lists and nothing else', async () => {
    await runJob(t.ctx, operations, 'manual');
    const before = t.fake.requests.length;
    const again = await runJob(t.ctx, operations, 'manual');
    expect(again.status).toBe('ok');
    expect(t.fake.requests.slice(before).map((r) => r.path)).toEqual([
      '/submissions/CIK0001167419.json',
      '/submissions/CIK0001720424.json',
      '/submissions/CIK0001839341.json',
    ]);
    expect(again.results.find((r) => r.item === 'operations.RIOT')?.detail).toBe('no new 8-K/6-K since 2023-10-19');
  });

  it('a failed request writes nothing for that miner, and the next run reads the filing again', async () => {
    t.fake.script('/Archives/edgar/data/1167419/000155837023019523/riot-20231204xex99d1.htm', [
      { status: 404, body: 'Not Found' },
    ]);
    const first = await runJob(t.ctx, operations, 'manual');
    expect(first.status).toBe('failed');
    expect(first.results.find((r) => r.item === 'operations.RIOT')?.error).toMatch(
      /HTTP 404.*riot-20231204xex99d1\.htm/,
    );
    expect(ledger().filter((f: any) => f.ticker === 'RIOT')).toEqual([]); // not even the conference 8-K read before it
    expect(monthly().map((r: any) => r.ticker)).toEqual(['HIVE']);
    expect((await runJob(t.ctx, operations, 'manual')).status).toBe('ok');
    expect(monthly().map((r: any) => r.ticker)).toEqual(['HIVE', 'RIOT']);
  });

  it('an unparseable release is stored as unparsed with the figures it could read, flagged in check and status, until entered by hand', async () => {
    t.setNow('2024-10-20T23:15:00Z'); // CORZ's September 2024 update (filed 2024-10-07) is in the window now
    expect((await runJob(t.ctx, operations, 'manual')).status).toBe('ok');
    const corz = t.opened.sqlite
      .prepare(
        "select btc_produced, hashrate_ehs, hashrate_basis, status, note from miner_operations_monthly where ticker = 'CORZ'",
      )
      .get() as any;
    // 345 self-mined (not the customers' 66); the hashrate "20.4" has no unit in the release: not guessed.
    expect(corz).toMatchObject({ btc_produced: 345, hashrate_ehs: null, hashrate_basis: null, status: 'unparsed' });
    expect(corz.note).toMatch(/Self-Mining Energized Hash rate.*20\.4 has no unit/);
    const finding = runChecks(t.opened.sqlite, { today: '2024-10-20' }).find((f) => f.check === 'unparsed');
    expect(finding).toMatchObject({ severity: 'warning', series: 'operations.CORZ', first_date: '2024-10-07' });
    expect(finding?.detail).toMatch(
      /^0001628280-24-042423 \(2024-09\) unparsed: hashrate: .*enter the month in data\/operations\.csv/,
    );
    const status = evaluateStatus(t.opened.sqlite, [operations], {}, new Date('2024-10-20T23:30:00Z'));
    expect(status.problems).toContain(
      'operations.CORZ: filing 0001628280-24-042423 (2024-09) unparsed — enter the month in data/operations.csv',
    );

    // The operator reads the footnote (EH/s) and enters the month; the next run takes the file, and the flag goes.
    fs.writeFileSync(
      t.ctx.config.operationsPath,
      'ticker,month,btc_produced,hashrate_ehs,hashrate_basis,btc_held,note\nCORZ,2024-09,,20.4,installed,,"footnote 3: energized EH/s at month end"\n',
    );
    expect((await runJob(t.ctx, operations, 'manual')).status).toBe('ok');
    expect(runChecks(t.opened.sqlite, { today: '2024-10-20' }).some((f) => f.check === 'unparsed')).toBe(false);
    expect(
      evaluateStatus(t.opened.sqlite, [operations], {}, new Date('2024-10-20T23:30:00Z')).problems.some((p) =>
        p.startsWith('operations.'),
      ),
    ).toBe(false);
  });
});

describe('hashpulse backfill --only operations', () => {
  it('reads every 8-K/6-K of the range again (one miner with operations.RIOT), and a plain --only ticker leaves operations out', async () => {
    // The CLI runs after every fixture filing (the newest, CORZ's, was filed 2024-10-07).
    const env = { ...t.env, HASHPULSE_UNIVERSE: OPERATIONS_UNIVERSE, HASHPULSE_NOW: '2024-10-20T23:30:00Z' };
    const one = await runCli(['backfill', '--from', '2023-01-01', '--only', 'operations.RIOT'], env);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(
      /^ok\s+operations\s+operations\.RIOT\s+1 rows\s+2 8-K\/6-K examined: 1 production update\(s\)$/m,
    );
    const before = archivePaths().length;
    const all = await runCli(['backfill', '--from', '2023-01-01', '--only', 'operations'], env);
    expect(all.code).toBe(0);
    // A backfill reads again what a daily run would skip: RIOT's two filings, HIVE's and CORZ's (2 requests each).
    expect(archivePaths().length - before).toBe(8);
    expect(all.stdout).toMatch(
      /^ok\s+operations\s+operations\.CORZ\s+1 rows\s+1 8-K\/6-K examined: 1 production update\(s\), 1 unparsed$/m,
    );
    const dry = await runCli(['backfill', '--from', '2023-01-01', '--only', 'operations', '--dry-run'], env);
    expect(dry.stdout).toMatch(
      /operations 2023-01-01\.\.today: 3 submissions list\(s\) from the SEC, then 2 requests per 8-K \(Item 7\.01\/8\.01\) or 6-K in the range \(filing index, exhibit\): RIOT, HIVE, CORZ/,
    );
    expect((await runCli(['backfill', '--only', 'operations.SPY'], env)).stderr).toMatch(
      /--only: unknown series or ticker "operations\.SPY"/,
    );
  });
});

describe('data/operations.csv', () => {
  const HEADER = 'ticker,month,btc_produced,hashrate_ehs,hashrate_basis,btc_held,note';

  it('stores hand entries as source "override", empty cells as NULL', async () => {
    fs.writeFileSync(
      t.ctx.config.operationsPath,
      `${HEADER}\n# comment\nRIOT,2023-11,,10.5,average,,"estimate, from the Q4 report"\nHIVE,2023-10,"1,234.5",,,1600,\n`,
    );
    await runJob(t.ctx, operations, 'manual');
    expect(
      t.opened.sqlite
        .prepare(
          "select ticker, month, btc_produced, hashrate_ehs, hashrate_basis, btc_held, status, note from miner_operations_monthly where source = 'override' order by ticker",
        )
        .all(),
    ).toEqual([
      {
        ticker: 'HIVE',
        month: '2023-10',
        btc_produced: 1234.5,
        hashrate_ehs: null,
        hashrate_basis: null,
        btc_held: 1600,
        status: 'parsed',
        note: null,
      },
      {
        ticker: 'RIOT',
        month: '2023-11',
        btc_produced: null,
        hashrate_ehs: 10.5,
        hashrate_basis: 'average',
        btc_held: null,
        status: 'parsed',
        note: 'estimate, from the Q4 report',
      },
    ]);
  });

  it.each([
    ['RIOT,2023-11,,10.5,,,', /line 2: hashrate_ehs and hashrate_basis go together/],
    [
      'RIOT,2023-11,,10.5,energized,,',
      /line 2: hashrate_basis must be one of operating, average, installed, got "energized"/,
    ],
    ['RIOT,2023-13,552,,,,', /line 2: month must be YYYY-MM, got "2023-13"/],
    ['MARA,2023-11,552,,,,', /line 2: unknown miner "MARA"/],
    ['RIOT,2023-11,5493,,,,\nRIOT,2023-11,552,,,,', /line 3: a second row for RIOT 2023-11/],
    [
      'RIOT,2023-11,,5493,average,,',
      /line 2: hashrate_ehs \(EH\/s, not PH\/s\) must be a number between 0\.001 and 2000, got "5493"/,
    ],
  ])(
    'a bad line (%j) stops the file with its name and line, and nothing from it is applied',
    async (lines, message) => {
      fs.writeFileSync(t.ctx.config.operationsPath, `${HEADER}\nHIVE,2023-10,280,,,,\n`);
      await runJob(t.ctx, operations, 'manual');
      fs.writeFileSync(t.ctx.config.operationsPath, `${HEADER}\n${lines}\n`);
      const r = await runJob(t.ctx, operations, 'manual');
      expect(r.status).toBe('failed');
      const item = r.results.find((x) => x.item === 'operations.overrides');
      expect(item?.error).toMatch(message);
      expect(item?.error).toContain(t.ctx.config.operationsPath);
      // The previous file's entry is still the only hand entry.
      expect(
        t.opened.sqlite
          .prepare("select ticker, month, btc_produced from miner_operations_monthly where source = 'override'")
          .all(),
      ).toEqual([{ ticker: 'HIVE', month: '2023-10', btc_produced: 280 }]);
    },
  );
});

describe('which filings are candidates', () => {
  it('8-K items 7.01 or 8.01 (or a feed without items), every 6-K; never earnings-only 8-Ks or other forms', () => {
    const ref = (form: string, items?: string) => ({
      form,
      accessionNumber: '0000000000-25-000001',
      primaryDocument: 'x.htm',
      filingDate: '2025-01-03',
      reportDate: null,
      ...(items === undefined ? {} : { items }),
    });
    expect(
      [
        ref('8-K', '7.01,9.01'),
        ref('8-K', '8.01'),
        ref('8-K'),
        ref('8-K', ''),
        ref('6-K', ''),
        ref('8-K', '2.02,9.01'),
        ref('8-K', '5.02'),
        ref('10-Q', ''),
        ref('4', ''),
      ].map(isCandidate),
    ).toEqual([true, true, true, true, true, false, false, false, false]);
  });
});
