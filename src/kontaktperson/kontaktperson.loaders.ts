import DataLoader from 'dataloader';
import type { Ctx } from '../context/context';
import { BorgerFlytning } from './borger-flytning.entity';
import { Kontaktperson } from './kontaktperson.entity';

function groupBy<T>(keys: readonly string[], rows: T[], key: (r: T) => string): T[][] {
  const m = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const r of rows) m.get(key(r))?.push(r);
  return keys.map((k) => m.get(k)!);
}

/** Kontaktpersoner (with their kontakt) of many borgere in one statement, by start. */
export function kontaktpersonLoader(ctx: Ctx) {
  return ctx.loaders.get('kontaktperson.kontaktpersoner', () =>
    new DataLoader<string, Kontaktperson[]>(async (cprs) => {
      const rows = await ctx.em.find(Kontaktperson, { cpr: { $in: [...cprs] } }, { populate: ['kontakt'], orderBy: { start: 'asc', id: 'asc' } });
      return groupBy(cprs, rows, (r) => r.cpr);
    }),
  );
}

/** Recorded moves of many borgere in one statement, oldest first. */
export function flytningLoader(ctx: Ctx) {
  return ctx.loaders.get('kontaktperson.flytninger', () =>
    new DataLoader<string, BorgerFlytning[]>(async (cprs) => {
      const rows = await ctx.em.find(BorgerFlytning, { cpr: { $in: [...cprs] } }, { orderBy: { id: 'asc' } });
      return groupBy(cprs, rows, (r) => r.cpr);
    }),
  );
}
