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
 * before any borger is locked, in every path: kommune → borger, never the other way. A merger takes its fraKommune
 * exclusively and then its tilKommune shared: two mergers into each other at once would deadlock (one is refused).
 */
export async function laasKommune(tx: Ctx, kommune: string, mode: 'delt' | 'eksklusiv'): Promise<void> {
  const fn = mode === 'delt' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await tx.em.execute(`select ${fn}(?::int, ?::int)`, [KOMMUNE_LAAS_NAVNERUM, Number(kommune)]);
}

/**
 * KP-2: `kommune` after the mergers CPR registered at or after `registreret` (`kommuneEfterSammenlaegninger`), for a
 * CPR event or a merger that puts borgere in `kommune`. Each kommune the answer reaches is share-locked before the
 * mergers are read, in a statement after the lock: a merger of it (which takes the lock exclusively before it selects
 * its borgere) has then either committed, and is read here, or waits for this transaction and then finds its borgere.
 * Taken before any borger is locked.
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
