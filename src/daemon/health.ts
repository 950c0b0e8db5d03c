// The daemon's optional HTTP endpoint: GET /healthz (200 when healthy, 503 with the reasons), GET /metrics
// (Prometheus text) and, with a notes folder, the published notes (src/publish/serve.ts: /, /notes/, /notes/…).
// Read-only. Bound to 127.0.0.1 unless HASHPULSE_HTTP_HOST says otherwise.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sqlite } from '../db/sqlite.js';
import type { Logger } from '../log.js';
import type { JobDefinition } from '../pipeline/job.js';
import { serveNotes } from '../publish/serve.js';
import { evaluateStatus, renderMetrics } from './status.js';

export interface HealthServerOptions {
  readonly sqlite: Sqlite;
  readonly jobs: readonly JobDefinition[];
  readonly schedules: Readonly<Record<string, string>>;
  readonly host: string;
  readonly port: number;
  readonly log: Logger;
  readonly now?: () => Date;
  /** HASHPULSE_PUBLISH_DIR: serve the published notes from it. */
  readonly notesDir?: string;
}

export async function startHealthServer(o: HealthServerOptions): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    try {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (
        (req.method === 'GET' || req.method === 'HEAD') &&
        o.notesDir !== undefined &&
        serveNotes(req, res, path, { sqlite: o.sqlite, dir: o.notesDir })
      )
        return;
      if (req.method !== 'GET' || (path !== '/healthz' && path !== '/metrics')) {
        res
          .writeHead(404, { 'content-type': 'text/plain' })
          .end(`not found: try ${o.notesDir !== undefined ? '/, /notes/, ' : ''}/healthz or /metrics\n`);
        return;
      }
      const report = evaluateStatus(o.sqlite, o.jobs, o.schedules, o.now?.() ?? new Date());
      if (path === '/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(renderMetrics(report));
        return;
      }
      res
        .writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' })
        .end(
          `${JSON.stringify({ status: report.ok ? 'ok' : 'unhealthy', problems: report.problems, daemon: report.daemon })}\n`,
        );
    } catch (err) {
      o.log.error({ err: (err as Error).message }, 'health endpoint failed');
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(err as Error).message}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
  return {
    url,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
