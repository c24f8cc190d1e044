/**
 * Benchmark of the deletion jobs (DL-1, TP-4; DL-2: set-based, idempotent, counted):
 *   node -r @swc-node/register scripts/bench/deletion-jobs.ts
 *
 * Fills a fresh database with ROWS (default 5,000,000) bookinger, ROWS tidlig pension reports and ROWS
 * GetTidligPensionVersion1 messages in the outbox (over ROWS / 5 borgere), of which 1 % are due for
 * deletion on the benchmark day, then runs each job as the scheduler does (`runJob` with the job from
 * `src/modules.ts`), twice: the second run must delete nothing. Prints the times and counts.
 *
 * Database: BENCH_DATABASE_URL (a server URL; a database `dfdg_bench_<pid>` is created there and dropped
 * after), else an embedded PostgreSQL in a temporary directory (BENCH_PG_DIR to keep it in a directory of
 * your choice). Env: ROWS; BENCH_KEEP=1 keeps the database; BENCH_DB=<name> reuses a kept one: it puts the
 * due rows back (saved at load time; after a VACUUM they land scattered over the table again) and runs the
 * jobs again, without the long load. RUNS=<n> repeats the measurement n times (restoring in between).
 * Writes its section of docs/BENCHMARKS.md (between `<!-- bench:deletion-jobs -->` markers) unless BENCH_NO_WRITE=1.
 */
import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, chmod } from 'node:fs/promises';
import os, { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { FixedClock } from '../../src/clock/clock';
import { startEmbeddedPostgres, type EmbeddedDb } from '../../src/db/embedded';
import { freePort } from './bench-process';
import { createOrm, migrate } from '../../src/db/orm';
import { DomainEventBus } from '../../src/events/domain-events';
import { runJob } from '../../src/jobs/job';
import { entities, jobs } from '../../src/modules';
import type { LocalDate } from '../../src/scalars/local-date';

const ROWS = Number(process.env.ROWS ?? 5_000_000);
const BORGERE = Math.floor(ROWS / 5);
const TODAY = '2026-11-27' as LocalDate;
const LIMIT_S = 10;

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t = Date.now();
  const r = await fn();
  console.log(`  ${label}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return r;
}

async function main() {
  const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
  let embedded: EmbeddedDb | undefined;
  let dir: string | undefined;
  let adminUrl = process.env.BENCH_DATABASE_URL;
  const keep = !!process.env.BENCH_KEEP || !!process.env.BENCH_DB;
  if (!adminUrl) {
    const fixed = process.env.BENCH_PG_DIR;
    dir = fixed ?? (await mkdtemp(path.join(tmpdir(), 'dfdg-bench-pg-')));
    await chmod(dir, 0o755).catch(() => undefined);
    embedded = await startEmbeddedPostgres({ dir: path.join(dir, 'pg'), port: process.env.BENCH_PG_PORT ? Number(process.env.BENCH_PG_PORT) : await freePort(), log, persistent: !!fixed });
    adminUrl = embedded.url;
    if (fixed) dir = undefined; // not removed at the end
  }
  const reuse = process.env.BENCH_DB;
  const dbName = reuse ?? `dfdg_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  if (!reuse) {
    await admin.query(`drop database if exists ${dbName}`);
    await admin.query(`create database ${dbName}`);
  }
  const url = withDatabase(adminUrl, dbName);
  const orm = await createOrm({ url, entities, log });
  const db = new pg.Client({ connectionString: url });
  try {
    await migrate(orm);
    await db.connect();
    const pgVersion = (await db.query(`show server_version`)).rows[0].server_version as string;
    console.log(`PostgreSQL ${pgVersion}; ${ROWS.toLocaleString('en')} rows per table, ${BORGERE.toLocaleString('en')} borgere, 1 % due on ${TODAY}; database ${dbName}`);
    if (!reuse) await load(db);
    const count = async (sql: string) => Number((await db.query(sql)).rows[0].n);
    console.log(
      `  rows: tidlig_pension ${await count(`select count(*) n from tidlig_pension`)}, outbox_message ${await count(`select count(*) n from outbox_message`)}, booking ${await count(`select count(*) n from booking`)}`,
    );

    const services = { orm, clock: new FixedClock(new Date(`${TODAY}T12:00:00+01:00`)), log, events: new DomainEventBus() };
    const runs = Number(process.env.RUNS ?? 1);
    let ok = true;
    const all: Measured[] = [];
    for (let run = 1; run <= runs; run++) {
      if (reuse || run > 1) await restore(db);
      const m = await measure(db, services, count);
      ok = m.ok && ok;
      all.push({ ...m, data: reuse || run > 1 ? 'restored' : 'fresh load' });
    }
    if (!process.env.BENCH_NO_WRITE) writeSection(pgVersion, all, ok, embedded ? 'embedded' : 'the server at BENCH_DATABASE_URL');
    console.log(ok ? `OK: each job under ${LIMIT_S} s, exactly the due rows deleted, second run deleted nothing` : 'FAILED: see the figures above');
    process.exitCode = ok ? 0 : 1;
  } finally {
    await db.end().catch(() => undefined);
    await orm.close(true);
    if (!keep) await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
    await admin.end();
    await embedded?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** Fills the tables (set-based); keeps a copy of the due rows (bench_due_*) so a kept database can be run again. */
async function load(db: pg.Client): Promise<void> {
  console.log('loading (set-based, foreign-key triggers off while loading):');
  await timed('borger', async () => {
    await db.query(`set session_replication_role = replica`).catch(() => undefined);
    // Every 100th borger was born 1930–1939 (folkepensionsalder 65 reached 1995–2004: due since 2001–2010);
    // the rest 1960–1998 (67 or more: due 2033 at the earliest).
    await db.query(
      `create unlogged table bench_borger as
       select nr,
              case when nr % 100 = 0 then date '1930-01-01' + ((nr / 100) % 3650) else date '1960-01-01' + (nr % 14000) end as foedselsdato,
              case when nr % 100 = 0 then 100 + (nr / 100) / 3650 else nr / 14000 end as serial
         from generate_series(0, $1::int - 1) nr`,
      [BORGERE],
    );
    await db.query(`alter table bench_borger add column cpr varchar(10)`);
    await db.query(`update bench_borger set cpr = to_char(foedselsdato, 'DDMMYY') || lpad(serial::text, 4, '0')`);
    await db.query(`alter table bench_borger add primary key (nr)`);
    await db.query(
      `insert into borger (cpr, foedselsdato, fornavn, efternavn, bopaelskommune, jobcenter)
       select cpr, foedselsdato, 'Bench', 'Borger', '101', '101' from bench_borger`,
    );
  });
  await timed('tidlig_pension', () =>
    db.query(
      `insert into tidlig_pension (cpr, foedselsdato, afgoerelsesdato, start, beloeb_oere, indhold_hash)
       select b.cpr, b.foedselsdato, date '2020-01-01', date '2020-02-01', 100000 + k, md5(b.cpr || ':' || k)
         from bench_borger b cross join generate_series(1, 5) k`,
    ),
  );
  await timed('outbox_message', () =>
    db.query(
      `insert into outbox_message (service_name, recipient_type, recipient_org, cpr, authority_role, authority_org, registered_by, payload)
       select 'GetTidligPensionVersion1', 'AKASSE', (10 + t.id % 40)::text, t.cpr, 'UDK', 'udk', 'bench',
              jsonb_build_object('tidligPensionId', t.id::text, 'afgoerelsesdato', t.afgoerelsesdato, 'start', t.start, 'slut', null,
                                 'beloebOere', t.beloeb_oere, 'kompensationsbeloebOere', null)
         from tidlig_pension t order by t.id`,
    ),
  );
  await timed('booking', () =>
    db.query(
      `insert into booking (cpr, art, moededato, jobcenter, registreret_af)
       select b.cpr, 'INDKALDELSE',
              case when n % 100 = 0 then date '2015-01-01' + (n % 1500) else date '2021-01-01' + (n % 2000) end,
              '101', 'bench'
         from generate_series(0, $1::int - 1) n join bench_borger b on b.nr = n % $2::int`,
      [ROWS, BORGERE],
    ),
  );
  await timed('analyze, and a copy of the due rows', async () => {
    await db.query(`drop table bench_borger`);
    await db.query(`create table bench_due_tidlig_pension as select * from tidlig_pension where foedselsdato < '1950-01-01'`);
    await db.query(`create table bench_due_outbox as select * from outbox_message where cpr in (select cpr from bench_due_tidlig_pension)`);
    await db.query(`create table bench_due_booking as select * from booking where moededato <= '2020-11-27'`);
    await db.query(`analyze`);
    await db.query(`checkpoint`).catch(() => undefined);
  });
}

/** Puts the due rows back where a VACUUM freed room for them: scattered over the tables again. */
async function restore(db: pg.Client): Promise<void> {
  await timed('restore due rows (vacuum, re-insert, analyze)', async () => {
    await db.query(`vacuum tidlig_pension, outbox_message, booking`);
    await db.query(`set session_replication_role = replica`).catch(() => undefined);
    await db.query(`insert into tidlig_pension select * from bench_due_tidlig_pension on conflict do nothing`);
    await db.query(`insert into outbox_message select * from bench_due_outbox on conflict do nothing`);
    await db.query(`insert into booking select * from bench_due_booking on conflict do nothing`);
    await db.query(`analyze tidlig_pension, outbox_message, booking`);
    await db.query(`checkpoint`).catch(() => undefined);
  });
}

interface Measured {
  ok: boolean;
  /** How the due rows got where they are: the load, or a VACUUM and re-insert (BENCH_DB, RUNS). */
  data: 'fresh load' | 'restored';
  results: { job: string; first: number; report: Record<string, number>; second: number; again: Record<string, number>; load: string }[];
}

async function measure(db: pg.Client, services: Parameters<typeof runJob>[1], count: (sql: string) => Promise<number>): Promise<Omit<Measured, 'data'>> {
  const results: Measured['results'] = [];
  for (const name of ['booking-sletning', 'tidlig-pension-sletning']) {
    const job = jobs.find((j) => j.name === name)!;
    const load1 = loadavg()[0].toFixed(1);
    const first = await runJob(job, services, { today: TODAY });
    const second = await runJob(job, services, { today: TODAY });
    results.push({ job: name, first: first.ms, report: first.report, second: second.ms, again: second.report, load: load1 });
    console.log(
      `${name}: first run ${(first.ms / 1000).toFixed(2)} s ${JSON.stringify(first.report)}; second run ${(second.ms / 1000).toFixed(2)} s ${JSON.stringify(second.report)} (load average before: ${load1})`,
    );
  }
  const left = {
    tidligPension: await count(`select count(*) n from tidlig_pension where foedselsdato < '1950-01-01'`),
    beskeder: await count(`select count(*) n from outbox_message o where o.cpr in (select cpr from borger where foedselsdato < '1950-01-01')`),
    bookinger: await count(`select count(*) n from booking where moededato <= '2020-11-27'`),
  };
  console.log(`due rows left after the runs: ${JSON.stringify(left)}`);
  const expectDue = ROWS / 100;
  const ok =
    results.every((r) => r.first < LIMIT_S * 1000 && Object.values(r.again).every((v) => v === 0) && Object.values(r.report).every((v) => v === expectDue)) &&
    Object.values(left).every((v) => v === 0);
  return { ok, results };
}

/** Writes this benchmark's section of docs/BENCHMARKS.md, replacing its previous one. */
function writeSection(pgVersion: string, all: Measured[], ok: boolean, where: string): void {
  const file = path.resolve(__dirname, '..', '..', 'docs', 'BENCHMARKS.md');
  const cpus = os.cpus();
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const rows = all.flatMap((m, i) =>
    m.results.map(
      (r) =>
        `| ${r.job} | ${i + 1}: ${m.data} | ${Object.entries(r.report).map(([k, v]) => `${k} ${v}`).join(', ')} | **${s(r.first)}** | ${s(r.second)} (${Object.values(r.again).every((v) => v === 0) ? 'deleted nothing' : 'DELETED AGAIN'}) | ${r.load} |`,
    ),
  );
  const text = [
    '<!-- bench:deletion-jobs -->',
    '## DL-1 / TP-4: the daily deletion jobs (`booking-sletning`, `tidlig-pension-sletning`)',
    '',
    `\`node -r @swc-node/register scripts/bench/deletion-jobs.ts\` — ${new Date().toISOString().slice(0, 10)}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, PostgreSQL ${pgVersion} (${where}, default settings). The machine is shared: the load average at the start of each job is in the table.`,
    '',
    `${ROWS.toLocaleString('en')} bookinger, ${ROWS.toLocaleString('en')} tidlig pension reports and ${ROWS.toLocaleString('en')} GetTidligPensionVersion1 messages in the outbox, over ${BORGERE.toLocaleString('en')} borgere; 1 % of each is due on ${TODAY}, scattered over the tables (every 100th borger born 1930–1939; every 100th booking with a mødedato 2015–2019). Each job runs as the scheduler runs it (\`runJob\`), then again the same day. A "fresh load" run is the first after the bulk load (its first reads also set hint bits on every page they touch: the slowest case); a "restored" run follows a VACUUM and a re-insert of the deleted rows, which land in the freed room, scattered again.`,
    '',
    '| job | run | deleted | first run | second run, same day | load average |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Each job computes the limit date once from the rule (latest due mødedato / birth date; DL-2) and deletes \`<= limit\` on its index, ${'20,000'} rows per transaction; the tidlig pension job deletes the reports and their outbox messages in the same statement. ${ok ? `Target met: under ${LIMIT_S} s, exactly the due rows deleted, the second run deleted nothing.` : `TARGET NOT MET in at least one run (target: under ${LIMIT_S} s, exactly the due rows).`}`,
    '<!-- /bench:deletion-jobs -->',
  ].join('\n');
  let doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nMeasured numbers of this service. Each section is written by its own script; rerun the script to refresh it.\n';
  const re = /<!-- bench:deletion-jobs -->[\s\S]*?<!-- \/bench:deletion-jobs -->/;
  doc = re.test(doc) ? doc.replace(re, text) : `${doc.trimEnd()}\n\n${text}\n`;
  writeFileSync(file, doc);
  console.log('docs/BENCHMARKS.md: section bench:deletion-jobs written');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
