import type { EntityManager } from '@mikro-orm/postgresql';
import { inTransaction, type Ctx } from '../context/context';
import { OutboxBuffer } from '../events/outbox';
import { UnauthenticatedError } from '../errors/domain-errors';

/**
 * Runs `fn` in one database transaction. Everything it writes commits or none of it does, the
 * messages it emits through `tx.outbox` included: they are inserted last, just before commit.
 * Nested calls join the outer transaction and its outbox.
 */
export async function transaction<T>(ctx: Ctx, fn: (tx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.outbox) return fn(ctx);
  if (!ctx.principal) throw new UnauthenticatedError();
  const principal = ctx.principal;
  return ctx.em.transactional(async (em) => {
    const outbox = new OutboxBuffer();
    const result = await fn(inTransaction(ctx, em as EntityManager, outbox));
    await em.flush();
    await outbox.write(em as EntityManager, principal);
    return result;
  });
}
