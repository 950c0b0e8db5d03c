// The raw archive's store functions on their own: a payload round-trips byte for byte through gzip, one row per
// (URL, body), the first fetch kept, and retention deletes by fetch time.
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type OpenedDb, openDb } from '../src/db/connection.js';
import type { FetchedPayload } from '../src/http.js';
import { archivedPayloads, archivePayload, pruneArchive } from '../src/store/raw.js';

let db: OpenedDb;
beforeEach(async () => {
  db = await openDb(':memory:');
});
afterEach(async () => db.close());

// The archive only stores what a fetch returned: no request is made here, and the URLs name the loopback fake upstream.
const URL_OF = (p: string) => `http://127.0.0.1:9/api/v1/mining/hashrate/${p}`;
const payload = (over: Partial<FetchedPayload> = {}): FetchedPayload => ({
  source: 'mempool',
  url: URL_OF('3d'),
  status: 200,
  contentType: 'application/json',
  // Multi-byte characters: "é" is 2 bytes in UTF-8, "€" 3, so `bytes` must count bytes, not UTF-16 units.
  body: '{"name":"café","unit":"€","values":[1,2,3]}',
  fetchedAt: '2026-01-20T01:30:00.000Z',
  ...over,
});

describe('raw archive', () => {
  it('round-trips a payload exactly, gzipped, with its size in bytes and its sha256', () => {
    archivePayload(db.sqlite, payload());
    const row = db.sqlite.prepare('select bytes, sha256, body_gz from raw_payloads').get() as {
      bytes: number;
      sha256: string;
      body_gz: Buffer;
    };
    // 43 characters, of which "é" takes 2 bytes and "€" 3: 43 + 1 + 2 = 46 bytes.
    expect(row.bytes).toBe(46);
    // The sha256 of the body's UTF-8 bytes, as node's crypto computes it independently of the store.
    expect(row.sha256).toBe(
      crypto
        .createHash('sha256')
        .update(Buffer.from('{"name":"café","unit":"€","values":[1,2,3]}', 'utf8'))
        .digest('hex'),
    );
    expect([...row.body_gz.subarray(0, 2)]).toEqual([0x1f, 0x8b]); // the gzip magic number
    expect(zlib.gunzipSync(row.body_gz).toString('utf8')).toBe('{"name":"café","unit":"€","values":[1,2,3]}');
    expect(archivedPayloads(db.sqlite)).toEqual([{ id: 1, ...payload() }]);
  });

  it('keeps one row per URL and body (the first fetch), and a new row when the body changes', () => {
    archivePayload(db.sqlite, payload());
    archivePayload(db.sqlite, payload({ fetchedAt: '2026-01-21T01:30:00.000Z' })); // same URL, same body
    archivePayload(db.sqlite, payload({ fetchedAt: '2026-01-22T01:30:00.000Z', body: '{"values":[4]}' }));
    archivePayload(db.sqlite, payload({ url: URL_OF('1w') })); // other URL
    expect(archivedPayloads(db.sqlite).map((p) => [p.url.slice(-2), p.fetchedAt.slice(0, 10), p.body.length])).toEqual([
      ['3d', '2026-01-20', 43],
      ['1w', '2026-01-20', 43],
      ['3d', '2026-01-22', 14],
    ]);
  });

  it('honours the retention: payloads fetched more than `days` before now are deleted', () => {
    for (const day of ['2025-10-01', '2025-11-03', '2025-11-04', '2026-01-31'])
      archivePayload(db.sqlite, payload({ fetchedAt: `${day}T06:00:00.000Z`, body: `{"d":"${day}"}` }));
    // 90 days before 2026-02-01T06:00Z is 2025-11-03T06:00Z: the row of 2025-10-01 goes, 2025-11-03 06:00 stays
    // (not before the cutoff), so 1 deleted and 3 kept.
    expect(pruneArchive(db.sqlite, 90, new Date('2026-02-01T06:00:00Z'))).toBe(1);
    expect(archivedPayloads(db.sqlite).map((p) => p.fetchedAt.slice(0, 10))).toEqual([
      '2025-11-03',
      '2025-11-04',
      '2026-01-31',
    ]);
    expect(archivedPayloads(db.sqlite, 'blockchain')).toEqual([]);
  });
});
