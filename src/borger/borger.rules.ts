import type { LocalDate } from '../scalars/local-date';

export interface Periode {
  start: LocalDate;
  slut?: LocalDate | null;
}

/** A period covers a day when it has started and not yet ended (end date inclusive). */
export function covers(p: Periode, day: LocalDate): boolean {
  return p.start <= day && (p.slut == null || p.slut >= day);
}

export function activeOn<T extends Periode>(periods: T[], day: LocalDate): T | undefined {
  // The latest-starting period wins if registrations overlap.
  let found: T | undefined;
  for (const p of periods) if (covers(p, day) && (!found || p.start >= found.start)) found = p;
  return found;
}

/**
 * The CPR feed: an event applies only if CPR registered it after the state in force. CPR's events carry no sequence
 * of ours, and a sender that timed out sends again, possibly after newer events: an event registered at or before
 * the one applied last is a redelivery or out of order, and changes nothing (a move would otherwise move the borger back).
 */
export function cprHaendelseGaelder(iKraft: Date | null, registreret: Date): boolean {
  return iKraft === null || registreret.getTime() > iKraft.getTime();
}
