import { LockMode } from '@mikro-orm/core';
import { requirePrincipal } from '../auth/auth-checker';
import { Borger } from '../borger/borger.entity';
import { medlemskabLoader } from '../borger/borger.loaders';
import { BorgerService } from '../borger/borger.service';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { transaction } from '../db/transaction';
import { ForbiddenError, NotFoundError } from '../errors/domain-errors';
import type { LocalDate } from '../scalars/local-date';
import './akasse.events';
import { decideMedlemsafgang, decideMedlemstilgang, decideTilbagekaldelse, erMedlem } from './akasse.rules';
import { MedlemskabTilbagekaldt } from './medlemskab-tilbagekaldt.entity';
import { Medlemskab } from './medlemskab.entity';

export interface MedlemPage {
  items: Borger[];
  nextCursor: string | null;
}

export class AkasseService {
  constructor(private readonly borgere = new BorgerService()) {}

  private async lock(tx: Ctx, cpr: string): Promise<Borger | null> {
    return tx.em.findOne(Borger, { cpr }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /** The calling a-kasse's memberships of the borger, locked with the borger; FORBIDDEN unless it is the borger's a-kasse. */
  private async ownForChange(tx: Ctx, cpr: string): Promise<Medlemskab[]> {
    const p = requirePrincipal(tx);
    const borger = await this.lock(tx, cpr);
    const own = borger ? await tx.em.find(Medlemskab, { cpr, akasse: p.org }, { orderBy: { start: 'asc' } }) : [];
    if (!borger || !erMedlem(own, tx.clock.today())) throw new ForbiddenError('A-kassen kan kun ændre medlemskab for sine egne medlemmer');
    return own;
  }

  /** Medlemstilgang: any existing borger may become the calling a-kasse's member. */
  async tilgang(ctx: Ctx, cpr: string, start: LocalDate): Promise<Medlemskab> {
    const p = requirePrincipal(ctx);
    return transaction(ctx, async (tx) => {
      if (!(await this.lock(tx, cpr))) throw new NotFoundError(`Borger med CPR ${cpr} findes ikke`);
      const own = await tx.em.find(Medlemskab, { cpr, akasse: p.org }, { orderBy: { start: 'asc' } });
      decideMedlemstilgang(own, start);
      const m = tx.em.create(Medlemskab, { cpr, akasse: p.org, start, slut: null });
      await tx.em.flush();
      await tx.events.publish(tx, 'akasse.medlemstilgang', { cpr, akasse: p.org, start, slut: null });
      return m;
    });
  }

  /** Medlemsafgang: the member's open membership ends on `slut`. */
  async afgang(ctx: Ctx, cpr: string, slut: LocalDate): Promise<Medlemskab> {
    const p = requirePrincipal(ctx);
    return transaction(ctx, async (tx) => {
      const own = await this.ownForChange(tx, cpr);
      const m = decideMedlemsafgang(own, slut);
      m.slut = slut;
      await tx.em.flush();
      await tx.events.publish(tx, 'akasse.medlemsafgang', { cpr, akasse: p.org, start: m.start, slut });
      return m;
    });
  }

  /** AK-1: recalls the a-kasse's latest medlemstilgang, also when an earlier membership of the same a-kasse precedes it. */
  async tilbagekald(ctx: Ctx, cpr: string, start: LocalDate): Promise<Medlemskab> {
    const p = requirePrincipal(ctx);
    return transaction(ctx, async (tx) => {
      const own = await this.ownForChange(tx, cpr);
      const m = decideTilbagekaldelse(own, start);
      const copy = Object.assign(new Medlemskab(), { id: m.id, cpr: m.cpr, akasse: m.akasse, start: m.start, slut: m.slut ?? null });
      tx.em.create(MedlemskabTilbagekaldt, { medlemskabId: m.id, cpr, akasse: m.akasse, start: m.start, slut: m.slut ?? null, tilbagekaldtAf: p.sub });
      tx.em.remove(m);
      await tx.em.flush();
      await tx.events.publish(tx, 'akasse.tilgangTilbagekaldt', { cpr, akasse: p.org, start: copy.start, slut: copy.slut ?? null });
      return copy;
    });
  }

  /**
   * The borger's membership history. An a-kasse (which reads only its current members) sees its own
   * periods, not the borger's other a-kasser; a jobcenter and SYSTEM see all.
   */
  async historik(ctx: Ctx, cpr: string): Promise<Medlemskab[]> {
    const p = requirePrincipal(ctx);
    await this.borgere.get(ctx, cpr);
    ctx.accessLog.record(cpr, 'akasse_medlemskab');
    const all = await medlemskabLoader(ctx).load(cpr);
    return p.role === Role.AKASSE ? all.filter((m) => m.akasse === p.org) : all;
  }

  /** The calling a-kasse's current members (membership covering today), in CPR order, keyset-paginated. */
  async medlemmer(ctx: Ctx, first: number, after: string | null): Promise<MedlemPage> {
    const p = requirePrincipal(ctx);
    if (p.role !== Role.AKASSE) throw new ForbiddenError();
    const today = ctx.clock.today();
    const qb = ctx.em
      .createQueryBuilder(Borger, 'b')
      .select('*')
      .where(after ? { cpr: { $gt: after } } : {})
      .andWhere('exists (select 1 from akasse_medlemskab m where m.cpr = b.cpr and m.akasse = ? and m.start <= ? and (m.slut is null or m.slut >= ?))', [
        p.org,
        today,
        today,
      ])
      .orderBy({ cpr: 'asc' })
      .limit(first + 1);
    const items = await qb.getResultList();
    const more = items.length > first;
    const page = more ? items.slice(0, first) : items;
    for (const b of page) ctx.accessLog.record(b.cpr, 'borger');
    return { items: page, nextCursor: more ? page[page.length - 1].cpr : null };
  }
}
