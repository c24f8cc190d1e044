import { requirePrincipal } from '../auth/auth-checker';
import { activeOn } from '../borger/borger.rules';
import { BorgerService } from '../borger/borger.service';
import { KontaktgruppePeriode } from '../borger/kontaktgruppe-periode.entity';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { transaction } from '../db/transaction';
import { BadInputError } from '../errors/domain-errors';
import { Fravaer } from '../fravaer/fravaer.entity';
import { Fravaerstype } from '../fravaer/fravaer.rules';
import type { LocalDate } from '../scalars/local-date';
import { historyLoader } from '../tilmelding/history-loader';
import { JobparathedPeriode } from '../tilmelding/jobparathed-periode.entity';
import { jobparatPaa } from '../tilmelding/jobparathed.rules';
import { Tilmelding } from '../tilmelding/tilmelding.entity';
import { tilmeldingPaa } from '../tilmelding/tilmelding.rules';
import { CvStatusindberetning } from './cv-statusindberetning.entity';
import { CvTilstand } from './cv-tilstand.entity';
import './cv.events';
import { cvPaa, CvStatus, decideCvStatus, haendelsesdato, kraevMedlemPaaHaendelsesdato, planCvTilstand, type CvTilstandState, type CvVurderingsgrundlag } from './cv.rules';
import { Medlemskab } from '../akasse/medlemskab.entity';

export interface IndberetCvStatusInput {
  cpr: string;
  status: number;
  eventDate?: LocalDate | null;
  kommentar?: string | null;
}

export interface CvStatusResultat {
  haendelsesdato: LocalDate;
  historisk: boolean;
  statusAendret: boolean;
  /** The CV from the event date on. */
  cvPaaHaendelsesdato: CvTilstand;
  /** The CV today (a later change on record is kept, so it may differ). */
  cv: CvTilstand | null;
  grundlag: CvVurderingsgrundlag;
  advarsler: string[];
}

export function cvLoader(ctx: Ctx) {
  return historyLoader(ctx, 'cv.byCpr', CvTilstand);
}

/** Applies a timeline plan from cv.rules to the loaded rows; returns the row holding the new state. */
function applyPlan(tx: Ctx, cpr: string, periods: CvTilstand[], plan: ReturnType<typeof planCvTilstand>): CvTilstand {
  let holder: CvTilstand | undefined;
  for (const u of plan.update) {
    const row = u.period as CvTilstand;
    Object.assign(row, u.set);
    if (u.set.status !== undefined) holder = row;
  }
  for (const ins of plan.insert) {
    holder = tx.em.create(CvTilstand, { cpr, status: ins.status, soegbar: ins.soegbar, kommentar: ins.kommentar ?? null, start: ins.start, slut: ins.slut ?? null });
    periods.push(holder);
  }
  return holder!;
}

export class CvService {
  constructor(private readonly borgere = new BorgerService()) {}

  /** The borger as they were on `dato`, read inside the transaction (CV-1). */
  private async grundlag(tx: Ctx, cpr: string, borgerJobparat: boolean, dato: LocalDate, cv: CvTilstandState[]): Promise<CvVurderingsgrundlag> {
    // One connection in a transaction: one statement at a time.
    const tilmeldinger = await tx.em.find(Tilmelding, { cpr });
    const sygdom = await tx.em.find(Fravaer, { cpr, fravaerstype: Fravaerstype.SYGDOM });
    const kg = await tx.em.find(KontaktgruppePeriode, { borger: cpr });
    const jp = await tx.em.find(JobparathedPeriode, { cpr });
    const c = cvPaa(cv, dato);
    return {
      tilmeldt: tilmeldingPaa(tilmeldinger, dato) !== undefined,
      sygemeldt: activeOn(sygdom, dato) !== undefined,
      kontaktgruppe: activeOn(kg, dato)?.kontaktgruppe ?? null,
      jobparat: jobparatPaa(jp, borgerJobparat, dato),
      cvStatus: c?.status ?? null,
      soegbar: c?.soegbar ?? false,
    };
  }

  /** An a-kasse (CV-2) or a jobcenter (CV-3) reports CV status, optionally with a historic event date (CV-1, CV-4). */
  async indberet(ctx: Ctx, input: IndberetCvStatusInput): Promise<CvStatusResultat> {
    const p = requirePrincipal(ctx);
    const rolle = p.role === Role.AKASSE ? 'AKASSE' : 'JOBCENTER';
    return transaction(ctx, async (tx) => {
      const borger = await this.borgere.getForUpdate(tx, input.cpr);
      const today = tx.clock.today();
      const dato = haendelsesdato(input, today);
      if (rolle === 'AKASSE') kraevMedlemPaaHaendelsesdato(await tx.em.find(Medlemskab, { cpr: input.cpr, akasse: p.org }), dato);
      const cv = await tx.em.find(CvTilstand, { cpr: input.cpr }, { orderBy: { start: 'asc' } });
      const g = await this.grundlag(tx, input.cpr, borger.jobparat, dato, cv);
      const d = decideCvStatus(rolle, g, input, today);
      const holder = applyPlan(tx, input.cpr, cv, planCvTilstand(cv, dato, { status: d.status, kommentar: d.kommentar }));
      tx.em.create(CvStatusindberetning, {
        cpr: input.cpr,
        rolle,
        org: p.org,
        indberettetStatus: input.status,
        haendelsesdato: dato,
        historisk: d.historisk,
        kommentar: input.kommentar?.trim() || null,
        statusAendret: d.statusAendret,
        advarsler: d.advarsler,
      });
      await tx.em.flush();
      await tx.events.publish(tx, 'cv.statusIndberettet', {
        cpr: input.cpr,
        rolle,
        org: p.org,
        indberettetStatus: input.status,
        haendelsesdato: dato,
        status: d.status,
        statusAendret: d.statusAendret,
      });
      return {
        haendelsesdato: dato,
        historisk: d.historisk,
        statusAendret: d.statusAendret,
        cvPaaHaendelsesdato: holder,
        cv: cvPaa(cv, today) ?? null,
        grundlag: g,
        advarsler: d.advarsler,
      };
    });
  }

  /** Jobnet (the borger, or a SYSTEM feed) reports the CV påbegyndt (0) or klar til godkendelse (1), and whether it is searchable, from today. */
  async jobnetOpdateret(ctx: Ctx, cpr: string, status: number, soegbar: boolean): Promise<CvTilstand> {
    if (status !== CvStatus.PAABEGYNDT && status !== CvStatus.KLAR_TIL_GODKENDELSE) {
      throw new BadInputError("Fra Jobnet kan CV'et kun sættes til 0 (CV påbegyndt) eller 1 (Klar til godkendelse)", { field: 'status' });
    }
    return transaction(ctx, async (tx) => {
      await this.borgere.getForUpdate(tx, cpr);
      const cv = await tx.em.find(CvTilstand, { cpr }, { orderBy: { start: 'asc' } });
      const holder = applyPlan(tx, cpr, cv, planCvTilstand(cv, tx.clock.today(), { status, soegbar, kommentar: null }));
      await tx.em.flush();
      return holder;
    });
  }

  async historik(ctx: Ctx, cpr: string): Promise<CvTilstand[]> {
    ctx.accessLog.record(cpr, 'cv');
    return cvLoader(ctx).load(cpr);
  }

  async idag(ctx: Ctx, cpr: string): Promise<CvTilstand | null> {
    return cvPaa(await this.historik(ctx, cpr), ctx.clock.today()) ?? null;
  }
}
