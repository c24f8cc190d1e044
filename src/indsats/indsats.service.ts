import type { Ctx } from '../context/context';
import { requirePrincipal } from '../auth/auth-checker';
import { ownJobcenter } from '../auth/scope';
import { BorgerService } from '../borger/borger.service';
import type { Borger } from '../borger/borger.entity';
import { transaction } from '../db/transaction';
import { BadInputError, ForbiddenError, omBorger } from '../errors/domain-errors';
import { Kode, KodeListe } from '../reference/kode.entity';
import type { LocalDate } from '../scalars/local-date';
import { PlanVersionAarsag, type PlanVersion } from '../uddannelsesplan/plan-version.entity';
import { PlanVersionService } from '../uddannelsesplan/plan-version.service';
import { checkAfholdelseskategori, validateKursusPeriode, validateMentorindsats, type MentorindsatsFelter } from './indsats.rules';
import { Kursusindsats } from './kursusindsats.entity';
import { Mentorindsats } from './mentorindsats.entity';

export interface MentorindsatsResultat {
  mentorindsats: Mentorindsats;
  /** MT-1: the Min plan version the registration made. */
  planVersion: PlanVersion;
}

export interface KursusindsatsFelter {
  afholdelseskategori: number;
  start: LocalDate;
  slut?: LocalDate | null;
  resultat?: string | null;
}

export class IndsatsService {
  constructor(
    private readonly borgere = new BorgerService(),
    private readonly versioner = new PlanVersionService(),
  ) {}

  /** MT-1: a mentorindsats of mentortype 1–6, validated alike; makes a new version of Min plan. */
  async registrerMentor(ctx: Ctx, cpr: string, felter: MentorindsatsFelter): Promise<MentorindsatsResultat> {
    const m = validateMentorindsats(felter);
    return transaction(ctx, async (tx) => {
      const borger = await this.borgere.getForUpdate(tx, cpr);
      const jobcenter = this.jobcenter(tx, borger);
      const mentorindsats = tx.em.create(Mentorindsats, { cpr, jobcenter, ...m, oprettet: tx.clock.now() });
      await tx.em.flush();
      const planVersion = await this.versioner.ny(tx, cpr, jobcenter, PlanVersionAarsag.MENTORINDSATS);
      tx.accessLog.record(cpr, 'mentorindsats');
      return { mentorindsats, planVersion };
    });
  }

  /** MT-1: a changed mentorindsats is registered anew in Min plan (new version). */
  async opdaterMentor(ctx: Ctx, id: string, felter: MentorindsatsFelter): Promise<MentorindsatsResultat> {
    const m = validateMentorindsats(felter);
    return transaction(ctx, async (tx) => {
      const existing = await this.eget(tx, Mentorindsats, id);
      const borger = await this.borgere.getForUpdate(tx, existing.cpr);
      // Read again under the borger's lock: a change committed while this one waited is the state it changes.
      await tx.em.refresh(existing);
      const jobcenter = this.jobcenter(tx, borger);
      if (existing.jobcenter !== jobcenter) throw new ForbiddenError();
      Object.assign(existing, m);
      await tx.em.flush();
      const planVersion = await this.versioner.ny(tx, existing.cpr, jobcenter, PlanVersionAarsag.MENTORINDSATS);
      tx.accessLog.record(existing.cpr, 'mentorindsats');
      return { mentorindsats: existing, planVersion };
    });
  }

  /** MT-3: a new kursusindsats cannot use an expired afholdelseskategori (42, 43). */
  async registrerKursus(ctx: Ctx, cpr: string, felter: KursusindsatsFelter): Promise<Kursusindsats> {
    validateKursusPeriode(felter.start, felter.slut ?? null);
    return transaction(ctx, async (tx) => {
      const borger = await this.borgere.getForUpdate(tx, cpr);
      const jobcenter = this.jobcenter(tx, borger);
      const kategori = await this.kategori(tx, felter.afholdelseskategori);
      checkAfholdelseskategori(kategori, null);
      const k = tx.em.create(Kursusindsats, {
        cpr,
        jobcenter,
        afholdelseskategori: felter.afholdelseskategori,
        start: felter.start,
        slut: felter.slut ?? null,
        resultat: felter.resultat?.trim() || null,
        oprettet: tx.clock.now(),
      });
      await tx.em.flush();
      tx.accessLog.record(cpr, 'kursusindsats');
      return k;
    });
  }

  /** MT-3: an existing kursusindsats that has 42 or 43 keeps it when updated; it cannot be given one anew. */
  async opdaterKursus(ctx: Ctx, id: string, felter: KursusindsatsFelter): Promise<Kursusindsats> {
    validateKursusPeriode(felter.start, felter.slut ?? null);
    return transaction(ctx, async (tx) => {
      const existing = await this.eget(tx, Kursusindsats, id);
      const borger = await this.borgere.getForUpdate(tx, existing.cpr);
      // Read again under the borger's lock: a change committed while this one waited is the state it changes.
      await tx.em.refresh(existing);
      const jobcenter = this.jobcenter(tx, borger);
      if (existing.jobcenter !== jobcenter) throw new ForbiddenError();
      const kategori = await this.kategori(tx, felter.afholdelseskategori);
      omBorger(existing.cpr, () => checkAfholdelseskategori(kategori, existing.afholdelseskategori));
      Object.assign(existing, {
        afholdelseskategori: felter.afholdelseskategori,
        start: felter.start,
        slut: felter.slut ?? null,
        resultat: felter.resultat === undefined ? existing.resultat : felter.resultat?.trim() || null,
      });
      await tx.em.flush();
      tx.accessLog.record(existing.cpr, 'kursusindsats');
      return existing;
    });
  }

  async mentorindsatser(ctx: Ctx, cpr: string): Promise<Mentorindsats[]> {
    const p = requirePrincipal(ctx);
    await this.borgere.get(ctx, cpr);
    ctx.accessLog.record(cpr, 'mentorindsats');
    return ctx.em.find(Mentorindsats, { cpr, jobcenter: p.org }, { orderBy: { start: 'asc', id: 'asc' } });
  }

  async kursusindsatser(ctx: Ctx, cpr: string): Promise<Kursusindsats[]> {
    const p = requirePrincipal(ctx);
    await this.borgere.get(ctx, cpr);
    ctx.accessLog.record(cpr, 'kursusindsats');
    return ctx.em.find(Kursusindsats, { cpr, jobcenter: p.org }, { orderBy: { start: 'asc', id: 'asc' } });
  }

  private jobcenter(tx: Ctx, borger: Borger): string {
    const jobcenter = ownJobcenter(requirePrincipal(tx), borger.jobcenter);
    if (!jobcenter) throw new ForbiddenError();
    return jobcenter;
  }

  /** An indsats by id; unknown ids look like someone else's (FORBIDDEN). */
  private async eget<T extends Mentorindsats | Kursusindsats>(tx: Ctx, type: new () => T, id: string): Promise<T> {
    const row = /^\d{1,18}$/.test(id) ? await tx.em.findOne(type as never, { id } as never) : null;
    if (!row) throw new ForbiddenError();
    return row as T;
  }

  private async kategori(tx: Ctx, id: number): Promise<{ id: number; udgaaet: boolean }> {
    const kode = await tx.em.findOne(Kode, { liste: KodeListe.AFHOLDELSESKATEGORI, id });
    if (!kode) throw new BadInputError(`Ukendt afholdelseskategori: ${id}`, { field: 'afholdelseskategori', value: id });
    return { id: kode.id, udgaaet: kode.udgaaet };
  }
}
