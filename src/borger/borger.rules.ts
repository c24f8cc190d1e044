import { BadInputError, ConflictError } from '../errors/domain-errors';
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
 * of ours, and a sender that timed out sends again, possibly after newer events: an event registered before the one
 * applied last is out of order and changes nothing (a move would otherwise move the borger back); one at the same
 * instant and identical to the state in force is a redelivery. One at the same instant that differs cannot be
 * ordered (CPR's times may be whole seconds; each event holds the whole state, so a redelivery of the earlier of two
 * same-second events differs too): it is refused (CONFLICT) rather than applied or dropped unseen.
 */
export function cprHaendelseGaelder(iKraft: Date | null, registreret: Date, sammeSomIKraft: boolean): boolean {
  if (iKraft === null || registreret.getTime() > iKraft.getTime()) return true;
  if (registreret.getTime() === iKraft.getTime() && !sammeSomIKraft) {
    throw new ConflictError(
      `CPR-hændelsen er registreret ${registreret.toISOString()}, samme tidspunkt som borgerens gældende oplysninger, men med andet indhold; send den med et senere registreringstidspunkt`,
    );
  }
  return false;
}

/** CPR's name fields hold at most 50 (fornavne) and 40 (efternavn) characters; anything longer is not from CPR. */
export const CPR_NAVN_MAX = 100;
/** Clocks differ a little; more than this ahead of ours is not a time CPR has reached. */
export const CPR_FREMTID_TOLERANCE_MS = 5 * 60_000;

/**
 * X-1 for the CPR feed's event: names present and of a size CPR sends, and a registration time not in the future
 * (one far ahead would make every later event look older and freeze the borger, cprHaendelseGaelder).
 */
export function validerCprHaendelse(input: { fornavn: string; efternavn: string; bopaelskommune: string; registreret: Date }, now: Date): void {
  if (!/^\d{3}$/.test(input.bopaelskommune)) throw new BadInputError('Bopælskommune skal være en kommunekode på 3 cifre', { field: 'bopaelskommune' });
  for (const f of ['fornavn', 'efternavn'] as const) {
    const v = input[f].trim();
    if (!v || v.length > CPR_NAVN_MAX) throw new BadInputError(`${f} skal være 1–${CPR_NAVN_MAX} tegn`, { field: f });
  }
  validerCprRegistreret(input.registreret, now);
}

/** CPR's registration time of an event (one borger's or a merger's): a time CPR has reached, see validerCprHaendelse. */
export function validerCprRegistreret(registreret: Date, now: Date): void {
  if (Number.isNaN(registreret.getTime()) || registreret.getTime() > now.getTime() + CPR_FREMTID_TOLERANCE_MS) {
    throw new BadInputError('registreret kan ikke ligge i fremtiden', { field: 'registreret' });
  }
}

/** A municipal merger as CPR registered it (`cprMasseflytning`): every borger of fraKommune became tilKommune's. */
export interface Kommunesammenlaegning {
  /** The order the mergers were recorded in (kommunesammenlaegning.id): which of two at the same instant came first. */
  id: number;
  fraKommune: string;
  tilKommune: string;
  registreret: Date;
}

/**
 * KP-2 for the CPR feed: the bopælskommune a borger's own event names, after the mergers CPR registered at or after the
 * event (as `masseflyt` re-codes every borger whose state CPR registered at or before the merger). An event registered
 * before a merger of its kommune and delivered after it would otherwise put the borger in the merged-away kommune: it
 * gets the kommune the merger made, and so on along a chain of mergers (each taken at most once, in CPR's order, the
 * next one registered at or after the last). An event registered after every merger of its kommune is left as sent.
 *
 * Of two mergers of one kommune registered at the same instant, the one recorded first (lowest `id`), not whichever
 * the list happens to hold first: that is the one that moved the kommune's borgere. Mergers of a kommune run one at a
 * time (its exclusive lock, taken before the merger is recorded), the first moves every borger of it that CPR
 * registered at or before that instant, and the second finds none of them left (an event delivered between the two
 * was re-coded by the first). So an event delivered after both lands where its neighbours went.
 */
export function kommuneEfterSammenlaegninger(kommune: string, registreret: Date, sammenlaegninger: readonly Kommunesammenlaegning[]): string {
  const brugt = new Set<Kommunesammenlaegning>();
  let k = kommune;
  let siden = registreret.getTime();
  for (;;) {
    let naeste: Kommunesammenlaegning | undefined;
    for (const s of sammenlaegninger) {
      if (brugt.has(s) || s.fraKommune !== k || s.registreret.getTime() < siden) continue;
      if (!naeste || foerSammenlaegning(s, naeste)) naeste = s;
    }
    if (!naeste) return k;
    brugt.add(naeste);
    k = naeste.tilKommune;
    siden = naeste.registreret.getTime();
  }
}

/** `a` before `b` in CPR's order of mergers: registered earlier, or at the same instant and recorded first. */
function foerSammenlaegning(a: Kommunesammenlaegning, b: Kommunesammenlaegning): boolean {
  const d = a.registreret.getTime() - b.registreret.getTime();
  return d < 0 || (d === 0 && a.id < b.id);
}
