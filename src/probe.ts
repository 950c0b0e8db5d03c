// `hashpulse probe`: runs each registered probe once, without retries and without a database, and says for each
// upstream whether it still answers what its parser expects.
import type { Config } from './config.js';
import { createHttp } from './context.js';
import { PayloadError, SourceError } from './errors.js';
import type { FetchedPayload } from './http.js';
import type { Logger } from './log.js';
import type { Probe, ProbeAnswer } from './sources/probes.js';

/** One table row; the JSON output is exactly these keys. */
export interface ProbeResult {
  readonly source: string;
  readonly url: string;
  /** HTTP status of the answer; null when there was none (unreachable) or no request (skipped). */
  readonly status: number | null;
  readonly latency_ms: number | null;
  /** ok | empty | format changed: … | blocked (403) | blocked (429) | unreachable | error …: … | skipped: … */
  readonly verdict: string;
  readonly detail: string;
}

export const isSkipped = (r: ProbeResult) => r.verdict.startsWith('skipped');
/** Exit 0 only when every probe that is on says ok. */
export const allOk = (rs: readonly ProbeResult[]) => rs.every((r) => r.verdict === 'ok' || isSkipped(r));

/** The verdict for a probe that threw; `status` is the HTTP status actually received, if any. */
export function classify(err: unknown, status: number | null): { verdict: string; detail: string } {
  if (err instanceof PayloadError) {
    return err.empty
      ? { verdict: 'empty', detail: err.message }
      : { verdict: `format changed: ${err.detail}`, detail: err.message };
  }
  if (err instanceof SourceError) {
    if (err.network) return { verdict: 'unreachable', detail: err.message };
    const code = status ?? err.status;
    if (code === 403 || code === 429) return { verdict: `blocked (${code})`, detail: err.message };
    // A 2xx whose body is an error (Nasdaq's rCode 400 under HTTP 200): the upstream's own words.
    if (code === undefined || (code >= 200 && code < 300))
      return { verdict: `error: ${err.detail}`, detail: err.message };
    return { verdict: `error (HTTP ${code})`, detail: err.message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { verdict: `error: ${message}`, detail: message };
}

async function runOne(probe: Probe, config: Config, log: Logger, now: Date): Promise<ProbeResult> {
  const described = probe.describe(config);
  const on = probe.enabled(config);
  if (on !== true)
    return {
      source: probe.source,
      url: described,
      status: null,
      latency_ms: null,
      verdict: `skipped: ${on}`,
      detail: on,
    };
  let seen: FetchedPayload | undefined;
  let answeredAt: number | undefined;
  // A probe reports what the upstream does now: no retry, no spacing, nothing archived.
  const http = createHttp(config, log, undefined, {
    retries: 0,
    minIntervalMs: 0,
    onResponse: (p) => {
      seen = p;
      answeredAt ??= performance.now();
    },
  });
  const started = performance.now();
  let got: ProbeAnswer | undefined;
  let failure: unknown;
  try {
    got = await probe.run(http, config, now);
  } catch (err) {
    failure = err;
  }
  const latency_ms = Math.round((answeredAt ?? performance.now()) - started);
  const errUrl = failure instanceof SourceError || failure instanceof PayloadError ? failure.url : undefined;
  const url = seen?.url ?? errUrl ?? described;
  const httpStatus =
    seen?.status ?? (failure instanceof SourceError && !failure.network ? (failure.status ?? null) : null);
  if (got === undefined) {
    const { verdict, detail } = classify(failure, seen?.status ?? null);
    return { source: probe.source, url, status: httpStatus, latency_ms, verdict, detail };
  }
  if (got.rows === 0) {
    return {
      source: probe.source,
      url,
      status: httpStatus,
      latency_ms,
      verdict: 'empty',
      detail: 'the parser found no rows in a window that should have some',
    };
  }
  return {
    source: probe.source,
    url,
    status: httpStatus,
    latency_ms,
    verdict: 'ok',
    detail: `${got.rows} rows${got.newest ? `, newest ${got.newest}` : ''}`,
  };
}

/**
 * Runs every probe. Probes of one host go one after another (at most one request in flight per host); hosts are
 * probed side by side, so an unreachable host costs one timeout, not one per probe. Results keep registry order.
 */
export async function runProbes(
  probes: readonly Probe[],
  config: Config,
  log: Logger,
  now: Date,
): Promise<ProbeResult[]> {
  const byHost = new Map<string, Probe[]>();
  for (const p of probes) {
    const host = new URL(p.describe(config)).host;
    byHost.set(host, [...(byHost.get(host) ?? []), p]);
  }
  const results = new Map<Probe, ProbeResult>();
  await Promise.all(
    [...byHost.values()].map(async (group) => {
      for (const p of group) results.set(p, await runOne(p, config, log, now));
    }),
  );
  return probes.map((p) => results.get(p)!);
}
