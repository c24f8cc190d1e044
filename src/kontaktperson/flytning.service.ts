import { LockMode } from '@mikro-orm/core';
import { requirePrincipal } from '../auth/auth-checker';
import type { BorgerFlyttetEvent } from '../borger/borger.events';
import { Borger } from '../borger/borger.entity';
import { kommuneEfterSammenlaegningerLaast, laasSammenlaegning } from '../borger/kommune-laas';
import { validerCprRegistreret } from '../borger/borger.rules';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { transaction } from '../db/transaction';
import { BadInputError, ForbiddenError, NotFoundError } from '../errors/domain-errors';
import { writeOutboxFromSql } from '../events/outbox';
import { ModtagerType, recipient } from '../events/recipient';
import { pg1LukningCte } from '../persongruppe/persongruppe.flytning';
import { KodeListe } from '../reference/kode.entity';
import { ReferenceService } from '../reference/reference.service';
import type { LocalDate } from '../scalars/local-date';
import { BorgerFlytning, Flytningskilde } from './borger-flytning.entity';
import './flytning.events';
import { Kontaktpersontype } from './kontaktperson.entity';
import { GET_JOBCENTER_KONTAKTPERSON } from './kontaktperson.messages';
import { KP2_UNDTAGNE_TYPER } from './kontaktperson.rules';

/**
 * KP-2 + KP-3 in SQL, as a data-modifying CTE (the same decision as `vedFlytning` in the rules): the open
 * kontaktpersoner of the moved borgere, except the exempt types, end on the move date; one that starts after it
 * gets start = end = move date − 1; an end on or before the move date is left alone; a move within the kommune
 * ends nothing. `moved` has (cpr, fra_kommune, til_kommune), `p` the move date `d`.
 */
function kp3Cte(name: string, moved: string, p: string): string {
  return `${name} as (
      update kontaktperson k
         set start = case when k.start > ${p}.d then ${p}.d - 1 else k.start end,
             slut = case when k.start > ${p}.d then ${p}.d - 1 else ${p}.d end,
             afsluttet_ved_flytning = ${p}.d, aendret = now()
        from ${moved} m, ${p}
       where k.cpr = m.cpr
         and m.fra_kommune is distinct from m.til_kommune
         and k.kontaktpersontype not in (${KP2_UNDTAGNE_TYPER.join(', ')})
         and (k.slut is null or k.slut > ${p}.d)
      returning k.cpr, k.id, k.kontaktpersontype)`;
}

export interface FlytningsResultat {
  borgere: number;
  kontaktpersonerAfsluttet: number;
  markeringerLukket: number;
}

export interface MasseflytningsResultat extends FlytningsResultat {
  /** Borgere of fraKommune whose own CPR event was registered after the merger: left as they are. */
  borgereSprungetOver: number;
}

/**
 * One statement for a CPR move of one borger or of many: `movedSql` yields (cpr, fra_kommune, til_kommune,
 * fra_jobcenter, til_jobcenter) — for a batch it is itself the UPDATE of the borgere — then KP-2/KP-3 end the
 * contacts, PG-1 closes the markings, and each moved borger gets a `borger_flytning` row saying what changed.
 */
async function anvendCprFlytning(tx: Ctx, kilde: Flytningskilde, flyttedato: LocalDate, movedSql: string, movedParams: unknown[]): Promise<FlytningsResultat> {
  const p = requirePrincipal(tx);
  const rows = (await tx.em.execute(
    `with p as (select ?::date as d),
     moved as (${movedSql}),
     ${kp3Cte('kp', 'moved', 'p')},
     ${pg1LukningCte('pg', 'moved', 'p')},
     kpn as (select cpr, count(*)::int n from kp group by cpr),
     pgn as (select cpr, count(*)::int n from pg group by cpr),
     ins as (
       insert into borger_flytning (cpr, kilde, dato, fra_kommune, til_kommune, fra_jobcenter, til_jobcenter,
                                    kontaktpersoner_afsluttet, markeringer_lukket, registreret_af_rolle, registreret_af_org, registreret_af)
       select m.cpr, ?, p.d, m.fra_kommune, m.til_kommune, m.fra_jobcenter, m.til_jobcenter,
              coalesce(kpn.n, 0), coalesce(pgn.n, 0), ?, ?, ?
         from moved m cross join p
         left join kpn on kpn.cpr = m.cpr
         left join pgn on pgn.cpr = m.cpr
       returning kontaktpersoner_afsluttet, markeringer_lukket)
     select count(*)::int as borgere, coalesce(sum(kontaktpersoner_afsluttet), 0)::int as kp, coalesce(sum(markeringer_lukket), 0)::int as pg,
            (select coalesce(array_agg(kp.id::text), '{}') from kp where kp.kontaktpersontype = ?) as type32
       from ins`,
    [flyttedato, ...movedParams, kilde, p.role, p.org, p.sub, Kontaktpersontype.JOBCENTER_UDDANNELSESPAALAEG],
  )) as { borgere: number; kp: number; pg: number; type32: string[] }[];
  const r = rows[0];
  if (r.type32.length > 0) await kp6VedFlytning(tx, r.type32);
  return { borgere: r.borgere, kontaktpersonerAfsluttet: r.kp, markeringerLukket: r.pg };
}

/**
 * KP-6 for the type-32 contacts a move ended: each one of a borger with an open abonnement goes to UDB with its new
 * end, as `afslutKontaktperson` sends it (the payload of `KontaktpersonService.emitKp6`, built in SQL for a batch of
 * any size), in the move's transaction. Their kontakter are shared-locked first, as every change that sends a type-32
 * contact to UDB holds them (see `KontaktpersonService.aendrKontakt`): a change of a kontakt's data in progress is
 * waited for and read by the next statement, or waits for the move and then reads the ended periods.
 */
async function kp6VedFlytning(tx: Ctx, ids: string[]): Promise<void> {
  const idListe = ids.join(',');
  await tx.em.execute(
    `select count(*) from (select 1 from kontakt c where c.id in (select k.kontakt_id from kontaktperson k where k.id = any(string_to_array(?, ',')::bigint[])) for share of c) l`,
    [idListe],
  );
  const udb = recipient(ModtagerType.UDB);
  await writeOutboxFromSql(tx.em, requirePrincipal(tx), {
    select: `
      select ?::text as service_name, ?::text as recipient_type, ?::text as recipient_org, k.cpr,
             jsonb_build_object('kontaktpersonId', k.id::text, 'kontaktId', c.id::text, 'jobcenter', k.registreret_af_org, 'navn', c.navn,
                                'email', c.email, 'telefon', c.telefon, 'art', c.art, 'cvr', c.cvr, 'pnr', c.pnr, 'rolle', k.rolle,
                                'start', k.start, 'slut', k.slut, 'visesPaaJobnet', k.vises_paa_jobnet) as payload,
             row_number() over (order by k.cpr, k.id) as ord
        from kontaktperson k join kontakt c on c.id = k.kontakt_id
       where k.id = any(string_to_array(?, ',')::bigint[])
         and exists (select 1 from abonnement a where a.cpr = k.cpr and a.slut is null)`,
    params: [GET_JOBCENTER_KONTAKTPERSON, udb.type, udb.org, idListe],
    recipients: [udb],
    serviceName: GET_JOBCENTER_KONTAKTPERSON,
  });
}

export class FlytningService {
  constructor(private readonly reference = new ReferenceService()) {}

  /**
   * `borger.flyttet` (CPR reported a new bopælskommune; the borger row already says so): KP-2/KP-3 and PG-1 in the
   * CPR transaction. The previous jobcenter is the one the latest recorded move left the borger in, else the old kommune.
   */
  async vedCprFlytning(tx: Ctx, e: BorgerFlyttetEvent): Promise<FlytningsResultat> {
    return anvendCprFlytning(
      tx,
      Flytningskilde.CPR,
      e.flyttedato,
      `select b.cpr, ?::varchar as fra_kommune, b.bopaelskommune as til_kommune,
              coalesce((select f.til_jobcenter from borger_flytning f where f.cpr = b.cpr order by f.id desc limit 1), ?::varchar) as fra_jobcenter,
              b.jobcenter as til_jobcenter
         from borger b where b.cpr = ?`,
      [e.fraKommune, e.fraKommune, e.cpr],
    );
  }

  /**
   * A batch from CPR (a municipal merger re-coding a kommune): every borger with bopælskommune `fraKommune` gets
   * `tilKommune` as bopælskommune and jobcenter, unless CPR registered the borger's own state after the merger
   * (`registreret`), and KP-2/KP-3 and PG-1 apply, all in one statement and one
   * transaction. Publishes `borger.masseflyttet` once (not `borger.flyttet` per borger). The merger is recorded
   * (`kommunesammenlaegning`), so an own event of a borger registered before it that names fraKommune, delivered
   * after it, is re-coded to tilKommune (`registrerFraCpr`).
   */
  async masseflyt(ctx: Ctx, input: { fraKommune: string; tilKommune: string; registreret: Date }): Promise<MasseflytningsResultat> {
    validerCprRegistreret(input.registreret, ctx.clock.now());
    for (const f of ['fraKommune', 'tilKommune'] as const) {
      if (!/^\d{3}$/.test(input[f])) throw new BadInputError(`${f} skal være en kommunekode på 3 cifre`, { field: f });
    }
    if (input.fraKommune === input.tilKommune) throw new BadInputError('Fra- og tilkommune er den samme', { field: 'tilKommune' });
    // The borgere's jobcenter becomes tilKommune's (fraKommune may be one a merger has just retired).
    await this.reference.require(ctx, KodeListe.KOMMUNE, Number(input.tilKommune), 'tilKommune');
    return transaction(ctx, async (tx) => {
      // The kommune before its borgere (laasKommune): a CPR event naming fraKommune holds it shared until it commits,
      // so this merger finds the borger such an event moves into or creates in fraKommune, and an event that waits for
      // the merger reads its record below (registrerFraCpr re-codes an event registered before the merger). tilKommune
      // shared with it, the two in kommunekode order, so a merger the other way at the same moment queues instead of
      // deadlocking (laasSammenlaegning).
      await laasSammenlaegning(tx, input.fraKommune, input.tilKommune);
      const p = requirePrincipal(tx);
      await tx.em.execute(
        `insert into kommunesammenlaegning (fra_kommune, til_kommune, registreret, registreret_af_rolle, registreret_af_org, registreret_af)
         values (?, ?, ?::timestamptz, ?, ?, ?)`,
        [input.fraKommune, input.tilKommune, input.registreret, p.role, p.org, p.sub],
      );
      // KP-2: tilKommune after the mergers of it CPR registered at or after this one, as for a borger's own event: a merger
      // delivered after a later merger of its tilKommune would otherwise leave its borgere in a merged-away kommune, and
      // one running alongside it would miss them. Share-locked after the two above, before the borgere. Should the chain
      // lead back to fraKommune, its borgere stay where they are.
      const til = await kommuneEfterSammenlaegningerLaast(tx, input.tilKommune, input.registreret);
      // The rows in CPR order first, as every other writer of many borgere takes them (the UDB contact import):
      // the update alone would take them in the order it scans them, and two such writers could deadlock.
      await tx.em.execute(`select count(*) from (select 1 from borger where bopaelskommune = ? order by cpr for update) locked`, [input.fraKommune]);
      const flyttedato = tx.clock.today();
      const r = await anvendCprFlytning(
        tx,
        Flytningskilde.CPR_MASSE,
        flyttedato,
        // As cprRegistrerBorger orders one borger's events (cprHaendelseGaelder): a borger whose own event CPR registered
        // after the merger already has CPR's newer state; the merger's time becomes the others' time in force, so an
        // own event registered before the merger and delivered after it cannot move them back.
        `update borger b
            set bopaelskommune = ?, jobcenter = ?, cpr_registreret = ?::timestamptz
           from borger old
          where old.cpr = b.cpr and b.bopaelskommune = ? and b.bopaelskommune <> ? and (b.cpr_registreret is null or b.cpr_registreret <= ?::timestamptz)
         returning b.cpr, old.bopaelskommune as fra_kommune, b.bopaelskommune as til_kommune, old.jobcenter as fra_jobcenter, b.jobcenter as til_jobcenter`,
        [til, til, input.registreret, input.fraKommune, til, input.registreret],
      );
      // The borgere still in fraKommune, locked above, are those the merger left.
      const [{ n }] = await tx.em.execute<{ n: number }[]>(`select count(*)::int n from borger where bopaelskommune = ? and cpr_registreret > ?::timestamptz`, [
        input.fraKommune,
        input.registreret,
      ]);
      await tx.events.publish(tx, 'borger.masseflyttet', { fraKommune: input.fraKommune, tilKommune: til, flyttedato, antal: r.borgere });
      return { ...r, borgereSprungetOver: n };
    });
  }

  /**
   * KP-4: a jobcenter changes the borger's jobcentertilknytning itself, without a CPR move: no contact ends, no
   * marking closes; the move is recorded, so the new jobcenter may close the previous jobcenter's type-5 markings
   * (PG-2). Interpretation: the caller is the borger's current jobcenter (handing over) or the new one (taking over,
   * as the note describes: "det nye jobcenter selv overflyttede borgeren").
   */
  async manuelFlytning(ctx: Ctx, input: { cpr: string; tilJobcenter: string }): Promise<BorgerFlytning> {
    const p = requirePrincipal(ctx);
    if (!/^\d{3}$/.test(input.tilJobcenter)) throw new BadInputError('tilJobcenter skal være en kommunekode på 3 cifre', { field: 'tilJobcenter' });
    return transaction(ctx, async (tx) => {
      // A jobcenter is a kommune's: a code the KOMMUNE table lacks would leave the borger with no jobcenter at all.
      await this.reference.require(tx, KodeListe.KOMMUNE, Number(input.tilJobcenter), 'tilJobcenter');
      const borger = await tx.em.findOne(Borger, { cpr: input.cpr }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!borger) throw p.role === Role.SYSTEM ? new NotFoundError(`Borger med CPR ${input.cpr} findes ikke`) : new ForbiddenError();
      if (p.role === Role.JOBCENTER && p.org !== borger.jobcenter && p.org !== input.tilJobcenter) throw new ForbiddenError();
      if (borger.jobcenter === input.tilJobcenter) throw new BadInputError(`Borgeren er allerede tilknyttet jobcenter ${input.tilJobcenter}`, { field: 'tilJobcenter' });
      const f = tx.em.create(BorgerFlytning, {
        cpr: borger.cpr,
        kilde: Flytningskilde.MANUEL,
        dato: tx.clock.today(),
        fraJobcenter: borger.jobcenter,
        tilJobcenter: input.tilJobcenter,
        registreretAfRolle: p.role,
        registreretAfOrg: p.org,
        registreretAf: p.sub,
      });
      borger.jobcenter = input.tilJobcenter;
      await tx.em.flush();
      return f;
    });
  }
}
