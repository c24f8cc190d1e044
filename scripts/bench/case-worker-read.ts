/**
 * npm run bench:read -- [--database-url URL] [--borgere 1000000] [--duration 20] [--rate 500] [--no-profile] [--no-write]
 *
 * Issue 9: the case-worker read at national scale. The query a fagsystem sends when it opens a borger
 * (borger, kontaktgruppe, kontaktpersoner with their kontakt, the jobcenter's uddannelsesplan with støttebehov,
 * abonnementer), for random CPRs of young borgere (15–29, the ones with a plan and an abonnement) attached to
 * the token's jobcenter, three JOBCENTER tokens (101, 461, 751), over HTTP:
 *
 *  - ours: the real server process as production runs it (compiled by `npm run build`: `node dist/src/main.js`, NODE_ENV=production, no jobs);
 *  - peer: PostGraphile 4.14 (scripts/bench/postgraphile-server.ts) on the same tables, the equivalent query;
 *  - floor: `pg` straight to PostgreSQL (scripts/bench/raw-sql-floor.ts), pool 10, as 4 statements and as one
 *    json_agg statement.
 *
 * Closed loop: autocannon, 50 connections, `duration` s each. Open loop: `rate` req/s evenly paced (open-loop.ts),
 * latency from each request's due time; autocannon's `overallRate` (one-second bursts) alongside for comparison.
 * SQL statements per request: each server is started once more behind a counting TCP proxy that parses the
 * PostgreSQL wire protocol (every simple Query and every extended-protocol Execute is one statement; BEGIN and
 * COMMIT count), 100 sequential requests after a warm-up. A CPU profile of our server (`node --cpu-prof`) over a
 * closed-loop run of its own. The database (default dfdg_bench_read on 127.0.0.1) is seeded with
 * `seedSynthetic` when it holds no borgere. Writes `<!-- bench:case-worker-read -->` in docs/BENCHMARKS.md.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import 'reflect-metadata';
import { TokenService } from '../../src/auth/token';
import { Role } from '../../src/context/roles';
import { seedSynthetic } from '../seed-synthetic';
import { PEER_QUERY } from './postgraphile-server';
import { openLoopInChild } from './open-loop';
import { canaryLine, cpuMs, freePort, log, machineCanary, ROOT, runMain, spawnNode, writeSection, startOurs as startOursWith, stop, type Proc } from './bench-process';

const JWT_SECRET = 'bench-read-secret-0123456789abcdef0123456789';
const JOBCENTRE = ['101', '461', '751'];

export const OUR_QUERY = `query Open($cpr: CPR!) {
  borger(cpr: $cpr) {
    cpr fornavn efternavn foedselsdato bopaelskommune jobcenter jobparat
    kontaktgruppe { kontaktgruppe start slut }
    kontaktpersoner { id kontaktpersontype rolle start slut visesPaaJobnet kontakt { id navn email telefon art } }
    uddannelsesplan { id plantype trin frist maal uddannelsessted stoettebehov }
    abonnementer { id start slut lukkeaarsag }
  }
}`;

const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' / ');
const load1 = () => os.loadavg()[0].toFixed(1);

function startOurs(dbUrl: string, port: number, nodeArgs: string[] = []): Proc {
  return startOursWith(dbUrl, port, JWT_SECRET, nodeArgs);
}

function startPeer(dbUrl: string, port: number): Proc {
  return spawnNode('postgraphile', ['-r', '@swc-node/register', 'scripts/bench/postgraphile-server.ts', '--database-url', dbUrl, '--port', String(port)], { NODE_ENV: 'production' }, port);
}

async function waitUp(p: Proc, probe: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null) throw new Error(`${p.name} exited:\n${p.out()}`);
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${p.name} did not come up:\n${p.out()}`);
}

/** A TCP proxy in front of PostgreSQL counting the statements its clients send (simple Query + extended Execute). */
async function countingProxy(target: { host: string; port: number }): Promise<{ port: number; count: () => number; texts: string[]; reset: () => void; close: () => void }> {
  let n = 0;
  const texts: string[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    let buf = Buffer.alloc(0);
    let started = false;
    const pending = new Map<string, string>();
    let lastParsed = '';
    client.on('data', (d) => {
      upstream.write(d);
      buf = Buffer.concat([buf, d]);
      for (;;) {
        if (!started) {
          if (buf.length < 8) break;
          const len = buf.readInt32BE(0);
          if (buf.length < len) break;
          const code = buf.readInt32BE(4);
          buf = buf.subarray(len);
          if (code !== 80877103) started = true; // SSLRequest is followed by the real startup
          continue;
        }
        if (buf.length < 5) break;
        const type = String.fromCharCode(buf[0]);
        const len = buf.readInt32BE(1);
        if (buf.length < 1 + len) break;
        const body = buf.subarray(5, 1 + len);
        if (type === 'Q') {
          n++;
          texts.push(body.toString('utf8', 0, body.length - 1));
        } else if (type === 'P') {
          const z = body.indexOf(0);
          const name = body.toString('utf8', 0, z);
          const text = body.toString('utf8', z + 1, body.indexOf(0, z + 1));
          lastParsed = text;
          if (name) pending.set(name, text);
        } else if (type === 'B') {
          const z = body.indexOf(0);
          const stmt = body.toString('utf8', z + 1, body.indexOf(0, z + 1));
          if (stmt) lastParsed = pending.get(stmt) ?? stmt;
        } else if (type === 'E') {
          n++;
          texts.push(lastParsed);
        }
        buf = buf.subarray(1 + len);
      }
    });
    upstream.on('data', (d) => client.write(d));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return {
    port,
    count: () => n,
    texts,
    reset: () => {
      n = 0;
      texts.length = 0;
    },
    close: () => server.close(),
  };
}

interface Target {
  name: string;
  url: string;
  body: (cpr: string, jc: string) => string;
  headers: (jc: string) => Record<string, string>;
  check: (json: unknown) => boolean;
  /** The field under `data` a good answer has (for a driver that cannot be handed `check`). */
  dataField?: string;
  pid?: number;
}

async function post(t: Target, cpr: string, jc: string): Promise<unknown> {
  const r = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', ...t.headers(jc) }, body: t.body(cpr, jc) });
  return r.json();
}

interface LoadResult {
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  total: number;
  non2xx: number;
  errors: number;
  load: string;
  /** CPU time (user + system) of the server process per completed request, ms. */
  cpuMsPerReq: number;
}

/** Headers and body of the next request: the sample walked in a fixed stride, each CPR with its jobcenter's token. */
function requests(t: Target, sample: [string, string][]): () => { headers: Record<string, string>; body: string } {
  let k = 0;
  return () => {
    const [cpr, jc] = sample[(k = (k + 7919) % sample.length)];
    return { headers: { 'content-type': 'application/json', ...t.headers(jc) }, body: t.body(cpr, jc) };
  };
}

async function closedLoop(t: Target, sample: [string, string][], seconds: number, rate?: number): Promise<LoadResult> {
  const l = load1();
  const cpu0 = cpuMs(t.pid);
  const next = requests(t, sample);
  const r = await autocannon({
    url: t.url,
    method: 'POST',
    connections: 50,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => ({ ...req, ...next() }),
      },
    ],
  } as unknown as autocannon.Options);
  return {
    rps: r.requests.total / (r.duration || seconds),
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    load: l,
    cpuMsPerReq: (cpuMs(t.pid) - cpu0) / Math.max(1, r.requests.total),
  };
}

/** Open loop, evenly paced (open-loop.ts): latency from each request's due time. */
async function pacedLoop(t: Target, sample: [string, string][], seconds: number, rate: number, dbUrl: string): Promise<LoadResult & { sendLagP99: number; failures: string[] }> {
  // A steady load's latency, not the closed loops' aftermath: the pages they dirtied are written out first
  // (a steady 500 req/s spreads its own checkpoints), and the first 3 s at the rate, on the same connections,
  // are not counted (they open the keep-alive connections the loop needs: a separate warm-up run closed its
  // own, and the measured run's first half second paid for opening them again).
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  await db.query('checkpoint').catch(() => undefined);
  await db.end();
  // Sent from a process of its own (openLoopInChild), so the closed loops' garbage in this one is not timed.
  const next = requests(t, sample);
  const list = Array.from({ length: Math.round(rate * (3 + seconds)) }, next);
  const l = load1();
  const cpu0 = cpuMs(t.pid);
  const r = await openLoopInChild({ url: t.url, rate, requireData: t.dataField, requests: list, warmupSeconds: 3, seconds });
  return {
    rps: r.rps,
    p50: r.p50,
    p90: r.p90,
    p99: r.p99,
    max: r.max,
    total: r.sent,
    non2xx: r.non2xx,
    errors: r.errors,
    load: l,
    cpuMsPerReq: (cpuMs(t.pid) - cpu0) / list.length,
    sendLagP99: r.sendLagP99,
    failures: r.failures,
  };
}

async function statementsPerRequest(t: Target, proxy: Awaited<ReturnType<typeof countingProxy>>, sample: [string, string][]): Promise<{ perRequest: number; one: string[] }> {
  for (let i = 0; i < 10; i++) await post(t, ...sample[i]);
  proxy.reset();
  const n = 100;
  for (let i = 0; i < n; i++) await post(t, ...sample[100 + i]);
  await new Promise((r) => setTimeout(r, 300)); // the access-log insert may follow the answer
  const perRequest = proxy.count() / n;
  proxy.reset();
  await post(t, ...sample[300]);
  await new Promise((r) => setTimeout(r, 300));
  return { perRequest, one: proxy.texts.map((s) => s.replace(/\s+/g, ' ').slice(0, 140)) };
}

/** Self and inclusive time of a .cpuprofile between two monotonic instants (µs). */
function analyzeProfile(file: string, fromUs: number, toUs: number, top = 20): string {
  interface Node {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }
  const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; startTime: number; samples: number[]; timeDeltas: number[] };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let t = prof.startTime;
  let total = 0;
  for (let i = 0; i < prof.samples.length; i++) {
    t += prof.timeDeltas[i];
    if (t < fromUs || t > toUs) continue;
    self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + 1);
    total++;
  }
  const short = (url: string) => {
    if (!url) return '';
    const u = url.replace(/^file:\/\//, '');
    const nm = u.lastIndexOf('node_modules/');
    if (nm >= 0) return u.slice(nm + 13);
    return u.startsWith(ROOT) ? u.slice(ROOT.length + 1) : u;
  };
  const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}${n.callFrame.url ? ':' + (n.callFrame.lineNumber + 1) : ''}`.trim();
  const pkg = (n: Node) => {
    const u = short(n.callFrame.url);
    if (!n.callFrame.url) return n.callFrame.functionName || '(native)';
    if (u.startsWith('node:')) return u.split('/').slice(0, 2).join('/');
    if (u.startsWith('src/')) return u.split('/').slice(0, 2).join('/');
    const parts = u.split('/');
    return parts[0].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  };
  const selfFn = new Map<string, number>();
  const selfPkg = new Map<string, number>();
  const incl = new Map<string, number>();
  for (const [id, hits] of self) {
    const n = byId.get(id)!;
    selfFn.set(label(n), (selfFn.get(label(n)) ?? 0) + hits);
    selfPkg.set(pkg(n), (selfPkg.get(pkg(n)) ?? 0) + hits);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const l = label(byId.get(cur)!);
      if (seen.has(l)) continue;
      seen.add(l);
      incl.set(l, (incl.get(l) ?? 0) + hits);
    }
  }
  const table = (title: string, m: Map<string, number>, skip: (k: string) => boolean = () => false) => {
    const rows = [...m].filter(([k]) => !skip(k)).sort((a, b) => b[1] - a[1]).slice(0, top);
    return `**${title}**\n\n| share | ${title.includes('package') ? 'package' : 'function'} |\n|---:|---|\n${rows.map(([k, v]) => `| ${((100 * v) / total).toFixed(1)}% | \`${k}\` |`).join('\n')}\n`;
  };
  return [
    `Profile window: ${total} samples (${((toUs - fromUs) / 1e6).toFixed(1)} s).`,
    table('Self time by package / file', selfPkg),
    table('Self time by function', selfFn),
    table('Inclusive time by function', incl, (k) => k.startsWith('(root)') || k.startsWith('(program)')),
  ].join('\n\n');
}


const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const f1 = (n: number) => n.toFixed(1);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/dfdg_bench_read' },
      borgere: { type: 'string', default: '1000000' },
      duration: { type: 'string', default: '20' },
      rate: { type: 'string', default: '500' },
      'no-profile': { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const dbUrl = values['database-url']!;
  const seconds = Number(values.duration);
  const rate = Number(values.rate);
  const started = new Date();
  const startLoad = load();
  const canary = canaryLine(await machineCanary());
  log(canary);

  // The data: seed when empty.
  const c = new pg.Client({ connectionString: dbUrl });
  let n = 0;
  try {
    await c.connect();
    n = Number((await c.query('select count(*) n from borger')).rows[0].n);
  } catch {
    n = 0;
  } finally {
    await c.end().catch(() => undefined);
  }
  let seedInfo = '';
  if (n === 0) {
    const r = await seedSynthetic({ url: dbUrl, borgere: Number(values.borgere), seed: 1 });
    n = r.borgere;
    seedInfo = ` Seeding took ${(r.ms / 1000).toFixed(1)} s.`;
  }
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const pgVersion = ((await db.query('select version() v')).rows[0].v as string).split(' on ')[0];
  const counts = (await db.query(`select (select count(*) from borger) borger, (select count(*) from kontaktgruppe_periode) kg,
      (select count(*) from kontaktperson) kp, (select count(*) from kontakt) k, (select count(*) from uddannelsesplan) up,
      (select count(*) from abonnement) ab, (select count(*) from access_log) al`)).rows[0];
  const sample = (await db.query(`select cpr, jobcenter from borger where jobcenter = any($1) and foedselsdato > current_date - interval '30 years'
      order by md5(cpr) limit 20000`, [JOBCENTRE])).rows.map((r) => [r.cpr, r.jobcenter] as [string, string]);
  await db.end();
  log(`${n} borgere; sample of ${sample.length} young borgere in ${JOBCENTRE.join(', ')}`);
  const cprFile = path.join(os.tmpdir(), `dfdg-bench-read-cprs-${process.pid}.json`);
  writeFileSync(cprFile, JSON.stringify(sample));

  const tokens = new TokenService(JWT_SECRET);
  const tok = Object.fromEntries(await Promise.all(JOBCENTRE.map(async (jc) => [jc, await tokens.sign({ role: Role.JOBCENTER, org: jc, sub: `bench-${jc}` })])));
  const ours = (port: number): Target => ({
    name: 'ours',
    url: `http://127.0.0.1:${port}/graphql`,
    body: (cpr) => JSON.stringify({ query: OUR_QUERY, variables: { cpr } }),
    headers: (jc) => ({ authorization: `Bearer ${tok[jc]}` }),
    check: (j) => !(j as { errors?: unknown }).errors && !!(j as { data?: { borger?: unknown } }).data?.borger,
    dataField: 'borger',
  });
  const peer = (port: number): Target => ({
    name: 'postgraphile',
    url: `http://127.0.0.1:${port}/graphql`,
    body: (cpr, jc) => JSON.stringify({ query: PEER_QUERY, variables: { cpr, jc } }),
    headers: () => ({}),
    check: (j) => !(j as { errors?: unknown }).errors && !!(j as { data?: { borgerByCpr?: unknown } }).data?.borgerByCpr,
    dataField: 'borgerByCpr',
  });
  const gqlProbe = (t: Target) => async () => t.check(await post(t, ...sample[0]));

  // 1. Statements per request, each server behind the counting proxy.
  const pgUrl = new URL(dbUrl);
  const proxy = await countingProxy({ host: pgUrl.hostname, port: Number(pgUrl.port || 5432) });
  const viaProxy = new URL(dbUrl);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  const stmts: Record<string, { perRequest: number; one: string[] }> = {};
  for (const [name, start, target] of [
    ['ours', startOurs, ours],
    ['postgraphile', startPeer, peer],
  ] as const) {
    const port = await freePort();
    const p = start(viaProxy.toString(), port);
    const t = target(port);
    await waitUp(p, gqlProbe(t));
    stmts[name] = await statementsPerRequest(t, proxy, sample);
    log(`${name}: ${stmts[name].perRequest} SQL statements per request`);
    await stop(p);
  }
  proxy.close();

  let floorPort = 0;
  // 2. Throughput: both servers up, measured one after the other, twice (ours, peer, ours, peer).
  const oursP = startOurs(dbUrl, await freePort());
  const peerP = startPeer(dbUrl, await freePort());
  const floorHttpP = spawnNode('floor-http', ['-r', '@swc-node/register', 'scripts/bench/raw-sql-floor-http.ts', '--database-url', dbUrl, '--port', String(await freePort().then((p) => (floorPort = p))), '--jwt-secret', JWT_SECRET], { NODE_ENV: 'production' }, 0);
  const tFloorHttp: Target = {
    name: 'floor-http',
    url: `http://127.0.0.1:${floorPort}/`,
    body: (cpr) => JSON.stringify({ variables: { cpr } }),
    headers: (jc) => ({ authorization: `Bearer ${tok[jc]}` }),
    check: (j) => !!(j as { data?: { borger?: unknown } }).data?.borger,
    dataField: 'borger',
    pid: floorHttpP.child.pid,
  };
  const tOurs = { ...ours(oursP.port), pid: oursP.child.pid };
  const tPeer = { ...peer(peerP.port), pid: peerP.child.pid };
  await waitUp(oursP, gqlProbe(tOurs));
  await waitUp(peerP, gqlProbe(tPeer));
  await waitUp(floorHttpP, gqlProbe(tFloorHttp));
  for (const t of [tOurs, tPeer, tFloorHttp]) {
    let bad = 0;
    for (let i = 0; i < 50; i++) if (!t.check(await post(t, ...sample[i]))) bad++;
    if (bad) throw new Error(`${t.name}: ${bad} of 50 checked answers without data`);
    await closedLoop(t, sample, 3); // warm-up
  }
  // Sequential CPU cost of our server by query shape (one client, keep-alive, 300 requests each after the warm-up).
  const shapes: [string, (cpr: string) => string][] = [
    ['`{ __typename }` (HTTP, JWT, Apollo; no database)', () => JSON.stringify({ query: '{ __typename }' })],
    ['`borger(cpr) { cpr }` (one prepared select incl. the scope facts, writing its access-log row)', (cpr) => JSON.stringify({ query: 'query($cpr: CPR!) { borger(cpr: $cpr) { cpr } }', variables: { cpr } })],
    ['the full case-worker read (one prepared select, writing its access-log rows)', (cpr) => JSON.stringify({ query: OUR_QUERY, variables: { cpr } })],
  ];
  const seqCpu: { shape: string; cpuMs: number; wallMs: number }[] = [];
  for (const [shape, body] of shapes) {
    const t = { ...tOurs, body };
    for (let i = 0; i < 30; i++) await post(t, ...sample[i]);
    const c0 = cpuMs(oursP.child.pid);
    const w0 = Date.now();
    for (let i = 0; i < 300; i++) await post(t, ...sample[1000 + i]);
    seqCpu.push({ shape, cpuMs: (cpuMs(oursP.child.pid) - c0) / 300, wallMs: (Date.now() - w0) / 300 });
    log(`ours sequential ${shape}: ${f1(seqCpu[seqCpu.length - 1].cpuMs)} ms CPU, ${f1(seqCpu[seqCpu.length - 1].wallMs)} ms wall per request`);
  }
  {
    const c0 = cpuMs(peerP.child.pid);
    const w0 = Date.now();
    for (let i = 0; i < 300; i++) await post(tPeer, ...sample[1000 + i]);
    seqCpu.push({ shape: 'PostGraphile, the equivalent read (1 statement)', cpuMs: (cpuMs(peerP.child.pid) - c0) / 300, wallMs: (Date.now() - w0) / 300 });
  }
  const closed: Record<string, LoadResult[]> = { ours: [], postgraphile: [], 'floor-http': [] };
  for (let round = 0; round < 2; round++) {
    for (const t of round === 0 ? [tOurs, tPeer, tFloorHttp] : [tOurs, tPeer]) {
      const r = await closedLoop(t, sample, seconds);
      closed[t.name].push(r);
      log(`${t.name} closed loop: ${f0(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors} (load ${r.load})`);
    }
  }
  // Twice each, alternating, like the closed loops: one 20 s window is at the mercy of the machine's moments.
  // The floor over HTTP too: what the machine's moments do to a server with no GraphQL at all.
  const open: Record<string, (LoadResult & { sendLagP99: number; failures: string[] })[]> = { ours: [], postgraphile: [], 'floor-http': [] };
  const bursts: Record<string, LoadResult> = {};
  for (const t of [tOurs, tPeer, tFloorHttp, tOurs, tPeer, tFloorHttp]) {
    const r = await pacedLoop(t, sample, seconds, rate, dbUrl);
    open[t.name].push(r);
    log(`${t.name} open loop ${rate}/s (paced): ${f0(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, errors ${r.non2xx + r.errors}, driver send lag p99 ${r.sendLagP99} ms (load ${r.load})`);
    for (const f of r.failures) log(`  failed: ${f}`);
  }
  for (const t of [tOurs, tPeer]) {
    bursts[t.name] = await closedLoop(t, sample, seconds, rate);
    const r = bursts[t.name];
    log(`${t.name} autocannon overallRate ${rate}/s (one-second bursts): ${f0(r.rps)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms (load ${r.load})`);
  }
  await stop(oursP);
  await stop(peerP);
  await stop(floorHttpP);

  // 3. The floor.
  const floor: Record<string, { rps: number; p50: number; p99: number; load: string }> = {};
  for (const mode of ['four', 'json']) {
    const l = load1();
    const p = spawnNode(`floor-${mode}`, ['-r', '@swc-node/register', 'scripts/bench/raw-sql-floor.ts', '--database-url', dbUrl, '--mode', mode, '--cprs', cprFile, '--duration', String(seconds)], {}, 0);
    await p.exited;
    const line = p.out().trim().split('\n').pop()!;
    floor[mode] = { ...JSON.parse(line), load: l };
    log(`floor ${mode}: ${f0(floor[mode].rps)} reads/s, p50 ${f1(floor[mode].p50)} ms, p99 ${f1(floor[mode].p99)} ms (load ${l})`);
  }

  // 4. Profile of our server under the closed loop.
  let profile = '';
  if (!values['no-profile']) {
    const dir = path.join(os.tmpdir(), `dfdg-bench-read-prof-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    const p = startOurs(dbUrl, await freePort(), ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    const t = ours(p.port);
    await waitUp(p, gqlProbe(t));
    await closedLoop(t, sample, 3);
    const from = Number(process.hrtime.bigint() / 1000n);
    const r = await closedLoop(t, sample, seconds);
    const to = Number(process.hrtime.bigint() / 1000n);
    await stop(p);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (file && existsSync(path.join(dir, file))) {
      profile = `### CPU profile of our server during a closed-loop run (${f0(r.rps)} req/s under the profiler, load ${r.load})\n\n` + analyzeProfile(path.join(dir, file), from, to);
      log(`profile: ${path.join(dir, file)}`);
    } else {
      profile = '(no profile was written)';
    }
  }

  // 5. Report.
  const med = (rs: LoadResult[], k: 'rps' | 'p50' | 'p99') => rs.reduce((a, r) => a + r[k], 0) / rs.length;
  const oRps = med(closed.ours, 'rps');
  const pRps = med(closed.postgraphile, 'rps');
  const oursPacedP99 = Math.max(...open.ours.map((r) => r.p99));
  const PACED = ['ours', 'postgraphile', 'floor-http'] as const;
  const pacedLabel = { ours: 'ours', postgraphile: 'PostGraphile', 'floor-http': 'floor over HTTP (raw-sql-floor-http.ts)' };
  const failureList = PACED.flatMap((name) => open[name].flatMap((r, i) => r.failures.map((f) => `${name} run ${i + 1}: ${f}`)));
  const pacedFailures = failureList.length ? ` Failed requests (the first of each run): ${failureList.map((f) => `\`${f.replace(/`/g, "'")}\``).join('; ')}.` : '';
  const openRows = PACED
    .flatMap((name) =>
      open[name].map((r, i) => {
        const label = `${pacedLabel[name]}, run ${i + 1}`;
        const p99 = name === 'ours' ? `**${r.p99}**` : `${r.p99}`;
        const target = name === 'ours' ? `p99 < 20 ms ${r.p99 < 20 ? '(met)' : '(not met)'}` : '';
        return `| ${label} | ${f0(r.rps)} | ${r.p50} | ${r.p90} | ${p99} | ${r.max} | ${r.non2xx + r.errors} | ${r.sendLagP99} | ${f1(r.cpuMsPerReq)} | ${r.load} | ${target} |`;
      }),
    )
    .join('\n');
  const oP99 = Math.max(...closed.ours.map((r) => r.p99));
  const pP99 = Math.max(...closed.postgraphile.map((r) => r.p99));
  const row = (name: string, r: LoadResult, round: string) =>
    `| ${name} | ${round} | **${f0(r.rps)}** | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.non2xx} / ${r.errors} | ${f1(r.cpuMsPerReq)} | ${r.load} |`;
  const md = `## Case-worker read: open a borger (issue 9)

\`npm run bench:read\` (scripts/bench/case-worker-read.ts) — ${started.toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, load average at the start ${startLoad} (the machine is shared: other work runs beside the benchmark; the 1-minute load at the start of each run is in the tables). Node ${process.version}, ${pgVersion} (default settings). The load generator (autocannon, in the driver process), the servers and PostgreSQL share the 2 cores. ${canary}

Data (\`npm run seed:synthetic -- --borgere ${n}\`, seed 1):${seedInfo} ${f0(Number(counts.borger))} borgere, ${f0(Number(counts.kg))} kontaktgruppe periods, ${f0(Number(counts.kp))} kontaktpersoner over ${f0(Number(counts.k))} kontakter, ${f0(Number(counts.up))} uddannelsesplaner, ${f0(Number(counts.ab))} abonnementer (access_log held ${f0(Number(counts.al))} rows at the start). Requests: random CPRs out of ${f0(sample.length)} young borgere (15–29) of jobcentre ${JOBCENTRE.join(', ')}, each with the JOBCENTER token of the borger's jobcenter.

Query (ours): borger { stamdata, kontaktgruppe (today), kontaktpersoner { …, kontakt { … } }, uddannelsesplan { …, stoettebehov }, abonnementer { … } }. PostGraphile: \`borgerByCpr\` with \`kontaktgruppePeriodesByCpr\` (all periods: it cannot pick today's), \`kontaktpeopleByCpr { kontaktByKontaktId }\`, \`uddannelsesplansByCpr(condition: {jobcenter})\`, \`abonnementsByCpr\`; no authentication, no org scoping, no access log. Ours does all three: the JWT check, the jobcenter scope and the X-4 access-log rows (written by the read statement itself) are in every request.

### Closed loop: 50 connections, ${seconds} s per run

| server | run | req/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx / errors | server CPU ms / req | load |
|---|---|---:|---:|---:|---:|---:|---|---:|---:|
${closed.ours.map((r, i) => row('ours', r, String(i + 1))).join('\n')}
${closed.postgraphile.map((r, i) => row('PostGraphile 4.14.1', r, String(i + 1))).join('\n')}
${closed['floor-http'].map((r, i) => row('floor over HTTP: node:http + JWT (cached) + 1 statement incl. scope and access-log CTE (raw-sql-floor-http.ts)', r, String(i + 1))).join('\n')}
| raw pg, 4 statements (pool 10, 50 loops, no HTTP) | 1 | **${f0(floor.four.rps)}** | ${f1(floor.four.p50)} | | ${f1(floor.four.p99)} | | | | ${floor.four.load} |
| raw pg, 1 json_agg statement (pool 10, 50 loops, no HTTP) | 1 | **${f0(floor.json.rps)}** | ${f1(floor.json.p50)} | | ${f1(floor.json.p99)} | | | | ${floor.json.load} |

| ratio | value | target |
|---|---:|---|
| ours / PostGraphile, req/s (mean of the runs) | **${(oRps / pRps).toFixed(2)}×** | ≥ 1.3× ${oRps / pRps >= 1.3 ? '(met)' : '(not met)'} |
| p99 ours vs PostGraphile (worst run each) | ${oP99} ms vs ${pP99} ms | no worse ${oP99 <= pP99 ? '(met)' : '(not met)'} |
| ours / raw pg 4 statements | ${(oRps / floor.four.rps).toFixed(2)}× | |
| ours / raw pg 1 json_agg statement | ${(oRps / floor.json.rps).toFixed(2)}× | |

### Open loop: ${rate} req/s offered, ${seconds} s

Paced (scripts/bench/open-loop.ts): request *i* is sent at start + *i* / ${rate} s whatever the earlier ones are doing, over keep-alive connections (as many as are busy, at most 200), and its latency is counted from that due time, so a server that falls behind is charged for its queue. The generator's own lateness is shown (p99 of send time − due time); every answer body is checked. The requests are sent by a process of its own that does nothing else (the driver has just run the closed loops, and its garbage collector's pauses would be timed as the server's). Each server runs twice, alternating (ours, PostGraphile, floor, ours, PostGraphile, floor); the floor over HTTP (node:http, the JWT check, one statement with the scope and the access-log insert, no GraphQL) shows what the machine leaves of the target to any server. Before each paced run: a CHECKPOINT (the closed loops' dirty pages are written out, as a steady load spreads its own); each run's first 3 s at the rate are not counted (they open the keep-alive connections, which the counted seconds then use).

| server | req/s done | p50 ms | p90 ms | p99 ms | max ms | errors | driver send lag p99 ms | server CPU ms / req | load | target |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|
${openRows}

Ours' worst run: p99 **${oursPacedP99} ms** (target < 20 ms: ${oursPacedP99 < 20 ? 'met' : 'not met'}).${pacedFailures}

For comparison, autocannon's \`overallRate\` ${rate} (50 connections), which is not a steady load: autocannon 9 lets each connection send its ${rate / 50} requests of a second back to back from each one-second tick and then idle (lib/httpClient.js, \`reqsMadeThisSecond\`), so all ${rate} requests of a second arrive as one burst at its start. Its latencies are those of a ${rate}-request burst every second:

| server | req/s done | p50 ms | p90 ms | p99 ms | max ms | load |
|---|---:|---:|---:|---:|---:|---:|
| ours | ${f0(bursts.ours.rps)} | ${bursts.ours.p50} | ${bursts.ours.p90} | ${bursts.ours.p99} | ${bursts.ours.max} | ${bursts.ours.load} |
| PostGraphile | ${f0(bursts.postgraphile.rps)} | ${bursts.postgraphile.p50} | ${bursts.postgraphile.p90} | ${bursts.postgraphile.p99} | ${bursts.postgraphile.max} | ${bursts.postgraphile.load} |

### Server CPU per request, sequential (one client, keep-alive, 300 requests; load ${load1()} at the end)

CPU time (user + system, /proc) of the server process divided by the requests: what a request costs the server independent of queueing.

| query | server CPU ms / request | wall ms / request |
|---|---:|---:|
${seqCpu.map((r) => `| ${r.shape} | **${f1(r.cpuMs)}** | ${f1(r.wallMs)} |`).join('\n')}

### SQL statements per request

Method: each server started once more with its DATABASE_URL pointing at a TCP proxy (in the driver) that parses the PostgreSQL frontend protocol and counts every simple \`Query\` and every extended-protocol \`Execute\` message (BEGIN/COMMIT included); 10 warm-up requests, then 100 sequential requests, count / 100.

| server | statements per request | target |
|---|---:|---|
| ours | **${stmts.ours.perRequest}** | constant, 1–2 the ambition |
| PostGraphile | ${stmts.postgraphile.perRequest} | |
| raw pg | 4 or 1 | |

Ours, one request:

${stmts.ours.one.map((s, i) => `${i + 1}. \`${s.replace(/`/g, "'")}\``).join('\n')}

PostGraphile, one request:

${stmts.postgraphile.one.map((s, i) => `${i + 1}. \`${s.replace(/`/g, "'").slice(0, 120)}…\``).join('\n')}

${profile}
`;
  console.log(md);
  if (!values['no-write']) writeSection('bench:case-worker-read', md);
}

runMain(module, main);
