/**
 * node -r @swc-node/register scripts/bench/kp-mass-move.ts [--borgere 200000] [--andre 100000] [--no-write] [--keep]
 *
 * A municipal merger as one CPR batch (`cprMasseflytning`, FlytningService.masseflyt): every borger of kommune 851
 * is re-coded to 461, and KP-2/KP-3 end their contacts and PG-1 closes their type-5 markings, set-based, in one
 * statement and one transaction. N borgere in 851 and `andre` in other kommuner, each with 5 kontaktpersoner
 * (types 32, 32, 8, 15 and 25; one in five of the type-32 ones starts after the move date, one in five has already
 * ended), and one type-5 marking for every fourth borger. Checks the result against the rules, writes the section
 * of docs/BENCHMARKS.md. Database as scripts/bench/ab-age-job.ts.
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import 'reflect-metadata';
import { FixedClock } from '../../src/clock/clock';
import { createJobCtx } from '../../src/jobs/job';
import { FlytningService } from '../../src/kontaktperson/flytning.service';
import { createDomainEventBus } from '../../src/modules';
import { runMain } from './bench-process';
import { benchDatabase, fmtMs, log, machine, writeSection } from './ab-age-job';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { borgere: { type: 'string' }, andre: { type: 'string' }, 'no-write': { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } },
  });
  const N = Number(values.borgere ?? 200_000);
  const andre = Number(values.andre ?? 100_000);
  const today = '2026-11-27';
  const db = await benchDatabase('kp');
  try {
    const t0 = Date.now();
    await db.sql(
      `insert into borger (cpr, foedselsdato, fornavn, efternavn, bopaelskommune, jobcenter)
       select lpad(i::text, 10, '0'), date '1980-01-01' + (i % 10000), 'B', 'Bench',
              case when i <= ? then '851' else (array['101', '147', '157', '751'])[1 + i % 4] end,
              case when i <= ? then '851' else (array['101', '147', '157', '751'])[1 + i % 4] end
         from generate_series(1, ?) i`,
      [N, N, N + andre],
    );
    await db.sql(
      `insert into kontakt (navn, email, telefon, art, ejer_rolle, ejer_org)
       select 'Kontakt ' || i, 'k' || i || '@jobcenter.dk', lpad((10000000 + i)::text, 8, '0'), 'PERSON', 'JOBCENTER', '851' from generate_series(1, 2000) i`,
    );
    // Five kontaktpersoner per borger: 32 (open, or ended, or starting after the move), 32, 8, 15, 25.
    await db.sql(
      `insert into kontaktperson (cpr, kontakt_id, kontaktpersontype, start, slut, registreret_af_rolle, registreret_af_org, registreret_af)
       select b.cpr, 1 + (b.cpr::bigint * 7 + t.n) % 2000, t.type,
              case when t.n = 1 and b.cpr::bigint % 5 = 0 then date '2027-01-01' else date '2025-01-01' end,
              case when t.n = 1 and b.cpr::bigint % 5 = 1 then date '2026-06-30'
                   when t.n = 2 and b.cpr::bigint % 3 = 0 then date '2027-12-31' else null end,
              'JOBCENTER', b.jobcenter, 'bench'
         from borger b cross join (values (1, 32), (2, 32), (3, 8), (4, 15), (5, 25)) as t(n, type)`,
    );
    await db.sql(
      `insert into persongruppemarkering (cpr, jobcentre, akasser, start, oprettet_af_rolle, oprettet_af_org, oprettet_af)
       select cpr, case when cpr::bigint % 8 = 0 then array['851', '461']::varchar(3)[] else array['851']::varchar(3)[] end, '{}', date '2025-01-01', 'JOBCENTER', jobcenter, 'bench'
         from borger where cpr::bigint % 4 = 0`,
    );
    // Every tenth borger has an open abonnement: its type-32 contacts the move ends go to UDB (KP-6).
    await db.sql(
      `insert into abonnement (cpr, start, oprettet_af_rolle, oprettet_af_org, oprettet_af)
       select cpr, date '2024-01-01', 'JOBCENTER', jobcenter, 'bench' from borger where cpr::bigint % 10 = 0`,
    );
    await db.sql('vacuum analyze');
    const [seeded] = await db.sql<{ kp: string; pg: string; ab: string }>(
      `select (select count(*) from kontaktperson) kp, (select count(*) from persongruppemarkering) pg, (select count(*) from abonnement) ab`,
    );
    const seedMs = Date.now() - t0;
    log(`seeded ${N + andre} borgere (${N} in 851), ${seeded.kp} kontaktpersoner, ${seeded.pg} markings, ${seeded.ab} abonnementer in ${fmtMs(seedMs)}`);

    const [expected] = await db.sql<{ kp: string; pg: string; udb: string }>(
      `select (select count(*) from kontaktperson k join borger b on b.cpr = k.cpr
                where b.bopaelskommune = '851' and k.kontaktpersontype = 32 and (k.slut is null or k.slut > ?::date)) kp,
              (select count(*) from persongruppemarkering g join borger b on b.cpr = g.cpr
                where b.bopaelskommune = '851' and g.slut is null and not ('461' = any (g.jobcentre))) pg,
              (select count(*) from kontaktperson k join borger b on b.cpr = k.cpr
                where b.bopaelskommune = '851' and k.kontaktpersontype = 32 and (k.slut is null or k.slut > ?::date)
                  and exists (select 1 from abonnement a where a.cpr = k.cpr and a.slut is null)) udb`,
      [today, today],
    );
    const clock = new FixedClock(new Date(`${today}T10:00:00+01:00`));
    const ctx = createJobCtx({ orm: db.orm, clock, log: pino({ level: 'silent' }), events: createDomainEventBus() }, 'bench-masseflytning');
    const t1 = process.hrtime.bigint();
    const r = await new FlytningService().masseflyt(ctx, { fraKommune: '851', tilKommune: '461', registreret: clock.now() });
    const ms = Number(process.hrtime.bigint() - t1) / 1e6;
    log(`batch move: ${JSON.stringify(r)} in ${fmtMs(ms)} (expected ${expected.kp} contacts, ${expected.pg} markings)`);
    if (r.borgere !== N || r.kontaktpersonerAfsluttet !== Number(expected.kp) || r.markeringerLukket !== Number(expected.pg)) throw new Error('unexpected result');
    const [sent] = await db.sql<{ n: string }>(`select count(*) n from outbox_message where service_name = 'GetJobcenterKontaktpersonVersion1' and recipient_type = 'UDB'`);
    log(`KP-6: ${sent.n} messages to UDB (expected ${expected.udb})`);
    if (Number(sent.n) !== Number(expected.udb)) throw new Error('KP-6 messages missing');
    const [check] = await db.sql<{ future: string; open32: string; exempt_open: string; untouched: string }>(
      `select count(*) filter (where k.kontaktpersontype = 32 and k.start = ?::date - 1 and k.slut = ?::date - 1) future,
              count(*) filter (where k.kontaktpersontype = 32 and (k.slut is null or k.slut > ?::date)) open32,
              count(*) filter (where k.kontaktpersontype in (8, 15, 25) and k.slut is null) exempt_open,
              count(*) filter (where k.kontaktpersontype = 32 and k.slut = '2026-06-30') untouched
         from kontaktperson k join borger b on b.cpr = k.cpr where b.bopaelskommune = '461'`,
      [today, today, today],
    );
    log(`after: type 32 open ${check.open32}, started-after → move−1: ${check.future}, already ended left: ${check.untouched}, exempt still open: ${check.exempt_open}`);
    if (Number(check.open32) !== 0) throw new Error('type-32 contacts left open');

    if (!values['no-write']) {
      writeSection(
        'bench:kp-mass-move',
        `## KP-2/KP-3, PG-1: a batch move of ${N.toLocaleString('en')} borgere (\`cprMasseflytning\`)

\`node -r @swc-node/register scripts/bench/kp-mass-move.ts\` — ${new Date().toISOString().slice(0, 10)}, ${machine()}, ${db.pgVersion} (default settings).

${(N + andre).toLocaleString('en')} borgere (${N.toLocaleString('en')} in the merged kommune), ${Number(seeded.kp).toLocaleString('en')} kontaktpersoner (5 per borger: types 32, 32, 8, 15, 25), ${Number(seeded.pg).toLocaleString('en')} type-5 markings, ${Number(seeded.ab).toLocaleString('en')} open abonnementer (every tenth borger). Seeding took ${fmtMs(seedMs)}.

| borgere re-coded | contacts ended or shortened (KP-2/KP-3) | markings closed (PG-1) | KP-6 messages to UDB | time |
|---|---|---|---|---|
| ${r.borgere.toLocaleString('en')} | ${r.kontaktpersonerAfsluttet.toLocaleString('en')} | ${r.markeringerLukket.toLocaleString('en')} | ${Number(sent.n).toLocaleString('en')} | **${fmtMs(ms)}** |

One transaction, two statements: UPDATE borger … RETURNING feeding the KP-3 UPDATE of kontaktperson, the PG-1 UPDATE of persongruppemarkering and one INSERT of a borger_flytning row per borger with its counts; then one INSERT … SELECT of a GetJobcenterKontaktpersonVersion1 to UDB for each ended type-32 contact of a borger with an open abonnement (KP-6, under UDB's outbox lock). Target: under 30 s.`,
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
