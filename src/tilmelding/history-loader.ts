import DataLoader from 'dataloader';
import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { Ctx } from '../context/context';

/**
 * A per-request DataLoader for rows kept per borger (history tables with a `cpr` and a `start`): the rows
 * of every borger asked for in one tick come in one statement, oldest first.
 */
export function historyLoader<T extends { cpr: string }>(ctx: Ctx, key: string, entity: EntityClass<T>): DataLoader<string, T[]> {
  return ctx.loaders.get(key, () =>
    new DataLoader<string, T[]>(async (cprs) => {
      const rows = await ctx.em.find(entity, { cpr: { $in: [...cprs] } } as FilterQuery<T>, { orderBy: { start: 'asc', id: 'asc' } as never });
      const m = new Map<string, T[]>(cprs.map((c) => [c, []]));
      for (const r of rows) m.get(r.cpr)?.push(r);
      return cprs.map((c) => m.get(c)!);
    }),
  );
}
