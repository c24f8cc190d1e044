import type { LocalDate } from '../scalars/local-date';

/** Where a snapshot of a borger's type-31 contacts came from (KP-7). */
export enum UdbKontaktKildetype {
  /** The daily batch; its date is the day of the run (the day in the file's name). */
  BATCH = 'BATCH',
  /** UDB's `udbKontaktpersoner` mutation; its date is the event's `dato`. */
  HAENDELSE = 'HAENDELSE',
}

/** The snapshot of one borger's type-31 contacts that is in force, or one that arrives. */
export interface UdbKontaktStand {
  dato: LocalDate;
  kilde: UdbKontaktKildetype;
  haendelseId?: string | null;
}

/**
 * Sources of the same day, weakest first. UDB cuts the day's file at a time we do not know, so a mutation dated
 * the same day may describe a later state than the file; the next day's batch corrects it if not. Letting the
 * batch win the tie instead could undo UDB's latest word until tomorrow, and a manual re-run of the day's batch
 * would do that in the middle of the day.
 */
export const KILDER_SVAGEST_FOERST: readonly UdbKontaktKildetype[] = [UdbKontaktKildetype.BATCH, UdbKontaktKildetype.HAENDELSE];

/**
 * KP-7: does snapshot `ny` replace `iKraft`? Each is UDB's complete set of the borger's type-31 contacts at its
 * date, so an older one arriving late (a delayed event, or an older day's batch) must not undo a newer one: it
 * replaces only one that is older, or of the same date and not a stronger source (same date and source: the later
 * arrival is the later state). `anvendUdbKontakter` makes the same decision in SQL, comparing
 * (dato, position in KILDER_SVAGEST_FOERST).
 */
export function erstatter(ny: UdbKontaktStand, iKraft: UdbKontaktStand | null): boolean {
  if (!iKraft) return true;
  if (ny.dato !== iKraft.dato) return ny.dato > iKraft.dato;
  return KILDER_SVAGEST_FOERST.indexOf(ny.kilde) >= KILDER_SVAGEST_FOERST.indexOf(iKraft.kilde);
}
