import { requirePrincipal } from '../auth/auth-checker';
import { activeOn } from '../borger/borger.rules';
import type { Borger } from '../borger/borger.entity';
import { kontaktgruppeLoader, medlemskabLoader } from '../borger/borger.loaders';
import { hydrate } from '../borger/borger.prefetch';
import { BorgerService } from '../borger/borger.service';
import { KontaktgruppePeriode } from '../borger/kontaktgruppe-periode.entity';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { entityFrom, insertRows, nextId } from '../db/rows';
import { transaction } from '../db/transaction';
import { BadInputError, NotFoundError } from '../errors/domain-errors';
import { KodeListe } from '../reference/kode.entity';
import { ReferenceService } from '../reference/reference.service';
import type { LocalDate } from '../scalars/local-date';
import { historyLoader } from '../tilmelding/history-loader';
import { JobparathedPeriode } from '../tilmelding/jobparathed-periode.entity';
import { jobparatPaa } from '../tilmelding/jobparathed.rules';
import { jobparathedLoader, tilmeldingLoader } from '../tilmelding/tilmelding.service';
import { tilmeldingPaa } from '../tilmelding/tilmelding.rules';
import { Fravaer } from './fravaer.entity';
import {
  aktiveFravaerstyper,
  checkFravaerPeriode,
  checkFravaerstypeTilladt,
  Fravaerstype,
  fravaerSynligForAkasse,
  joblogpligt,
  type JoblogSvar,
} from './fravaer.rules';

export interface RegistrerFravaerInput {
  cpr: string;
  fravaerstype: number;
  start: LocalDate;
  slut?: LocalDate | null;
}

export function fravaerLoader(ctx: Ctx) {
  return historyLoader(ctx, 'fravaer.byCpr', Fravaer);
}

export class FravaerService {
  constructor(
    private readonly borgere = new BorgerService(),
    private readonly reference = new ReferenceService(),
  ) {}

  /** A jobcenter registers a fravær for its borger (FR-3 for type 74). */
  async registrer(ctx: Ctx, input: RegistrerFravaerInput): Promise<Fravaer> {
    const p = requirePrincipal(ctx);
    return transaction(ctx, async (tx) => {
      // Hot path: the FR-3 state in one statement after the lock, the row inserted without the unit of work.
      const { borger, state } = await this.borgere.lockForChange<{ kontaktgrupper: unknown; jobparathed: unknown; id: string }>(tx, input.cpr, {
        kontaktgrupper: '(select json_agg(to_jsonb(k) order by k.start, k.id) from kontaktgruppe_periode k where k.cpr = b.cpr)',
        jobparathed: '(select json_agg(to_jsonb(j) order by j.start, j.id) from jobparathed_periode j where j.cpr = b.cpr)',
        id: nextId(tx.em, Fravaer),
      });
      const kode = await this.reference.require(tx, KodeListe.FRAVAERSTYPE, input.fravaerstype);
      if (kode.udgaaet) throw new BadInputError(`Fraværstype ${kode.id} '${kode.navn}' er udgået og kan ikke bruges til nye registreringer`, { field: 'fravaerstype' });
      if (input.fravaerstype === Fravaerstype.SYGDOM) {
        throw new BadInputError(`Fraværstype ${kode.id} '${kode.navn}' registreres kun af sygedagpengesystemet (KSD)`, { field: 'fravaerstype' });
      }
      checkFravaerPeriode(input.start, input.slut);
      // FR-3 looks at the borger as they are on the fravær's first day.
      const kg = activeOn(hydrate(tx.em, KontaktgruppePeriode, state.kontaktgrupper), input.start);
      const jp = hydrate(tx.em, JobparathedPeriode, state.jobparathed);
      checkFravaerstypeTilladt(
        input.fravaerstype,
        { kontaktgruppe: kg?.kontaktgruppe ?? null, jobparat: jobparatPaa(jp, borger.jobparat, input.start) },
        input.start,
      );
      const data = {
        id: state.id,
        cpr: input.cpr,
        fravaerstype: input.fravaerstype,
        start: input.start,
        slut: input.slut ?? null,
        registreretAfRolle: p.role,
        registreretAfOrg: p.org,
        createdAt: tx.clock.now(),
      };
      await insertRows(tx, [{ entity: Fravaer, data }]);
      return entityFrom(tx.em, Fravaer, data);
    });
  }

  /** A jobcenter ends (or moves the end of) a fravær of its borger; `slut` is the last day. */
  async afslut(ctx: Ctx, id: string, slut: LocalDate): Promise<Fravaer> {
    if (!/^\d{1,18}$/.test(id)) throw new BadInputError('Ugyldigt fravær-id', { field: 'id' });
    return transaction(ctx, async (tx) => {
      const f = await tx.em.findOne(Fravaer, { id });
      if (!f) throw new NotFoundError(`Fravær ${id} findes ikke`);
      await this.borgere.getForUpdate(tx, f.cpr);
      if (f.fravaerstype === Fravaerstype.SYGDOM) {
        throw new BadInputError('Sygdom registreret af sygedagpengesystemet afsluttes af raskmeldingen fra KSD', { field: 'id' });
      }
      checkFravaerPeriode(f.start, slut);
      f.slut = slut;
      await tx.em.flush();
      return f;
    });
  }

  /**
   * The fraværshistorik of a borger the caller may read. An a-kasse sees what FR-1 lets it; jobcenter,
   * borger and SYSTEM see all. Batched: a page of borgere costs one statement for the fravær and one for
   * the memberships.
   */
  async historik(ctx: Ctx, borger: Pick<Borger, 'cpr'>): Promise<Fravaer[]> {
    const p = requirePrincipal(ctx);
    ctx.accessLog.record(borger.cpr, 'fravaershistorik');
    const alle = await fravaerLoader(ctx).load(borger.cpr);
    if (p.role !== Role.AKASSE) return alle;
    const medlemskaber = await medlemskabLoader(ctx).load(borger.cpr);
    return fravaerSynligForAkasse(alle, p.org, medlemskaber, ctx.clock.today());
  }

  async historikForCpr(ctx: Ctx, cpr: string): Promise<Fravaer[]> {
    const borger = await this.borgere.get(ctx, cpr);
    return this.historik(ctx, borger);
  }

  /** "Does this borger have the joblog duty today?" (FR-3 exemption included). */
  async joblogpligt(ctx: Ctx, cpr: string): Promise<JoblogSvar & { dato: LocalDate }> {
    const borger = await this.borgere.get(ctx, cpr);
    const today = ctx.clock.today();
    ctx.accessLog.record(cpr, 'joblogpligt');
    const [tilmeldinger, kg, jp, fravaer] = await Promise.all([
      tilmeldingLoader(ctx).load(cpr),
      kontaktgruppeLoader(ctx).load(cpr),
      jobparathedLoader(ctx).load(cpr),
      fravaerLoader(ctx).load(cpr),
    ]);
    const svar = joblogpligt({
      tilmeldt: tilmeldingPaa(tilmeldinger, today) !== undefined,
      kontaktgruppe: activeOn(kg, today)?.kontaktgruppe ?? null,
      jobparat: jobparatPaa(jp, borger.jobparat, today),
      aktiveFravaerstyper: aktiveFravaerstyper(fravaer, today),
    });
    return { ...svar, dato: today };
  }
}
