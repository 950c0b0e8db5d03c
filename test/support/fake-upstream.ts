// A real HTTP server on 127.0.0.1 standing in for every upstream: serves fixtures by path and scripted faults.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

export function fixture(rel: string): string {
  return fs.readFileSync(path.join(FIXTURES, rel), 'utf8');
}

export interface Reply {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** 'reset': destroy the socket after half the body; 'hang': never answer; 'truncate': send half the body. */
  readonly fault?: 'reset' | 'hang' | 'truncate';
  readonly delayMs?: number;
}

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: http.IncomingHttpHeaders;
  /** When the request arrived (Date.now()): spacing between requests is asserted on these, never on sleeps. */
  readonly at: number;
  /** The request body as text ('' for a GET). */
  readonly body: string;
}

type Handler = (req: SeenRequest) => Reply;

export const json = (body: unknown, status = 200): Reply => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json' },
});
export const fixtureReply = (rel: string): Reply => ({
  status: 200,
  body: fixture(rel),
  headers: { 'content-type': 'application/json' },
});

export class FakeUpstream {
  readonly requests: SeenRequest[] = [];
  /** Delay added to every reply without its own (to give a kill -9 something to interrupt). */
  defaultDelayMs = 0;
  /**
   * Called for every request before any route: a reply it returns wins (e.g. `{ fault: 'hang' }`). Tests use it
   * to act at a request the code under test is known to make (kill the client on its k-th request, …).
   */
  intercept: ((req: SeenRequest) => Reply | undefined) | undefined;
  private readonly routes = new Map<string, Handler>();
  private readonly sequences = new Map<string, Reply[]>();
  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeUpstream> {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeUpstream(server, `http://127.0.0.1:${port}`);
    server.on('request', (req, res) => {
      // The whole body first (a webhook's POST), then the route.
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => fake.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    return fake;
  }

  /** Answer every request to `pathname` (query ignored) with a reply or a handler. */
  on(pathname: string, reply: Reply | Handler): this {
    this.routes.set(pathname, typeof reply === 'function' ? reply : () => reply);
    return this;
  }

  /** The next requests to `pathname` get these replies in order, before its normal route answers again. */
  script(pathname: string, replies: Reply[]): this {
    this.sequences.set(pathname, [...(this.sequences.get(pathname) ?? []), ...replies]);
    return this;
  }

  requestsTo(pathname: string): SeenRequest[] {
    return this.requests.filter((r) => r.path === pathname);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const u = new URL(req.url ?? '/', this.url);
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path: u.pathname,
      query: Object.fromEntries(u.searchParams),
      headers: req.headers,
      body,
      at: Date.now(),
    };
    this.requests.push(seen);
    const queued = this.sequences.get(u.pathname);
    const route = this.routes.get(u.pathname);
    const intercepted = this.intercept?.(seen);
    const reply: Reply = intercepted
      ? intercepted
      : queued?.length
        ? (queued.shift() as Reply)
        : route
          ? route(seen)
          : { status: 404, body: 'Not Found' };
    const send = () => {
      if (reply.fault === 'hang') return;
      const full = reply.body ?? '';
      // 'truncate': a well-formed response (matching content-length) whose JSON is cut short.
      const body = reply.fault === 'truncate' ? full.slice(0, Math.floor(full.length / 2)) : full;
      res.writeHead(reply.status ?? 200, {
        'content-type': 'text/plain',
        ...reply.headers,
        'content-length': Buffer.byteLength(body),
      });
      if (reply.fault === 'reset') {
        // Promise the whole body, send half, then drop the connection.
        res.write(body.slice(0, Math.floor(body.length / 2)));
        setTimeout(() => req.socket.destroy(), 5);
        return;
      }
      res.end(body);
    };
    const delay = reply.delayMs ?? this.defaultDelayMs;
    if (delay) setTimeout(send, delay);
    else send();
  }
}
