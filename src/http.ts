// The one HTTP client: timeout, User-Agent, size cap, per-host throttle and p-retry live here and nowhere else.
import type { AxiosInstance, AxiosResponse } from 'axios';
import pRetry, { AbortError } from 'p-retry';
import { PayloadError, SourceError } from './errors.js';
import type { Logger } from './log.js';

export interface HttpOptions {
  readonly userAgent: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryMinMs: number;
  readonly maxRetryTimeMs: number;
  readonly minIntervalMs: number;
  readonly maxBytes: number;
  readonly log: Logger;
  /** Called with every 2xx response body before it is parsed (the raw archive hooks in here). */
  readonly onResponse?: (r: FetchedPayload) => void;
}

export interface RequestSpec {
  /** Source name used in logs and errors, e.g. 'mempool'. */
  readonly source: string;
  readonly url: string;
  readonly params?: Readonly<Record<string, string | number>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** Overrides the default User-Agent (SEC wants a contact, Yahoo a browser-like one). */
  readonly userAgent?: string;
  /** Overrides the default per-host minimum interval between requests. */
  readonly minIntervalMs?: number;
  /** Statuses that are final answers carrying a body the parser understands (e.g. Yahoo's 404 JSON). */
  readonly acceptStatuses?: readonly number[];
  /** Query parameters that carry a credential (Stooq's `apikey`): sent, but shown as `***` in every URL that
   *  leaves this module — errors, logs, the raw archive. */
  readonly secretParams?: readonly string[];
  /** The URL shown in errors and logs instead of the one sent, on the same host (a chat webhook's path is its
   *  credential). */
  readonly displayUrl?: string;
}

/** A request body: sent with POST. */
interface Body {
  readonly data: string;
  readonly contentType: string;
}

export interface FetchedPayload {
  readonly source: string;
  readonly url: string;
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly fetchedAt: string;
}

/** Error of one attempt; `retryAfterMs` is set when the server told us how long to wait. */
class AttemptError extends SourceError {
  retryAfterMs?: number;
}

/** setTimeout as a promise that rejects at once when `signal` aborts (shutdown must not wait out a backoff). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Seconds or an HTTP date → milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const s = value.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

export class Http {
  /** axios (with form-data and mime-db, ~400 KB of code) loads with the first request: an idle daemon and the
   *  commands that never fetch do without it. */
  private client?: Promise<AxiosInstance>;
  private readonly nextSlot = new Map<string, number>();
  private readonly hostQueue = new Map<string, Promise<void>>();
  /** HTTP attempts made (every try, retries included). */
  requests = 0;
  private readonly stop = new AbortController();

  /** Shutdown: in-flight requests, backoffs and throttle waits end now; no new request starts. */
  abort(reason = 'shutting down'): void {
    this.stop.abort(new Error(reason));
  }

  constructor(private readonly opts: HttpOptions) {}

  private axios(): Promise<AxiosInstance> {
    this.client ??= import('axios').then(({ default: axios }) =>
      axios.create({
        timeout: this.opts.timeoutMs,
        maxContentLength: this.opts.maxBytes,
        maxBodyLength: this.opts.maxBytes,
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
        maxRedirects: 5,
        decompress: true,
      }),
    );
    return this.client;
  }

  /** GET a URL and return its body as text, retrying only what retrying can fix. */
  get(spec: RequestSpec): Promise<FetchedPayload> {
    return this.send(spec);
  }

  /**
   * POST a JSON document (a webhook): the same timeout, throttle, retries and errors as a GET. The answer is not
   * archived (it is no upstream data) and a redirect is not followed (it would turn the POST into a GET).
   */
  postJson(spec: RequestSpec, body: unknown): Promise<FetchedPayload> {
    return this.send(spec, { data: JSON.stringify(body), contentType: 'application/json' });
  }

  private async send(spec: RequestSpec, body?: Body): Promise<FetchedPayload> {
    const sendUrl = buildUrl(spec.url, spec.params);
    const fullUrl = spec.displayUrl ?? redactUrl(sendUrl, spec.secretParams);
    const { log } = this.opts;
    // A Retry-After is the earliest time of the next attempt, counted from the failure: p-retry's own backoff runs
    // first and counts toward it, so the wait is the longer of the two, never their sum.
    let notBefore = 0;
    const attempt = async () => {
      const wait = notBefore - Date.now();
      if (wait > 0) await sleep(wait, this.stop.signal);
      return this.attempt(spec, sendUrl, fullUrl, body);
    };
    return pRetry(attempt, {
      signal: this.stop.signal,
      retries: this.opts.retries,
      minTimeout: this.opts.retryMinMs,
      maxTimeout: Math.max(this.opts.retryMinMs, 30_000),
      factor: 2,
      randomize: true,
      maxRetryTime: this.opts.maxRetryTimeMs,
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        const retryAfterMs = (error as AttemptError).retryAfterMs;
        if (retriesLeft <= 0) return;
        if (retryAfterMs !== undefined) {
          if (retryAfterMs > this.opts.maxRetryTimeMs) {
            throw new AbortError(
              new SourceError(
                spec.source,
                fullUrl,
                `asked to wait ${Math.round(retryAfterMs / 1000)} s (Retry-After), longer than HASHPULSE_HTTP_MAX_RETRY_TIME_MS; giving up`,
                (error as AttemptError).status,
              ),
            );
          }
          notBefore = Date.now() + retryAfterMs;
          log.warn(
            { source: spec.source, url: fullUrl, attempt: attemptNumber, waitMs: retryAfterMs },
            `${spec.source}: waiting ${retryAfterMs} ms as Retry-After asks`,
          );
        } else {
          log.warn(
            { source: spec.source, url: fullUrl, attempt: attemptNumber, retriesLeft, err: error.message },
            `${spec.source}: attempt ${attemptNumber} failed, retrying`,
          );
        }
      },
    });
  }

  /** GET and parse JSON; a body that is HTML or not valid JSON is a PayloadError naming the URL. */
  async getJson(spec: RequestSpec): Promise<{ url: string; status: number; body: unknown; raw: FetchedPayload }> {
    const raw = await this.get(spec);
    return { url: raw.url, status: raw.status, body: parseJsonBody(raw), raw };
  }

  /** GET a text body (CSV, plain text): the same client and retries as getJson; what the text means is the parser's business. */
  async getText(spec: RequestSpec): Promise<{ url: string; status: number; body: string; raw: FetchedPayload }> {
    const raw = await this.get(spec);
    return { url: raw.url, status: raw.status, body: raw.body, raw };
  }

  /** One try: `sendUrl` goes on the wire, `fullUrl` (credentials redacted) in everything reported. */
  private async attempt(spec: RequestSpec, sendUrl: string, fullUrl: string, body?: Body): Promise<FetchedPayload> {
    if (this.stop.signal.aborted)
      throw new AbortError(new SourceError(spec.source, fullUrl, 'not sent: hashpulse is shutting down'));
    const host = new URL(fullUrl).host;
    // A source may ask for its own spacing (SEC allows 10/s); a configured 0 turns all spacing off (tests, own mirrors).
    const interval = this.opts.minIntervalMs === 0 ? 0 : (spec.minIntervalMs ?? this.opts.minIntervalMs);
    await this.throttle(host, interval, spec.source);
    const client = await this.axios();
    this.requests++;
    let res: AxiosResponse<string>;
    try {
      res = await client.request<string>({
        method: body ? 'post' : 'get',
        url: sendUrl,
        ...(body ? { data: body.data, maxRedirects: 0 } : {}),
        headers: {
          'User-Agent': spec.userAgent ?? this.opts.userAgent,
          Accept: 'application/json, text/plain, */*',
          ...(body ? { 'Content-Type': body.contentType } : {}),
          ...spec.headers,
        },
        signal: AbortSignal.any([AbortSignal.timeout(this.opts.timeoutMs), this.stop.signal]),
        beforeRedirect: (options: Record<string, unknown>) => {
          const to = String(options.hostname ?? '') + (options.port ? `:${String(options.port)}` : '');
          if (to !== host && String(options.hostname) !== new URL(fullUrl).hostname) {
            throw new AbortError(
              new SourceError(spec.source, fullUrl, `redirected to another host (${to}); not followed`),
            );
          }
        },
      });
    } catch (err) {
      if (err instanceof AbortError) throw err;
      if (this.stop.signal.aborted)
        throw new AbortError(
          new SourceError(spec.source, fullUrl, 'aborted: hashpulse is shutting down', undefined, { cause: err }),
        );
      // Our own refusal thrown in beforeRedirect arrives wrapped twice (axios → follow-redirects' RedirectionError):
      // find it, or it would pass for a network error and be retried.
      for (
        let inner = (err as { cause?: unknown }).cause, depth = 0;
        inner && depth < 5;
        inner = (inner as { cause?: unknown }).cause, depth++
      ) {
        if (inner instanceof AbortError) throw inner;
      }
      const e = err as { code?: string; message?: string };
      if (e.code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(e.message ?? '')) {
        throw new AbortError(
          new SourceError(
            spec.source,
            fullUrl,
            `response body larger than ${this.opts.maxBytes} bytes (HASHPULSE_HTTP_MAX_BYTES); refused`,
          ),
        );
      }
      const what =
        e.code === 'ECONNABORTED' || e.code === 'ERR_CANCELED' || /timeout|aborted/i.test(e.message ?? '')
          ? `no complete answer within ${this.opts.timeoutMs} ms`
          : `network error ${e.code ?? ''} ${e.message ?? ''}`.trim();
      throw new AttemptError(spec.source, fullUrl, what, undefined, { cause: err, network: true });
    }
    const status = res.status;
    const text = typeof res.data === 'string' ? res.data : String(res.data ?? '');
    const payload: FetchedPayload = {
      source: spec.source,
      url: fullUrl,
      status,
      contentType: String(res.headers['content-type'] ?? ''),
      body: text,
      fetchedAt: new Date().toISOString(),
    };
    if ((status >= 200 && status < 300) || spec.acceptStatuses?.includes(status)) {
      if (!body) this.opts.onResponse?.(payload);
      return payload;
    }
    // An HTML error page says what it is in its <title> (SEC's "Request Rate Threshold Exceeded", Akamai's
    // "Access Denied"); anything else is quoted from its start.
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    const snippet = (title || text).replace(/\s+/g, ' ').trim().slice(0, 120);
    const err = new AttemptError(spec.source, fullUrl, `HTTP ${status}${snippet ? `: ${snippet}` : ''}`, status);
    if (status === 429 || status === 408 || status >= 500) {
      err.retryAfterMs = parseRetryAfter(res.headers['retry-after']);
      throw err;
    }
    throw new AbortError(err);
  }

  /** At most one request per `minIntervalMs` per host; requests to one host queue in order. */
  private async throttle(host: string, minIntervalMs: number, source: string): Promise<void> {
    const prev = this.hostQueue.get(host) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    this.hostQueue.set(
      host,
      prev.then(() => mine),
    );
    await prev;
    try {
      const wait = (this.nextSlot.get(host) ?? 0) - Date.now();
      if (wait > 0) {
        const level = wait >= 2000 ? 'info' : 'debug';
        this.opts.log[level](
          { source, host, waitMs: wait },
          `${source}: waiting ${wait} ms to stay under the per-host rate limit`,
        );
        await sleep(wait, this.stop.signal);
      }
      this.nextSlot.set(host, Date.now() + minIntervalMs);
    } finally {
      release();
    }
  }
}

/** The URL with the values of `names` replaced by `***` (a key must not reach logs, errors or the archive). */
export function redactUrl(url: string, names?: readonly string[]): string {
  if (!names || names.length === 0) return url;
  const u = new URL(url);
  for (const n of names) if (u.searchParams.has(n)) u.searchParams.set(n, '***');
  return u.toString();
}

export function buildUrl(url: string, params?: Readonly<Record<string, string | number>>): string {
  if (!params || Object.keys(params).length === 0) return url;
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
  return u.toString();
}

/** JSON.parse with errors that say what came back instead (HTML bot page, a line of text, truncated body, empty body). */
export function parseJsonBody(raw: FetchedPayload): unknown {
  const text = raw.body.trim();
  if (text === '') throw new PayloadError(raw.source, raw.url, 'empty body where JSON was expected', { empty: true });
  const head = text.slice(0, 80).replace(/\s+/g, ' ');
  if (text.startsWith('<')) {
    throw new PayloadError(
      raw.source,
      raw.url,
      `HTML page instead of JSON (content-type ${raw.contentType || 'none'}): ${head}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    // A body that does not even start like JSON is a message (Yahoo's "Edge: Too Many Requests", Stooq's "No data").
    if (!/^[[{"]/.test(text)) {
      throw new PayloadError(
        raw.source,
        raw.url,
        `text instead of JSON (content-type ${raw.contentType || 'none'}): "${head}"`,
        { cause: err },
      );
    }
    throw new PayloadError(
      raw.source,
      raw.url,
      `malformed or truncated JSON (${raw.body.length} bytes): ${(err as Error).message}`,
      { cause: err },
    );
  }
}
