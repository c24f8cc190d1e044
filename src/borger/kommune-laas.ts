import type { Ctx } from '../context/context';
import { kommuneEfterSammenlaegninger } from './borger.rules';

/**
 * The advisory-lock namespace of kommuner: the first key of a two-key lock (PostgreSQL's two-int4 keys are a key
 * space apart from the single bigint keys the outbox and the tidlig-pension reports take, so neither can collide).
 */
export const KOMMUNE_LAAS_NAVNERUM = 0x4b4f4d; // 'KOM'

/**
 * KP-2: the transaction-level lock on a kommune that orders a municipal merger (`masseflyt`, exclusive on fraKommune)
 * with whatever puts borgere in the kommune (shared: a CPR event, `registrerFraCpr`, on the kommune it names; a merger
 * on its tilKommune): that either commits before the merger selects its borgere, or reads the merger's record. Taken
 * before any borger is locked, in every path: kommune → borger, never the other way. A merger takes its two in
 * ascending kommunekode (`laasSammenlaegning`).
 */
export async function laasKommune(tx: Ctx, kommune: string, mode: 'delt' | 'eksklusiv'): Promise<void> {
  const fn = mode === 'delt' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await tx.em.execute(`select ${fn}(?::int, ?::int)`, [KOMMUNE_LAAS_NAVNERUM, Number(kommune)]);
}

/**
 * KP-2: a merger's own kommune locks, fraKommune exclusive and tilKommune shared, in ascending kommunekode: mergers
 * A→B and B→A delivered at once queue on the lower one, where each taking its fraKommune first would hold it while
 * waiting for the other's (a deadlock; PostgreSQL refuses one). The kommuner its tilKommune's chain reaches follow,
 * shared (`kommuneEfterSammenlaegningerLaast`), and then the borgere. Why the kommune locks form no other cycle:
 * - Only a merger takes a kommune exclusively, only its fraKommune. One waiting for it holds nothing, or a shared lock
 *   on a lower code (its tilKommune), which only a merger of that lower kommune can be waiting for, and so on down:
 *   the codes fall at every step back, so no cycle passes through a merger waiting for its fraKommune. Nor through a
 *   CPR event, which holds only shared locks: only such a merger ever waits for one.
 * - What remains is mergers each holding its fraKommune and waiting for a shared lock on another's. Were that lock
 *   always the tilKommune, the codes would rise all round the cycle; so it takes a recorded chain from a tilKommune
 *   into the fraKommune of another merger running at once, whose path leads back: mergers running at once round a
 *   loop of kommuner (A→B with B→C recorded, and C→A). CPR sends no such thing; should it, PostgreSQL refuses one.
 * - PostgreSQL also queues a shared request behind an exclusive one already waiting, so CPR events taking shared locks
 *   along their chains can close a cycle through waiting mergers (an event holds A and queues behind a merger waiting
 *   for B, which another event holds and queues behind a merger waiting for A). Each such wait is only queue order:
 *   PostgreSQL's deadlock check (after deadlock_timeout) lets a shared request go ahead of the waiting exclusive one
 *   and refuses no one.
 */
export async function laasSammenlaegning(tx: Ctx, fraKommune: string, tilKommune: string): Promise<void> {
  const laase: [string, 'delt' | 'eksklusiv'][] = [
    [fraKommune, 'eksklusiv'],
    [tilKommune, 'delt'],
  ];
  laase.sort(([a], [b]) => Number(a) - Number(b));
  for (const [kommune, mode] of laase) await laasKommune(tx, kommune, mode);
}

/**
 * KP-2: `kommune` after the mergers CPR registered at or after `registreret` (`kommuneEfterSammenlaegninger`), for a
 * CPR event or a merger that puts borgere in `kommune`. Each kommune the answer reaches is share-locked before the
 * mergers are read, in a statement after the lock: a merger of it (which takes the lock exclusively before it selects
 * its borgere) has then either committed, and is read here, or waits for this transaction and then finds its borgere.
 * Taken before any borger is locked.
 *
 * The kommuner a chain only passes through (B of A→B→C) need no lock. The borgere go to the answer, so a merger of B,
 * which selects B's borgere, cannot miss them. One running at that moment changes the path only if registered before
 * the recorded merger of B the chain takes (B merged twice, the earlier one delivered later), as a later one at the
 * same instant is recorded after it. Not waiting for it orders this transaction before it, as if delivered a moment
 * earlier, and leaves the borgere where the recorded merger of B put B's own (C).
 */
export async function kommuneEfterSammenlaegningerLaast(tx: Ctx, kommune: string, registreret: Date): Promise<string> {
  const laast = new Set<string>();
  let k = kommune;
  while (!laast.has(k)) {
    await laasKommune(tx, k, 'delt');
    laast.add(k);
    const rows = await tx.em.execute<{ id: string; fra_kommune: string; til_kommune: string; registreret: Date | string }[]>(
      `select id, fra_kommune, til_kommune, registreret from kommunesammenlaegning where registreret >= ?::timestamptz order by registreret, id`,
      [registreret],
    );
    const sammenlaegninger = rows.map((r) => ({
      id: Number(r.id),
      fraKommune: r.fra_kommune,
      tilKommune: r.til_kommune,
      registreret: new Date(r.registreret),
    }));
    k = kommuneEfterSammenlaegninger(kommune, registreret, sammenlaegninger);
  }
  return k;
}
