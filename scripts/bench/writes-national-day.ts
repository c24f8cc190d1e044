/**
 * npm run bench:day -- [--only writes|day] [--calls 1000000] [--duration 20] [--database-url URL] [--keep] [--no-write] [--cpu-prof DIR] [--workers N] [--node-arg ARG ...]
 *
 * Issue 9, the write side at national scale, against our real server process as production runs it
 * (compiled by `npm run build`: `node dist/src/main.js`, NODE_ENV=production, no jobs) on the seeded database (default dfdg_bench_read on 127.0.0.1,
 * filled by `npm run seed:synthetic`):
 *
 *  - writes: `registrerKontaktperson` (type 32, a new kontakt with e-mail, phone and art) for random young borgere
 *    (15–29) of jobcentre 101/461/751 that have an open abonnement, so KP-6 writes the UDB outbox message in the
 *    same transaction; autocannon, 50 connections, `duration` s after a 3 s warm-up. Every answer body is checked
 *    (a 200 with `errors` is an error). Afterwards SQL checks that the new kontaktperson rows and the new
 *    outbox_message rows (GetJobcenterKontaktpersonVersion1) both equal the mutations, one message per row.
 *  - day: `calls` mixed calls (80 % the case-worker read `OUR_QUERY` of case-worker-read.ts, 20 % writes over six
 *    mutations, see MIX) replayed at 50 connections as fast as the server takes them (autocannon `amount`).
 *    Latency per kind is taken from autocannon's own per-response time; server RSS is sampled every second from
 *    /proc/<pid>/status; progress is printed every 10 s.
 *
 * What a run adds is removed afterwards (unless --keep): every row with an id above the table's maximum at the
 * start, in every table of schema public with a bigserial id (kontaktperson, kontakt, outbox_message, fravaer,
 * tilmelding, abonnement, access_log, ...), and the `maal`/`aendret` of the uddannelsesplaner the day changed are
 * restored. Only one benchmark may run at a time (npm run bench runs them one by one): the cleanup assumes no one else
 * writes to the database meanwhile. Writes `<!-- bench:writes-national-day -->` in docs/BENCHMARKS.md, each part
 * between its own inner markers so `--only` keeps the other part's last result.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import 'reflect-metadata';
import { TokenService } from '../../src/auth/token';
import { Role } from '../../src/context/roles';
import { OUR_QUERY } from './case-worker-read';
import { canaryLine, cpuMs, processTree, freePort, machineCanary, ROOT, runMain, startOurs as startOursWith, stop, type Proc } from './bench-process';

const JWT_SECRET = 'bench-writes-day-secret-0123456789abcdef0123456789';
const JOBCENTRE = ['101', '461', '751'];
const CONNECTIONS = 50;
const MARKER = 'bench:writes-national-day';
const OUTBOX_SERVICE = 'GetJobcenterKontaktpersonVersion1';

type Kind = 'read' | 'kontaktperson' | 'fravaer' | 'uddannelsesplan' | 'tilmelding' | 'cpr' | 'abonnement';

/** Share of the day's calls per kind (sums to 1). */
const MIX: [Kind, number][] = [
  ['read', 0.8],
  ['kontaktperson', 0.085],
  ['fravaer', 0.04],
  ['uddannelsesplan', 0.03],
  ['tilmelding', 0.02],
  ['cpr', 0.02],
  ['abonnement', 0.005],
];

const KIND_TEXT: Record<Kind, string> = {
  read: 'case-worker read (`OUR_QUERY` of case-worker-read.ts), JOBCENTER token',
  kontaktperson: '`registrerKontaktperson` type 32 with a new kontakt, borger with an open abonnement (KP-6: + 1 outbox row)',
  fravaer: '`registrerFravaer` type 25 Seniorjob, today + 90 days',
  uddannelsesplan: "`opdaterUddannelsesplan` (new `maal`) on the borger's plan of the jobcenter",
  tilmelding: '`tilmeldBorger` from today (each borger once: one open tilmelding per borger)',
  cpr: '`cprRegistrerBorger` with unchanged name and address, CPR token',
  abonnement: '`opretAbonnement` for a young borger without an open one (each once; + 1 outbox row to UDB)',
};

const M = {
  kontaktperson: 'mutation K($input: RegistrerKontaktpersonInput!) { registrerKontaktperson(input: $input) { id } }',
  fravaer: 'mutation F($input: RegistrerFravaerInput!) { registrerFravaer(input: $input) { id } }',
  uddannelsesplan: 'mutation U($input: OpdaterUddannelsesplanInput!) { opdaterUddannelsesplan(input: $input) { id } }',
  tilmelding: 'mutation T($input: TilmeldBorgerInput!) { tilmeldBorger(input: $input) { id } }',
  cpr: 'mutation C($input: CprBorgerInput!) { cprRegistrerBorger(input: $input) { oprettet flyttet } }',
  abonnement: 'mutation A($input: OpretAbonnementInput!) { opretAbonnement(input: $input) { id } }',
};
const FIELD: Record<Kind, string> = {
  read: 'borger',
  kontaktperson: 'registrerKontaktperson',
  fravaer: 'registrerFravaer',
  uddannelsesplan: 'opdaterUddannelsesplan',
  tilmelding: 'tilmeldBorger',
  cpr: 'cprRegistrerBorger',
  abonnement: 'opretAbonnement',
};

function log(msg: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
}
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' / ');
const f0 = (n: number) => Math.round(n).toLocaleString('en-US');
const f1 = (n: number) => n.toFixed(1);
const today = () => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Copenhagen' }).format(new Date());
function addDays(d: string, n: number): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + n);
  return t.toISOString().slice(0, 10);
}

/** `--cpu-prof DIR`: the server writes a .cpuprofile there when it stops (not with the numbers of docs/BENCHMARKS.md). */
let serverNodeArgs: string[] = [];

/** `--workers N`: the server runs with WORKERS=N; CPU and RSS are then summed over its processes. */
let serverWorkers = 1;

function startOurs(dbUrl: string, port: number): Proc {
  return startOursWith(dbUrl, port, JWT_SECRET, serverNodeArgs, serverWorkers);
}

/**
 * Resident memory of a process and its children (the workers), MB: VmRSS and VmHWM summed, and `resident`, the
 * same with the pages of shared files counted once (Σ RssAnon + Σ RssShmem + the largest RssFile). Workers are
 * separate node processes that map the same node binary; summing VmRSS counts its ~50 MB once per process,
 * although the machine holds it once. For one process `resident` equals VmRSS.
 */
function rss(pid: number | undefined): { rss: number; hwm: number; resident: number } {
  let rss = 0;
  let hwm = 0;
  let anon = 0;
  let file = 0;
  if (!pid) return { rss, hwm, resident: 0 };
  for (const p of processTree(pid)) {
    try {
      const s = readFileSync(`/proc/${p}/status`, 'utf8');
      const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0);
      rss += kb('VmRSS') / 1024;
      hwm += kb('VmHWM') / 1024;
      anon += (kb('RssAnon') + kb('RssShmem')) / 1024;
      file = Math.max(file, kb('RssFile') / 1024);
    } catch {
      // exited meanwhile
    }
  }
  return { rss, hwm, resident: anon + file };
}

function pct(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN);

/** Latencies of one kind, growable. */
class Lat {
  a = new Float64Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  sorted(): Float64Array {
    return this.a.slice(0, this.n).sort();
  }
}

/**
 * The section, with an inner block per part: re-read right before writing (others rewrite their sections of the
 * same file), only the text between our own markers is replaced.
 */
function writeSection(part: 'writes' | 'day', header: string, body: string): void {
  const file = path.join(ROOT, 'docs', 'BENCHMARKS.md');
  const open = `<!-- ${MARKER} -->`;
  const close = `<!-- /${MARKER} -->`;
  const pOpen = `<!-- ${MARKER}:${part} -->`;
  const pClose = `<!-- /${MARKER}:${part} -->`;
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(open);
  const z = text.indexOf(close);
  const old = a >= 0 && z > a ? text.slice(a + open.length, z) : '';
  const keep = (p: string) => {
    const o = old.indexOf(`<!-- ${MARKER}:${p} -->`);
    const c = old.indexOf(`<!-- /${MARKER}:${p} -->`);
    return o >= 0 && c > o ? old.slice(o, c + `<!-- /${MARKER}:${p} -->`.length) : '';
  };
  const parts = { writes: keep('writes'), day: keep('day') };
  parts[part] = `${pOpen}\n${body.trim()}\n${pClose}`;
  const block = `${open}\n${header.trim()}\n\n${[parts.writes, parts.day].filter(Boolean).join('\n\n')}\n${close}`;
  const next = a >= 0 && z > a ? text.slice(0, a) + block + text.slice(z + close.length) : text.replace(/\s*$/, '\n\n') + block + '\n';
  writeFileSync(file, next);
  log(`docs/BENCHMARKS.md: section ${MARKER} (${part}) written`);
}

type Pair = [string, string];

interface Db {
  c: pg.Client;
  pgVersion: string;
  counts: Record<string, number>;
}

async function openDb(url: string): Promise<Db> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const pgVersion = ((await c.query('select version() v')).rows[0].v as string).split(' on ')[0];
  const r = (await c.query(`select (select count(*) from borger) borger, (select count(*) from kontaktperson) kontaktperson,
      (select count(*) from kontakt) kontakt, (select count(*) from uddannelsesplan) uddannelsesplan, (select count(*) from abonnement) abonnement,
      (select count(*) from fravaer) fravaer, (select count(*) from tilmelding) tilmelding, (select count(*) from outbox_message) outbox_message,
      (select count(*) from access_log) access_log`)).rows[0];
  const counts = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)]));
  if (!counts.borger) throw new Error('the database holds no borgere: run `npm run seed:synthetic -- --borgere 1000000` first');
  return { c, pgVersion, counts };
}

/** Every table of schema public whose `id` is a bigserial, with its current maximum id. */
async function maxIds(c: pg.Client): Promise<Map<string, number>> {
  const tables = (await c.query(`select table_name from information_schema.columns
      where table_schema = 'public' and column_name = 'id' and column_default like 'nextval(%' order by table_name`)).rows
    .map((r) => r.table_name as string)
    // The migrator's own record: a server started by the run may apply a new migration, which must stay applied.
    .filter((t) => t !== 'mikro_orm_migrations');
  const m = new Map<string, number>();
  for (const t of tables) m.set(t, Number((await c.query(`select coalesce(max(id), 0) m from "${t}"`)).rows[0].m));
  return m;
}

async function newRows(c: pg.Client, since: Map<string, number>): Promise<Map<string, number>> {
  const m = new Map<string, number>();
  for (const [t, max] of since) {
    const n = Number((await c.query(`select count(*) n from "${t}" where id > $1`, [max])).rows[0].n);
    if (n) m.set(t, n);
  }
  return m;
}

/** Removes every row the run added (ids above the start maxima), in one transaction (the FKs are deferred). */
async function cleanup(c: pg.Client, since: Map<string, number>): Promise<string> {
  const t0 = Date.now();
  const done: string[] = [];
  const touched: string[] = [];
  await c.query('begin');
  try {
    await c.query('set constraints all deferred');
    for (const [t, max] of since) {
      const r = await c.query(`delete from "${t}" where id > $1`, [max]);
      if (!r.rowCount) continue;
      done.push(`${t} ${f0(r.rowCount)}`);
      touched.push(t);
    }
    await c.query('commit');
  } catch (e) {
    await c.query('rollback');
    throw e;
  }
  const deleted = ((Date.now() - t0) / 1000).toFixed(1);
  // Autovacuum may be off: without a VACUUM the next run's reads step over the dead rows of this one.
  const t1 = Date.now();
  for (const t of touched) await c.query(`vacuum (analyze) "${t}"`);
  const s = `deleted ${done.join(', ') || 'nothing'} (${deleted} s)${touched.length ? `, then VACUUM ANALYZE of ${touched.join(', ')} (${((Date.now() - t1) / 1000).toFixed(1)} s)` : ''}`;
  log(`cleanup: ${s}`);
  return s;
}

async function waitUp(p: Proc, url: string, token: string, cpr: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null) throw new Error(`server exited:\n${p.out()}`);
    try {
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: OUR_QUERY, variables: { cpr } }) });
      const j = (await r.json()) as { data?: { borger?: unknown } };
      if (j.data?.borger) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not come up:\n${p.out()}`);
}

/**
 * What PostgreSQL's backends of the database do during a run: every 250 ms, pg_stat_activity grouped by state and
 * wait event (the sampling connection itself left out); the result is the mean number of backends per sample.
 */
async function waitSampler(url: string): Promise<{ stop: () => Promise<string> }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const sum = new Map<string, number>();
  let n = 0;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const rows = (await c.query(`select state || coalesce(' · ' || wait_event_type || ':' || wait_event, '') w, count(*)::int n from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend' and state <> 'idle' group by 1`)).rows;
      n++;
      for (const r of rows) sum.set(r.w, (sum.get(r.w) ?? 0) + r.n);
    } catch {
      // a sample lost
    } finally {
      busy = false;
    }
  }, 250);
  return {
    stop: async () => {
      clearInterval(timer);
      await c.end().catch(() => undefined);
      const top = [...sum].sort((a, b) => b[1] - a[1]).slice(0, 6);
      return top.map(([w, v]) => `${w} ${(v / Math.max(1, n)).toFixed(1)}`).join(', ') + ` (${n} samples)`;
    },
  };
}

interface Call {
  kind: Kind;
  body: string;
  token: string;
}

/** Whether an answer body is a success for its kind: 2xx, no `errors`, the field present (a read: the borger). */
function okBody(kind: Kind, status: number, body: string): boolean {
  if (status < 200 || status >= 300) return false;
  if (kind === 'read') return body.startsWith('{"data":{"borger":{') && !body.includes('"errors":');
  if (body.includes('"errors":')) return false;
  try {
    const j = JSON.parse(body) as { data?: Record<string, { oprettet?: boolean; flyttet?: boolean } | null> };
    const v = j.data?.[FIELD[kind]];
    if (!v) return false;
    if (kind === 'cpr') return v.oprettet === false && v.flyttet === false;
    return true;
  } catch {
    return false;
  }
}

async function post(url: string, call: Call): Promise<{ status: number; body: string }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${call.token}` }, body: call.body });
  return { status: r.status, body: await r.text() };
}

/** A small deterministic PRNG (mulberry32), so a run's sequence of calls is the same every time. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function tokensFor(): Promise<{ jc: Record<string, string>; cpr: string }> {
  const ts = new TokenService(JWT_SECRET);
  const jc = Object.fromEntries(await Promise.all(JOBCENTRE.map(async (j) => [j, await ts.sign({ role: Role.JOBCENTER, org: j, sub: `bench-${j}` })])));
  return { jc, cpr: await ts.sign({ role: Role.CPR, org: 'CPR', sub: 'bench-cpr' }) };
}

const YOUNG = `b.jobcenter = any($1) and b.foedselsdato > current_date - interval '30 years'`;

async function kpPool(c: pg.Client, limit: number): Promise<Pair[]> {
  return (await c.query(`select b.cpr, b.jobcenter from borger b where ${YOUNG}
      and exists (select 1 from abonnement a where a.cpr = b.cpr and a.slut is null) order by md5(b.cpr) limit $2`, [JOBCENTRE, limit])).rows.map((r) => [r.cpr, r.jobcenter]);
}

function kpCall(tok: Record<string, string>, [cpr, jc]: Pair, i: number, start: string): Call {
  const input = {
    cpr,
    kontaktpersontype: 32,
    kontakt: { navn: `Bench Sagsbehandler ${i}`, email: `bench${i}@jobcenter${jc}.dk`, telefon: String(20000000 + (i % 70000000)), art: 'PERSON' },
    start,
    visesPaaJobnet: (i & 1) === 0,
  };
  return { kind: 'kontaktperson', token: tok[jc], body: JSON.stringify({ query: M.kontaktperson, variables: { input } }) };
}

interface Env {
  dbUrl: string;
  db: Db;
  started: Date;
  startLoad: string;
  /** The machine canary's report line, measured at the start of the run. */
  canary: string;
  commit: string;
  header: string;
}

function machine(env: Env): string {
  const cpus = os.cpus();
  const c = env.db.counts;
  return `${cpus.length} × ${cpus[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM; Node ${process.version}, ${env.db.pgVersion}; commit ${env.commit}. Data: ${f0(c.borger)} borgere, ${f0(c.kontaktperson)} kontaktpersoner over ${f0(c.kontakt)} kontakter, ${f0(c.uddannelsesplan)} uddannelsesplaner, ${f0(c.abonnement)} abonnementer, ${f0(c.fravaer)} fravær, ${f0(c.tilmelding)} tilmeldinger, ${f0(c.outbox_message)} outbox messages, ${f0(c.access_log)} access-log rows at the start.`;
}

// ---------------------------------------------------------------------------------------------------------
// Writes: registrerKontaktperson at 50 connections
// ---------------------------------------------------------------------------------------------------------

async function writes(env: Env, seconds: number, keep: boolean): Promise<string> {
  const { c } = env.db;
  const startLoad = load();
  const ids0 = await maxIds(c);
  const pool = await kpPool(c, 20000);
  log(`writes: ${pool.length} young borgere with an open abonnement in ${JOBCENTRE.join(', ')}`);
  const tok = (await tokensFor()).jc;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const p = startOurs(env.dbUrl, port);
  let report = '';
  let cleanedUp = false;
  try {
    await waitUp(p, url, tok[pool[0][1]], pool[0][0]);
    const start = today();
    let i = 0;
    for (let k = 0; k < 3; k++) {
      const call = kpCall(tok, pool[(i = (i + 7919) % pool.length)], i, start);
      const r = await post(url, call);
      if (!okBody('kontaktperson', r.status, r.body)) throw new Error(`preflight registrerKontaktperson failed: ${r.status} ${r.body}`);
    }
    let seq = 1_000_000;
    const run = async (secs: number) => {
      const ids: string[] = [];
      const bad: string[] = [];
      let n = 0;
      const r = await autocannon({
        url,
        method: 'POST',
        connections: CONNECTIONS,
        duration: secs,
        requests: [
          {
            setupRequest: (req: Record<string, unknown>) => {
              const call = kpCall(tok, pool[(i = (i + 7919) % pool.length)], seq++, start);
              return { ...req, headers: { 'content-type': 'application/json', authorization: `Bearer ${call.token}` }, body: call.body };
            },
            onResponse: (status: number, body: string) => {
              n++;
              if (okBody('kontaktperson', status, body)) ids.push((JSON.parse(body) as { data: { registrerKontaktperson: { id: string } } }).data.registrerKontaktperson.id);
              else if (bad.push(`${status} ${body.slice(0, 300)}`) <= 3) log(`error: ${status} ${body.slice(0, 300)}`);
            },
          },
        ],
      } as unknown as autocannon.Options);
      return { r, ids, bad, n };
    };
    await run(3); // warm-up
    await new Promise((r) => setTimeout(r, 1000));
    const ids1 = await maxIds(c);
    const l = os.loadavg()[0].toFixed(1);
    const cpu0 = cpuMs(p.child.pid);
    const waits = await waitSampler(env.dbUrl);
    const { r, ids, bad, n } = await run(seconds);
    const cpu = (cpuMs(p.child.pid) - cpu0) / Math.max(1, n);
    const waited = await waits.stop();
    log(`writes: PostgreSQL backends (non-idle, mean per sample): ${waited}`);
    await new Promise((res) => setTimeout(res, 2000)); // requests autocannon cut off at the end finish on the server
    const kpMax = ids1.get('kontaktperson')!;
    const obMax = ids1.get('outbox_message')!;
    const v = (await c.query(`select
        (select count(*) from kontaktperson where id > $1) kp,
        (select count(*) from outbox_message where id > $2) ob_all,
        (select count(*) from outbox_message where id > $2 and service_name = $3) ob,
        (select count(*) from kontaktperson k where k.id > $1 and (select count(*) from outbox_message o where o.id > $2 and o.service_name = $3
            and o.payload->>'kontaktpersonId' = k.id::text) = 1) kp_with_one,
        (select count(*) from kontaktperson k where k.id = any($4::bigint[])) answered_found,
        (select count(*) from kontaktperson k where k.id = any($4::bigint[]) and exists (select 1 from outbox_message o where o.id > $2
            and o.service_name = $3 and o.payload->>'kontaktpersonId' = k.id::text)) answered_with_outbox`,
      [kpMax, obMax, OUTBOX_SERVICE, ids])).rows[0];
    const kp = Number(v.kp);
    const ob = Number(v.ob);
    const cutOff = kp - ids.length;
    const verified = ob === kp && Number(v.ob_all) === ob && Number(v.kp_with_one) === kp && Number(v.answered_found) === ids.length && Number(v.answered_with_outbox) === ids.length && cutOff >= 0 && cutOff <= CONNECTIONS;
    log(`writes: ${f0(ids.length / r.duration)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms; ${ids.length} answered ok, ${bad.length} errors, non-2xx ${r.non2xx}; new rows: kontaktperson ${kp}, outbox ${ob} (${cutOff} committed but cut off by autocannon's stop) → ${verified ? 'verified' : 'MISMATCH'}`);
    await stop(p);
    const cleaned = keep ? 'kept (--keep): the data grows by these rows' : await cleanup(c, ids0);
    cleanedUp = true;
    const errs = bad.length + r.errors + r.timeouts;
    report = `### Writes: \`registrerKontaktperson\` at ${CONNECTIONS} connections (issue 9)

\`npm run bench:day -- --only writes --duration ${seconds}\` (scripts/bench/writes-national-day.ts) — ${env.started.toISOString().slice(0, 10)}, load average ${startLoad} at the start, ${load()} at the end. ${env.canary}

Each request registers a type-32 kontaktperson with a new kontakt (navn, e-mail, telefon, art PERSON) for a random one of ${f0(pool.length)} young borgere (15–29) of jobcentre ${JOBCENTRE.join(', ')} that have an open abonnement, with the JOBCENTER token of the borger's jobcenter: one transaction locks the borger, checks the code, inserts kontakt and kontaktperson, reads the open abonnement and inserts the KP-6 outbox message to UDB. Closed loop, autocannon, ${CONNECTIONS} connections, ${seconds} s after a 3 s warm-up; every answer body checked.

| req/s (ok) | p50 ms | p90 ms | p99 ms | max ms | non-2xx / GraphQL errors / socket errors+timeouts | server CPU ms / req | load at start |
|---:|---:|---:|---:|---:|---|---:|---:|
| **${f0(ids.length / r.duration)}** | ${r.latency.p50} | ${r.latency.p90} | ${r.latency.p99} | ${r.latency.max} | ${r.non2xx} / ${bad.length - r.non2xx} / ${r.errors + r.timeouts} | ${f1(cpu)} | ${l} |

PostgreSQL backends of the server during the run, by state and wait event (pg_stat_activity every 250 ms, mean count per sample): ${waited}.

Checked in SQL after the run: ${f0(ids.length)} mutations answered without errors; **${f0(kp)} new kontaktperson rows, ${f0(ob)} new outbox_message rows** (${OUTBOX_SERVICE}; ${f0(Number(v.ob_all))} outbox rows of any kind), every new kontaktperson with exactly one message (${f0(Number(v.kp_with_one))}), every answered id found with its message (${f0(Number(v.answered_with_outbox))}). ${cutOff > 0 ? `The ${cutOff} rows more than answers are requests in flight when autocannon stopped at the deadline (it closes its sockets without reading the answers): committed with their message, never answered. ` : ''}Result: ${verified && errs === 0 ? '**rows = outbox messages = mutations, 0 errors**' : `**not verified** (errors ${errs}; see the counts)`}. Cleanup: ${cleaned}.
`;
    if (!verified || errs) log('writes: verification failed or errors occurred');
  } finally {
    await stop(p);
    if (!keep && !cleanedUp) await cleanup(c, ids0); // after a failure too
  }
  return report;
}

// ---------------------------------------------------------------------------------------------------------
// The national day
// ---------------------------------------------------------------------------------------------------------

/**
 * How many borgere each of the day's pools draws from: every eligible one, up to this. DFDG's million calls a day
 * fall on 7.5 million borgere, so a borger is seldom touched twice; pools of 20,000 (as before) put the day's
 * 85,000 kontaktperson registrations on the same 20,000 borgere the reads open, and each read grew from 3 to about
 * 7 kontaktpersoner over the run.
 */
const DAY_POOL = 200_000;

async function day(env: Env, calls: number, keep: boolean): Promise<string> {
  const { c } = env.db;
  const startLoad = load();
  const ids0 = await maxIds(c);
  const need = (k: Kind) => Math.ceil(calls * MIX.find(([m]) => m === k)![1] * 1.05) + 100;
  const reads = (await c.query(`select b.cpr, b.jobcenter from borger b where ${YOUNG} order by md5(b.cpr) limit $2`, [JOBCENTRE, DAY_POOL])).rows.map((r) => [r.cpr, r.jobcenter] as Pair);
  const kp = await kpPool(c, DAY_POOL);
  const plans = (await c.query(`select b.cpr, b.jobcenter, u.id, u.maal, u.aendret from borger b join uddannelsesplan u on u.cpr = b.cpr and u.jobcenter = b.jobcenter
      where ${YOUNG} and (u.frist is null or u.trin is not null) order by md5(b.cpr) limit $2`, [JOBCENTRE, DAY_POOL])).rows as { cpr: string; jobcenter: string; id: string; maal: string; aendret: Date }[];
  const tilmeld = (await c.query(`select b.cpr, b.jobcenter from borger b where b.jobcenter = any($1)
      and not exists (select 1 from tilmelding t where t.cpr = b.cpr) order by md5(b.cpr) limit $2`, [JOBCENTRE, need('tilmelding')])).rows.map((r) => [r.cpr, r.jobcenter] as Pair);
  const abon = (await c.query(`select b.cpr, b.jobcenter from borger b where ${YOUNG}
      and not exists (select 1 from abonnement a where a.cpr = b.cpr and a.slut is null) order by md5(b.cpr) limit $2`, [JOBCENTRE, need('abonnement')])).rows.map((r) => [r.cpr, r.jobcenter] as Pair);
  const cprs = (await c.query(`select cpr, fornavn, efternavn, bopaelskommune from borger b where b.jobcenter = any($1) order by md5(cpr) limit $2`, [JOBCENTRE, DAY_POOL])).rows as { cpr: string; fornavn: string; efternavn: string; bopaelskommune: string }[];
  log(`day: pools: ${reads.length} read, ${kp.length} kontaktperson, ${plans.length} plan, ${tilmeld.length} tilmelding (each once), ${abon.length} abonnement (each once), ${cprs.length} cpr`);

  const tok = await tokensFor();
  const start = today();
  const rnd = prng(9);
  const cum: [Kind, number][] = [];
  let acc = 0;
  for (const [k, w] of MIX) cum.push([k, (acc += w)]);
  const runStarted = Date.now();
  let seq = 0;
  let ti = 0;
  let ai = 0;
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const fallbacks = { tilmelding: 0, abonnement: 0 };
  const next = (): Call => {
    const x = rnd();
    let kind = cum.find(([, c]) => x < c)?.[0] ?? 'read';
    if (kind === 'tilmelding' && ti >= tilmeld.length) (kind = 'kontaktperson'), fallbacks.tilmelding++;
    if (kind === 'abonnement' && ai >= abon.length) (kind = 'kontaktperson'), fallbacks.abonnement++;
    const i = seq++;
    switch (kind) {
      case 'read': {
        const [cpr, jc] = pick(reads);
        return { kind, token: tok.jc[jc], body: JSON.stringify({ query: OUR_QUERY, variables: { cpr } }) };
      }
      case 'kontaktperson':
        return kpCall(tok.jc, pick(kp), i, start);
      case 'fravaer': {
        const [cpr, jc] = pick(reads);
        return { kind, token: tok.jc[jc], body: JSON.stringify({ query: M.fravaer, variables: { input: { cpr, fravaerstype: 25, start, slut: addDays(start, 90) } } }) };
      }
      case 'uddannelsesplan': {
        const pl = pick(plans);
        return { kind, token: tok.jc[pl.jobcenter], body: JSON.stringify({ query: M.uddannelsesplan, variables: { input: { cpr: pl.cpr, maal: `Bench: påbegynde en ungdomsuddannelse (${i})` } } }) };
      }
      case 'tilmelding': {
        const [cpr, jc] = tilmeld[ti++];
        return { kind, token: tok.jc[jc], body: JSON.stringify({ query: M.tilmelding, variables: { input: { cpr, start, stillingsbetegnelser: ['Lagerarbejder', 'Butiksassistent'] } } }) };
      }
      case 'abonnement': {
        const [cpr, jc] = abon[ai++];
        return { kind, token: tok.jc[jc], body: JSON.stringify({ query: M.abonnement, variables: { input: { cpr } } }) };
      }
      case 'cpr': {
        // CPR's registration times increase through the run (and past any earlier run on the same data).
        const b = { ...pick(cprs), registreret: new Date(runStarted + i).toISOString() };
        return { kind, token: tok.cpr, body: JSON.stringify({ query: M.cpr, variables: { input: b } }) };
      }
    }
  };

  const port = await freePort();
  const url = `http://127.0.0.1:${port}/graphql`;
  const p = startOurs(env.dbUrl, port);
  const kinds = MIX.map(([k]) => k);
  const lat = Object.fromEntries(kinds.map((k) => [k, new Lat()])) as Record<Kind, Lat>;
  const count = Object.fromEntries(kinds.map((k) => [k, 0])) as Record<Kind, number>;
  const errs = Object.fromEntries(kinds.map((k) => [k, 0])) as Record<Kind, number>;
  const errSamples: string[] = [];
  const rssSamples: number[] = [];
  const residentSamples: number[] = [];
  let report = '';
  let restored = '';
  let cleanedUp = false;
  /** Puts back the plans' maal/aendret and removes every row the day added. */
  const restore = async (): Promise<string> => {
    cleanedUp = true;
    const r = await c.query(`update uddannelsesplan u set maal = s.maal, aendret = s.aendret
        from unnest($1::bigint[], $2::text[], $3::timestamptz[]) s(id, maal, aendret) where u.id = s.id and (u.maal, u.aendret) is distinct from (s.maal, s.aendret)`,
      [plans.map((x) => x.id), plans.map((x) => x.maal), plans.map((x) => x.aendret)]);
    const cleaned = await cleanup(c, ids0);
    await c.query('vacuum (analyze) uddannelsesplan');
    return `${cleaned}; maal/aendret of ${f0(r.rowCount ?? 0)} uddannelsesplaner restored (and the table vacuumed)`;
  };
  try {
    await waitUp(p, url, tok.jc[reads[0][1]], reads[0][0]);
    // Preflight: each kind twice, sequentially; a refusal stops the benchmark with the server's answer.
    for (const k of kinds) {
      for (let n = 0; n < 2; n++) {
        let call = next();
        for (let guard = 0; call.kind !== k && guard < 100_000; guard++) call = next();
        const r = await post(url, call);
        if (!okBody(k, r.status, r.body)) throw new Error(`preflight ${k} failed: ${r.status} ${r.body.slice(0, 500)}`);
      }
    }
    log('day: preflight ok for every kind');
    const pid = p.child.pid;
    const cpu0 = cpuMs(pid);
    let done = 0;
    let lastKind: Kind = 'read';
    let lastDone = 0;
    const t0 = Date.now();
    let lastT = t0;
    const waits = await waitSampler(env.dbUrl);
    const sampler = setInterval(() => {
      const m = rss(pid);
      rssSamples.push(m.rss);
      residentSamples.push(m.resident);
    }, 1000);
    const progress = setInterval(() => {
      const now = Date.now();
      const e = kinds.reduce((a, k) => a + errs[k], 0);
      log(`day: ${f0(done)} / ${f0(calls)} calls, ${f0(((done - lastDone) * 1000) / (now - lastT))} calls/s (last 10 s), ${e} errors, RSS ${f0(rssSamples.at(-1) ?? 0)} MB, load ${load()}`);
      lastDone = done;
      lastT = now;
    }, 10_000);
    let result: autocannon.Result;
    let waited = '';
    try {
      const inst = autocannon({
        url,
        method: 'POST',
        connections: CONNECTIONS,
        amount: calls,
        requests: [
          {
            setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
              const call = next();
              context.kind = call.kind;
              return { ...req, headers: { 'content-type': 'application/json', authorization: `Bearer ${call.token}` }, body: call.body };
            },
            onResponse: (status: number, body: string, context: Record<string, unknown>) => {
              const k = context.kind as Kind;
              lastKind = k;
              done++;
              count[k]++;
              if (!okBody(k, status, body)) {
                errs[k]++;
                if (errSamples.push(`${k}: ${status} ${body.slice(0, 300)}`) <= 5) log(`error: ${k}: ${status} ${body.slice(0, 300)}`);
              }
            },
          },
        ],
      } as unknown as autocannon.Options) as unknown as autocannon.Instance & PromiseLike<autocannon.Result>;
      // Fired synchronously right after onResponse for the same answer: its kind is `lastKind`.
      inst.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => lat[lastKind].push(ms));
      result = await inst;
    } finally {
      clearInterval(sampler);
      clearInterval(progress);
      waited = await waits.stop();
    }
    const wall = (Date.now() - t0) / 1000;
    const cpu = (cpuMs(pid) - cpu0) / Math.max(1, done);
    const hwm = rss(pid).hwm;
    const endLoad = load();
    await new Promise((r) => setTimeout(r, 1000));
    const added = await newRows(c, ids0);
    log(`day: new rows: ${[...added].map(([t, n]) => `${t} ${n}`).join(', ')}`);
    await stop(p);
    if (!keep) {
      restored = await restore();
    } else {
      restored = 'kept (--keep): the data grows by these rows, the plans keep their new `maal`';
    }
    const totalErr = kinds.reduce((a, k) => a + errs[k], 0) + result.errors + result.timeouts;
    const all = new Lat();
    for (const k of kinds) for (let j = 0; j < lat[k].n; j++) all.push(lat[k].a[j]);
    const allS = all.sorted();
    const peak = Math.max(0, ...rssSamples);
    const med = median(rssSamples);
    // One process: its VmRSS and VmHWM. Workers: their memory with the node binary's shared pages counted once
    // (their summed VmHWM counts it once per process, and peaks of different processes need not coincide).
    const residentPeak = Math.max(0, ...residentSamples);
    const judged = serverWorkers > 1 ? residentPeak : Math.max(peak, hwm);
    const projected = wall * (1_000_000 / calls);
    const pass = (b: boolean) => (b ? '**met**' : '**not met**');
    const dayS = calls === 1_000_000 ? wall : projected;
    const missed: string[] = [];
    if (dayS >= 900) missed.push(`the 15-minute day is missed by ${f1((dayS - 900) / 60)} min: ${f0(done / wall)} calls/s against the ${f0(1_000_000 / 900)} needed (${((1_000_000 / 900) / (done / wall)).toFixed(1)}× short)`);
    if (totalErr > 0) missed.push(`${totalErr} errors instead of 0`);
    if (judged >= 512) missed.push(`resident memory peaks ${f0(judged - 512)} MB above 512 MB`);
    const missedText = missed.length ? `**Missed:** ${missed.join('; ')}. The PostgreSQL wait sample above says where the server's transactions spend the time.\n` : '';
    log(`day: ${f0(done)} calls in ${f1(wall)} s = ${f0(done / wall)} calls/s, ${totalErr} errors, p50 ${f1(pct(allS, 50))} ms, p99 ${f1(pct(allS, 99))} ms, RSS peak ${f0(peak)} MB (VmHWM ${f0(hwm)}), median ${f0(med)} MB; resident (shared pages once) peak ${f0(residentPeak)} MB`);
    const rows = kinds.map((k) => {
      const s = lat[k].sorted();
      return `| ${KIND_TEXT[k]} | ${f1(MIX.find(([m]) => m === k)![1] * 100)} % | ${f0(count[k])} | ${errs[k]} | ${f1(pct(s, 50))} | ${f1(pct(s, 90))} | ${f1(pct(s, 99))} | ${f1(s[s.length - 1] ?? NaN)} |`;
    });
    report = `### A national day: ${f0(calls)} mixed calls at ${CONNECTIONS} connections (issue 9)

\`npm run bench:day -- --only day --calls ${calls}${serverWorkers > 1 ? ` --workers ${serverWorkers}` : ''}\` (scripts/bench/writes-national-day.ts) — ${env.started.toISOString().slice(0, 10)}, load average ${startLoad} at the start, ${endLoad} at the end. ${env.canary}

The calls are replayed as fast as the server takes them: autocannon, ${CONNECTIONS} connections, each sending its next call when the previous answer is in (closed loop, \`amount\` = ${f0(calls)}). The sequence is drawn from a seeded PRNG (the same every run). Reads: random CPRs of ${f0(reads.length)} young borgere (15–29) of jobcentre ${JOBCENTRE.join(', ')}, each with the JOBCENTER token of its jobcenter. Writes on random borgere of the same jobcentre (pools: every eligible borger, at most ${f0(DAY_POOL)} per pool; ${f0(kp.length)} for kontaktpersoner, ${f0(plans.length)} plans, ${f0(cprs.length)} for CPR updates); only tilmelding and abonnement use each borger once (a second one would rightly be refused)${fallbacks.tilmelding + fallbacks.abonnement ? ` (pools ran out: ${fallbacks.tilmelding} tilmelding and ${fallbacks.abonnement} abonnement calls became kontaktperson registrations)` : ''}. An error is a non-2xx answer, an answer with \`errors\`, an answer without its data, a socket error or a timeout.

| kind | share | calls | errors | p50 ms | p90 ms | p99 ms | max ms |
|---|---:|---:|---:|---:|---:|---:|---:|
${rows.join('\n')}
| **all** | 100 % | **${f0(done)}** | **${totalErr}** | ${f1(pct(allS, 50))} | ${f1(pct(allS, 90))} | ${f1(pct(allS, 99))} | ${f1(allS[allS.length - 1] ?? NaN)} |

| measure | value | target |
|---|---:|---|
| total time | **${f1(wall)} s** (${f1(wall / 60)} min)${calls !== 1_000_000 ? `; 1,000,000 calls at this rate ≈ ${f1(projected / 60)} min` : ''} | < 15 min for 1,000,000 calls: ${calls === 1_000_000 ? pass(wall < 900) : `${pass(projected < 900)} (projected from ${f0(calls)} calls; run the full day to decide)`} |
| calls/s | **${f0(done / wall)}** | ≥ ${f0(1_000_000 / 900)} |
| errors | **${totalErr}** (non-2xx ${result.non2xx}, socket errors ${result.errors}, timeouts ${result.timeouts}) | 0: ${pass(totalErr === 0)} |
${
  serverWorkers > 1
    ? `| server resident memory, primary + ${serverWorkers} workers, shared file pages (the node binary) counted once: Σ RssAnon + Σ RssShmem + max RssFile, peak / median (every second, ${residentSamples.length} samples) | **${f0(residentPeak)} MB** / ${f0(median(residentSamples))} MB | < 512 MB: ${pass(judged < 512)} |
| the same, VmRSS summed over the processes (counts the shared pages once per process), peak / median | ${f0(peak)} MB / ${f0(med)} MB (VmHWM summed ${f0(hwm)} MB) | |`
    : `| server RSS, peak / median (VmRSS every second, ${rssSamples.length} samples) | **${f0(peak)} MB** / ${f0(med)} MB (VmHWM ${f0(hwm)} MB) | < 512 MB: ${pass(judged < 512)} |`
}
| server CPU per call | ${f1(cpu)} ms | |

PostgreSQL backends of the server during the day, by state and wait event (pg_stat_activity every 250 ms, mean count per sample): ${waited}.

${missedText}
Rows the day added: ${[...added].map(([t, n]) => `${t} ${f0(n)}`).join(', ') || 'none'}. Cleanup: ${restored}.
${errSamples.length ? `\nFirst errors:\n\n${errSamples.slice(0, 5).map((s) => `- \`${s.replace(/`/g, "'")}\``).join('\n')}\n` : ''}`;
  } finally {
    await stop(p);
    if (!keep && !cleanedUp) await restore(); // after a failure too
  }
  return report;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/dfdg_bench_read' },
      only: { type: 'string' },
      calls: { type: 'string', default: '1000000' },
      duration: { type: 'string', default: '20' },
      keep: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      workers: { type: 'string', default: '1' },
      'node-arg': { type: 'string', multiple: true },
    },
  });
  serverWorkers = Number(values.workers);
  if (values['cpu-prof']) serverNodeArgs = ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof'])}`];
  serverNodeArgs.push(...(values['node-arg'] ?? []));
  const parts = values.only ? values.only.split(',') : ['writes', 'day'];
  for (const part of parts) if (part !== 'writes' && part !== 'day') throw new Error(`--only: writes or day, not ${part}`);
  const calls = Number(values.calls);
  const seconds = Number(values.duration);
  if (!Number.isInteger(calls) || calls < CONNECTIONS) throw new Error(`--calls must be an integer ≥ ${CONNECTIONS}`);
  if (!(seconds > 0)) throw new Error('--duration must be > 0');
  const dbUrl = values['database-url']!;
  const db = await openDb(dbUrl);
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
  const startLoad = load();
  const canary = canaryLine(await machineCanary());
  log(canary);
  const env: Env = { dbUrl, db, started: new Date(), startLoad, canary, commit, header: '' };
  env.header = `## Writes and a national day (issue 9)

Machine and data of the latest run of either part: ${machine(env)} The load generator (autocannon, in the driver process), the server and PostgreSQL share the cores; the machine is shared with other work (load averages below).`;
  try {
    for (const part of parts) {
      log(`=== ${part} (load average ${load()})`);
      const md = part === 'writes' ? await writes(env, seconds, values.keep!) : await day(env, calls, values.keep!);
      console.log(md);
      if (!values['no-write']) writeSection(part as 'writes' | 'day', env.header, md);
    }
  } finally {
    await db.c.end().catch(() => undefined);
  }
}

runMain(module, main);
