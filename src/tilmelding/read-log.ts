import type { Ctx } from '../context/context';

/**
 * X-4 for mutations: the answer carries the borger's data, so it is logged as a read once the change has
 * committed (a refused or failed change returns nothing and logs nothing).
 */
export async function withReadLog<T>(ctx: Ctx, what: string, cpr: string | ((r: T) => string), p: Promise<T>): Promise<T> {
  const r = await p;
  ctx.accessLog.record(typeof cpr === 'string' ? cpr : cpr(r), what);
  return r;
}
