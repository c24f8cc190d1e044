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

function messageParams(): unknown[] {
  const udb = recipient(ModtagerType.UDB);
  return [GET_UDDANNELSES_ABONNEMENT, udb.type, udb.org, ABONNEMENT_STATUS_LUKKET];
}

/**
 * AB-3, set-based: closes (årsag 5 Alder) every open abonnement of a borger who has turned 30 by `today`, or 25 while
 * in kontaktgruppe 1 today, and writes one GetUddannelsesAbonnementVersion1 to UDB per closed abonnement, in one
 * statement (UPDATE ... RETURNING feeding INSERT INTO outbox_message) in the caller's transaction. Idempotent:
 * a second run the same day finds nothing open past its limit. 29 February birthdays: see `fylderAar`.
 */
export async function lukPgaAlder(tx: Ctx, today: LocalDate): Promise<number> {
  const by = dfdgLukker('AB-3');
  return writeOutboxFromSql(tx.em, requirePrincipal(tx), {
    // Set-based: the open abonnementer hash-joined with the borgere past the lower limit and with the borgere in
    // kontaktgruppe 1 today (no per-row subquery), so the cost is a few scans whatever the number that closes.
    with: `kg1 as (
      select distinct k.cpr from kontaktgruppe_periode k
       where k.kontaktgruppe = ? and k.start <= ?::date and (k.slut is null or k.slut >= ?::date)),
    due as (
      select a.id
        from abonnement a
        join borger b on b.cpr = a.cpr
        left join kg1 on kg1.cpr = a.cpr
       where a.slut is null
         and b.foedselsdato <= ?::date
         and (b.foedselsdato <= ?::date or kg1.cpr is not null)),
    closed as (
      update abonnement a
         set slut = greatest(a.start, ?::date), lukkeaarsag = ?, lukket_af_rolle = ?, lukket_af_org = ?, lukket_af = ?, lukket = ?
        from due
       where a.id = due.id and a.slut is null
      returning a.id, a.cpr, a.start, a.slut, a.lukkeaarsag)`,
    select: MESSAGES_FROM_CLOSED,
    params: [
      KONTAKTGRUPPE_DAGPENGE,
      today,
      today,
      // Whoever is 30 is also 25: the 25-limit bounds the rows read; the 30-limit or kontaktgruppe 1 decides.
      senesteFoedselsdatoForAlder(today, ALDERSGRAENSE_KONTAKTGRUPPE_1),
      senesteFoedselsdatoForAlder(today, ALDERSGRAENSE),
      today,
      Lukkeaarsag.ALDER,
      by.rolle,
      by.org,
      by.sub,
      tx.clock.now(),
      ...messageParams(),
    ],
    recipients: [recipient(ModtagerType.UDB)],
    serviceName: GET_UDDANNELSES_ABONNEMENT,
  });
}

/**
 * AB-8, set-based (only when the setting is on): closes (årsag 4) the open abonnement of a borger whose latest
 * kontaktgruppe (1, 8, 12, 25 or 28) ended, with no plan at trin 4, when a whole calendar month has passed since
 * with no admission message from UDB received after the end. Mirrors `lukkesEfterAB8` in the rules.
 */
export async function lukEfterAB8(tx: Ctx, today: LocalDate): Promise<number> {
  const by = dfdgLukker('AB-8');
  return writeOutboxFromSql(tx.em, requirePrincipal(tx), {
    with: `latest as (
      select distinct on (k.cpr) k.cpr, k.kontaktgruppe, k.slut
        from kontaktgruppe_periode k
        join abonnement oa on oa.cpr = k.cpr and oa.slut is null
       order by k.cpr, k.start desc, k.id desc),
    closed as (
      update abonnement a
         set slut = greatest(a.start, ?::date), lukkeaarsag = ?, lukket_af_rolle = ?, lukket_af_org = ?, lukket_af = ?, lukket = ?
        from latest l
       where l.cpr = a.cpr
         and a.slut is null
         and l.slut is not null and l.slut < ?::date
         and l.kontaktgruppe in (${AB_KONTAKTGRUPPER.join(', ')})
         and (date_trunc('month', l.slut) + interval '2 months')::date <= ?::date
         and not exists (select 1 from uddannelsesplan u where u.cpr = a.cpr and u.trin >= 4)
         and not exists (select 1 from udb_haendelse h where h.cpr = a.cpr and h.type = 'OPTAGET' and h.modtaget_dato > l.slut)
      returning a.id, a.cpr, a.start, a.slut, a.lukkeaarsag)`,
    select: MESSAGES_FROM_CLOSED,
    params: [today, Lukkeaarsag.KONTAKTGRUPPE_LUKKET, by.rolle, by.org, by.sub, tx.clock.now(), today, today, ...messageParams()],
    recipients: [recipient(ModtagerType.UDB)],
    serviceName: GET_UDDANNELSES_ABONNEMENT,
  });
}

/**
 * AB-4 for a kontaktgruppeskift registered to start later: closes every open abonnement whose planned closing day has
 * come, on that day (not on the job's, should a run have been missed), with the planned årsag, and tells UDB; one
 * statement in the caller's transaction. Idempotent: a closed abonnement is not open any more.
 */
export async function lukPlanlagte(tx: Ctx, today: LocalDate): Promise<number> {
  const by = dfdgLukker('AB-4');
  return writeOutboxFromSql(tx.em, requirePrincipal(tx), {
    with: `closed as (
      update abonnement a
         set slut = greatest(a.start, a.planlagt_lukning), lukkeaarsag = a.planlagt_lukkeaarsag,
             lukket_af_rolle = ?, lukket_af_org = ?, lukket_af = ?, lukket = ?
       where a.slut is null and a.planlagt_lukning is not null and a.planlagt_lukning <= ?::date
      returning a.id, a.cpr, a.start, a.slut, a.lukkeaarsag)`,
    select: MESSAGES_FROM_CLOSED,
    params: [by.rolle, by.org, by.sub, tx.clock.now(), today, ...messageParams()],
    recipients: [recipient(ModtagerType.UDB)],
    serviceName: GET_UDDANNELSES_ABONNEMENT,
  });
}

/** The daily run: AB-3, AB-4's planned closings, then AB-8 when it is switched on. Each in its own transaction; all idempotent. */
export async function lukAbonnementerDagligt(ctx: Ctx, today: LocalDate): Promise<JobReport> {
  const lukketAlder = await transaction(ctx, (tx) => lukPgaAlder(tx, today));
  const lukketKontaktgruppeskift = await transaction(ctx, (tx) => lukPlanlagte(tx, today));
  const ab8Aktiv = abonnementSettings().ab8Aktiv;
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
