/**
 * A paced open-loop load generator: request i is due at start + i / rate, whatever happened to the ones before,
 * and its latency is counted from that due time (not from when it could be sent), so a server that falls behind
 * is charged for the queue it builds (no coordinated omission).
 *
 * Why not autocannon's `overallRate`: autocannon 9 gives each connection rate / connections requests per second
 * and lets it send them back to back (closed loop) from each one-second tick, then pauses it until the next tick
 * (lib/httpClient.js, `reqsMadeThisSecond`). At 500 req/s over 50 connections that is a burst of 500 requests at
 * the start of every second and nothing for the rest of it: a latency figure of the burst, not of a steady load.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface OpenLoopOptions {
  url: string;
  /** Requests per second, spaced evenly. */
  rate: number;
  seconds: number;
  /** Headers and body of the next request. */
  next: () => { headers: Record<string, string>; body: string };
  /** Is a 200 answer a success (e.g. no GraphQL `errors`)? */
  check?: (body: string) => boolean;
  /** Keep-alive sockets at most; requests beyond wait in the agent (and their wait counts). */
  maxSockets?: number;
  /**
   * Seconds at the same rate, on the same connections, before the `seconds` that are counted: a run's first
   * half second opens the keep-alive connections it needs, and those requests would be timed too.
   */
  warmupSeconds?: number;
}

export interface OpenLoopResult {
  /** Completed requests per second over the send window. */
  rps: number;
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** How late the generator itself sent, ms (p99): if this is not small, the figures measure the driver. */
  sendLagP99: number;
  /** What the first few failures were (status, body or socket error), so a failed request can be told apart. */
  failures: string[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export async function openLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const u = new URL(o.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.maxSockets ?? 200 });
  const interval = 1000 / o.rate;
  const warm = Math.round(o.rate * (o.warmupSeconds ?? 0));
  const total = warm + Math.round(o.rate * o.seconds);
  const latencies: number[] = [];
  const lags: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  const failures: string[] = [];
  const failed = (what: string) => {
    if (failures.length < 5) failures.push(what.slice(0, 300));
  };
  let done = 0;
  let lastEnd = 0;
  const start = performance.now() + 20;
  const counted = start + warm * interval;
  const finished = new Promise<void>((resolve) => {
    const complete = () => {
      if (++done === total) resolve();
    };
    const send = (due: number) => {
      const timed = due >= counted;
      if (timed) lags.push(performance.now() - due);
      const { headers, body } = o.next();
      const req = http.request(
        { host: u.hostname, port: u.port, path: u.pathname + u.search, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const end = performance.now();
            lastEnd = end;
            if (timed) latencies.push(end - due);
            const text = () => Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) {
              non2xx++;
              failed(`HTTP ${res.statusCode}: ${text()}`);
            } else if (o.check) {
              const answer = text();
              if (o.check(answer)) ok++;
              else {
                errors++;
                failed(`answer: ${answer}`);
              }
            } else ok++;
            complete();
          });
        },
      );
      req.on('error', (e) => {
        failed(`socket: ${String(e)}`);
        errors++;
        complete();
      });
      req.end(body);
    };
    let i = 0;
    const tick = () => {
      const now = performance.now();
      while (i < total && start + i * interval <= now) send(start + i++ * interval);
      if (i < total) setTimeout(tick, Math.max(0, Math.min(1, start + i * interval - performance.now())));
    };
    setTimeout(tick, 20);
  });
  await finished;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  return {
    rps: latencies.length / ((lastEnd - counted) / 1000),
    sent: total - warm,
    ok,
    non2xx,
    errors,
    p50: round1(percentile(latencies, 50)),
    p90: round1(percentile(latencies, 90)),
    p99: round1(percentile(latencies, 99)),
    max: round1(latencies[latencies.length - 1] ?? 0),
    sendLagP99: round1(percentile(lags, 99)),
    failures,
  };
}

/** What a child driver needs: the requests to send in order (cycled), and how to tell a good answer. */
export interface ChildOpenLoopOptions extends Omit<OpenLoopOptions, 'next' | 'check'> {
  requests: { headers: Record<string, string>; body: string }[];
  /** A 200 answer is a success when it has no `errors` and `data[requireData]` is not null. */
  requireData?: string;
}

/**
 * `openLoop` in a process of its own: a benchmark driver that has just run closed loops holds their results and
 * its garbage, and its collector's pauses would be counted as the server's latency. A fresh process sends
 * nothing but the paced requests.
 */
export async function openLoopInChild(o: ChildOpenLoopOptions): Promise<OpenLoopResult> {
  const child = fork(__filename, [], { execArgv: ['-r', '@swc-node/register'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise<OpenLoopResult>((resolve, reject) => {
    child.once('message', (r) => resolve(r as OpenLoopResult));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`open-loop driver exited with ${code} before answering`)));
    child.send(o);
  });
}

if (require.main === module && process.send) {
  process.once('message', (o: ChildOpenLoopOptions) => {
    let k = 0;
    const key = o.requireData;
    void openLoop({
      ...o,
      next: () => o.requests[k++ % o.requests.length],
      check: (body) => {
        const j = JSON.parse(body) as { errors?: unknown; data?: Record<string, unknown> };
        return !j.errors && (!key || j.data?.[key] != null);
      },
    }).then((r) => process.send!(r, () => process.exit(0)));
  });
}
