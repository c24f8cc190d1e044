import DataLoader from 'dataloader';
import type { Ctx } from '../context/context';
import { Abonnement } from './abonnement.entity';
import { hydrate, type BorgerPrefetch } from '../borger/borger.prefetch';
import { Role } from '../context/roles';
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

/**
 * Who reads a borger's abonnementer and UDB's events, as queries or as fields of Borger (the same list both ways:
 * a role the queries refuse must not get them through `borger(cpr)`).
 */
export const ABONNEMENT_LAESERE = [Role.JOBCENTER, Role.SYSTEM] as const;

/** Abonnementer in the borger's own statement (see BorgerService.get). */
export const abonnementPrefetch: BorgerPrefetch = {
  fields: ['abonnementer'],
  access: { readers: ABONNEMENT_LAESERE, logs: 'abonnement' },
  sql: () => `select json_agg(to_jsonb(a) order by a.start, a.id) from abonnement a where a.cpr = b.cpr`,
  prime: (ctx, borger, json) => abonnementLoader(ctx).prime(borger.cpr, hydrate(ctx.em, Abonnement, json)),
};
