import type { Ctx } from '../context/context';
import { transaction } from '../db/transaction';

/** Rows deleted per transaction: big enough to be set-based, small enough to keep locks and WAL bursts short. */
export const SLETNING_BID = 20_000;

/**
 * DL-2: runs a set-based deletion in chunks, each in its own transaction, until a chunk deletes fewer
 * than `bid` rows. `chunk` deletes at most `bid` rows of the main table (with whatever belongs to them,
 * in the same transaction) and returns its counts; the main count is `hoved`. A run that fails or is
 * aborted half-way leaves only whole chunks done, and the next run simply deletes what is still due
 * (idempotent). Returns the summed counts.
 */
export async function sletIBidder<K extends string>(
  ctx: Ctx,
  opts: { signal?: AbortSignal; bid?: number; hoved: K },
  chunk: (tx: Ctx, bid: number) => Promise<Record<K, number>>,
): Promise<Record<K, number>> {
  const bid = opts.bid ?? SLETNING_BID;
  let sum: Record<K, number> | null = null;
  for (;;) {
    opts.signal?.throwIfAborted();
    const counts = await transaction(ctx, (tx) => chunk(tx, bid));
    if (!sum) sum = { ...counts };
    else for (const k of Object.keys(counts) as K[]) sum[k] += counts[k];
    if (counts[opts.hoved] < bid) return sum;
  }
}

/** Runs one statement in the transaction of `tx` and returns its rows. */
export async function sql<T>(tx: Ctx, text: string, params: unknown[]): Promise<T[]> {
  return (await tx.em.getConnection().execute(text, params, 'all', tx.em.getTransactionContext())) as T[];
}
