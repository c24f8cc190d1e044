import { daysInMonth, localDate, type LocalDate } from '../scalars/local-date';

/**
 * Date arithmetic of the deletion rules (DL-1, DL-2, TP-4). Pure: "today" is always an argument.
 *
 * DL-2: nothing is deleted a day too early. A limit of N years (and M months) from a date ends on the
 * same day of the month N years (M months) later; where that day does not exist (29 February in a
 * common year, 31 September, ...) it ends on the first day of the following month, the later of the
 * two possible readings.
 */

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a `LocalDate`. */
export function dagnummer(d: LocalDate): number {
  return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / DAY_MS;
}

export function fraDagnummer(n: number): LocalDate {
  const t = new Date(n * DAY_MS);
  return localDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** DL-2: the day `years` years and `months` months after `from`; a day the month lacks moves to the 1st of the next month. */
export function dagEfter(from: LocalDate, years: number, months = 0): LocalDate {
  const y = Number(from.slice(0, 4));
  const m = Number(from.slice(5, 7));
  const d = Number(from.slice(8, 10));
  const idx = y * 12 + (m - 1) + years * 12 + months;
  const ny = Math.floor(idx / 12);
  const nm = (idx % 12) + 1;
  if (d <= daysInMonth(ny, nm)) return localDate(ny, nm, d);
  return nm === 12 ? localDate(ny + 1, 1, 1) : localDate(ny, nm + 1, 1);
}

/** DL-2: a deletion date has come when it is today or earlier; the day before, nothing goes. */
export function erForfalden(sletningsdato: LocalDate, today: LocalDate): boolean {
  return sletningsdato <= today;
}

const EARLIEST: LocalDate = '1800-01-01' as LocalDate;

/**
 * DL-2: the latest date `d` (a mødedato, a birth date) whose deletion date `sletningsdato(d)` has come by
 * `today`; null when none has. `sletningsdato` must never decrease as `d` grows (the unit tests check this
 * for every rule that uses it), so every date up to the answer is due and every later one is not: the
 * deletion jobs can then delete with one range condition (`dato <= grænse`), set-based and indexed.
 */
export function senesteForfaldneDato(today: LocalDate, sletningsdato: (d: LocalDate) => LocalDate): LocalDate | null {
  let lo = dagnummer(EARLIEST);
  if (!erForfalden(sletningsdato(fraDagnummer(lo)), today)) return null;
  let hi = dagnummer(today);
  if (erForfalden(sletningsdato(fraDagnummer(hi)), today)) return fraDagnummer(hi);
  // Invariant: lo is due, hi is not.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (erForfalden(sletningsdato(fraDagnummer(mid)), today)) lo = mid;
    else hi = mid;
  }
  return fraDagnummer(lo);
}

/** DL-1: booking/indkaldelse data are deleted 6 years after the mødedato (the cut-off date). */
export const BOOKING_OPBEVARING_AAR = 6;

/** DL-1: the day a booking/indkaldelse with this mødedato is deleted. */
export function bookingSletningsdato(moededato: LocalDate): LocalDate {
  return dagEfter(moededato, BOOKING_OPBEVARING_AAR);
}

/** DL-1 / DL-2: the latest mødedato due for deletion on `today` (delete `moededato <= grænse`). */
export function bookingSletningsgraense(today: LocalDate): LocalDate | null {
  return senesteForfaldneDato(today, bookingSletningsdato);
}
