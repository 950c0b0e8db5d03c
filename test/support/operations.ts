// The operations fixtures at the paths EDGAR serves them: submissions lists, filing indexes and exhibits of RIOT,
// HIVE and CORZ (test/fixtures/sec-press/, provenance in test/fixtures/README.md).
import path from 'node:path';
import { type FakeUpstream, FIXTURES, fixture } from './fake-upstream.js';

export const OPERATIONS_UNIVERSE = path.join(FIXTURES, 'sec-press/universe.json');

const html = (rel: string) => ({
  status: 200,
  body: fixture(`sec-press/${rel}`),
  headers: { 'content-type': 'text/html' },
});
const json = (rel: string) => ({
  status: 200,
  body: fixture(`sec-press/${rel}`),
  headers: { 'content-type': 'application/json' },
});

/** [index path, index fixture, exhibit path, exhibit fixture] per filing. */
export const OPERATIONS_FILINGS = [
  [
    '/Archives/edgar/data/1167419/000155837023019523/0001558370-23-019523-index.htm',
    'index-riot-0001558370-23-019523.htm',
    '/Archives/edgar/data/1167419/000155837023019523/riot-20231204xex99d1.htm',
    'riot-2023-11-ex99-1.htm',
  ],
  [
    '/Archives/edgar/data/1167419/000155837023020117/0001558370-23-020117-index.htm',
    'index-riot-0001558370-23-020117.htm',
    '/Archives/edgar/data/1167419/000155837023020117/riot-20231212xex99d1.htm',
    'riot-2023-12-conference-ex99-1.htm',
  ],
  [
    '/Archives/edgar/data/1720424/000121390023093911/0001213900-23-093911-index.htm',
    'index-hive-0001213900-23-093911.htm',
    '/Archives/edgar/data/1720424/000121390023093911/ea189877ex99-1_hive.htm',
    'hive-2023-11-ex99-1.htm',
  ],
  [
    '/Archives/edgar/data/1839341/000162828024042423/0001628280-24-042423-index.htm',
    'index-corz-0001628280-24-042423.htm',
    '/Archives/edgar/data/1839341/000162828024042423/corescientificseptember202.htm',
    'corz-2024-09-ex99-1.htm',
  ],
] as const;

export function serveOperations(fake: FakeUpstream): void {
  fake.on('/submissions/CIK0001167419.json', json('submissions-RIOT.json'));
  fake.on('/submissions/CIK0001720424.json', json('submissions-HIVE.json'));
  fake.on('/submissions/CIK0001839341.json', json('submissions-CORZ.json'));
  for (const [indexPath, indexFile, docPath, docFile] of OPERATIONS_FILINGS) {
    fake.on(indexPath, html(indexFile));
    fake.on(docPath, html(docFile));
  }
}
