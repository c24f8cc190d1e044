import DataLoader from 'dataloader';
import { requirePrincipal } from '../auth/auth-checker';
import type { Borger } from '../borger/borger.entity';
import { BorgerService } from '../borger/borger.service';
import type { Ctx } from '../context/context';
import { transaction } from '../db/transaction';
import { Booking } from './booking.entity';
import { validateBooking, type BookingInput } from './booking.rules';

/** The bookinger of many borgere in one statement, by mødedato. */
export function bookingLoader(ctx: Ctx) {
  return ctx.loaders.get('booking.byCpr', () =>
    new DataLoader<string, Booking[]>(async (cprs) => {
      const rows = await ctx.em.find(Booking, { cpr: { $in: [...cprs] } }, { orderBy: { moededato: 'asc', id: 'asc' } });
      const by = new Map<string, Booking[]>(cprs.map((c) => [c, []]));
      for (const r of rows) by.get(r.cpr)?.push(r);
      return cprs.map((c) => by.get(c)!);
    }),
  );
}

export class BookingService {
  constructor(private readonly borgere = new BorgerService()) {}

  /** The jobcenter registers a booking/indkaldelse for its borger (DL-1: not one already due for deletion). */
  async registrer(ctx: Ctx, input: BookingInput): Promise<Booking> {
    const p = requirePrincipal(ctx);
    validateBooking(input, ctx.clock.today());
    return transaction(ctx, async (tx) => {
      await this.borgere.getForUpdate(tx, input.cpr);
      const b = tx.em.create(Booking, {
        cpr: input.cpr,
        art: input.art,
        moededato: input.moededato,
        selvbookingsfrist: input.selvbookingsfrist ?? null,
        jobcenter: p.org,
        registreretAf: p.sub,
      });
      await tx.em.flush();
      return b;
    });
  }

  /** A borger's bookinger/indkaldelser by mødedato, for whoever may read the borger (X-4: logged). */
  async forCpr(ctx: Ctx, cpr: string): Promise<Booking[]> {
    const borger = await this.borgere.get(ctx, cpr);
    return this.forBorger(ctx, borger);
  }

  /** `Borger.bookinger`: batched over a list of borgere. */
  async forBorger(ctx: Ctx, borger: Borger): Promise<Booking[]> {
    ctx.accessLog.record(borger.cpr, 'booking');
    return bookingLoader(ctx).load(borger.cpr);
  }
}
