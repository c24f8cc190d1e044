/**
 * node -r @swc-node/register scripts/bench/ab-age-job.ts [--borgere 1000000] [--closing 15000] [--no-write]
 *
 * AB-3's daily job (`abonnement-lukning`) over a large population: N borgere with an open abonnement aged
 * 15-29 (a third of those under 25 in kontaktgruppe 1), of whom `closing` reach their limit today (two thirds
 * turn 30, one third turn 25 in kontaktgruppe 1), plus 20 % more older borgere with closed abonnementer as
 * history. Runs the job as the runner does (`runJob`, its own SYSTEM ctx and transactions), checks what it
 * closed and the outbox rows it wrote, then runs it again the same day (must close and send nothing), then
 * once more with AB-8 switched on (to show its cost).
 *
 * On a fresh database `dfdg_bench_ab_<pid>` created on BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres) and dropped at the end. Writes its section of
 * docs/BENCHMARKS.md (between `<!-- bench:ab-age-job -->` markers) unless --no-write. --keep leaves the database.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import pino from 'pino';
import 'reflect-metadata';
import { abonnementLukningJob } from '../../src/abonnement/abonnement.job';
import { setAbonnementSettings } from '../../src/abonnement/abonnement.settings';
import { FixedClock } from '../../src/clock/clock';
import { createOrm, migrate } from '../../src/db/orm';
import { runJob, type JobDefinition, type JobReport } from '../../src/jobs/job';
import { createDomainEventBus, entities } from '../../src/modules';
import { addYears, type LocalDate } from '../../src/scalars/local-date';
import { log, runMain, writeSection } from './bench-process';

// The other job benchmarks import these from here.
export { log, writeSection };

export interface BenchDb {
  url: string;
  name: string;
  pgVersion: string;
  orm: MikroORM;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A fresh, migrated database on BENCH_DATABASE_URL, dropped by `drop()`. */
export async function benchDatabase(prefix: string): Promise<BenchDb> {
  const admin = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `dfdg_bench_${prefix}_${process.pid}`;
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const adminClient = new pg.Client({ connectionString: admin });
  await adminClient.connect();
  const pgVersion = ((await adminClient.query('select version() v')).rows[0].v as string).split(' on ')[0];
  await adminClient.query(`create database ${name}`);
  const orm = await createOrm({ url: url.toString(), entities, poolMax: 4 });
  await migrate(orm);
  log(`database ${name} created and migrated (${pgVersion})`);
  return {
    url: url.toString(),
    name,
    pgVersion,
    orm,
    sql: async (text, params) => (await orm.em.getConnection().execute(text, params ?? [])) as never,
    async drop() {
      await orm.close(true);
      await adminClient.query(`drop database if exists ${name} with (force)`);
      await adminClient.end();
      log(`database ${name} dropped`);
    },
  };
}

/** Runs a job the way the runner does; returns its report and wall time in ms. */
export async function timeJob(db: BenchDb, job: JobDefinition, today: LocalDate, args?: Record<string, unknown>): Promise<{ report: JobReport; ms: number }> {
  const clock = new FixedClock(new Date(`${today}T01:00:00+01:00`));
  const t0 = process.hrtime.bigint();
  const { report } = await runJob(job, { orm: db.orm, clock, log: pino({ level: 'silent' }), events: createDomainEventBus() }, { today, args });
  return { report, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}


export function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')} (the machine is shared: other work runs beside the benchmark)`;
}

export const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { borgere: { type: 'string' }, closing: { type: 'string' }, 'no-write': { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } } });
  const N = Number(values.borgere ?? 1_000_000);
  const closing = Number(values.closing ?? 15_000);
  const today: LocalDate = '2026-11-27';
  const cut30 = addYears(today, -30);
  const cut25 = addYears(today, -25);
  const db = await benchDatabase('ab');
  try {
    const t0 = Date.now();
    const turning30 = Math.round((closing * 2) / 3);
    const turning25 = closing - turning30;
    const active = N - closing;
    const history = Math.round(N * 0.2);
    // Active borgere born from the day after the 30-limit to their 15th birthday; no one at a limit today except the
    // `closing` ones; a third of those under 25 are in kontaktgruppe 1. CPR numbers are synthetic (unique 10 digits);
    // the job reads `foedselsdato`, as the service does.
    await db.sql(
      `insert into borger (cpr, foedselsdato, fornavn, efternavn, bopaelskommune, jobcenter)
       select lpad(i::text, 10, '0'), ?::date + 1 + (i % (?::date - ?::date - 1)), 'B', 'Bench', '101', '101'
         from generate_series(1, ?) i`,
      [cut30, addYears(today, -15), cut30, active],
    );
    await db.sql(
      `insert into borger (cpr, foedselsdato, fornavn, efternavn, bopaelskommune, jobcenter)
       select lpad((? + i)::text, 10, '0'), case when i <= ? then ?::date else ?::date end, 'B', 'Bench', '101', '101'
         from generate_series(1, ?) i`,
      [active, turning30, cut30, cut25, closing],
    );
    await db.sql(
      `insert into borger (cpr, foedselsdato, fornavn, efternavn, bopaelskommune, jobcenter)
       select lpad((? + i)::text, 10, '0'), ?::date - 1 - (i % 3650), 'B', 'Bench', '101', '101'
         from generate_series(1, ?) i`,
      [N, cut30, history],
    );
    await db.sql(
      `insert into kontaktgruppe_periode (cpr, kontaktgruppe, start)
       select b.cpr,
              case when b.cpr::bigint > ? + ? and b.cpr::bigint <= ? then 1            -- the ones turning 25 today: kontaktgruppe 1
                   when b.cpr::bigint > ? then 12                                      -- turning 30 today, and history
                   when b.foedselsdato > ?::date and b.cpr::bigint % 3 = 0 then 1     -- a third of the under-25s
                   else (array[2, 8, 12, 25, 28])[1 + b.cpr::bigint % 5] end,
              date '2024-01-01'
         from borger b`,
      [active, turning30, N, active, cut25],
    );
    await db.sql(
      `insert into abonnement (cpr, start, slut, lukkeaarsag, oprettet_af_rolle, oprettet_af_org, oprettet_af)
       select cpr, foedselsdato + interval '15 years', null, null, 'JOBCENTER', '101', 'bench' from borger where cpr::bigint <= ?`,
      [N],
    );
    await db.sql(
      `insert into abonnement (cpr, start, slut, lukkeaarsag, oprettet_af_rolle, oprettet_af_org, oprettet_af)
       select cpr, foedselsdato + interval '15 years', foedselsdato + interval '30 years', 5, 'JOBCENTER', '101', 'bench' from borger where cpr::bigint > ?`,
      [N],
    );
    await db.sql('vacuum analyze');
    const seedMs = Date.now() - t0;
    log(`seeded ${N} borgere with an open abonnement (${closing} at their limit today) and ${history} with a closed one in ${fmtMs(seedMs)}`);

    const outbox = async () => Number((await db.sql<{ n: string }>(`select count(*) n from outbox_message`))[0].n);
    const first = await timeJob(db, abonnementLukningJob, today);
    const sent = await outbox();
    const [check] = await db.sql<{ alder: string; kg1: string }>(
      `select count(*) filter (where b.foedselsdato = ?::date) alder, count(*) filter (where b.foedselsdato = ?::date) kg1
         from abonnement a join borger b on b.cpr = a.cpr where a.slut = ?::date and a.lukkeaarsag = 5`,
      [cut30, cut25, today],
    );
    log(`first run: ${JSON.stringify(first.report)} in ${fmtMs(first.ms)}; outbox rows ${sent}; closed at 30: ${check.alder}, at 25 in kg 1: ${check.kg1}`);
    if (first.report.lukketAlder !== closing || sent !== closing) throw new Error(`expected ${closing} closed and sent`);
    const second = await timeJob(db, abonnementLukningJob, today);
    log(`second run the same day: ${JSON.stringify(second.report)} in ${fmtMs(second.ms)}; outbox rows ${await outbox()}`);
    if (second.report.lukketAlder !== 0 || (await outbox()) !== sent) throw new Error('the second run changed something');
    const restore = setAbonnementSettings({ ab8Aktiv: true });
    const withAb8 = await timeJob(db, abonnementLukningJob, today);
    restore();
    log(`third run with AB-8 on: ${JSON.stringify(withAb8.report)} in ${fmtMs(withAb8.ms)}`);

    if (!values['no-write']) {
      writeSection(
        'bench:ab-age-job',
        `## AB-3: the daily age job (\`abonnement-lukning\`)

\`node -r @swc-node/register scripts/bench/ab-age-job.ts\` — ${new Date().toISOString().slice(0, 10)}, ${machine()}, ${db.pgVersion} (default settings).

${N.toLocaleString('en')} borgere with an open abonnement (aged 15–29, kontaktgruppe periods for all), ${history.toLocaleString('en')} older ones with a closed abonnement; ${closing.toLocaleString('en')} reach their limit on the day (${turning30.toLocaleString('en')} turn 30, ${turning25.toLocaleString('en')} turn 25 in kontaktgruppe 1). Seeding took ${fmtMs(seedMs)}.

| run | closed | outbox rows written | time |
|---|---|---|---|
| first run of the day | ${first.report.lukketAlder} | ${sent} | **${fmtMs(first.ms)}** |
| second run, same day | ${second.report.lukketAlder} | 0 | ${fmtMs(second.ms)} |
| third run, AB-8 switched on (nothing to close) | ${withAb8.report.lukketAlder + withAb8.report.lukketAB8} | 0 | ${fmtMs(withAb8.ms)} |

One UPDATE … RETURNING feeding one INSERT INTO outbox_message (the closed abonnementer and their GetUddannelsesAbonnementVersion1 messages to UDB, in one statement and one transaction, under the UDB recipient's advisory lock, one pg_notify). Target: under 5 s.`,
      );
    }
  } finally {
    if (values.keep) {
      log(`--keep: database ${db.name} left in place`);
      await db.orm.close(true);
    } else await db.drop();
  }
}

runMain(module, main);
