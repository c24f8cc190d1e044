import { LockMode } from '@mikro-orm/core';
import { requirePrincipal } from '../auth/auth-checker';
import { Borger } from '../borger/borger.entity';
import { BorgerService } from '../borger/borger.service';
import type { Ctx } from '../context/context';
import { entityFrom, insertRows, nextId } from '../db/rows';
import { transaction } from '../db/transaction';
import { hydrate } from '../borger/borger.prefetch';
import { NotFoundError } from '../errors/domain-errors';
import { Fravaer } from '../fravaer/fravaer.entity';
import { Fravaerstype } from '../fravaer/fravaer.rules';
import type { LocalDate } from '../scalars/local-date';
import { historyLoader } from './history-loader';
import { JobparathedPeriode } from './jobparathed-periode.entity';
import { decideJobparathed, jobparatPaa } from './jobparathed.rules';
import { Afmeldingsaarsag, Tilmelding } from './tilmelding.entity';
import './tilmelding.events';
import { decideAfmelding, decideRaskmelding, decideSygemelding, decideTilmelding, tilmeldingPaa } from './tilmelding.rules';

export interface TilmeldingPaaDato {
  dato: LocalDate;
  tilmeldt: boolean;
  tilmelding: Tilmelding | null;
}

/**
 * What a KSD message changed. Both null: nothing, so KSD can tell a redelivered or out-of-date message from
 * one that took effect (an unchanged open sickness is not echoed back as if it had been opened).
 */
export interface KsdResultat {
  cpr: string;
  /** Sygemelding: the tilmelding ended. Raskmelding: the new tilmelding (FR-2). */
  tilmelding: Tilmelding | null;
  sygdom: Fravaer | null;
}

export function tilmeldingLoader(ctx: Ctx) {
  return historyLoader(ctx, 'tilmelding.byCpr', Tilmelding);
}

export function jobparathedLoader(ctx: Ctx) {
  return historyLoader(ctx, 'jobparathed.byCpr', JobparathedPeriode);
}

/** Locks a borger for a change reported by a feed role (KSD), which reads no borger and so has no org scope. */
export async function lockBorgerForFeed(tx: Ctx, cpr: string): Promise<Borger> {
  const borger = await tx.em.findOne(Borger, { cpr }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!borger) throw new NotFoundError(`Borger med CPR ${cpr} findes ikke`);
  return borger;
}

export class TilmeldingService {
  constructor(private readonly borgere = new BorgerService()) {}

  /** A jobcenter tilmelder its borger from `start` with stillingsbetegnelser/aliaser (TM-1). */
  async tilmeld(ctx: Ctx, cpr: string, start: LocalDate, stillingsbetegnelser: string[]): Promise<Tilmelding> {
    const p = requirePrincipal(ctx);
    return transaction(ctx, async (tx) => {
      // Hot path: the history read after the lock with the new id, the row inserted without the unit of work.
      const { state } = await this.borgere.lockForChange<{ tilmeldinger: unknown; id: string }>(tx, cpr, {
        tilmeldinger: '(select json_agg(to_jsonb(t) order by t.start, t.id) from tilmelding t where t.cpr = b.cpr)',
        id: nextId(tx.em, Tilmelding),
      });
      const ny = decideTilmelding(hydrate(tx.em, Tilmelding, state.tilmeldinger), { start, stillingsbetegnelser });
      const data = { id: state.id, cpr, start: ny.start, stillingsbetegnelser: ny.stillingsbetegnelser, tilmeldtAf: p.org, createdAt: tx.clock.now() };
      await insertRows(tx, [{ entity: Tilmelding, data }]);
      await tx.events.publish(tx, 'tilmelding.tilmeldt', { cpr, start: ny.start, tilmeldtAf: p.org });
      return entityFrom(tx.em, Tilmelding, data);
    });
  }

  /** A jobcenter afmelder its borger; `slut` is the last day tilmeldt. */
  async afmeld(ctx: Ctx, cpr: string, slut: LocalDate): Promise<Tilmelding> {
    return transaction(ctx, async (tx) => {
      await this.borgere.getForUpdate(tx, cpr);
      const periods = await tx.em.find(Tilmelding, { cpr }, { orderBy: { start: 'asc' } });
      const open = decideAfmelding(periods, slut);
      open.slut = slut;
      open.afmeldingsaarsag = Afmeldingsaarsag.AFMELDT;
      await tx.em.flush();
      await tx.events.publish(tx, 'tilmelding.afmeldt', { cpr, slut, aarsag: 'AFMELDT' });
      return open;
    });
  }

  async historik(ctx: Ctx, cpr: string): Promise<Tilmelding[]> {
    ctx.accessLog.record(cpr, 'tilmelding');
    return tilmeldingLoader(ctx).load(cpr);
  }

  /** "Was the borger tilmeldt on `dato`?" for a caller who may read the borger. */
  async paaDato(ctx: Ctx, cpr: string, dato: LocalDate): Promise<TilmeldingPaaDato> {
    await this.borgere.get(ctx, cpr);
    const t = tilmeldingPaa(await this.historik(ctx, cpr), dato) ?? null;
    return { dato, tilmeldt: t !== null, tilmelding: t };
  }

  /** KSD sygemelder: a sygdom fravær opens and the open tilmelding ends the day before (årsag SYGEMELDT). */
  async ksdSygemelding(ctx: Ctx, cpr: string, foersteSygedag: LocalDate): Promise<KsdResultat> {
    const p = requirePrincipal(ctx);
    return transaction(ctx, async (tx) => {
      await lockBorgerForFeed(tx, cpr);
      const tilmeldinger = await tx.em.find(Tilmelding, { cpr }, { orderBy: { start: 'asc' } });
      const sygdom = await tx.em.find(Fravaer, { cpr, fravaerstype: Fravaerstype.SYGDOM }, { orderBy: { start: 'asc' } });
      const d = decideSygemelding({ tilmeldinger, sygdom }, foersteSygedag, tx.clock.today());
      const open = tilmeldinger.find((t) => t.slut == null) ?? null;
      let nySygdom: Fravaer | null = null;
      if (d.openSygdom) {
        nySygdom = tx.em.create(Fravaer, {
          cpr,
          fravaerstype: Fravaerstype.SYGDOM,
          start: d.openSygdom.start,
          registreretAfRolle: p.role,
          registreretAfOrg: p.org,
        });
      }
      if (d.afmeld && open) {
        open.slut = d.afmeld.slut;
        open.afmeldingsaarsag = Afmeldingsaarsag.SYGEMELDT;
      }
      await tx.em.flush();
      if (d.afmeld) await tx.events.publish(tx, 'tilmelding.afmeldt', { cpr, slut: d.afmeld.slut, aarsag: 'SYGEMELDT' });
      return { cpr, tilmelding: d.afmeld ? open : null, sygdom: nySygdom };
    });
  }

  /** FR-2: KSD raskmelder; the sygdom fravær ends and the borger is gentilmeldt from today, whatever date KSD sends. */
  async ksdRaskmelding(ctx: Ctx, cpr: string, raskmeldtDato: LocalDate): Promise<KsdResultat> {
    return transaction(ctx, async (tx) => {
      await lockBorgerForFeed(tx, cpr);
      const tilmeldinger = await tx.em.find(Tilmelding, { cpr }, { orderBy: { start: 'asc' } });
      const sygdom = await tx.em.find(Fravaer, { cpr, fravaerstype: Fravaerstype.SYGDOM }, { orderBy: { start: 'asc' } });
      const d = decideRaskmelding({ tilmeldinger, sygdom }, raskmeldtDato, tx.clock.today());
      const openSygdom = d.endSygdom ? (sygdom.find((s) => s.slut == null) ?? null) : null;
      if (d.endSygdom && openSygdom) openSygdom.slut = d.endSygdom.slut;
      let ny: Tilmelding | null = null;
      if (d.gentilmeld) {
        ny = tx.em.create(Tilmelding, { cpr, start: d.gentilmeld.start, stillingsbetegnelser: d.gentilmeld.stillingsbetegnelser, tilmeldtAf: 'KSD' });
      }
      await tx.em.flush();
      if (ny) await tx.events.publish(tx, 'tilmelding.tilmeldt', { cpr, start: ny.start, tilmeldtAf: 'KSD' });
      return { cpr, tilmelding: ny, sygdom: openSygdom };
    });
  }

  /** A jobcenter registers jobparathed from `start`; the borger's current flag follows the history. */
  async registrerJobparathed(ctx: Ctx, cpr: string, jobparat: boolean, start: LocalDate): Promise<Borger> {
    return transaction(ctx, async (tx) => {
      const borger = await this.borgere.getForUpdate(tx, cpr);
      const periods = await tx.em.find(JobparathedPeriode, { cpr }, { orderBy: { start: 'asc' } });
      // Before the first registration the flag answered for every date; keep that past as a period from
      // the birth date, so the history reads the same before and after.
      if (periods.length === 0 && borger.jobparat !== jobparat && start > borger.foedselsdato) {
        periods.push(tx.em.create(JobparathedPeriode, { cpr, jobparat: borger.jobparat, start: borger.foedselsdato, slut: null }));
      }
      const d = decideJobparathed(periods, { jobparat, start });
      if (d.kind === 'change') {
        const open = periods.find((x) => x.slut == null);
        if (d.closeOpen && open) open.slut = d.closeOpen.slut;
        periods.push(tx.em.create(JobparathedPeriode, { cpr, jobparat, start }));
      }
      borger.jobparat = jobparatPaa(periods, borger.jobparat, tx.clock.today());
      await tx.em.flush();
      return borger;
    });
  }

  async jobparathedHistorik(ctx: Ctx, cpr: string): Promise<JobparathedPeriode[]> {
    ctx.accessLog.record(cpr, 'jobparathed');
    return jobparathedLoader(ctx).load(cpr);
  }
}
