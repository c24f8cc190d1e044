/**
 * npm run seed:synthetic -- --borgere N [--seed S] [--database-url URL] [--today YYYY-MM-DD] [--reset]
 *
 * Fills a database with a synthetic national-scale population, set-based (one INSERT … SELECT from
 * generate_series per table, no row ever crosses the wire). The database is DATABASE_URL or --database-url;
 * it is created when missing and migrated (src/db/orm.ts `migrate`). It must hold no borgere, or --reset
 * empties every data table first.
 *
 * What one borger i (0 ≤ i < N) gets, all decided by hashes of (i, seed) (`hashint8extended`), so the same
 * seed and --today (default: the current date, printed) give the same rows:
 *  - a unique, valid CPR number: birth date uniform over ages 15–89 (born 19xx and 20xx), serial digits from
 *    the X-2 century table (src/scalars/cpr.ts: 7th digit 0–3 for 19xx, 4/9/5–8 for 20xx);
 *  - bopælskommune = jobcenter, one of six kommuner (SEED_KOMMUNER); names from short Danish lists; jobparat 50 %;
 *  - an open kontaktgruppe period (by age: 12/28/2/8/1 for the young, 1/2/8/11/25/14 for the others) and
 *    for half of them a closed earlier one;
 *  - 3 kontaktpersoner (type 32 or 3, 15 or 25, 8), attached to kontakter owned by the jobcenter (a pool of
 *    2,000 per kommune), a fifth of them ended;
 *  - ages 15–29: an uddannelsesplan in the jobcenter (85 %) with a valid støttebehov set (UP-1..UP-5), and an
 *    abonnement på uddannelseshændelser from the 15th birthday (90 % open, the rest closed);
 *  - ages 25–66: fravær for 8 %; ages 18–66: a-kasse membership for 55 %; ages 60–66: tidlig pension for 15 %.
 *
 * FK triggers are skipped during the load (session_replication_role = replica, superuser only): every
 * reference is generated from the borger rows themselves. ANALYZE at the end.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import 'reflect-metadata';
import { createOrm, migrate } from '../src/db/orm';
import { entities } from '../src/modules';

const FORNAVNE = ['Anna', 'Mette', 'Sofie', 'Ida', 'Emma', 'Freja', 'Laura', 'Camilla', 'Maria', 'Louise', 'Kirsten', 'Hanne', 'Lone', 'Susanne', 'Karen',
  'Peter', 'Jens', 'Lars', 'Michael', 'Henrik', 'Søren', 'Thomas', 'Niels', 'Rasmus', 'Mads', 'Frederik', 'Mikkel', 'Oliver', 'William', 'Noah'];
const EFTERNAVNE = ['Nielsen', 'Jensen', 'Hansen', 'Pedersen', 'Andersen', 'Christensen', 'Larsen', 'Sørensen', 'Rasmussen', 'Jørgensen', 'Petersen',
  'Madsen', 'Kristensen', 'Olsen', 'Thomsen', 'Christiansen', 'Poulsen', 'Johansen', 'Møller', 'Mortensen'];
const KONTAKT_POOL = 2000;

function sqlArray(xs: string[]): string {
  return `array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]::text[]`;
}

/**
 * The kommuner the population lives in: the six of code table KOMMUNE before it held all 98 (migration 1300), so
 * the benchmarks of every session read the same data (a few large jobcentre, as the case-worker read samples).
 */
export const SEED_KOMMUNER = ['101', '147', '157', '461', '751', '851'] as const;

export interface SeedResult {
  borgere: number;
  counts: Record<string, number>;
  ms: number;
  today: string;
}

function log(msg: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

/** Creates the database of `url` when it does not exist. */
async function ensureDatabase(url: string): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  u.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: u.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) {
      await admin.query(`create database "${name.replace(/"/g, '""')}"`);
      log(`database ${name} created`);
    }
  } finally {
    await admin.end();
  }
}

export async function seedSynthetic(opts: { url: string; borgere: number; seed: number; today?: string; reset?: boolean }): Promise<SeedResult> {
  const N = opts.borgere;
  if (!Number.isInteger(N) || N < 1) throw new Error('--borgere must be a positive integer');
  if (!Number.isInteger(opts.seed)) throw new Error('--seed must be an integer');
  await ensureDatabase(opts.url);
  const orm = await createOrm({ url: opts.url, entities, poolMax: 1 });
  const applied = await migrate(orm);
  await orm.close(true);
  if (applied.length) log(`migrations applied: ${applied.length}`);

  const c = new pg.Client({ connectionString: opts.url });
  await c.connect();
  const t0 = Date.now();
  const counts: Record<string, number> = {};
  const step = async (name: string, text: string) => {
    const t = Date.now();
    const r = await c.query(text);
    if (r.rowCount != null && name) counts[name] = (counts[name] ?? 0) + r.rowCount;
    if (name) log(`${name}: ${r.rowCount} rows, ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };
  try {
    const today: string = opts.today ?? (await c.query(`select to_char(current_date, 'YYYY-MM-DD') d`)).rows[0].d;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error('--today must be YYYY-MM-DD');
    const existing = Number((await c.query('select count(*) n from borger')).rows[0].n);
    if (existing > 0 && !opts.reset) throw new Error(`the database already holds ${existing} borgere: pass --reset to empty it first`);
    const kommuner: string[] = [...SEED_KOMMUNER];
    log(`seeding ${N} borgere, seed ${opts.seed}, today ${today}, ${kommuner.length} kommuner`);

    await c.query('begin');
    if (existing > 0 || opts.reset) {
      await c.query(`truncate borger, kontaktgruppe_periode, akasse_medlemskab, access_log, outbox_message, outbox_ack, tidlig_pension,
        tilmelding, jobparathed_periode, fravaer, cv_tilstand, cv_statusindberetning, akasse_medlemskab_tilbagekaldt, abonnement, udb_haendelse,
        udb_haendelse_afvist, kontakt, kontaktperson, persongruppemarkering, borger_flytning, uddannelsesplan, plan_version, brev,
        mentorindsats, kursusindsats, efterloen_periode, booking restart identity cascade`);
      log('all data tables emptied');
    }
    const superuser = (await c.query(`select rolsuper from pg_roles where rolname = current_user`)).rows[0]?.rolsuper === true;
    if (superuser) await c.query(`set local session_replication_role = replica`);
    await c.query(`set local synchronous_commit = off`);
    await c.query(`set local work_mem = '256MB'`);
    await c.query(`set local maintenance_work_mem = '1GB'`);
    // h(i, k, m): a deterministic pseudo-random integer in [0, m) for row i and stream k.
    await c.query(`create or replace function pg_temp.h(i bigint, k int, m int) returns int language sql immutable parallel safe
      as $$ select (abs(hashint8extended(i * 64 + k, ${opts.seed}::bigint) % m))::int $$`);
    const T = `date '${today}'`;
    const lo = `(${T} - interval '90 years' + interval '1 day')::date`;
    const D = Number((await c.query(`select (${T} - interval '15 years')::date - ${lo} + 1 as d`)).rows[0].d);
    if (N / D >= 3900) throw new Error('too many borgere for unique CPR numbers in the age range');
    const off = Number((await c.query(`select pg_temp.h(-1, 0, ${D}) o`)).rows[0].o);

    // One row per borger: i, CPR, birth date, jobcenter, age. day = i·P + off mod D (P prime > D: a permutation
    // of the days), k = i div D numbers the borgere born that day, s = k·2731 + hash(day) mod M a permutation of
    // the serials allowed for the century.
    await step('', `create temp table sb on commit drop as
      with x as (
        select i, (${lo} + ((i::bigint * 104729 + ${off}) % ${D})::int) as fd, i / ${D} as k
        from generate_series(0, ${N - 1}) i
      ), y as (
        select i, fd, ((k * 2731 + pg_temp.h(extract(epoch from fd)::bigint, 1, 1000000)) % (case when fd >= date '2000-01-01' then 6000 else 4000 end))::int as s
        from x
      )
      select i, fd,
        to_char(fd, 'DDMMYY') ||
          (case when fd >= date '2000-01-01' then (array[4,9,5,6,7,8])[s / 1000 + 1] else s / 1000 end)::text ||
          lpad((s % 1000)::text, 3, '0') as cpr,
        (${sqlArray(kommuner)})[pg_temp.h(i, 2, ${kommuner.length}) + 1] as jc,
        extract(year from age(${T}, fd))::int as age
      from y`);
    await c.query('alter table sb add primary key (i)');
    await step('borger', `insert into borger (cpr, foedselsdato, fornavn, efternavn, bopaelskommune, jobcenter, jobparat, created_at)
      select cpr, fd, (${sqlArray(FORNAVNE)})[pg_temp.h(i, 3, ${FORNAVNE.length}) + 1], (${sqlArray(EFTERNAVNE)})[pg_temp.h(i, 4, ${EFTERNAVNE.length}) + 1],
        jc, jc, pg_temp.h(i, 5, 2) = 1, ${T} - pg_temp.h(i, 6, 3650) * interval '1 day'
      from sb order by i`);

    // Kontaktgruppe: an open period, and for half a closed one before it.
    await step('kontaktgruppe_periode', `insert into kontaktgruppe_periode (cpr, kontaktgruppe, start, slut)
      select cpr, kg, st, sl from (
        select i, cpr, 0 as n,
          case when age < 30 then (array[12,12,12,12,28,28,2,8,8,1])[pg_temp.h(i, 7, 10) + 1]
               when age >= 60 then (array[14,14,1,8,25])[pg_temp.h(i, 7, 5) + 1]
               else (array[1,1,1,2,2,8,11,25,14])[pg_temp.h(i, 7, 9) + 1] end as kg,
          greatest(${T} - pg_temp.h(i, 8, 2000), (fd + interval '15 years')::date) as st, null::date as sl
        from sb
        union all
        select i, cpr, 1, (array[1,2,8,12,25])[pg_temp.h(i, 9, 5) + 1],
          greatest(${T} - pg_temp.h(i, 8, 2000), (fd + interval '15 years')::date) - 30 - pg_temp.h(i, 10, 1500),
          greatest(${T} - pg_temp.h(i, 8, 2000), (fd + interval '15 years')::date) - 1
        from sb
        where pg_temp.h(i, 11, 2) = 0
          and greatest(${T} - pg_temp.h(i, 8, 2000), (fd + interval '15 years')::date) - 30 - pg_temp.h(i, 10, 1500) >= (fd + interval '15 years')::date
      ) p order by i, n desc`);

    // Kontakter: a pool per kommune, owned by its jobcenter, explicit ids (kommune index · pool + n + 1).
    await step('kontakt', `insert into kontakt (id, navn, email, telefon, art, ejer_rolle, ejer_org, oprettet, aendret)
      select ki * ${KONTAKT_POOL} + n + 1,
        case when n % 10 = 9 then 'Team ' || n else (${sqlArray(FORNAVNE)})[n % ${FORNAVNE.length} + 1] || ' ' || (${sqlArray(EFTERNAVNE)})[(n / 7) % ${EFTERNAVNE.length} + 1] end,
        'kontakt' || n || '@jc' || k || '.dk', lpad((20000000 + ki * 100000 + n)::text, 8, '0'),
        case when n % 10 = 9 then 'TEAM' else 'PERSON' end, 'JOBCENTER', k,
        ${T} - (n % 1000) * interval '1 day', ${T} - (n % 100) * interval '1 day'
      from unnest(${sqlArray(kommuner)}) with ordinality as km(k, ki1), lateral (select ki1 - 1 as ki) z, generate_series(0, ${KONTAKT_POOL - 1}) n
      order by 1`);
    await c.query(`select setval(pg_get_serial_sequence('kontakt', 'id'), (select max(id) from kontakt))`);

    // Kontaktpersoner: 3 per borger.
    await step('kontaktperson', `insert into kontaktperson (cpr, kontakt_id, kontaktpersontype, rolle, start, slut, vises_paa_jobnet,
        registreret_af_rolle, registreret_af_org, registreret_af, oprettet, aendret)
      select cpr, (array_position(${sqlArray(kommuner)}, jc) - 1) * ${KONTAKT_POOL} + pg_temp.h(i, 20 + j, ${KONTAKT_POOL}) + 1,
        case j when 1 then (case when age < 30 then 32 else 3 end) when 2 then (case when age < 30 then 15 else 25 end) else 8 end,
        case j when 1 then 'Sagsbehandler' when 2 then null else 'Mor/far/ægtefælle' end,
        st, case when pg_temp.h(i, 24 + j, 5) = 0 then least(st + 30 + pg_temp.h(i, 27 + j, 700), ${T}) end,
        j <> 3, 'JOBCENTER', jc, 'sagsbehandler-' || pg_temp.h(i, 30, 50),
        st + interval '9 hours', st + interval '9 hours'
      from (select i, cpr, jc, age, j, greatest(${T} - 1 - pg_temp.h(i, 31 + j, 1500), (fd + interval '15 years')::date) as st
            from sb, generate_series(1, 3) j) x
      order by i, j`);

    // Uddannelsesplaner for the young (UP-1..UP-5: valid støttebehov sets; trin 4 only with 1, 2 or 3 present).
    await step('uddannelsesplan', `insert into uddannelsesplan (cpr, jobcenter, plantype, trin, frist, planbeskrivelse, maal, ansvarlig_sagsbehandler,
        uddannelsessted, stoettebehov, jobmaal, krav_til_jobsoegning, oprettet, aendret)
      select cpr, jc, (array[1,1,1,2,3])[pg_temp.h(i, 40, 5) + 1],
        case when pg_temp.h(i, 41, 3) = 0 then null else pg_temp.h(i, 42, 4) + 1 end,
        -- A frist belongs to a trin (uddannelsesplan.rules.ts): a plan without trin has none.
        case when pg_temp.h(i, 41, 3) = 0 then null else ${T} + pg_temp.h(i, 43, 180) end,
        'Plan for uddannelse ' || pg_temp.h(i, 44, 1000), 'Påbegynde en ungdomsuddannelse',
        'sagsbehandler-' || pg_temp.h(i, 30, 50),
        (array['EUC Syd', 'TEC', 'NEXT', 'Aarhus Tech', 'Odense Tekniske Gymnasium', 'VUC', null])[pg_temp.h(i, 45, 7) + 1],
        ((array['[1]','[2]','[3]','[2,4]','[3,5]','[2,3,4]','[1,6]','[2,3,4,6]','[1,5]','[3,4,5,6]'])[pg_temp.h(i, 46, 10) + 1])::jsonb,
        '[]'::jsonb, '[]'::jsonb,
        ${T} - pg_temp.h(i, 47, 700) * interval '1 day', ${T} - pg_temp.h(i, 48, 60) * interval '1 day'
      from sb where age between 15 and 29 and pg_temp.h(i, 49, 20) < 17 order by i`);

    // Abonnementer for the young: from the 15th birthday; a tenth closed (lukkeaarsag 1, 7 or 8).
    await step('abonnement', `insert into abonnement (cpr, start, slut, lukkeaarsag, oprettet_af_rolle, oprettet_af_org, oprettet_af, oprettet,
        lukket_af_rolle, lukket_af_org, lukket_af, lukket)
      select cpr, st, sl, case when sl is not null then (array[1,7,8])[pg_temp.h(i, 51, 3) + 1] end,
        'JOBCENTER', jc, 'sagsbehandler-' || pg_temp.h(i, 30, 50), st + interval '8 hours',
        case when sl is not null then 'JOBCENTER' end, case when sl is not null then jc end,
        case when sl is not null then 'sagsbehandler-' || pg_temp.h(i, 30, 50) end, case when sl is not null then sl + interval '8 hours' end
      from (select i, cpr, jc, st, case when pg_temp.h(i, 50, 10) = 0 then least(st + 1 + pg_temp.h(i, 52, 1000), ${T}) end as sl
            from (select i, cpr, jc, greatest((fd + interval '15 years')::date, ${T} - 3000) as st from sb where age between 15 and 29) a) b
      order by i`);

    await step('fravaer', `insert into fravaer (cpr, fravaerstype, start, slut, registreret_af_rolle, registreret_af_org, created_at)
      select cpr, ft, st, case when pg_temp.h(i, 62, 3) > 0 then st + 7 + pg_temp.h(i, 63, 120) end,
        case when ft = 901 then 'KSD' else 'JOBCENTER' end, case when ft = 901 then 'ksd' else jc end, st + interval '10 hours'
      from (select i, cpr, jc, (array[25,71,74,78,901,901])[pg_temp.h(i, 60, 6) + 1] as ft, ${T} - 1 - pg_temp.h(i, 61, 800) as st
            from sb where age between 25 and 66 and pg_temp.h(i, 64, 100) < 8) f
      order by i`);

    await step('akasse_medlemskab', `insert into akasse_medlemskab (cpr, akasse, start, slut)
      select cpr, (10 + pg_temp.h(i, 70, 24))::text, greatest((fd + interval '18 years')::date, ${T} - 1 - pg_temp.h(i, 71, 7000)), null
      from sb where age between 18 and 66 and pg_temp.h(i, 72, 100) < 55 order by i`);

    await step('tidlig_pension', `insert into tidlig_pension (cpr, afgoerelsesdato, start, slut, beloeb_oere, kompensationsbeloeb_oere, indhold_hash, modtaget, foedselsdato)
      select cpr, st - 30, st, null, 1500000 + pg_temp.h(i, 81, 1000000), case when pg_temp.h(i, 82, 4) = 0 then 100000 + pg_temp.h(i, 83, 100000) end,
        md5(cpr || ':' || st), st - 29 + interval '12 hours', fd
      from (select i, cpr, fd, ${T} - pg_temp.h(i, 80, 700) as st from sb where age between 60 and 66 and pg_temp.h(i, 84, 100) < 15) t
      order by i`);

    await c.query('commit');
    log('committed; analysing');
    await c.query('analyze');
    const ms = Date.now() - t0;
    log(`seeded ${N} borgere in ${(ms / 1000).toFixed(1)} s`);
    // A production database has been vacuumed and checkpointed long ago; without this, the first benchmark
    // after a seed pays for it (it sets the new rows' hint bits, dirtying every page it reads, while the
    // checkpointer writes the seed's gigabytes: the national day ran 25 % slower with half the CPU in iowait).
    const settle = Date.now();
    await c.query('vacuum');
    await c.query('checkpoint').catch((e: Error) => log(`checkpoint skipped: ${e.message}`));
    log(`vacuumed and checkpointed in ${((Date.now() - settle) / 1000).toFixed(1)} s`);
    return { borgere: N, counts, ms, today };
  } catch (e) {
    await c.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    await c.end();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      borgere: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'database-url': { type: 'string' },
      today: { type: 'string' },
      reset: { type: 'boolean', default: false },
    },
  });
  const url = values['database-url'] || process.env.DATABASE_URL;
  if (!url) throw new Error('give --database-url or set DATABASE_URL');
  if (!values.borgere) throw new Error('give --borgere N');
  const r = await seedSynthetic({ url, borgere: Number(values.borgere), seed: Number(values.seed), today: values.today, reset: values.reset });
  console.log(JSON.stringify(r));
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
