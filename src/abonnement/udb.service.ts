import { LockMode } from '@mikro-orm/core';
import { Borger } from '../borger/borger.entity';
import { BorgerService } from '../borger/borger.service';
import type { Ctx } from '../context/context';
import { transaction } from '../db/transaction';
import { ConflictError, DomainError } from '../errors/domain-errors';
import { ModtagerType, recipient } from '../events/recipient';
import type { LocalDate } from '../scalars/local-date';
import { Abonnement, Lukkeaarsag } from './abonnement.entity';
import { udbHaendelseLoader } from './abonnement.loaders';
import './abonnement.events';
import {
  GET_OPTAGET_PAA_UDDANNELSE,
  GET_RISIKO_FOR_FRAFALD,
  GET_UDDANNELSE_GENNEMFOERT,
  type GetOptagetPaaUddannelseVersion1,
  type GetRisikoForFrafaldVersion1,
  type GetUddannelseGennemfoertVersion1,
} from './abonnement.messages';
import { lukkesVedGennemfoertUddannelse, validateUdbHaendelse } from './abonnement.rules';
import { AbonnementService } from './abonnement.service';
import { UdbHaendelse, UdbHaendelsestype } from './udb-haendelse.entity';

export interface UdbHaendelseInput {
  haendelseId: string;
  cpr: string;
  dato: LocalDate;
  institution: string;
  uddannelse: string;
}

export interface UdbGennemfoertInput extends UdbHaendelseInput {
  erhvervskompetencegivende: boolean;
}

export interface UdbKvittering {
  haendelse: UdbHaendelse;
  /** False when the same event (type and haendelseId) had been received before: nothing changed, nothing was sent. */
  ny: boolean;
  /** AB-5: this event closed the abonnement; a re-sent event answers what its first delivery did. */
  abonnementLukket: boolean;
}

/**
 * An inbound UDB event needs a known borger with an active abonnement (open, started). Loads both, locking the
 * borger, or refuses with NOT_FOUND and a reason the caller (and the log) can tell apart.
 */
export async function borgerMedAktivtAbonnement(tx: Ctx, cpr: string): Promise<{ borger: Borger; abonnement: Abonnement }> {
  const borger = await findBorgerForUdb(tx, cpr);
  const abonnement = await tx.em.findOne(Abonnement, { cpr, slut: null, start: { $lte: tx.clock.today() } });
  if (!abonnement) {
    throw new DomainError('NOT_FOUND', `Borgeren med CPR ${cpr} har intet aktivt abonnement på uddannelseshændelser`, { reason: 'INTET_ABONNEMENT' });
  }
  return { borger, abonnement };
}

/** A borger an inbound event is about, locked for the transaction; unknown CPR → NOT_FOUND. */
export async function findBorgerForUdb(tx: Ctx, cpr: string): Promise<Borger> {
  const borger = await tx.em.findOne(Borger, { cpr }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!borger) throw new DomainError('NOT_FOUND', `Ukendt CPR-nummer ${cpr}: borgeren findes ikke i DFDG`, { reason: 'UKENDT_CPR' });
  return borger;
}

/**
 * Every inbound UDB event goes through here: a refusal is logged and kept in `udb_haendelse_afvist` (outside
 * the rolled-back transaction) before the error goes back to UDB, so no event is dropped silently.
 */
export async function medAfvisningslog<T>(ctx: Ctx, type: string, input: { cpr?: string; haendelseId?: string | null }, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const code = err instanceof DomainError ? err.code : 'INTERNAL';
    const message = err instanceof Error ? err.message : String(err);
    ctx.log.warn({ udbHaendelse: type, cpr: input.cpr, haendelseId: input.haendelseId, code, err: message }, 'UDB-hændelse afvist');
    try {
      await ctx.em
        .getConnection()
        .execute(`insert into udb_haendelse_afvist (type, cpr, haendelse_id, fejlkode, fejl, input) values (?, ?, ?, ?, ?, ?::jsonb)`, [
          type,
          input.cpr ?? null,
          input.haendelseId ?? null,
          code,
          message,
          JSON.stringify(input),
        ]);
    } catch (logErr) {
      ctx.log.error({ err: logErr, udbHaendelse: type, cpr: input.cpr }, 'kunne ikke gemme afvist UDB-hændelse');
    }
    throw err;
  }
}

/** Inbound events from UDB (role UDB): admission, completed education (AB-5), risk of dropout (AB-9). */
export class UdbHaendelseService {
  constructor(
    private readonly abonnementer = new AbonnementService(),
    private readonly borgere = new BorgerService(),
  ) {}

  /** AB-9: the events UDB reported about a borger the caller may read (X-4 logged), newest first. */
  async historik(ctx: Ctx, cpr: string, type: UdbHaendelsestype | null): Promise<UdbHaendelse[]> {
    const borger = await this.borgere.get(ctx, cpr);
    const all = await this.forBorger(ctx, borger);
    return type ? all.filter((h) => h.type === type) : all;
  }

  /** Field of a borger the caller has already been allowed to read. */
  async forBorger(ctx: Ctx, borger: Borger): Promise<UdbHaendelse[]> {
    ctx.accessLog.record(borger.cpr, 'udbHaendelser');
    return udbHaendelseLoader(ctx).load(borger.cpr);
  }

  /** UDB: the borger was admitted to an education. The jobcenter is told; `udb.optaget` is published (UP-8). */
  optaget(ctx: Ctx, input: UdbHaendelseInput): Promise<UdbKvittering> {
    return this.receive(ctx, UdbHaendelsestype.OPTAGET, input, {}, async (tx, h) => {
      tx.outbox!.emit<GetOptagetPaaUddannelseVersion1>({
        serviceName: GET_OPTAGET_PAA_UDDANNELSE,
        recipient: recipient(ModtagerType.JOBCENTER, h.jobcenter),
        cpr: h.cpr,
        payload: besked(h),
      });
      await tx.events.publish(tx, 'udb.optaget', {
        cpr: h.cpr,
        jobcenter: h.jobcenter,
        dato: h.dato,
        institution: input.institution,
        uddannelse: input.uddannelse,
        haendelseId: h.haendelseId,
        abonnementId: h.abonnementId,
      });
      return false;
    });
  }

  /** AB-5: UDB reports a completed education: the jobcenter is notified live; erhvervskompetencegivende closes the abonnement (årsag 9). */
  gennemfoert(ctx: Ctx, input: UdbGennemfoertInput): Promise<UdbKvittering> {
    return this.receive(ctx, UdbHaendelsestype.GENNEMFOERT, input, { erhvervskompetencegivende: input.erhvervskompetencegivende }, async (tx, h) => {
      // Says what happened: the abonnement read as open may have been closed meanwhile (the daily job does not lock
      // the borger), and then this event closed nothing.
      const lukket =
        lukkesVedGennemfoertUddannelse(input.erhvervskompetencegivende) &&
        (await this.abonnementer.lukAutomatisk(tx, h.cpr, Lukkeaarsag.UDDANNELSE_GENNEMFOERT, 'AB-5')) !== null;
      tx.outbox!.emit<GetUddannelseGennemfoertVersion1>({
        serviceName: GET_UDDANNELSE_GENNEMFOERT,
        recipient: recipient(ModtagerType.JOBCENTER, h.jobcenter),
        cpr: h.cpr,
        payload: { ...besked(h), erhvervskompetencegivende: input.erhvervskompetencegivende, abonnementLukket: lukket },
      });
      return lukket;
    });
  }

  /** AB-9: a risk of dropout reaches the borger's jobcenter, whether or not it has closed the borger's case. */
  frafald(ctx: Ctx, input: UdbHaendelseInput): Promise<UdbKvittering> {
    return this.receive(ctx, UdbHaendelsestype.FRAFALD, input, {}, async (tx, h) => {
      tx.outbox!.emit<GetRisikoForFrafaldVersion1>({
        serviceName: GET_RISIKO_FOR_FRAFALD,
        recipient: recipient(ModtagerType.JOBCENTER, h.jobcenter),
        cpr: h.cpr,
        payload: besked(h),
      });
      return false;
    });
  }

  private receive(
    ctx: Ctx,
    type: UdbHaendelsestype,
    input: UdbHaendelseInput,
    extra: Partial<UdbHaendelse>,
    then: (tx: Ctx, h: UdbHaendelse) => Promise<boolean>,
  ): Promise<UdbKvittering> {
    return medAfvisningslog(ctx, type, input, async () => {
      validateUdbHaendelse(input, ctx.clock.today());
      return transaction(ctx, async (tx) => {
        await findBorgerForUdb(tx, input.cpr);
        const seen = await tx.em.findOne(UdbHaendelse, { type, haendelseId: input.haendelseId });
        if (seen) {
          if (seen.cpr !== input.cpr) throw new ConflictError(`Hændelsen ${input.haendelseId} er allerede modtaget for en anden borger`);
          return { haendelse: seen, ny: false, abonnementLukket: seen.abonnementLukket };
        }
        const { borger, abonnement } = await borgerMedAktivtAbonnement(tx, input.cpr);
        const h = tx.em.create(UdbHaendelse, {
          cpr: input.cpr,
          type,
          haendelseId: input.haendelseId,
          dato: input.dato,
          abonnementId: abonnement.id,
          jobcenter: borger.jobcenter,
          institution: input.institution,
          uddannelse: input.uddannelse,
          modtagetDato: tx.clock.today(),
          ...extra,
        });
        await tx.em.flush();
        const abonnementLukket = await then(tx, h);
        // Kept on the event so a re-sent one answers what this delivery did (the transaction flushes it).
        h.abonnementLukket = abonnementLukket;
        return { haendelse: h, ny: true, abonnementLukket };
      });
    });
  }
}

function besked(h: UdbHaendelse) {
  return { udbHaendelseId: h.id, haendelseId: h.haendelseId, dato: h.dato, institution: h.institution ?? null, uddannelse: h.uddannelse ?? null };
}
