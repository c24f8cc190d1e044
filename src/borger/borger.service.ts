import type { Ctx } from '../context/context';
import { requirePrincipal } from '../auth/auth-checker';
import { mayReadBorger, readsAcrossOrgs } from '../auth/scope';
import { ForbiddenError, NotFoundError } from '../errors/domain-errors';
import { Borger } from './borger.entity';
import { activeOn, covers } from './borger.rules';
import { kontaktgruppeLoader, medlemskabLoader } from './borger.loaders';
import type { KontaktgruppePeriode } from './kontaktgruppe-periode.entity';
import { Role } from '../context/roles';

export interface BorgerPage {
  items: Borger[];
  nextCursor: string | null;
}

export class BorgerService {
  /** Loads a borger the caller may read, and logs the read. Unknown and not-yours look alike to scoped callers. */
  async get(ctx: Ctx, cpr: string): Promise<Borger> {
    const p = requirePrincipal(ctx);
    const borger = await ctx.em.findOne(Borger, { cpr });
    const akasser = borger ? await this.currentAkasser(ctx, cpr) : [];
    if (!borger) {
      if (readsAcrossOrgs(p)) throw new NotFoundError(`Borger med CPR ${cpr} findes ikke`);
      throw new ForbiddenError();
    }
    if (!mayReadBorger(p, { cpr, jobcenter: borger.jobcenter, akasser }, ctx.clock.today())) throw new ForbiddenError();
    ctx.accessLog.record(cpr, 'borger');
    return borger;
  }

  /** A jobcenter's own borgere, in CPR order, keyset-paginated. */
  async listForJobcenter(ctx: Ctx, first: number, after: string | null): Promise<BorgerPage> {
    const p = requirePrincipal(ctx);
    if (p.role !== Role.JOBCENTER) throw new ForbiddenError();
    const items = await ctx.em.find(
      Borger,
      { jobcenter: p.org, ...(after ? { cpr: { $gt: after } } : {}) },
      { orderBy: { cpr: 'asc' }, limit: first + 1 },
    );
    const more = items.length > first;
    const page = more ? items.slice(0, first) : items;
    for (const b of page) ctx.accessLog.record(b.cpr, 'borger');
    return { items: page, nextCursor: more ? page[page.length - 1].cpr : null };
  }

  async kontaktgruppeHistorik(ctx: Ctx, borger: Borger): Promise<KontaktgruppePeriode[]> {
    ctx.accessLog.record(borger.cpr, 'kontaktgruppe');
    return kontaktgruppeLoader(ctx).load(borger.cpr);
  }

  async kontaktgruppe(ctx: Ctx, borger: Borger): Promise<KontaktgruppePeriode | undefined> {
    return activeOn(await this.kontaktgruppeHistorik(ctx, borger), ctx.clock.today());
  }

  private async currentAkasser(ctx: Ctx, cpr: string): Promise<string[]> {
    const today = ctx.clock.today();
    return (await medlemskabLoader(ctx).load(cpr)).filter((m) => covers(m, today)).map((m) => m.akasse);
  }
}
