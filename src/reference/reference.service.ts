import type { Ctx } from '../context/context';
import { BadInputError } from '../errors/domain-errors';
import { Kode, KodeListe } from './kode.entity';

export type KodeVaerdi = Readonly<Pick<Kode, 'liste' | 'id' | 'navn' | 'beskrivelse' | 'udgaaet'>>;

/**
 * Code tables change only by migration, yet every write checked its code with a query of its own.
 * Each list is read once per ORM (database) and kept for a few minutes: an instance that did not run
 * the migration sees a new code within that time, as it would after a restart.
 */
const TTL_MS = 5 * 60_000;
const tables = new WeakMap<object, Map<KodeListe, { loadedAt: number; byId: Map<number, KodeVaerdi> }>>();

export class ReferenceService {
  list(ctx: Ctx, liste: KodeListe): Promise<Kode[]> {
    return ctx.em.find(Kode, { liste }, { orderBy: { id: 'asc' } });
  }

  /** Refuses an id that is not in the table, with a message naming the table; `field` names the input that held it. */
  async require(ctx: Ctx, liste: KodeListe, id: number, field: string = liste): Promise<KodeVaerdi> {
    const kode = (await this.table(ctx, liste)).get(id);
    if (!kode) throw new BadInputError(`Ukendt ${liste.toLowerCase()}: ${id}`, { field, value: id });
    return kode;
  }

  private async table(ctx: Ctx, liste: KodeListe): Promise<Map<number, KodeVaerdi>> {
    const key = ctx.em.getMetadata();
    let perOrm = tables.get(key);
    if (!perOrm) tables.set(key, (perOrm = new Map()));
    const hit = perOrm.get(liste);
    if (hit && performance.now() - hit.loadedAt < TTL_MS) return hit.byId;
    const rows = await ctx.em.getConnection().execute<{ liste: KodeListe; id: number; navn: string; beskrivelse: string | null; udgaaet: boolean }[]>(
      'select liste, id, navn, beskrivelse, udgaaet from kode where liste = ?',
      [liste],
      'all',
      ctx.em.getTransactionContext(),
    );
    const byId = new Map<number, KodeVaerdi>(rows.map((r) => [Number(r.id), Object.freeze({ ...r, id: Number(r.id) })]));
    perOrm.set(liste, { loadedAt: performance.now(), byId });
    return byId;
  }
}
