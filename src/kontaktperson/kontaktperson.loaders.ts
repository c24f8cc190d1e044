import DataLoader from 'dataloader';
import type { Ctx } from '../context/context';
import { BorgerFlytning } from './borger-flytning.entity';
import { Kontaktperson } from './kontaktperson.entity';
import { Kontakt } from './kontakt.entity';
import { hydrate, type BorgerPrefetch } from '../borger/borger.prefetch';
import { Role } from '../context/roles';

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

/**
 * Who reads a borger's kontaktpersoner, as a query or as a field of Borger (the same list both ways: a role the
 * query refuses must not get them through `borger(cpr)`).
 */
export const KONTAKTPERSON_LAESERE = [Role.JOBCENTER, Role.SYSTEM] as const;

/** Kontaktpersoner with their kontakt in the borger's own statement (see BorgerService.get). */
export const kontaktpersonPrefetch: BorgerPrefetch = {
  fields: ['kontaktpersoner'],
  access: { readers: KONTAKTPERSON_LAESERE, logs: 'kontaktpersoner' },
  sql: () =>
    `select json_agg(json_build_object('kp', to_jsonb(kp), 'k', to_jsonb(k)) order by kp.start, kp.id)
       from kontaktperson kp join kontakt k on k.id = kp.kontakt_id where kp.cpr = b.cpr`,
  prime: (ctx, borger, json) => {
    const rows = Array.isArray(json) ? (json as { kp: unknown; k: unknown }[]) : [];
    const kontakter = new Map(hydrate(ctx.em, Kontakt, rows.map((r) => r.k)).map((k) => [k.id, k]));
    kontaktpersonLoader(ctx).prime(borger.cpr, hydrate(ctx.em, Kontaktperson, rows.map((r) => r.kp), { kontakt: (id) => kontakter.get(String(id)) }));
  },
};
