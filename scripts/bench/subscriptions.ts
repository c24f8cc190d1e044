/**
 * npm run bench:subscriptions -- [--subscribers 10000] [--orgs 98] [--rates 25,50,75,100,150,200,300]
 *   [--seconds 8] [--clients 2] [--borgere-per-org 10] [--only baseline|ours|floor] [--quick]
 *   [--no-direct] [--no-floor] [--max-wait 120] [--profile] [--write|--no-write] [--json out.json]
 * npm run bench:subscriptions -- --render out.json   (writes the docs section of a saved run again)
 *
 * Live subscriptions, ours against a plain graphql-ws + in-memory PubSub baseline, in one run with the
 * same client processes and the same shape: N subscribers spread evenly over the orgs (a-kasser), one
 * subscription per connection, each message to one org, the message rate stepped up. Both servers keep
 * their subscribers for the whole run and their steps alternate (baseline 25/s, ours 25/s, ours-direct
 * 25/s, baseline 50/s, …), so both see the same machine; a server is no longer stepped up once saturated
 * (p99 > 2 s, sustained < 80% of offered, or deliveries still missing after the stragglers' wait).
 * ours-direct (--no-direct to leave it out) sends to ours' subscribers with messages committed straight
 * into the outbox by SQL: the delivery path without the mutation. The floor (--no-floor to leave it out)
 * is a diagnostic too: scripts/bench/subscriptions-floor-server.ts, a bare `ws` server that writes one
 * prebuilt frame per socket per message, the cheapest delivery Node can do on this machine with these
 * clients, i.e. the machine's ceiling for the shape. The machine may be shared: before each
 * step the driver waits (at most --max-wait seconds over the run) for other processes to calm down, a
 * step that fails while they used > 50% of a core is run once more (at most twice per server), and
 * every step reports the CPU they used ("other CPU").
 * --quick: 2,000 subscribers, rates 25,100, 3 s per step, docs not written (about a minute).
 *
 *  - ours: the real server process as production runs it (compiled by `npm run build`: `node dist/src/main.js`, NODE_ENV=production) on a
 *    fresh database `dfdg_bench_subs_<pid>` (created on BENCH_DATABASE_URL, dropped at the end), seeded
 *    with borgere that each have a current a-kasse membership. A message is one `indberetTidligPension`
 *    mutation over HTTP as UDK (one GetTidligPensionVersion1 through the outbox to the borger's a-kasse);
 *    subscribers hold AKASSE tokens and run `beskeder`.
 *  - baseline: scripts/bench/subscriptions-baseline-server.ts, a message is `POST /publish`.
 *  - floor: scripts/bench/subscriptions-floor-server.ts, a message is `POST /publish`.
 *
 * Latency = time the client received the message − time the mutation's (publish's) response arrived at
 * the driver: the commit happened before that response was sent, so this is commit → client minus the
 * response's way back (it can be negative when the push beats the response). receive − request sent is
 * reported too. Every process reads the same monotonic clock (process.hrtime).
 *
 * Writes its section of docs/BENCHMARKS.md (between `<!-- bench:subscriptions -->` markers); a
 * `--profile` run (both servers under `node --cpu-prof`) writes where the time goes in the last step of
 * each phase into the `<!-- bench:subscriptions-profile -->` section instead.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { buildServer, canaryLine, freePort, machineCanary, ROOT, writeSection } from './bench-process';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { TokenService } from '../../src/auth/token';
import { Role } from '../../src/context/roles';
import { parseCpr } from '../../src/scalars/cpr';
import type { ClientCommand, ConnectResult, Progress, StepStats, SubSpec } from './subscriptions-client';

const JWT_SECRET = 'bench-subscriptions-secret-0123456789abcdef';
const SELECTION = `{ id cpr indhold { ... on GetTidligPensionVersion1 { beloebOere } } }`;
const P99_TARGET_MS = 100;
/** A step whose p99 exceeds this, or that leaves deliveries missing, is saturated: higher rates are skipped. */
const SATURATED_P99_MS = 2000;
/**
 * A step passes when p99 < 100 ms, nothing is lost, doubled or misdelivered, every publish succeeded, and
 * the server kept up: deliveries / (step start → last delivery) ≥ 95% of the offered deliveries/s. The
 * last condition matters for the baseline, whose publish answers in the same event-loop turn as its
 * emit: when it falls behind, publishes queue before the "commit" and its commit → client latency stays
 * low. Below 80% the server is saturated and is not stepped up further.
 */
const KEPT_UP = 0.95;
/** A failed step is repeated (at most MAX_REPEATS times per server) when other processes used more than this share of a core during it. */
const NOISY_OTHER_PCT = 50;
const MAX_REPEATS = 2;
const SATURATED_KEPT_UP = 0.8;

function passes(s: StepResult): boolean {
  return (
    s.p99 < P99_TARGET_MS &&
    s.missingAtStepEnd === 0 &&
    s.duplicated === 0 &&
    s.misdelivered === 0 &&
    s.failedPublishes === 0 &&
    s.sustainedPerS >= KEPT_UP * s.deliveriesPerS
  );
}
/**
 * How often a step reads ours' /metrics for the pool gauge (it is also read just before the step, which
 * resets the loop-lag maximum, and after it, outside the CPU window, which gives the step's maximum). A
 * read is not free with 10,000 sockets: prom-client's default metrics count open fds and active handles,
 * one synchronous walk over every socket that stalls the event loop for 20–60 ms (measured in a --profile
 * run), so reading every 2 s put such a stall into ~2% of ours' deliveries, right at p99, while the other
 * servers answer a trivial /stats. Every 5 s is still more often than a usual Prometheus scrape.
 */
const METRICS_EVERY_MS = 5000;

// ---------------------------------------------------------------------------------------------- options

const { values: argv } = parseArgs({
  options: {
    subscribers: { type: 'string' },
    orgs: { type: 'string' },
    rates: { type: 'string' },
    seconds: { type: 'string' },
    clients: { type: 'string' },
    'borgere-per-org': { type: 'string' },
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    write: { type: 'boolean' },
    'no-write': { type: 'boolean' },
    json: { type: 'string' },
    render: { type: 'string' },
    direct: { type: 'boolean' },
    'no-direct': { type: 'boolean' },
    floor: { type: 'boolean' },
    'no-floor': { type: 'boolean' },
    'max-wait': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (argv.help) {
  console.log(readFileSync(__filename, 'utf8').split('*/')[0]);
  process.exit(0);
}
const quick = argv.quick!;
const opt = {
  subscribers: Number(argv.subscribers ?? (quick ? 2000 : 10_000)),
  orgs: Number(argv.orgs ?? 98),
  rates: (argv.rates ?? (quick ? '25,100' : '25,50,75,100,150,200,300,400,500,600,800')).split(',').map(Number),
  seconds: Number(argv.seconds ?? (quick ? 3 : 8)),
  clients: Number(argv.clients ?? 2),
  borgerePerOrg: Number(argv['borgere-per-org'] ?? 10),
  only: argv.only as 'baseline' | 'ours' | 'floor' | undefined,
  /** Also step ours with messages inserted straight into the outbox (the delivery path without the mutation). */
  direct: argv['no-direct'] ? false : (argv.direct ?? true),
  /** Also step the floor: a bare `ws` server writing one prebuilt frame per socket (the machine's ceiling). */
  floor: argv['no-floor'] ? false : (argv.floor ?? true),
  profile: argv.profile!,
  /** Seconds, over the whole run, the steps may wait for other work on the machine to calm down. */
  maxWait: Number(argv['max-wait'] ?? (quick ? 20 : 120)),
  write: argv['no-write'] ? false : (argv.write ?? (!quick && !argv.profile && !argv.only)),
};
for (const [k, v] of Object.entries(opt)) {
  if (typeof v === 'number' && (!Number.isFinite(v) || v < 0 || (v === 0 && k !== 'maxWait'))) throw new Error(`--${k} must be a positive number`);
}
if (opt.rates.some((r) => !(r > 0))) throw new Error('--rates must be positive numbers, comma-separated');

// ---------------------------------------------------------------------------------------------- helpers

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => Number(process.hrtime.bigint()) / 1e6;
const log = (...a: unknown[]) => console.log(`[${new Date().toISOString().slice(11, 19)}]`, ...a);


function openFileLimit(): { soft: number; hard: number } {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'))!;
  const [soft, hard] = line.replace('Max open files', '').trim().split(/\s+/);
  const n = (s: string) => (s === 'unlimited' ? Infinity : Number(s));
  return { soft: n(soft), hard: n(hard) };
}

/** Spawns node with `args`; through `sh -c 'ulimit -n …; exec node …'` when the open-file limit is too low for `fds`. */
function spawnNode(args: string[], env: NodeJS.ProcessEnv, fds: number): ChildProcess {
  const { soft, hard } = openFileLimit();
  if (soft >= fds) return spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (hard < fds) throw new Error(`open-file limit ${soft}/${hard} is below the ${fds} sockets needed; raise it (ulimit -n) first`);
  const quoted = [process.execPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return spawn('/bin/sh', ['-c', `ulimit -n ${fds} && exec ${quoted}`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

interface Proc {
  name: string;
  child: ChildProcess;
  output(): string;
  exited: Promise<void>;
  alive(): boolean;
}

const procs: Proc[] = [];

function track(name: string, child: ChildProcess): Proc {
  let out = '';
  const collect = (b: Buffer) => {
    out += b.toString('utf8');
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let done = false;
  const exited = new Promise<void>((r) => child.once('exit', () => ((done = true), r())));
  const p = { name, child, output: () => out, exited, alive: () => !done };
  procs.push(p);
  return p;
}

async function stop(p: Proc, timeoutMs = 20_000): Promise<void> {
  if (!p.alive()) return;
  p.child.kill('SIGTERM');
  const t = setTimeout(() => p.alive() && p.child.kill('SIGKILL'), timeoutMs);
  await p.exited;
  clearTimeout(t);
}

async function waitFor(p: Proc, check: () => Promise<boolean> | boolean, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!p.alive()) throw new Error(`${p.name} exited before ${what}:\n${p.output().slice(-5000)}`);
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    await sleep(200);
  }
  throw new Error(`${p.name}: timed out waiting for ${what}:\n${p.output().slice(-5000)}`);
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function medianRssKb(pid: number, samples = 7, gapMs = 400): Promise<number> {
  const v: number[] = [];
  for (let i = 0; i < samples; i++) {
    v.push(rssKb(pid));
    await sleep(gapMs);
  }
  v.sort((a, b) => a - b);
  return v[Math.floor(v.length / 2)];
}

const TICK = 100; // USER_HZ
function cpuMs(pid: number): number {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / TICK; // utime + stime
  } catch {
    return 0;
  }
}

/** The PostgreSQL cluster the benchmark uses (its postmaster) and the benchmark's database in it. */
const pgScope = { postmaster: 0, dbName: '' };

/**
 * CPU time per process of the benchmark's PostgreSQL, by pid: the backends of the benchmark database and
 * the cluster's own processes (WAL writer, checkpointer, …); other databases' backends (other people's
 * tests on the same cluster) are left out.
 */
function postgresCpu(): Map<number, number> {
  const m = new Map<number, number>();
  if (!pgScope.postmaster) return m;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== pgScope.postmaster) continue;
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      const backend = /\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]|::1\(\d+\)/.test(cmd);
      if (backend && !cmd.includes(` ${pgScope.dbName} `)) continue;
      m.set(Number(d), cpuMs(Number(d)));
    } catch {
      // gone
    }
  }
  return m;
}

/** CPU the postgres processes used between two snapshots (processes that came or went in between count from 0 / not at all). */
function postgresCpuDelta(a: Map<number, number>, b: Map<number, number>): number {
  let sum = 0;
  for (const [pid, t] of b) sum += t - (a.get(pid) ?? 0);
  return sum;
}

/** Busy CPU time of the whole machine (all cores), ms. */
function machineBusyMs(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] ?? 0);
  const total = f.slice(0, 8).reduce((x, y) => x + y, 0);
  return ((total - idle) * 1000) / TICK;
}

function loadAvg(): string {
  return os.loadavg().map((x) => x.toFixed(2)).join(' ');
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const driverLoop = monitorEventLoopDelay({ resolution: 10 });
driverLoop.enable();

/**
 * POST with the keep-alive agent. A request written on a reused socket that the server closed as idle
 * (its keep-alive timeout) fails with ECONNRESET before the server read it: sent again once, as the Node
 * docs advise.
 */
async function post(port: number, pathName: string, body: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  try {
    return await postOnce(port, pathName, body, headers);
  } catch (e) {
    if ((e as { reused?: boolean }).reused && (e as NodeJS.ErrnoException).code === 'ECONNRESET') return postOnce(port, pathName, body, headers);
    throw e;
  }
}

function postOnce(port: number, pathName: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathName, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', (e) => reject(Object.assign(e, { reused: req.reusedSocket })));
    req.end(body);
  });
}

// ---------------------------------------------------------------------------------------------- clients

class ClientProc {
  private nextId = 1;
  private readonly pending = new Map<number, (v: unknown) => void>();
  readonly proc: Proc;

  constructor(i: number) {
    const child = fork(path.join(__dirname, 'subscriptions-client.ts'), [], {
      cwd: ROOT,
      execArgv: ['-r', '@swc-node/register'],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.proc = track(`client ${i}`, child);
    child.on('message', (m: { id: number; result: unknown }) => {
      const r = this.pending.get(m.id);
      this.pending.delete(m.id);
      r?.(m.result);
    });
    child.once('exit', () => {
      for (const r of this.pending.values()) r(Promise.reject(new Error(`client ${i} exited:\n${this.proc.output().slice(-3000)}`)));
    });
  }

  call<T>(c: DistributiveOmit<ClientCommand, 'id'>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve) => {
      this.pending.set(id, resolve as (v: unknown) => void);
      this.proc.child.send({ ...c, id } as ClientCommand);
    });
  }
}
type DistributiveOmit<T, K extends keyof never> = T extends unknown ? Omit<T, K> : never;

// ---------------------------------------------------------------------------------------------- targets

interface Target {
  name: 'baseline' | 'ours' | 'ours-direct' | 'floor';
  /** The subscribers it sends to (ours-direct reuses ours'). */
  set: 'baseline' | 'ours' | 'floor';
  label: string;
  proc: Proc;
  port: number;
  wsUrl: string;
  query: string;
  /** connection_init payload and variables of subscriber `i` of org `o`. */
  sub(o: number): Pick<SubSpec, 'init' | 'variables'>;
  /** Sends one message; resolves with the org it reached (null when the server says it went nowhere). */
  publish(o: number, cpr: string, seq: number): Promise<void>;
}

interface StepResult {
  rate: number;
  seconds: number;
  messages: number;
  failedPublishes: number;
  messagesPerS: number;
  expected: number;
  delivered: number;
  deliveriesPerS: number;
  /** Deliveries / (first send → last delivery): what the server actually sustained. */
  sustainedPerS: number;
  p50: number;
  p99: number;
  max: number;
  p99FromSend: number;
  p99Publish: number;
  missingAtStepEnd: number;
  duplicated: number;
  misdelivered: number;
  serverCpuPct: number;
  postgresCpuPct: number;
  clientsCpuPct: number;
  driverCpuPct: number;
  /** CPU used by processes that are not part of the benchmark (the machine is shared). */
  otherCpuPct: number;
  /** CPU the server (and the server plus PostgreSQL) used per delivery in the step, µs: what the machine's load does not change much. */
  serverCpuUsPerDelivery: number;
  serverPgCpuUsPerDelivery: number;
  /** Longest event-loop stall of the server in the step (ours: nodejs_eventloop_lag_max_seconds, sampled; baseline: its own monitor). */
  serverLoopDelayMaxMs: number;
  /** Longest event-loop stall of the driver (a late driver delays sends and response times). */
  driverLoopDelayMaxMs: number;
  /** Ours: highest db_pool_connections used / pending seen on /metrics (sampled every METRICS_EVERY_MS). */
  poolUsedMax: number;
  poolPendingMax: number;
  windowUs: [number, number];
}

interface PhaseResult {
  name: string;
  label: string;
  subscribers: number;
  connectSeconds: number;
  rssBeforeKb: number;
  rssIdleKb: number;
  rssPerSubscriberBytes: number;
  steps: StepResult[];
  skippedRates: number[];
  discarded?: StepResult[];
  lost: number;
  duplicated: number;
  misdelivered: number;
  closed: number;
  closeCodes: Record<string, number>;
  clientErrors: number;
  firstError: string | null;
  best: StepResult | null;
  openSubscriptionsReported?: number;
}

// ---------------------------------------------------------------------------------------------- the run

interface Msg {
  seq: number;
  org: number;
  tSend: number;
  tResp: number;
  ok: boolean;
}

function pack(ms: Msg[]): Float64Array {
  const ok = ms.filter((m) => m.ok);
  const a = new Float64Array(ok.length * 4);
  ok.forEach((m, j) => a.set([m.seq, m.org, m.tResp, m.tSend], j * 4));
  return a;
}

/** One server under test: its subscribers (in the shared client processes), its rate steps, its numbers. */
class Phase {
  readonly orgSubs = new Int32Array(opt.orgs);
  private readonly perClient: SubSpec[][];
  private readonly pid: number;
  private seq: number;
  private readonly borgerIx = new Int32Array(opt.orgs);
  private readonly all: Msg[] = [];
  private firstPublishError: string | null = null;
  readonly steps: StepResult[] = [];
  readonly skippedRates: number[] = [];
  /** Steps run again because they failed while the machine was busy with other work; the first attempts. */
  readonly discarded: StepResult[] = [];
  get repeats(): number {
    return this.discarded.length;
  }

  discard(r: StepResult): void {
    this.steps.splice(this.steps.indexOf(r), 1);
    this.discarded.push(r);
    this.saturated = false;
  }
  saturated = false;
  rssBeforeKb = NaN;
  rssIdleKb = NaN;
  connectSeconds = NaN;
  openSubscriptionsReported?: number;

  constructor(
    readonly t: Target,
    private readonly clients: ClientProc[],
    private readonly cprs: string[][],
    seqStart: number,
    /** The phase whose subscribers this one sends to, when it has none of its own (ours-direct). */
    private readonly owner_: Phase | null = null,
  ) {
    this.perClient = clients.map(() => []);
    for (let i = 0; i < opt.subscribers; i++) {
      const o = i % opt.orgs;
      this.orgSubs[o]++;
      this.perClient[i % clients.length].push({ org: o, ...t.sub(o) });
    }
    this.pid = t.proc.child.pid!;
    this.seq = seqStart;
  }

  private nextCpr(o: number): string {
    return this.cprs[o][this.borgerIx[o]++ % this.cprs[o].length];
  }

  private async progress() {
    const ps = await Promise.all(this.clients.map((c) => c.call<Progress>({ cmd: 'progress', set: this.t.set })));
    return {
      received: ps.reduce((s, p) => s + p.received, 0),
      withAny: ps.reduce((s, p) => s + p.withAny, 0),
      closed: ps.reduce((s, p) => s + p.closed, 0),
      errors: ps.reduce((s, p) => s + p.errors, 0),
      closeCodes: ps.reduce<Record<string, number>>((acc, p) => {
        for (const [k, v] of Object.entries(p.closeCodes)) acc[k] = (acc[k] ?? 0) + v;
        return acc;
      }, {}),
      firstError: ps.find((p) => p.firstError)?.firstError ?? null,
    };
  }

  private stats(packed: Float64Array): Promise<StepStats[]> {
    return Promise.all(this.clients.map((c) => c.call<StepStats>({ cmd: 'stats', set: this.t.set, messages: packed })));
  }

  get owner(): boolean {
    return this.owner_ === null;
  }

  async measureBefore(): Promise<void> {
    if (this.owner) this.rssBeforeKb = await medianRssKb(this.pid);
  }

  /** Connects the subscribers, sends one message per org until every subscriber has one (all live), then the idle RSS. */
  async setup(): Promise<void> {
    const { t } = this;
    const N = opt.subscribers;
    if (this.owner_) {
      this.rssBeforeKb = this.owner_.rssBeforeKb;
      this.rssIdleKb = this.owner_.rssIdleKb;
      this.connectSeconds = this.owner_.connectSeconds;
      this.openSubscriptionsReported = this.owner_.openSubscriptionsReported;
      return;
    }
    log(`${t.name}: connecting ${N} subscribers over ${opt.orgs} orgs from ${this.clients.length} client processes…`);
    const c0 = now();
    const conn = await Promise.all(
      this.clients.map((c, i) => c.call<ConnectResult>({ cmd: 'connect', set: t.set, url: t.wsUrl, query: t.query, subs: this.perClient[i], orgs: opt.orgs, concurrency: 64 })),
    );
    this.connectSeconds = (now() - c0) / 1000;
    const failed = conn.reduce((s, c) => s + c.failed, 0);
    if (failed) throw new Error(`${t.name}: ${failed} connections failed: ${conn.find((c) => c.firstError)?.firstError}`);
    log(`${t.name}: ${N} connected and subscribed in ${this.connectSeconds.toFixed(1)} s; warm-up, one message per org…`);
    for (let o = 0; o < opt.orgs; o++) await t.publish(o, this.nextCpr(o), this.seq++);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const p = await this.progress();
      if (p.withAny >= N) break;
      if (Date.now() > deadline || p.closed) throw new Error(`${t.name}: warm-up reached ${p.withAny}/${N} subscribers (closed ${p.closed}, ${p.firstError})`);
      await sleep(250);
    }
    await sleep(3000);
    this.rssIdleKb = await medianRssKb(this.pid);
    log(
      `${t.name}: RSS ${(this.rssBeforeKb / 1024).toFixed(1)} MB → ${(this.rssIdleKb / 1024).toFixed(1)} MB idle with ${N} subscribers: ` +
        `${(((this.rssIdleKb - this.rssBeforeKb) * 1024) / N / 1024).toFixed(1)} KB per subscriber`,
    );
    if (t.set === 'ours') {
      const m = await (await fetch(`http://127.0.0.1:${t.port}/metrics`)).text();
      const line = /^graphql_subscriptions_open (\d+)/m.exec(m);
      this.openSubscriptionsReported = line ? Number(line[1]) : undefined;
    }
  }

  /** One rate step: `rate` messages/s for opt.seconds (open loop), then the stragglers, then the numbers. */
  async step(rate: number): Promise<StepResult> {
    const { t, pid, clients } = this;
    const total = Math.round(rate * opt.seconds);
    const msgs: Msg[] = [];
    const inflight: Promise<void>[] = [];
    const pool = { used: 0, pending: 0, lagMs: 0 };
    const scrape = () =>
      fetch(`http://127.0.0.1:${t.port}/metrics`, { signal: AbortSignal.timeout(2000) })
        .then((r) => r.text())
        .then((m) => {
          const g = (state: string) => Number(new RegExp(`^db_pool_connections\\{state="${state}"\\} (\\d+)`, 'm').exec(m)?.[1] ?? 0);
          pool.used = Math.max(pool.used, g('used'));
          pool.pending = Math.max(pool.pending, g('pending'));
          const lag = Number(/^nodejs_eventloop_lag_max_seconds (\S+)/m.exec(m)?.[1] ?? 0) * 1000;
          pool.lagMs = Math.max(pool.lagMs, lag);
        })
        .catch(() => undefined);
    if (t.set === 'ours') {
      await scrape(); // resets the loop-lag maximum; not part of the step
      Object.assign(pool, { used: 0, pending: 0, lagMs: 0 });
      await sleep(200);
    }
    const cpu0 = {
      server: cpuMs(pid),
      pg: postgresCpu(),
      clients: clients.reduce((s, c) => s + cpuMs(c.proc.child.pid!), 0),
      self: cpuMs(process.pid),
      machine: machineBusyMs(),
      wall: now(),
    };
    const received0 = (await this.progress()).received;
    if (t.set !== 'ours') await fetch(`http://127.0.0.1:${t.port}/stats`).then((r) => r.text()); // resets its loop-delay max
    driverLoop.reset();
    const sampler = t.set === 'ours' ? setInterval(() => void scrape(), METRICS_EVERY_MS) : null;
    const t0 = now();
    await new Promise<void>((done) => {
      const tick = () => {
        const due = Math.min(total, Math.floor(((now() - t0) * rate) / 1000) + 1);
        while (msgs.length < due) {
          const o = Math.floor(Math.random() * opt.orgs);
          const m: Msg = { seq: this.seq++, org: o, tSend: now(), tResp: NaN, ok: false };
          msgs.push(m);
          inflight.push(
            t.publish(o, this.nextCpr(o), m.seq).then(
              () => {
                m.tResp = now();
                m.ok = true;
                if (process.env.BENCH_DEBUG && m.tResp - m.tSend > 500) log(`slow publish ${m.seq}: sent +${(m.tSend - t0).toFixed(0)} ms, took ${(m.tResp - m.tSend).toFixed(0)} ms`);
              },
              (e: Error) => {
                m.tResp = now();
                this.firstPublishError ??= e.message;
              },
            ),
          );
        }
        if (msgs.length >= total) return done();
        setTimeout(tick, Math.max(1, t0 + (msgs.length * 1000) / rate - now()));
      };
      tick();
    });
    const tEndSend = now();
    await Promise.all(inflight);
    const okMsgs = msgs.filter((m) => m.ok);
    const expected = okMsgs.reduce((s, m) => s + this.orgSubs[m.org], 0);
    // Stragglers: until every expected delivery is in, or 10 s without progress (30 s at most).
    const sDeadline = now() + 30_000;
    let last = -1;
    let lastChange = now();
    for (;;) {
      const p = await this.progress();
      if (p.received - received0 >= expected) break;
      if (p.received !== last) (last = p.received), (lastChange = now());
      if (now() - lastChange > 10_000 || now() > sDeadline) break;
      await sleep(100);
    }
    if (sampler) clearInterval(sampler);
    const driverLagMs = driverLoop.max / 1e6;
    if (t.set !== 'ours') {
      const st = (await (await fetch(`http://127.0.0.1:${t.port}/stats`)).json()) as { loopDelayMaxMs: number; overflows: number };
      pool.lagMs = st.loopDelayMaxMs;
      if (st.overflows) log(`${t.name}: ${st.overflows} subscribers dropped as slow consumers so far`);
    }
    const wall = now() - cpu0.wall;
    const cpu1 = {
      server: cpuMs(pid),
      pg: postgresCpu(),
      clients: clients.reduce((s, c) => s + cpuMs(c.proc.child.pid!), 0),
      self: cpuMs(process.pid),
      machine: machineBusyMs(),
    };
    if (sampler) await scrape(); // the loop-lag maximum since the last read, outside the CPU window
    const pgMs = postgresCpuDelta(cpu0.pg, cpu1.pg);
    const ownMs = cpu1.server - cpu0.server + pgMs + (cpu1.clients - cpu0.clients) + (cpu1.self - cpu0.self);
    const parts = await this.stats(pack(msgs));
    const lat = Float64Array.from(parts.flatMap((p) => Array.from(p.lat))).sort();
    const latSend = Float64Array.from(parts.flatMap((p) => Array.from(p.latSend))).sort();
    const delivered = parts.reduce((s, p) => s + p.delivered, 0);
    const publishLat = Float64Array.from(okMsgs.map((m) => m.tResp - m.tSend)).sort();
    const window = Math.max((tEndSend - t0) / 1000, opt.seconds);
    const lastRecv = Math.max(...parts.map((p) => p.tLast));
    const r: StepResult = {
      rate,
      seconds: opt.seconds,
      messages: okMsgs.length,
      failedPublishes: msgs.length - okMsgs.length,
      messagesPerS: okMsgs.length / window,
      expected,
      delivered,
      deliveriesPerS: delivered / window,
      sustainedPerS: lastRecv > t0 ? delivered / ((lastRecv - t0) / 1000) : 0,
      p50: percentile(lat, 0.5),
      p99: percentile(lat, 0.99),
      max: lat.length ? lat[lat.length - 1] : NaN,
      p99FromSend: percentile(latSend, 0.99),
      p99Publish: percentile(publishLat, 0.99),
      missingAtStepEnd: expected - delivered,
      duplicated: parts.reduce((s, p) => s + p.duplicated, 0),
      misdelivered: parts.reduce((s, p) => s + p.misdelivered, 0),
      serverCpuPct: ((cpu1.server - cpu0.server) / wall) * 100,
      postgresCpuPct: (pgMs / wall) * 100,
      clientsCpuPct: ((cpu1.clients - cpu0.clients) / wall) * 100,
      driverCpuPct: ((cpu1.self - cpu0.self) / wall) * 100,
      otherCpuPct: Math.max(0, ((cpu1.machine - cpu0.machine - ownMs) / wall) * 100),
      windowUs: [t0 * 1000, now() * 1000],
      serverCpuUsPerDelivery: delivered ? ((cpu1.server - cpu0.server) * 1000) / delivered : NaN,
      serverPgCpuUsPerDelivery: delivered ? ((cpu1.server - cpu0.server + pgMs) * 1000) / delivered : NaN,
      serverLoopDelayMaxMs: pool.lagMs,
      driverLoopDelayMaxMs: driverLagMs,
      poolUsedMax: sampler ? pool.used : NaN,
      poolPendingMax: sampler ? pool.pending : NaN,
    };
    this.steps.push(r);
    this.all.push(...msgs);
    log(
      `${t.name} ${rate}/s: ${r.messagesPerS.toFixed(1)} msg/s, ${Math.round(r.deliveriesPerS)} deliveries/s (sustained ${Math.round(r.sustainedPerS)}), ` +
        `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(0)} ms, missing ${r.missingAtStepEnd}, dup ${r.duplicated}, ` +
        `failed publishes ${r.failedPublishes}, CPU server ${r.serverCpuPct.toFixed(0)}% pg ${r.postgresCpuPct.toFixed(0)}% clients ${r.clientsCpuPct.toFixed(0)}% ` +
        `driver ${r.driverCpuPct.toFixed(0)}% other ${r.otherCpuPct.toFixed(0)}% (load ${loadAvg()})` +
        `, loop stall ≤ ${r.serverLoopDelayMaxMs.toFixed(0)} ms (driver ${r.driverLoopDelayMaxMs.toFixed(0)} ms)` +
        (sampler ? `, pool used ≤ ${pool.used}, pending ≤ ${pool.pending}` : ''),
    );
    if (r.failedPublishes) log(`  first publish error: ${this.firstPublishError}`);
    if (!(r.p99 <= SATURATED_P99_MS) || r.missingAtStepEnd > 0 || r.failedPublishes > 0 || r.sustainedPerS < SATURATED_KEPT_UP * r.deliveriesPerS) {
      this.saturated = true;
      log(`${t.name}: saturated at ${rate}/s; higher rates are skipped`);
    }
    return r;
  }

  /** Final accounting over every message of the run, after a last wait for stragglers; then disconnects. */
  async finish(): Promise<PhaseResult> {
    const { t } = this;
    const packedAll = pack(this.all);
    const expectedAll = this.all.filter((m) => m.ok).reduce((s, m) => s + this.orgSubs[m.org], 0);
    const deadline = now() + 15_000;
    let totals: StepStats[] = [];
    for (;;) {
      totals = await this.stats(packedAll);
      if (totals.reduce((s, p) => s + p.delivered, 0) >= expectedAll || now() > deadline) break;
      await sleep(1000);
    }
    const p = await this.progress();
    const deliveredAll = totals.reduce((s, x) => s + x.delivered, 0);
    const ok = this.steps.filter(passes);
    const best = ok.length ? ok.reduce((a, b) => (b.deliveriesPerS > a.deliveriesPerS ? b : a)) : null;
    if (this.owner) log(`${t.name}: disconnecting…`);
    if (!this.owner) {
      // ours' subscribers, disconnected when ours finishes
    } else {
      await Promise.all(this.clients.map((c) => c.call({ cmd: 'disconnect', set: t.set })));
    }
    return {
      name: t.name,
      label: t.label,
      subscribers: opt.subscribers,
      connectSeconds: this.connectSeconds,
      rssBeforeKb: this.rssBeforeKb,
      rssIdleKb: this.rssIdleKb,
      rssPerSubscriberBytes: ((this.rssIdleKb - this.rssBeforeKb) * 1024) / opt.subscribers,
      steps: this.steps,
      skippedRates: this.skippedRates,
      discarded: this.discarded,
      lost: expectedAll - deliveredAll,
      duplicated: totals.reduce((s, x) => s + x.duplicated, 0),
      misdelivered: totals.reduce((s, x) => s + x.misdelivered, 0),
      closed: p.closed,
      closeCodes: p.closeCodes,
      clientErrors: p.errors,
      firstError: p.firstError,
      best,
      openSubscriptionsReported: this.openSubscriptionsReported,
    };
  }
}

/**
 * The machine is shared: before a step, wait (a bounded time) until processes outside the benchmark use
 * less than `QUIET_OTHER_PCT` of one core, so the two servers' steps run under comparable conditions.
 */
const QUIET_OTHER_PCT = 30;
let quietBudgetMs = 0;
async function waitQuiet(ownPids: () => number[]): Promise<void> {
  const started = now();
  for (;;) {
    const own0 = ownPids().reduce((s, p) => s + cpuMs(p), 0);
    const pg0 = postgresCpu();
    const m0 = machineBusyMs();
    const w0 = now();
    await sleep(1000);
    const other = ((machineBusyMs() - m0 - (ownPids().reduce((s, p) => s + cpuMs(p), 0) - own0) - postgresCpuDelta(pg0, postgresCpu())) / (now() - w0)) * 100;
    const waited = now() - started;
    if (other < QUIET_OTHER_PCT || waited > Math.min(20_000, quietBudgetMs)) {
      quietBudgetMs = Math.max(0, quietBudgetMs - waited);
      if (waited > 1500) log(`waited ${(waited / 1000).toFixed(0)} s for the machine to quieten (other CPU now ${other.toFixed(0)}%)`);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------- seeding

/** Valid CPR numbers (X-2) of people born 1970–1999 (of working age), distinct for i < 10 080; 7th digit 2 (19xx). */
function cprOf(i: number): string {
  const dd = 1 + (i % 28);
  const mm = 1 + (Math.floor(i / 28) % 12);
  const yy = 70 + (Math.floor(i / 336) % 30);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const cpr = `${p2(dd)}${p2(mm)}${p2(yy)}${2000 + (i % 1000)}`;
  return parseCpr(cpr).cpr;
}

const orgCode = (o: number) => String(o + 1);

/**
 * ours-direct: one message committed straight into the outbox by the service's own SQL function
 * (`outbox_write`: the recipient's advisory lock, the insert, NOTIFY with its hint on commit), in one
 * round trip, without the mutation.
 */
async function directInsert(pool: pg.Pool, org: string, cpr: string, seq: number): Promise<void> {
  const c = await pool.connect();
  try {
    const payload = { tidligPensionId: String(seq), afgoerelsesdato: '2026-11-01', start: '2027-01-01', slut: null, beloebOere: seq, kompensationsbeloebOere: null };
    const message = { service_name: 'GetTidligPensionVersion1', recipient_type: 'AKASSE', recipient_org: org, cpr, payload };
    const lit = (v: string) => c.escapeLiteral(v);
    await c.query(
      `begin;
       select id from outbox_write(array[${lit(`AKASSE:${org}`)}], 'UDK', 'udk', 'udk-udk', ${lit(JSON.stringify([message]))}::jsonb);
       commit;`,
    );
  } catch (e) {
    await c.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

async function seed(url: string): Promise<string[][]> {
  const cprs: string[][] = [];
  const rows: { cpr: string; foedselsdato: string; akasse: string }[] = [];
  let i = 0;
  for (let o = 0; o < opt.orgs; o++) {
    cprs.push([]);
    for (let k = 0; k < opt.borgerePerOrg; k++, i++) {
      const cpr = cprOf(i);
      cprs[o].push(cpr);
      rows.push({ cpr, foedselsdato: parseCpr(cpr).birthDate, akasse: orgCode(o) });
    }
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      `insert into borger (cpr, foedselsdato, fornavn, efternavn, bopaelskommune, jobcenter)
       select r.cpr, r.foedselsdato::date, 'Bench', 'Borger', '101', '101' from json_to_recordset($1::json) as r(cpr text, foedselsdato text, akasse text)`,
      [JSON.stringify(rows)],
    );
    await c.query(
      `insert into akasse_medlemskab (cpr, akasse, start)
       select r.cpr, r.akasse, date '2020-01-01' from json_to_recordset($1::json) as r(cpr text, foedselsdato text, akasse text)`,
      [JSON.stringify(rows)],
    );
    await c.query('analyze');
  } finally {
    await c.end();
  }
  return cprs;
}

// ---------------------------------------------------------------------------------------------- report

function fmt(n: number, d = 0): string {
  if (!Number.isFinite(n)) return '–';
  return n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

interface RunInfo {
  date: string;
  cores: number;
  memGb: number;
  cpu: string;
  node: string;
  postgres: string;
  commit: string;
  loadStart: string;
  loadEnd: string;
  /** The machine canary's report line (absent in runs saved before it existed). */
  canary?: string;
}

function markdown(info: RunInfo, phases: PhaseResult[]): string {
  const L: string[] = [];
  L.push('## Subscriptions');
  L.push('');
  L.push(
    `Written by \`npm run bench:subscriptions\` (scripts/bench/subscriptions.ts) on ${info.date}, commit ${info.commit}. ` +
      `Machine: ${info.cores} cores (${info.cpu}), ${info.memGb} GB; Node ${info.node}; ${info.postgres}.${info.canary ? ` ${info.canary}` : ''}`,
  );
  L.push('');
  L.push(
    `Shape: ${fmt(opt.subscribers)} subscribers over ${opt.orgs} orgs (a-kasser, ~${Math.round(opt.subscribers / opt.orgs)} per org), one subscription per ` +
      `WebSocket connection, opened by ${opt.clients} client processes (raw \`ws\`, graphql-transport-ws); each message goes to one org chosen at random; ` +
      `each rate step sends for ${opt.seconds} s (open loop), then waits for stragglers. Selection set on both: \`beskeder ${SELECTION}\`. ` +
      'Both servers keep their subscribers connected for the whole run and their steps alternate (baseline, ours, ours-direct at 25/s, then at 50/s, …); ' +
      'a server is no longer stepped up once a step is saturated (p99 > 2 s, sustained < 80% of offered, deliveries still missing after the wait, or failed publishes).',
  );
  L.push('');
  L.push('- **ours**: the real server process (NODE_ENV=production, SUBSCRIPTION_BUFFER=5000) on PostgreSQL; every message is one `indberetTidligPension` mutation over HTTP as UDK, so one committed transaction with its outbox row (one GetTidligPensionVersion1 to the borger\'s current a-kasse), NOTIFY, the hub\'s read, org filtering, the X-4 access-log insert for every delivery, and the replay machinery of `beskeder(after)`. Subscribers hold AKASSE tokens.');
  L.push('- **ours-direct** (diagnostic): the same server and the same subscribers, but each message is committed straight into `outbox_message` by the driver through the service’s own `outbox_write` (advisory lock, insert, NOTIFY naming the recipient, one transaction, as `OutboxBuffer.write` does): the delivery path without the cost of the mutation.');
  L.push('- **baseline**: `scripts/bench/subscriptions-baseline-server.ts`, stock graphql-ws with a graphql-js schema of the same shape, an EventEmitter topic per org and a bounded async iterator per subscriber, no database; a message is `POST /publish`.');
  if (phases.some((p) => p.name === 'floor'))
    L.push('- **floor** (diagnostic, the machine\'s ceiling; not a contender): `scripts/bench/subscriptions-floor-server.ts`, a bare `ws` server with no GraphQL and no database that answers the same clients\' graphql-transport-ws handshake and subscribe and, per `POST /publish`, builds the `next` frame once and writes the same bytes straight to each of the org\'s sockets: one socket write per delivery and nothing else, the cheapest delivery Node can do here with the clients on the same 2 cores.');
  L.push(
    '- Latency = client receive time − the time the mutation\'s (publish\'s, insert\'s) response reached the driver (the commit precedes that response; all processes read the same monotonic clock). ' +
      '"p99 from send" is receive − request sent, an upper bound that includes the mutation itself. "sustained" = deliveries / (step start → last delivery), in % of the offered deliveries/s. ' +
      `A step passes when p99 < ${P99_TARGET_MS} ms, nothing is lost, doubled or misdelivered, every publish succeeded and the server kept up (sustained ≥ ${KEPT_UP * 100}% of offered: ` +
      'the baseline answers a publish in the same event-loop turn as its emit, so when it falls behind its publishes queue before the "commit" and only this shows it).',
  );
  L.push(
    `- CPU columns: share of one core over the step (send window + stragglers); PG = the benchmark database\'s backends and the cluster\'s own processes; "CPU µs / delivery" = server (and server + PG) CPU time of the step divided by its deliveries, which the machine\'s other load changes much less than latency; "pool" = ours\' db_pool_connections (max 10) from /metrics (read every ${METRICS_EVERY_MS / 1000} s: each read walks every open socket); "other" = whatever else ran on the machine ` +
      `(not part of the benchmark; the machine is shared, load average ${info.loadStart} at the start, ${info.loadEnd} at the end).`,
  );
  L.push('');
  for (const p of phases) {
    L.push(`### ${p.label}`);
    L.push('');
    L.push('| rate (msg/s) | pass | messages/s | deliveries/s | sustained/s | p50 ms | p99 ms | max ms | p99 from send ms | publish p99 ms | missing | dup | server CPU | PG CPU | clients CPU | other CPU | CPU µs / delivery (server, +PG) | server loop stall max ms | pool used / pending max |');
    L.push('|---:|:-:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const s of p.steps) {
      L.push(
        `| ${s.rate} | ${passes(s) ? 'yes' : '**no**'} | ${fmt(s.messagesPerS, 1)} | ${fmt(s.deliveriesPerS)} | ${fmt(s.sustainedPerS)} (${fmt((100 * s.sustainedPerS) / s.deliveriesPerS)}%) | ${fmt(s.p50, 1)} | ${s.p99 < P99_TARGET_MS ? fmt(s.p99, 1) : `**${fmt(s.p99, 1)}**`} | ${fmt(s.max)} | ${fmt(s.p99FromSend, 1)} | ${fmt(s.p99Publish, 1)} | ${s.missingAtStepEnd} | ${s.duplicated} | ${fmt(s.serverCpuPct)}% | ${fmt(s.postgresCpuPct)}% | ${fmt(s.clientsCpuPct)}% | ${fmt(s.otherCpuPct)}% | ${fmt(s.serverCpuUsPerDelivery)}, ${fmt(s.serverPgCpuUsPerDelivery)} | ${fmt(s.serverLoopDelayMaxMs)} | ${Number.isFinite(s.poolUsedMax) ? `${s.poolUsedMax} / ${s.poolPendingMax}` : '–'} |`,
      );
    }
    for (const r of p.skippedRates) L.push(`| ${r} | skipped (saturated) | | | | | | | | | | | | | | | | | |`);
    L.push('');
    L.push(
      `Highest passing step: ${p.best ? `**${p.best.rate} msg/s → ${fmt(p.best.deliveriesPerS)} deliveries/s** (p99 ${fmt(p.best.p99, 1)} ms)` : '**none**'}. ` +
        `RSS per idle subscriber: **${fmt(p.rssPerSubscriberBytes / 1024, 1)} KB** (${fmt(p.rssBeforeKb / 1024, 1)} MB → ${fmt(p.rssIdleKb / 1024, 1)} MB, median of 7 samples). ` +
        `Lost: **${p.lost}**, duplicated: **${p.duplicated}**, to the wrong org: ${p.misdelivered}; connections closed by the server: ${p.closed}${p.closed ? ` (${JSON.stringify(p.closeCodes)})` : ''}. ` +
        `Connecting and subscribing ${fmt(p.subscribers)} took ${fmt(p.connectSeconds, 1)} s.` +
        (p.discarded?.length
          ? ` Repeated because they failed while other processes used > ${NOISY_OTHER_PCT}% CPU (first attempts not shown): ` +
            p.discarded.map((d) => `${d.rate}/s (p99 ${fmt(d.p99)} ms, sustained ${fmt((100 * d.sustainedPerS) / d.deliveriesPerS)}%, other CPU ${fmt(d.otherCpuPct)}%)`).join(', ') +
            '.'
          : '') +
        (p.openSubscriptionsReported !== undefined ? ` graphql_subscriptions_open: ${p.openSubscriptionsReported}.` : ''),
    );
    L.push('');
  }
  const b = phases.find((p) => p.name === 'baseline');
  const o = phases.find((p) => p.name === 'ours');
  const d = phases.find((p) => p.name === 'ours-direct');
  const f = phases.find((p) => p.name === 'floor');
  if (b && (o || d || f)) {
    const ratio = (p?: PhaseResult) => (b.best && p?.best ? p.best.deliveriesPerS / b.best.deliveriesPerS : NaN);
    const x = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : 'n/a');
    L.push('### Summary');
    L.push('');
    L.push('| | deliveries/s of the highest passing step (p99 < 100 ms) | × baseline | highest sustained deliveries/s | RSS per idle subscriber | lost | duplicated |');
    L.push('|---|---:|---:|---:|---:|---:|---:|');
    for (const p of [b, o, d, f]) {
      if (!p) continue;
      const sat = p.skippedRates.length === 0 && p.steps.length === opt.rates.length && p.best === p.steps[p.steps.length - 1] ? ' (every step passed: ≥)' : '';
      L.push(
        `| ${p.name} | ${p.best ? fmt(p.best.deliveriesPerS) + sat : 'none'} | ${p === b ? '1' : x(ratio(p))} | ${fmt(Math.max(0, ...p.steps.map((s) => s.sustainedPerS)))} | ${fmt(p.rssPerSubscriberBytes / 1024, 1)} KB | ${p.lost} | ${p.duplicated} |`,
      );
    }
    L.push('');
    L.push(
      `**Ours / baseline at p99 < 100 ms: ${x(ratio(o))}** with messages from the real mutation (target ≥ 3×)` +
        (d ? `; ${x(ratio(d))} for the delivery path alone (messages committed straight into the outbox)` : '') +
        `. RSS per idle subscriber: ours ${o ? fmt(o.rssPerSubscriberBytes / 1024, 1) : '–'} KB (target ≤ 30 KB), baseline ${fmt(b.rssPerSubscriberBytes / 1024, 1)} KB. ` +
        'Lost and duplicated must be 0. A server that passes its highest step may go further than measured.' +
        (f
          ? ` The floor (one prebuilt frame written per socket, no GraphQL, no database) passes up to ${f.best ? fmt(f.best.deliveriesPerS) : 'none'} deliveries/s = ${x(ratio(f))} the baseline` +
            (b.best ? `, against the ${fmt(3 * b.best.deliveriesPerS)} deliveries/s that 3× the baseline asks for` : '') +
            ': no server can pass a step on this machine, with these clients on it, that the floor fails.'
          : ''),
    );
    L.push('');
  }
  return L.join('\n');
}

// ---------------------------------------------------------------------------------------------- profile

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self and inclusive time per function within [from, to] (µs of the monotonic clock) of a .cpuprofile. */
function analyzeProfile(file: string, from: number, to: number, top = 12): string {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (id: number) => {
    const f = byId.get(id)!.callFrame;
    const url = f.url.replace(/^file:\/\//, '').replace(ROOT + '/', '');
    const short = url.includes('node_modules/') ? url.slice(url.lastIndexOf('node_modules/') + 13) : url;
    return `${f.functionName || '(anonymous)'} ${short ? `${short}:${f.lineNumber + 1}` : ''}`.trim();
  };
  /** Where a sample's own time belongs, in the terms of this benchmark. */
  const category = (id: number): string => {
    const f = byId.get(id)!.callFrame;
    const u = f.url;
    const fn = f.functionName;
    if (fn === '(idle)') return 'idle (waiting)';
    if (fn === '(garbage collector)') return 'garbage collection';
    if (!u && /^(writev|writeBuffer|writeUtf8String|writeLatin1String|writeAsciiString)$/.test(fn)) return 'socket write syscalls (ws frames, HTTP, PostgreSQL)';
    if (/prom-client/.test(u) || /^(_getActiveHandles|getActiveResourcesInfo|readdir)$/.test(fn)) return '/metrics scrapes (prom-client default metrics)';
    if (/node:async_hooks|async_hooks/.test(u) || /^(promiseInitHook|trackPromise|_propagate)$/.test(fn)) return 'async_hooks (AsyncLocalStorage promise hooks)';
    if (/node_modules\/(@mikro-orm|knex|pg|pg-protocol|pg-pool|lodash|tarn|dataloader)\//.test(u)) return 'DB client (MikroORM, knex, pg)';
    if (/node_modules\/(@apollo|express|router|@as-integrations|body-parser|raw-body|type-graphql|@escape\.tech|graphql-armor|jose|iconv-lite|pino|negotiator|content-type|qs)\//.test(u) || /node:internal\/crypto|webcrypto/.test(u))
      return 'HTTP request stack (Express, Apollo, armor, type-graphql, jose, pino)';
    if (/node_modules\/graphql-ws\//.test(u)) return 'graphql-ws';
    if (/node_modules\/graphql\//.test(u)) return 'graphql-js execution';
    if (/node_modules\/ws\//.test(u)) return 'ws (framing)';
    if (/src\/events\//.test(u)) return 'src/events (hub, outbox)';
    if (/src\/http\/ws-execution/.test(u)) return 'src/http/ws-execution.ts';
    if (/\/src\//.test(u)) return 'src/ (other)';
    if (/scripts\/bench\//.test(u)) return 'bench server script (baseline, floor)';
    if (/^node:(internal\/streams|net|internal\/stream_base|_http|internal\/http|http)/.test(u)) return 'Node streams, net, http';
    if (u.startsWith('node:')) return 'Node internals (events, timers, …)';
    if (fn === 'runMicrotasks' || fn === '(program)') return 'V8 microtask queue / program';
    return 'other';
  };
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const byCat = new Map<string, number>();
  let t = prof.startTime;
  let total = 0;
  for (let k = 0; k < prof.samples.length; k++) {
    t += prof.timeDeltas[k];
    if (t < from || t > to) continue;
    const w = prof.timeDeltas[k + 1] ?? prof.timeDeltas[k];
    total += w;
    const id = prof.samples[k];
    self.set(name(id), (self.get(name(id)) ?? 0) + w);
    byCat.set(category(id), (byCat.get(category(id)) ?? 0) + w);
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const nm = name(x);
      if (seen.has(nm)) continue;
      seen.add(nm);
      incl.set(nm, (incl.get(nm) ?? 0) + w);
    }
  }
  const rows = (m: Map<string, number>, skip: (k: string) => boolean = () => false) =>
    [...m.entries()]
      .filter(([k]) => !skip(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `| ${fmt((v / total) * 100, 1)}% | \`${k.replace(/\|/g, '\\|')}\` |`);
  const trivial = (k: string) => /^\(root\)|^\(program\)|^\(idle\)|processTicksAndRejections|^listOnTimeout|^processTimers|^emit |^\(anonymous\) $|node:|^runMicrotasks|^writev|^writeBuffer/.test(k);
  return [
    `Profile window: ${fmt(total / 1000)} ms of samples.`,
    '',
    '**Self time by category**',
    '',
    '| share | category |',
    '|---:|---|',
    ...rows(byCat),
    '',
    '**Self time by function**',
    '',
    '| share | function |',
    '|---:|---|',
    ...rows(self),
    '',
    '**Inclusive time by function** (library and application frames)',
    '',
    '| share | function |',
    '|---:|---|',
    ...rows(incl, trivial),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------- main

function git(args: string[]): Promise<string> {
  return new Promise<string>((resolve) => {
    const g = spawn('git', args, { cwd: ROOT });
    let s = '';
    g.stdout.on('data', (b: Buffer) => (s += b.toString()));
    g.on('close', () => resolve(s.trim()));
    g.on('error', () => resolve(''));
  });
}

async function main(): Promise<void> {
  const admin = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `dfdg_bench_subs_${process.pid}`;
  const dbUrl = new URL(admin);
  dbUrl.pathname = `/${dbName}`;
  const fds = opt.subscribers + 2000;
  const limits = openFileLimit();
  log(`open-file limit ${limits.soft}/${limits.hard}; the servers need ~${fds}`);
  log(`options: ${JSON.stringify(opt)}`);
  const loadStart = loadAvg();
  log(`load average ${loadStart} on ${os.cpus().length} cores`);
  if (os.loadavg()[0] > os.cpus().length / 2) log('warning: the machine is busy with other work; the numbers will be noisy (see the "other CPU" column)');
  const canary = canaryLine(await machineCanary());
  log(canary);

  const adminClient = new pg.Client({ connectionString: admin });
  await adminClient.connect();
  const pgVersion = ((await adminClient.query('select version() v')).rows[0].v as string).split(' on ')[0];
  await adminClient.query(`create database ${dbName}`);
  pgScope.dbName = dbName;
  try {
    const backend = (await adminClient.query('select pg_backend_pid() p')).rows[0].p as number;
    const stat = readFileSync(`/proc/${backend}/stat`, 'utf8');
    pgScope.postmaster = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    log('PostgreSQL is not on this machine: its CPU is not measured');
  }
  log(`database ${dbName} created`);
  const profDir = path.join(os.tmpdir(), `bench-subs-prof-${process.pid}`);
  const tokens = new TokenService(JWT_SECRET);
  const phases: PhaseResult[] = [];
  let profileText: string | null = null;
  const clients: ClientProc[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  try {
    // Ours: started once on the empty database; it migrates at start. Then the seed.
    const oursPort = await freePort();
    const prof = (name: string) => (opt.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profDir, name)}`] : []);
    const oursArgs = [...prof('ours'), buildServer()];
    const base: NodeJS.ProcessEnv = { ...process.env };
    for (const k of ['DATABASE_URL', 'NODE_ENV', 'PORT', 'DATA_DIR', 'EMBEDDED_PG_PORT', 'SEED_DEMO', 'JWT_SECRET', 'LOG_LEVEL', 'RUN_JOBS', 'SUBSCRIPTION_BUFFER']) delete base[k];
    const ours = track(
      'ours',
      spawnNode(oursArgs, { ...base, DATABASE_URL: dbUrl.toString(), JWT_SECRET, SEED_DEMO: 'false', RUN_JOBS: 'false', LOG_LEVEL: 'warn', NODE_ENV: 'production', PORT: String(oursPort), SUBSCRIPTION_BUFFER: '5000' }, fds),
    );
    await waitFor(ours, async () => (await fetch(`http://127.0.0.1:${oursPort}/readyz`, { signal: AbortSignal.timeout(1000) })).ok, 'ready (migrations)');
    const cprs = await seed(dbUrl.toString());
    log(`ours up on ${oursPort} (migrated); seeded ${opt.orgs} a-kasser × ${opt.borgerePerOrg} borgere`);

    const basePort = await freePort();
    const baseline = track('baseline', spawnNode(['-r', '@swc-node/register', ...prof('baseline'), 'scripts/bench/subscriptions-baseline-server.ts'], { ...base, PORT: String(basePort), SUBSCRIPTION_BUFFER: '5000', NODE_ENV: 'production' }, fds));
    await waitFor(baseline, () => baseline.output().includes('listening'), 'listening');
    const floorPort = await freePort();
    const floor = opt.floor ? track('floor', spawnNode(['-r', '@swc-node/register', ...prof('floor'), 'scripts/bench/subscriptions-floor-server.ts'], { ...base, PORT: String(floorPort), NODE_ENV: 'production' }, fds)) : null;
    if (floor) await waitFor(floor, () => floor.output().includes('listening'), 'listening');

    for (let i = 0; i < opt.clients; i++) clients.push(new ClientProc(i));

    const direct = opt.direct ? new pg.Pool({ connectionString: dbUrl.toString(), max: 8, application_name: 'bench-direct-outbox' }) : null;
    closers.push(async () => direct?.end());
    const udk = `Bearer ${await tokens.sign({ role: Role.UDK, org: 'udk' }, '24h')}`;
    const akasseTokens = await Promise.all(Array.from({ length: opt.orgs }, (_, o) => tokens.sign({ role: Role.AKASSE, org: orgCode(o) }, '24h')));
    const mutation = `mutation($i: TidligPensionInput!) { indberetTidligPension(input: $i) { ny sendtTilAkasse } }`;

    const targets: Target[] = [
      {
        name: 'baseline',
        set: 'baseline',
        label: 'Baseline: graphql-ws + in-memory PubSub, no database',
        proc: baseline,
        port: basePort,
        wsUrl: `ws://127.0.0.1:${basePort}/graphql`,
        query: `subscription($org: String!) { beskeder(org: $org) ${SELECTION} }`,
        sub: (o) => ({ init: {}, variables: { org: orgCode(o) } }),
        async publish(o, cpr, seq) {
          const r = await post(basePort, '/publish', JSON.stringify({ org: orgCode(o), cpr, beloebOere: seq }));
          if (r.status !== 200) throw new Error(`publish: ${r.status} ${r.body}`);
        },
      },
      {
        name: 'ours',
        set: 'ours',
        label: 'Ours: `indberetTidligPension` → outbox on PostgreSQL → NotificationHub, org filtering, replay (src/main.ts)',
        proc: ours,
        port: oursPort,
        wsUrl: `ws://127.0.0.1:${oursPort}/graphql`,
        query: `subscription { beskeder ${SELECTION} }`,
        sub: (o) => ({ init: { Authorization: `Bearer ${akasseTokens[o]}` }, variables: {} }),
        async publish(o, cpr, seq) {
          const r = await post(
            oursPort,
            '/graphql',
            JSON.stringify({ query: mutation, variables: { i: { cpr, afgoerelsesdato: '2026-11-01', start: '2027-01-01', beloebOere: seq } } }),
            { authorization: udk },
          );
          const body = JSON.parse(r.body) as { data?: { indberetTidligPension?: { ny: boolean; sendtTilAkasse: string } }; errors?: unknown };
          const k = body.data?.indberetTidligPension;
          if (r.status !== 200 || body.errors || !k?.ny || k.sendtTilAkasse !== orgCode(o)) throw new Error(`mutation: ${r.status} ${r.body.slice(0, 500)}`);
        },
      },
      {
        name: 'ours-direct',
        set: 'ours',
        label: 'Ours, delivery path alone: the same server and subscribers, messages committed straight into the outbox by SQL (diagnostic)',
        proc: ours,
        port: oursPort,
        wsUrl: `ws://127.0.0.1:${oursPort}/graphql`,
        query: '',
        sub: () => ({ init: {}, variables: {} }),
        async publish(o, cpr, seq) {
          await directInsert(direct!, orgCode(o), cpr, seq);
        },
      },
      ...(floor
        ? [
            {
              name: 'floor',
              set: 'floor',
              label: 'Floor: a bare `ws` server writing one prebuilt frame per socket, no GraphQL, no database (diagnostic: the machine\'s ceiling)',
              proc: floor,
              port: floorPort,
              wsUrl: `ws://127.0.0.1:${floorPort}/graphql`,
              query: `subscription($org: String!) { beskeder(org: $org) ${SELECTION} }`,
              sub: (o: number) => ({ init: {}, variables: { org: orgCode(o) } }),
              async publish(o: number, cpr: string, seq: number) {
                const r = await post(floorPort, '/publish', JSON.stringify({ org: orgCode(o), cpr, beloebOere: seq }));
                if (r.status !== 200) throw new Error(`publish: ${r.status} ${r.body}`);
              },
            } satisfies Target,
          ]
        : []),
    ];

    // Both servers' subscribers stay connected for the whole run and the rate steps alternate
    // (baseline r, ours r, baseline r', …), so both see the same machine at about the same time.
    const wanted = targets.filter((t) => (opt.only ? opt.only === t.set : true) && (t.name !== 'ours-direct' || opt.direct) && (t.name !== 'floor' || opt.floor));
    const running: Phase[] = [];
    for (const [i, t] of wanted.entries()) {
      const owner = t.name === 'ours-direct' ? running.find((p) => p.t.name === 'ours')! : null;
      running.push(new Phase(t, clients, cprs, 1 + i * 1_000_000, owner));
    }
    const ownPids = () => [process.pid, ...procs.filter((p) => p.alive()).map((p) => p.child.pid!)];
    await sleep(1500);
    for (const ph of running) await ph.measureBefore();
    for (const ph of running) await ph.setup();
    quietBudgetMs = opt.maxWait * 1000;
    for (const rate of opt.rates) {
      for (const ph of running) {
        if (ph.saturated) {
          ph.skippedRates.push(rate);
          continue;
        }
        await waitQuiet(ownPids);
        let r = await ph.step(rate);
        // A step that failed while other processes used much of the machine is run once more.
        if (!passes(r) && r.otherCpuPct > NOISY_OTHER_PCT && ph.repeats < MAX_REPEATS) {
          log(`${ph.t.name} ${rate}/s failed while other processes used ${r.otherCpuPct.toFixed(0)}% CPU: once more`);
          ph.discard(r);
          await sleep(2000);
          await waitQuiet(ownPids);
          r = await ph.step(rate);
        }
        await sleep(500);
      }
    }
    // ours-direct before ours: ours disconnects the subscribers they share.
    for (const ph of [...running].sort((a, b) => Number(a.owner) - Number(b.owner))) phases.push(await ph.finish());
    phases.sort((a, b) => wanted.findIndex((t) => t.name === a.name) - wanted.findIndex((t) => t.name === b.name));
    const warnings = ours.output().split('\n').filter((l) => /"level":(40|50|60)/.test(l));
    if (warnings.length) log(`ours logged ${warnings.length} warnings/errors; first: ${warnings[0].slice(0, 400)}`);

    if (opt.profile) {
      await stop(ours);
      await stop(baseline);
      if (floor) await stop(floor);
      const fileOf = (server: string) => {
        const dir = path.join(profDir, server);
        const f = existsSync(dir) ? readdirSync(dir).find((x) => x.endsWith('.cpuprofile')) : undefined;
        return f ? path.join(dir, f) : null;
      };
      const profiled = phases.filter((p) => p.steps.length && fileOf(p.name === 'ours-direct' ? 'ours' : p.name));
      if (!profiled.length) {
        log(`no profile written (${profDir})`);
      } else {
        profileText =
          `## Subscriptions: where the time goes\n\n` +
          `\`npm run bench:subscriptions -- ${process.argv.slice(2).join(' ')}\` on ${new Date().toISOString().slice(0, 10)}, the servers under \`node --cpu-prof\`: ` +
          `the last step of each phase. Profiling slows the servers, so these steps are not the benchmark's numbers. ` +
          `Shares are of the samples of the server process in the step's window (send + stragglers); "(idle)" is time it waited. ${canary}\n\n` +
          profiled
            .map((p) => {
              const step = p.steps[p.steps.length - 1];
              return (
                `### ${p.name}, ${step.rate} msg/s (${fmt(step.deliveriesPerS)} deliveries/s offered, sustained ${fmt(step.sustainedPerS)}, p99 ${fmt(step.p99, 1)} ms; ` +
                `server CPU ${fmt(step.serverCpuPct)}%, PG CPU ${fmt(step.postgresCpuPct)}%, other CPU ${fmt(step.otherCpuPct)}%)\n\n` +
                analyzeProfile(fileOf(p.name === 'ours-direct' ? 'ours' : p.name)!, step.windowUs[0], step.windowUs[1])
              );
            })
            .join('\n\n');
        console.log('\n' + profileText + '\n');
        log(`profiles: ${profDir}`);
      }
    }
  } finally {
    await Promise.all(clients.map((c) => (c.proc.alive() ? c.call({ cmd: 'exit' }).catch(() => undefined) : undefined)));
    for (const c of closers) await c().catch(() => undefined);
    await Promise.all(procs.map((p) => stop(p)));
    agent.destroy();
    await adminClient.query(`drop database if exists ${dbName} with (force)`).catch((e: Error) => log(`could not drop ${dbName}: ${e.message}`));
    await adminClient.end();
    log(`database ${dbName} dropped`);
  }

  const info: RunInfo = {
    loadStart,
    loadEnd: loadAvg(),
    canary,
    date: new Date().toISOString().slice(0, 10),
    cores: os.cpus().length,
    memGb: Math.round(os.totalmem() / 1024 ** 3),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    postgres: pgVersion,
    commit: (await git(['rev-parse', '--short', 'HEAD'])) + ((await git(['status', '--porcelain', '--', 'src'])) ? ' with uncommitted changes in src/' : ''),
  };
  const md = markdown(info, phases);
  console.log('\n' + md + '\n');
  if (argv.json) writeFileSync(argv.json, JSON.stringify({ info, opt, phases }, null, 2));
  if (opt.write) {
    writeSection('bench:subscriptions', md);
  }
  if (profileText && !argv['no-write']) {
    writeSection('bench:subscriptions-profile', profileText, 'bench:subscriptions');
  }
  if (profileText === null && opt.profile) rmSync(profDir, { recursive: true, force: true });
}

/** --render: the docs section of a run saved with --json, without running anything. */
function render(file: string): void {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { info: RunInfo; opt: typeof opt; phases: PhaseResult[] };
  Object.assign(opt, saved.opt);
  const md = markdown(saved.info, saved.phases);
  console.log(md);
  writeSection('bench:subscriptions', md);
}

let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  log('interrupted: stopping the processes; the database is dropped on the way out');
  for (const p of procs) p.child.kill('SIGTERM');
});

(argv.render ? Promise.resolve(render(argv.render)) : main()).then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
