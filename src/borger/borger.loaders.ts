import DataLoader from 'dataloader';
import type { Ctx } from '../context/context';
import { KontaktgruppePeriode } from './kontaktgruppe-periode.entity';
import { Medlemskab } from '../akasse/medlemskab.entity';
import { hydrate, type BorgerPrefetch } from './borger.prefetch';
import { Role } from '../context/roles';

function groupBy<T>(keys: readonly string[], rows: T[], key: (r: T) => string): T[][] {
  const m = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const r of rows) m.get(key(r))?.push(r);
  return keys.map((k) => m.get(k)!);
}

/** Kontaktgruppe periods of many borgere in one statement. */
export function kontaktgruppeLoader(ctx: Ctx) {
  return ctx.loaders.get('borger.kontaktgruppePerioder', () =>
    new DataLoader<string, KontaktgruppePeriode[]>(async (cprs) => {
      const rows = await ctx.em.find(KontaktgruppePeriode, { borger: { $in: [...cprs] } }, { orderBy: { start: 'asc', id: 'asc' } });
      return groupBy(cprs, rows, (r) => r.borger.cpr);
    }),
  );
}

export function medlemskabLoader(ctx: Ctx) {
  return ctx.loaders.get('borger.medlemskaber', () =>
    new DataLoader<string, Medlemskab[]>(async (cprs) => {
      const rows = await ctx.em.find(Medlemskab, { cpr: { $in: [...cprs] } }, { orderBy: { start: 'asc', id: 'asc' } });
      return groupBy(cprs, rows, (r) => r.cpr);
    }),
  );
}

/**
 * Who reads a borger's kontaktgruppe: the borger's case (jobcenter), membership (a-kasse) and the borger themself, as
 * for tilmeldinger. UDK reads a borger for TP-3's membership and efterløn dates, not the case.
 */
export const KONTAKTGRUPPE_LAESERE = [Role.JOBCENTER, Role.AKASSE, Role.BORGER, Role.SYSTEM] as const;

/** Kontaktgruppe periods in the borger's own statement (see BorgerService.get). */
export const kontaktgruppePrefetch: BorgerPrefetch = {
  fields: ['kontaktgruppe', 'kontaktgruppeHistorik'],
  access: { readers: KONTAKTGRUPPE_LAESERE, logs: 'kontaktgruppe' },
  sql: () => `select json_agg(to_jsonb(k) order by k.start, k.id) from kontaktgruppe_periode k where k.cpr = b.cpr`,
  // The periods' borger is the entity just read: a reference from the unit of work per period cost a twentieth of the read.
  prime: (ctx, borger, json) => kontaktgruppeLoader(ctx).prime(borger.cpr, hydrate(ctx.em, KontaktgruppePeriode, json, { borger: () => borger })),
};

/** Memberships for an a-kasse's scope check, in the borger's own statement. */
export const medlemskabPrefetch: BorgerPrefetch = {
  fields: [],
  sql: () => `select json_agg(to_jsonb(m) order by m.start, m.id) from akasse_medlemskab m where m.cpr = b.cpr`,
  prime: (ctx, borger, json) => medlemskabLoader(ctx).prime(borger.cpr, hydrate(ctx.em, Medlemskab, json)),
};
