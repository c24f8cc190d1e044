import type { Ctx } from '../context/context';
import { requirePrincipal } from '../auth/auth-checker';
import { transaction } from '../db/transaction';
import { writeOutboxFromSql } from '../events/outbox';
import { ModtagerType, recipient } from '../events/recipient';
import type { JobDefinition, JobReport } from '../jobs/job';
import type { LocalDate } from '../scalars/local-date';
import { Lukkeaarsag } from './abonnement.entity';
import { ABONNEMENT_STATUS_LUKKET, GET_UDDANNELSES_ABONNEMENT } from './abonnement.messages';
import {
  AB_KONTAKTGRUPPER,
  ALDERSGRAENSE,
  ALDERSGRAENSE_KONTAKTGRUPPE_1,
  KONTAKTGRUPPE_DAGPENGE,
  senesteFoedselsdatoForAlder,
} from './abonnement.rules';
import { dfdgLukker } from './abonnement.service';
import { abonnementSettings } from './abonnement.settings';

/** The outbox rows (one per closed abonnement, to UDB) selected from a CTE `closed` of closed abonnementer. */
const MESSAGES_FROM_CLOSED = `
  select ?::text as service_name, ?::text as recipient_type, ?::text as recipient_org, c.cpr,
         jsonb_build_object('abonnementId', c.id::text, 'status', ?::text, 'start', c.start, 'slut', c.slut,
                            'lukkeaarsag', c.lukkeaarsag, 'lukkeaarsagNavn', kd.navn) as payload,
         c.id as ord
    from closed c
    left join kode kd on kd.liste = 'ABONNEMENT_LUKKEAARSAG' and kd.id = c.lukkeaarsag`;

/** Who closed it, in an UPDATE's SET list; bound by `lukketAf`. */
const LUKKET_AF_SET = 'lukket_af_rolle = ?, lukket_af_org = ?, lukket_af = ?, lukket = ?';

function lukketAf(tx: Ctx, regel: string): unknown[] {
  const by = dfdgLukker(regel);
  return [by.rolle, by.org, by.sub, tx.clock.now()];
}

/**
 * One daily closing: `closing` ends in a CTE `closed` (UPDATE ... RETURNING) of the abonnementer closed, and UDB gets
 * one GetUddannelsesAbonnementVersion1 for each, in the caller's transaction.
 */
function lukOgMeddelUdb(tx: Ctx, closing: string, params: unknown[]): Promise<number> {
  const udb = recipient(ModtagerType.UDB);
  return writeOutboxFromSql(tx.em, requirePrincipal(tx), {
    with: closing,
    select: MESSAGES_FROM_CLOSED,
    params: [...params, GET_UDDANNELSES_ABONNEMENT, udb.type, udb.org, ABONNEMENT_STATUS_LUKKET],
    recipients: [udb],
    serviceName: GET_UDDANNELSES_ABONNEMENT,
    // A UDB event or a jobcenter's change may hold an abonnement row and want UDB's lock at its COMMIT.
    changesFirst: true,
  });
}

/**
 * `fylderAar` in SQL, for a column of birth dates. Postgres moves 29 February + N years to 28 February in a common
 * year, where the rule counts 1 March. `aar` is one of our constants, written into the SQL text.
 */
export function fylderAarSql(foedselsdato: string, aar: number): string {
  if (!Number.isInteger(aar)) throw new Error(`fylderAarSql: ${aar} is not a whole number of years`);
  const plain = `(${foedselsdato} + interval '${aar} years')::date`;
  return `(${plain} + case when extract(month from ${foedselsdato}) = 2 and extract(day from ${foedselsdato}) = 29 and extract(day from ${plain}) = 28 then 1 else 0 end)`;
}

/**
 * AB-3, set-based: closes (årsag 5 Alder) every open abonnement whose age limit was reached by `today`, on the day
 * `aldersLukkedato` gives (the 30th birthday, or the first day from the 25th birthday in kontaktgruppe 1, not
 * before the abonnement's start), and writes one GetUddannelsesAbonnementVersion1 to UDB per closed abonnement, in
 * one statement (UPDATE ... RETURNING feeding INSERT INTO outbox_message) in the caller's transaction. The day comes
 * from the data, not from the run, so a run after missed days closes on the rule's day. Idempotent: a second run
 * finds nothing open past its limit. 29 February birthdays: see `fylderAar`.
 */
export async function lukPgaAlder(tx: Ctx, today: LocalDate, ab8Aktiv = abonnementSettings().ab8Aktiv): Promise<number> {
  const ab8 = ab8Aktiv ? ab8Cte('due', today) : null;
  // Set-based: the open abonnementer of borgere past the lower limit (an index range on foedselsdato), hash-joined
  // with their kontaktgruppe 1 periods and grouped, so the cost is a few scans whatever the number that closes.
  // `fra`: the first day that counts (the abonnement's start or the day it was opened, whichever is later; `today`
  // for one that starts later).
  return lukOgMeddelUdb(
    tx,
    `cand as (
      select a.id, a.cpr, a.start, a.planlagt_lukning,
             least(greatest(a.start, (a.oprettet at time zone 'Europe/Copenhagen')::date), ?::date) as fra,
             ${fylderAarSql('b.foedselsdato', ALDERSGRAENSE)} as fylder30,
             ${fylderAarSql('b.foedselsdato', ALDERSGRAENSE_KONTAKTGRUPPE_1)} as fylder25
        from abonnement a
        join borger b on b.cpr = a.cpr
       where a.slut is null
         and b.foedselsdato <= ?::date),
    kg1 as (
      select c.id, min(greatest(c.fra, c.fylder25, k.start)) as dag
        from cand c
        join kontaktgruppe_periode k on k.cpr = c.cpr and k.kontaktgruppe = ?
       where greatest(c.fra, c.fylder25, k.start) <= least(coalesce(k.slut, ?::date), ?::date)
       group by c.id),
    due as (
      select c.id, c.cpr, greatest(c.start, least(case when c.fylder30 <= ?::date then greatest(c.fra, c.fylder30) end, kg1.dag)) as dag,
             c.start, c.planlagt_lukning
        from cand c
        left join kg1 on kg1.id = c.id
       where c.fylder30 <= ?::date or kg1.dag is not null),
    ${ab8 ? `${ab8.sql},` : ''}
    closed as (
      update abonnement a
         set slut = due.dag, lukkeaarsag = ?, ${LUKKET_AF_SET}
        from due
       where a.id = due.id and a.slut is null
         -- AB-4's planned closing or AB-8's, due and earlier, is the one that would have happened: left to lukPlanlagte
         -- or lukEfterAB8.
         and not (due.planlagt_lukning is not null and due.planlagt_lukning <= ?::date
                  and greatest(due.start, due.planlagt_lukning) < due.dag)
         ${ab8 ? 'and not exists (select 1 from ab8 where ab8.id = due.id and ab8.dag < due.dag)' : ''}
      returning a.id, a.cpr, a.start, a.slut, a.lukkeaarsag)`,
    [
      today,
      // Whoever is 30 is also 25: the 25-limit bounds the rows read.
      senesteFoedselsdatoForAlder(today, ALDERSGRAENSE_KONTAKTGRUPPE_1),
      KONTAKTGRUPPE_DAGPENGE,
      today,
      today,
      today,
      today,
      ...(ab8?.params ?? []),
      Lukkeaarsag.ALDER,
      ...lukketAf(tx, 'AB-3'),
      today,
    ],
  );
}

/**
 * AB-8's decision in SQL, mirroring `ab8Lukkedag`: CTEs ending in `ab8 (id, dag)`, the open abonnementer among the CTE
 * `kandidater` (id, cpr) that AB-8 closes by `today`, and the day it closes each on. A borger's latest kontaktgruppe
 * (1, 8, 12, 25 or 28) ended, with no plan at trin 4, and a whole calendar month has passed since with no admission
 * message from UDB received after the end: the first day after that month, also when the run comes later, and not
 * before the abonnement was opened.
 */
function ab8Cte(kandidater: string, today: LocalDate): { sql: string; params: unknown[] } {
  return {
    sql: `ab8_seneste as (
      select distinct on (k.cpr) k.cpr, k.kontaktgruppe, k.slut
        from kontaktgruppe_periode k
       where k.cpr in (select cpr from ${kandidater})
       order by k.cpr, k.start desc, k.id desc),
    ab8_due as (
      select l.cpr, l.slut, (date_trunc('month', l.slut) + interval '2 months')::date as dag
        from ab8_seneste l
       where l.slut is not null and l.slut < ?::date
         and l.kontaktgruppe in (${AB_KONTAKTGRUPPER.join(', ')})),
    ab8 as (
      select a.id, greatest(a.start, (a.oprettet at time zone 'Europe/Copenhagen')::date, d.dag) as dag
        from ab8_due d
        join ${kandidater} c on c.cpr = d.cpr
        join abonnement a on a.id = c.id and a.slut is null
       where d.dag <= ?::date
         and not exists (select 1 from uddannelsesplan u where u.cpr = a.cpr and u.trin >= 4)
         and not exists (select 1 from udb_haendelse h where h.cpr = a.cpr and h.type = 'OPTAGET' and h.modtaget_dato > d.slut and h.modtaget_dato < d.dag))`,
    params: [today, today],
  };
}

/** AB-8, set-based (only when the setting is on): closes (årsag 4) the open abonnementer `ab8Cte` finds, on its day. */
export async function lukEfterAB8(tx: Ctx, today: LocalDate): Promise<number> {
  const ab8 = ab8Cte('aabne', today);
  return lukOgMeddelUdb(
    tx,
    `aabne as not materialized (select id, cpr from abonnement where slut is null),
    ${ab8.sql},
    closed as (
      update abonnement a
         set slut = ab8.dag, lukkeaarsag = ?, ${LUKKET_AF_SET}
        from ab8
       where a.id = ab8.id and a.slut is null
      returning a.id, a.cpr, a.start, a.slut, a.lukkeaarsag)`,
    [...ab8.params, Lukkeaarsag.KONTAKTGRUPPE_LUKKET, ...lukketAf(tx, 'AB-8')],
  );
}

/**
 * AB-4 for a kontaktgruppeskift registered to start later: closes every open abonnement whose planned closing day has
 * come, on that day (not on the job's, should a run have been missed), with the planned årsag, and tells UDB; one
 * statement in the caller's transaction. Idempotent: a closed abonnement is not open any more.
 */
export async function lukPlanlagte(tx: Ctx, today: LocalDate, ab8Aktiv = abonnementSettings().ab8Aktiv): Promise<number> {
  const ab8 = ab8Aktiv ? ab8Cte('planlagte', today) : null;
  return lukOgMeddelUdb(
    tx,
    `${ab8 ? `planlagte as (select id, cpr from abonnement where slut is null and planlagt_lukning <= ?::date), ${ab8.sql},` : ''}
    closed as (
      update abonnement a
         set slut = greatest(a.start, a.planlagt_lukning), lukkeaarsag = a.planlagt_lukkeaarsag, ${LUKKET_AF_SET}
       where a.slut is null and a.planlagt_lukning is not null and a.planlagt_lukning <= ?::date
         -- AB-8's closing, due and earlier, is the one that would have happened: left to lukEfterAB8.
         ${ab8 ? 'and not exists (select 1 from ab8 where ab8.id = a.id and ab8.dag < greatest(a.start, a.planlagt_lukning))' : ''}
      returning a.id, a.cpr, a.start, a.slut, a.lukkeaarsag)`,
    [...(ab8 ? [today, ...ab8.params] : []), ...lukketAf(tx, 'AB-4'), today],
  );
}

/**
 * The daily run: AB-3, AB-4's planned closings, then AB-8 when it is switched on. Each in its own transaction; all
 * idempotent. A run after missed days may find more than one rule due for an abonnement: the one whose day came first
 * closes it, as a run every day would have (each step leaves to a later one what that one closes earlier; on the
 * same day, the earlier step).
 */
export async function lukAbonnementerDagligt(ctx: Ctx, today: LocalDate): Promise<JobReport> {
  const ab8Aktiv = abonnementSettings().ab8Aktiv;
  const lukketAlder = await transaction(ctx, (tx) => lukPgaAlder(tx, today, ab8Aktiv));
  const lukketKontaktgruppeskift = await transaction(ctx, (tx) => lukPlanlagte(tx, today, ab8Aktiv));
  const lukketAB8 = ab8Aktiv ? await transaction(ctx, (tx) => lukEfterAB8(tx, today)) : 0;
  return { lukketAlder, lukketKontaktgruppeskift, lukketAB8, ab8Aktiv: ab8Aktiv ? 1 : 0 };
}

export const abonnementLukningJob: JobDefinition = {
  name: 'abonnement-lukning',
  description:
    'Lukker abonnementer på uddannelseshændelser: alder 30/25 (AB-3, årsag 5); kontaktgruppeskift registreret til en senere dag, på den dag (AB-4, årsag 7); kontaktgruppe lukket før trin 4 uden optagelse (AB-8, årsag 4, når slået til).',
  schedule: '30 0 * * *',
  run: (ctx, { today }) => lukAbonnementerDagligt(ctx, today),
};
