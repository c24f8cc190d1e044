import type { Ctx } from '../context/context';
import { transaction } from '../db/transaction';
import { KodeListe } from '../reference/kode.entity';
import { ReferenceService } from '../reference/reference.service';
import type { LocalDate } from '../scalars/local-date';
import './borger.events';
import { BorgerService } from './borger.service';
import { decideKontaktgruppeLukning, decideKontaktgruppeSkift } from './kontaktgruppe.rules';
import { KontaktgruppePeriode } from './kontaktgruppe-periode.entity';
import type { Borger } from './borger.entity';

export class KontaktgruppeService {
  constructor(
    private readonly borgere = new BorgerService(),
    private readonly reference = new ReferenceService(),
  ) {}

  /** A jobcenter moves its borger to another kontaktgruppe from `start`. */
  async skift(ctx: Ctx, cpr: string, kontaktgruppe: number, start: LocalDate): Promise<Borger> {
    return transaction(ctx, async (tx) => {
      const borger = await this.borgere.getForUpdate(tx, cpr);
      await this.reference.require(tx, KodeListe.KONTAKTGRUPPE, kontaktgruppe);
      const periods = await tx.em.find(KontaktgruppePeriode, { borger: cpr }, { orderBy: { start: 'asc' } });
      const decision = decideKontaktgruppeSkift(periods, { kontaktgruppe, start });
      if (decision.kind !== 'change') return borger;
      const open = periods.find((p) => p.slut == null);
      if (decision.closeCurrent && open) open.slut = decision.closeCurrent.slut;
      tx.em.create(KontaktgruppePeriode, { borger, kontaktgruppe, start });
      await tx.em.flush();
      await tx.events.publish(tx, 'kontaktgruppe.skiftet', {
        cpr,
        fra: open?.kontaktgruppe ?? null,
        til: kontaktgruppe,
        start,
        jobcenter: borger.jobcenter,
      });
      return borger;
    });
  }

  /** A jobcenter closes the kontaktgruppe without a new one. */
  async luk(ctx: Ctx, cpr: string, slut: LocalDate): Promise<Borger> {
    return transaction(ctx, async (tx) => {
      const borger = await this.borgere.getForUpdate(tx, cpr);
      const periods = await tx.em.find(KontaktgruppePeriode, { borger: cpr }, { orderBy: { start: 'asc' } });
      decideKontaktgruppeLukning(periods, slut);
      const open = periods.find((p) => p.slut == null)!;
      open.slut = slut;
      await tx.em.flush();
      await tx.events.publish(tx, 'kontaktgruppe.lukket', { cpr, kontaktgruppe: open.kontaktgruppe, slut, jobcenter: borger.jobcenter });
      return borger;
    });
  }
}
