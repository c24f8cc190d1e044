import { LockMode } from '@mikro-orm/core';
import DataLoader from 'dataloader';
import { requirePrincipal } from '../auth/auth-checker';
import { Borger } from '../borger/borger.entity';
import { BorgerService } from '../borger/borger.service';
import type { Ctx } from '../context/context';
import { transaction } from '../db/transaction';
import { BadInputError, NotFoundError, omBorger } from '../errors/domain-errors';
import { BorgerFlytning } from '../kontaktperson/borger-flytning.entity';
import type { LocalDate } from '../scalars/local-date';
import { Persongruppemarkering } from './persongruppemarkering.entity';
import { decideLukning, erOpretter, maaBruge, maaLukke, validateMarkering, type LukFacts } from './persongruppe.rules';
import { kraevRaekkeId } from '../scalars/row-id';

function markeringLoader(ctx: Ctx) {
  return ctx.loaders.get('persongruppe.markeringer', () =>
    new DataLoader<string, Persongruppemarkering[]>(async (cprs) => {
      const rows = await ctx.em.find(Persongruppemarkering, { cpr: { $in: [...cprs] } }, { orderBy: { start: 'asc', id: 'asc' } });
      const m = new Map<string, Persongruppemarkering[]>(cprs.map((c) => [c, []]));
      for (const r of rows) m.get(r.cpr)?.push(r);
      return cprs.map((c) => m.get(c)!);
    }),
  );
}

function senesteFlytningLoader(ctx: Ctx) {
  return ctx.loaders.get('persongruppe.senesteFlytning', () =>
    new DataLoader<string, BorgerFlytning | null>(async (cprs) => {
      const rows = await ctx.em.find(BorgerFlytning, { cpr: { $in: [...cprs] } }, { orderBy: { id: 'asc' } });
      const m = new Map<string, BorgerFlytning>();
      // The latest change of jobcenter: a CPR move that only follows a manual one (same jobcenter) is not one.
      for (const r of rows) if (r.fraJobcenter !== r.tilJobcenter) m.set(r.cpr, r);
      return cprs.map((c) => m.get(c) ?? null);
    }),
  );
}

/** Persongruppemarkering type 5 (PG-1, PG-2): created, read and closed by the organisations it lists. */
export class PersongruppeService {
  constructor(private readonly borgere = new BorgerService()) {}

  /** A jobcenter (its borger) or an a-kasse (its member) creates a type-5 marking; it must list itself. */
  async opret(ctx: Ctx, input: { cpr: string; jobcentre: string[]; akasser: string[]; start?: LocalDate | null; slut?: LocalDate | null }): Promise<Persongruppemarkering> {
    const p = requirePrincipal(ctx);
    const start = input.start ?? ctx.clock.today();
    const lists = validateMarkering(p, { ...input, start });
    return transaction(ctx, async (tx) => {
      await this.borgere.getForUpdate(tx, input.cpr);
      const m = tx.em.create(Persongruppemarkering, {
        cpr: input.cpr,
        ...lists,
        start,
        slut: input.slut ?? null,
        oprettetAfRolle: p.role,
        oprettetAfOrg: p.org,
        oprettetAf: p.sub,
      });
      await tx.em.flush();
      return m;
    });
  }

  /** PG-2: closes a marking: its creator, or (after a manual move) the new jobcenter a marking of the previous one. */
  async luk(ctx: Ctx, input: { id: string; slut?: LocalDate | null }): Promise<Persongruppemarkering> {
    const p = requirePrincipal(ctx);
    kraevRaekkeId(input.id);
    return transaction(ctx, async (tx) => {
      const found = await tx.em.findOne(Persongruppemarkering, { id: input.id });
      if (!found) throw new NotFoundError(`Persongruppemarkering ${input.id} findes ikke`);
      // PG-2: the creating organisation may close its marking also when the borger is no longer its own (a CPR move
      // to a kommune the marking lists keeps it open); anyone else goes through the borger's scoping.
      const borger = erOpretter(p, found)
        ? (await tx.em.findOne(Borger, { cpr: found.cpr }, { lockMode: LockMode.PESSIMISTIC_WRITE }))!
        : await this.borgere.getForUpdate(tx, found.cpr);
      const m = (await tx.em.findOne(Persongruppemarkering, { id: input.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }))!;
      const facts = await this.lukFacts(tx, borger);
      const { slut } = omBorger(m.cpr, () => decideLukning(p, m, facts, input.slut ?? tx.clock.today(), tx.clock.today()));
      tx.em.assign(m, { slut, lukketAfRolle: p.role, lukketAfOrg: p.org, lukketAf: p.sub, lukket: tx.clock.now() });
      await tx.em.flush();
      return m;
    });
  }

  /** The borger's type-5 markings the caller may use or close (X-4 logged). */
  async forCpr(ctx: Ctx, cpr: string): Promise<Persongruppemarkering[]> {
    const borger = await this.borgere.get(ctx, cpr);
    return this.forBorger(ctx, borger);
  }

  async forBorger(ctx: Ctx, borger: Borger): Promise<Persongruppemarkering[]> {
    const p = requirePrincipal(ctx);
    ctx.accessLog.record(borger.cpr, 'persongruppemarkeringer');
    const [all, facts] = await Promise.all([markeringLoader(ctx).load(borger.cpr), this.lukFacts(ctx, borger)]);
    return all.filter((m) => maaBruge(p, m) || maaLukke(p, m, facts));
  }

  private async lukFacts(ctx: Ctx, borger: Borger): Promise<LukFacts> {
    const f = await senesteFlytningLoader(ctx).load(borger.cpr);
    return {
      borgersJobcenter: borger.jobcenter,
      senesteFlytning: f ? { kilde: f.kilde, fraJobcenter: f.fraJobcenter, tilJobcenter: f.tilJobcenter } : null,
    };
  }
}
