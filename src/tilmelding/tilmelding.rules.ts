import { activeOn, type Periode } from '../borger/borger.rules';
import { BadInputError } from '../errors/domain-errors';
import { addDays, maxDate, type LocalDate } from '../scalars/local-date';
import type { Afmeldingsaarsag } from './tilmelding.entity';
import { unikkeStillingsbetegnelser } from './stillingsbetegnelse';

export interface TilmeldingState extends Periode {
  id?: string;
  stillingsbetegnelser: string[];
  afmeldingsaarsag?: Afmeldingsaarsag | `${Afmeldingsaarsag}` | null;
}

/**
 * TM-1: a tilmelding names a stillingsbetegnelse/alias at most once. A duplicate (compared without regard
 * to case, blanks and Unicode encoding) is a validation error naming it. Returns the list trimmed, in the order given.
 */
export function checkStillingsbetegnelser(list: string[]): string[] {
  return unikkeStillingsbetegnelser(list, {
    tom: () => new BadInputError('En stillingsbetegnelse/alias kan ikke være tom', { field: 'stillingsbetegnelser' }),
    dublet: (navn, first) =>
      new BadInputError(
        `Stillingsbetegnelsen/aliaset "${navn}" er angivet mere end én gang (også som "${first}"). Angiv hver stillingsbetegnelse/alias kun én gang.`,
        { field: 'stillingsbetegnelser', duplicate: navn, rule: 'TM-1' },
      ),
  });
}

export interface NyTilmelding {
  start: LocalDate;
  stillingsbetegnelser: string[];
}

/**
 * A jobcenter tilmelder: the borger may not already be tilmeldt, and the new period may not reach back into
 * an earlier one (the history stays a row of separate periods). TM-1 checks the stillingsbetegnelser.
 */
export function decideTilmelding(periods: TilmeldingState[], input: NyTilmelding): NyTilmelding {
  const stillingsbetegnelser = checkStillingsbetegnelser(input.stillingsbetegnelser);
  const open = periods.find((p) => p.slut == null);
  if (open) throw new BadInputError(`Borgeren er allerede tilmeldt fra ${open.start}`, { field: 'cpr' });
  const lastSlut = periods.reduce<LocalDate | null>((m, p) => (p.slut && (!m || p.slut > m) ? p.slut : m), null);
  if (lastSlut && input.start <= lastSlut) {
    throw new BadInputError(`Tilmeldingen skal starte efter den seneste tilmeldings slutdato (${lastSlut})`, { field: 'start' });
  }
  return { start: input.start, stillingsbetegnelser };
}

/** A jobcenter afmelder: the open tilmelding ends on `slut` (the last day tilmeldt). */
export function decideAfmelding<T extends TilmeldingState>(periods: T[], slut: LocalDate): T {
  const open = periods.find((p) => p.slut == null);
  if (!open) throw new BadInputError('Borgeren er ikke tilmeldt');
  if (slut < open.start) throw new BadInputError(`Afmeldingen kan ikke ligge før tilmeldingens start (${open.start})`, { field: 'slut' });
  return open;
}

/** "Was the borger tilmeldt on `dato`": the period covering that day, if any. */
export function tilmeldingPaa<T extends TilmeldingState>(periods: T[], dato: LocalDate): T | undefined {
  return activeOn(periods, dato);
}

export interface SygdomState extends Periode {
  id?: string;
}

export type SygemeldingDecision = {
  /** The open sygdom fravær to start, or null when the message changes nothing (see decideSygemelding). */
  openSygdom: { start: LocalDate } | null;
  /** The open tilmelding ends: the borger is afmeldt because of sickness. */
  afmeld: { slut: LocalDate } | null;
};

/**
 * KSD sygemelder a borger from `foersteSygedag`: a sygdom fravær opens, and an open tilmelding ends the day
 * before (afmeldt, årsag SYGEMELDT), so the raskmelding can gentilmelde (FR-2). A tilmelding that started on
 * or after the first sick day ends on its own start day: periods never end before they start.
 *
 * KSD's messages carry no id, so a redelivered or out-of-order one is known only by its dates: only a first
 * sick day after every recorded sickness is a new sickness. One while a sickness is open, or on or before the
 * last day of one already recorded, is a message DFDG has applied (or an older one) and changes nothing.
 * Acting on it would open a second sickness over the recorded one and afmelde a borger who was raskmeldt and
 * gentilmeldt since.
 */
export function decideSygemelding(
  state: { tilmeldinger: TilmeldingState[]; sygdom: SygdomState[] },
  foersteSygedag: LocalDate,
  today: LocalDate,
): SygemeldingDecision {
  if (foersteSygedag > today) throw new BadInputError('Første sygedag kan ikke ligge i fremtiden', { field: 'foersteSygedag' });
  if (state.sygdom.some((s) => s.slut == null || foersteSygedag <= s.slut)) return { openSygdom: null, afmeld: null };
  const open = state.tilmeldinger.find((p) => p.slut == null);
  return {
    openSygdom: { start: foersteSygedag },
    afmeld: open ? { slut: maxDate(open.start, addDays(foersteSygedag, -1)) } : null,
  };
}

export type RaskmeldingDecision = {
  /** The open sygdom fravær ends the day before the raskmeldt date KSD sends; null when the message changes nothing. */
  endSygdom: { slut: LocalDate } | null;
  /** FR-2: the gentilmelding, always from today. */
  gentilmeld: NyTilmelding | null;
};

/**
 * FR-2: KSD's raskmelding gentilmelder the borger with today's date, never a historic date, whatever date
 * KSD sends (that date only ends the sygdom fravær). Only a borger whose latest tilmelding was ended by a
 * sygemelding is gentilmeldt, with the same stillingsbetegnelser. In the odd case that the old tilmelding
 * ends today or later (it started in the future), the new one starts the day after it: still not historic.
 *
 * A raskmelding answers the open sickness only. With none open it is a repeat of one already applied (or
 * belongs to a sickness never recorded) and changes nothing. With one open, FR-2 holds whatever its date, with
 * one exception: the repeat of the raskmelding that ended an earlier sickness (its date is that sickness's end
 * + 1, on or before the open sickness's first day) is that earlier message arriving again, late; applying it
 * would gentilmelde a borger who is still sick. (A borger declared well and sick again the same day, then well
 * again with that same date, cannot be told from it; the repeat is the likelier.)
 */
export function decideRaskmelding(
  state: { tilmeldinger: TilmeldingState[]; sygdom: SygdomState[] },
  raskmeldtDato: LocalDate,
  today: LocalDate,
): RaskmeldingDecision {
  const openSygdom = state.sygdom.find((s) => s.slut == null);
  if (!openSygdom) return { endSygdom: null, gentilmeld: null };
  // Exactly the date that ended an earlier sickness (its end + 1), up to the open sickness's first day: that message again.
  const endedEarlierSickness = (s: SygdomState) => s !== openSygdom && s.slut != null && s.slut === addDays(raskmeldtDato, -1);
  if (raskmeldtDato <= openSygdom.start && state.sygdom.some(endedEarlierSickness)) return { endSygdom: null, gentilmeld: null };
  const endSygdom = { slut: maxDate(openSygdom.start, addDays(raskmeldtDato, -1)) };
  if (state.tilmeldinger.some((p) => p.slut == null)) return { endSygdom, gentilmeld: null };
  const latest = [...state.tilmeldinger].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0)).pop();
  if (!latest || latest.afmeldingsaarsag !== 'SYGEMELDT') return { endSygdom, gentilmeld: null };
  const start = latest.slut! >= today ? addDays(latest.slut!, 1) : today;
  return { endSygdom, gentilmeld: { start, stillingsbetegnelser: [...latest.stillingsbetegnelser] } };
}
