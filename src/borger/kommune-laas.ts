import type { Ctx } from '../context/context';

/**
 * The advisory-lock namespace of kommuner: the first key of a two-key lock (PostgreSQL's two-int4 keys are a key
 * space apart from the single bigint keys the outbox and the tidlig-pension reports take, so neither can collide).
 */
export const KOMMUNE_LAAS_NAVNERUM = 0x4b4f4d; // 'KOM'

/**
 * KP-2: the transaction-level lock on a kommune that orders a municipal merger (`masseflyt`, exclusive on fraKommune)
 * with the CPR events that name the kommune (`registrerFraCpr`, shared): an event either commits before the merger
 * selects its borgere, or reads the merger's record. Taken before any borger is locked, in every path: kommune →
 * borger, never the other way.
 */
export async function laasKommune(tx: Ctx, kommune: string, mode: 'delt' | 'eksklusiv'): Promise<void> {
  const fn = mode === 'delt' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await tx.em.execute(`select ${fn}(?::int, ?::int)`, [KOMMUNE_LAAS_NAVNERUM, Number(kommune)]);
}
