import type { EntityManager } from '@mikro-orm/postgresql';
import { inTransaction, type Ctx } from '../context/context';

/** Runs `fn` in one database transaction; everything it writes, outbox rows included, commits or none of it does. */
export function transaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  return ctx.em.transactional((em) => fn(inTransaction(ctx, em as EntityManager)));
}
