import DataLoader from 'dataloader';
import type { Ctx } from '../context/context';
import { Brev } from './brev/brev.entity';
import { PlanVersion } from './plan-version.entity';
import { Uddannelsesplan } from './uddannelsesplan.entity';
import { callerJobcenter } from '../auth/scope';
import { hydrate, type BorgerPrefetch } from '../borger/borger.prefetch';
import { Role } from '../context/roles';

/** Who reads `Borger.uddannelsesplan`: the jobcenter whose plan it is. */
export const PLAN_LAESERE = [Role.JOBCENTER] as const;

/** Key of a borger's plan in one jobcenter. */
export function planNoegle(cpr: string, jobcenter: string): string {
  return `${cpr}|${jobcenter}`;
}

function split(keys: readonly string[]): { cprs: string[]; jobcentre: string[] } {
  const cprs = new Set<string>();
  const jobcentre = new Set<string>();
  for (const k of keys) {
    const [c, j] = k.split('|');
    cprs.add(c);
    jobcentre.add(j);
  }
  return { cprs: [...cprs], jobcentre: [...jobcentre] };
}

/** The plans of many (borger, jobcenter) pairs in one statement. */
export function planLoader(ctx: Ctx) {
  return ctx.loaders.get('uddannelsesplan.plan', () =>
    new DataLoader<string, Uddannelsesplan | null>(async (keys) => {
      const { cprs, jobcentre } = split(keys);
      const rows = await ctx.em.find(Uddannelsesplan, { cpr: { $in: cprs }, jobcenter: { $in: jobcentre } });
      const m = new Map(rows.map((r) => [planNoegle(r.cpr, r.jobcenter), r]));
      return keys.map((k) => m.get(k) ?? null);
    }),
  );
}

/** Min plan versions of many (borger, jobcenter) pairs in one statement, oldest first. */
export function versionLoader(ctx: Ctx) {
  return ctx.loaders.get('uddannelsesplan.versioner', () =>
    new DataLoader<string, PlanVersion[]>(async (keys) => {
      const { cprs, jobcentre } = split(keys);
      const rows = await ctx.em.find(PlanVersion, { cpr: { $in: cprs }, jobcenter: { $in: jobcentre } }, { orderBy: { nr: 'asc' } });
      const m = new Map<string, PlanVersion[]>(keys.map((k) => [k, []]));
      for (const r of rows) m.get(planNoegle(r.cpr, r.jobcenter))?.push(r);
      return keys.map((k) => m.get(k)!);
    }),
  );
}

/** Letters of many plans in one statement, newest first (without the PDF bytes). */
export function brevLoader(ctx: Ctx) {
  return ctx.loaders.get('uddannelsesplan.breve', () =>
    new DataLoader<string, Brev[]>(async (planIds) => {
      const rows = await ctx.em.find(Brev, { uddannelsesplanId: { $in: [...planIds] } }, { orderBy: { id: 'desc' } });
      const m = new Map<string, Brev[]>(planIds.map((k) => [k, []]));
      for (const r of rows) m.get(String(r.uddannelsesplanId))?.push(r);
      return planIds.map((k) => m.get(k)!);
    }),
  );
}

/** The calling jobcenter's plan in the borger's own statement (see BorgerService.get); only a jobcenter has one. */
export const planPrefetch: BorgerPrefetch = {
  fields: ['uddannelsesplan'],
  access: { readers: PLAN_LAESERE, logs: 'uddannelsesplan' },
  sql: (ctx, bind) => {
    const jobcenter = callerJobcenter(ctx.principal);
    return jobcenter ? `select to_jsonb(u) from uddannelsesplan u where u.cpr = b.cpr and u.jobcenter = ${bind(jobcenter)}` : null;
  },
  prime: (ctx, borger, json) => {
    const [plan] = hydrate(ctx.em, Uddannelsesplan, json === null ? [] : [json]);
    planLoader(ctx).prime(planNoegle(borger.cpr, ctx.principal!.org), plan ?? null);
  },
};
