import type { Ctx } from '../context/context';
import { BadInputError } from '../errors/domain-errors';
import { Kode, KodeListe } from './kode.entity';

export class ReferenceService {
  list(ctx: Ctx, liste: KodeListe): Promise<Kode[]> {
    return ctx.em.find(Kode, { liste }, { orderBy: { id: 'asc' } });
  }

  /** Refuses an id that is not in the table, with a message naming the table. */
  async require(ctx: Ctx, liste: KodeListe, id: number): Promise<Kode> {
    const kode = await ctx.em.findOne(Kode, { liste, id });
    if (!kode) throw new BadInputError(`Ukendt ${liste.toLowerCase()}: ${id}`, { field: liste, value: id });
    return kode;
  }
}
