import DataLoader from 'dataloader';
import type { Ctx } from '../context/context';
import { Abonnement } from './abonnement.entity';
import { UdbHaendelse } from './udb-haendelse.entity';

function groupBy<T>(keys: readonly string[], rows: T[], key: (r: T) => string): T[][] {
  const m = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const r of rows) m.get(key(r))?.push(r);
  return keys.map((k) => m.get(k)!);
}

/** Abonnementer of many borgere in one statement, oldest first. */
export function abonnementLoader(ctx: Ctx) {
  return ctx.loaders.get('abonnement.abonnementer', () =>
    new DataLoader<string, Abonnement[]>(async (cprs) => {
      const rows = await ctx.em.find(Abonnement, { cpr: { $in: [...cprs] } }, { orderBy: { start: 'asc', id: 'asc' } });
      return groupBy(cprs, rows, (r) => r.cpr);
    }),
  );
}

/** UDB events of many borgere in one statement, newest first. */
export function udbHaendelseLoader(ctx: Ctx) {
  return ctx.loaders.get('abonnement.udbHaendelser', () =>
    new DataLoader<string, UdbHaendelse[]>(async (cprs) => {
      const rows = await ctx.em.find(UdbHaendelse, { cpr: { $in: [...cprs] } }, { orderBy: { dato: 'desc', id: 'desc' } });
      return groupBy(cprs, rows, (r) => r.cpr);
    }),
  );
}
