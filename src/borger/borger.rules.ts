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
