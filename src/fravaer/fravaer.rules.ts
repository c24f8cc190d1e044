import { activeOn, covers, type Periode } from '../borger/borger.rules';
import { BadInputError, RuleViolation } from '../errors/domain-errors';
import { addDays, addYears, type LocalDate } from '../scalars/local-date';

/** Fraværstyper the rules name (code table FRAVAERSTYPE). */
export const Fravaerstype = {
  SENIORJOB: 25,
  ARBEJDSFORDELING_6_UGER: 71,
  UDDANNELSESLOEFT: 74,
  ARBEJDSFORDELING_COVID19: 78,
  /** Our id (the note gives none): the sickness KSD reports, see the migration of issue 7. */
  SYGDOM: 901,
} as const;

export interface FravaerState extends Periode {
  fravaerstype: number;
}

/** Whether two periods share at least one day; an open end reaches forever. */
export function overlaps(a: Periode, b: Periode): boolean {
  return a.start <= (b.slut ?? '9999-12-31') && (a.slut ?? '9999-12-31') >= b.start;
}

export function checkFravaerPeriode(start: LocalDate, slut: LocalDate | null | undefined): void {
  if (slut != null && slut < start) throw new BadInputError(`Fraværets slutdato (${slut}) kan ikke ligge før startdatoen (${start})`, { field: 'slut' });
}

// ---------------------------------------------------------------------------------------------------------
// FR-1: what an a-kasse reads of the fraværshistorik
// ---------------------------------------------------------------------------------------------------------

/** The general a-kasse visibility window: the membership widened by this many days on each side. */
export const AKASSE_VINDUE_DAGE = 120;

/** FR-1: types the borger's current a-kasse reads N years back, whether or not the borger was its member then. */
export const AKASSE_UDVIDET_ADGANG_AAR: Readonly<Record<number, number>> = {
  [Fravaerstype.SENIORJOB]: 8,
  [Fravaerstype.ARBEJDSFORDELING_6_UGER]: 5,
  [Fravaerstype.ARBEJDSFORDELING_COVID19]: 5,
};

export interface MedlemskabState extends Periode {
  akasse: string;
}

/**
 * FR-1: the fravær an a-kasse may read. A registration is visible when its period overlaps one of the
 * a-kasse's own memberships widened by 120 days on each side, or, for the borger's current a-kasse only,
 * when it is of type 25 (8 years), 71 or 78 (5 years) and overlaps [today − N years, today] (the
 * catalogue's Interpretation of "N years back"). The current a-kasse is the one whose membership covers
 * today (the latest-starting, should two overlap).
 */
export function fravaerSynligForAkasse<T extends FravaerState>(
  fravaer: T[],
  akasse: string,
  medlemskaber: MedlemskabState[],
  today: LocalDate,
): T[] {
  const vinduer: Periode[] = medlemskaber
    .filter((m) => m.akasse === akasse)
    .map((m) => ({ start: addDays(m.start, -AKASSE_VINDUE_DAGE), slut: m.slut == null ? null : addDays(m.slut, AKASSE_VINDUE_DAGE) }));
  const nuvaerende = activeOn(medlemskaber, today)?.akasse === akasse;
  return fravaer.filter((f) => {
    if (vinduer.some((v) => overlaps(f, v))) return true;
    const aar = AKASSE_UDVIDET_ADGANG_AAR[f.fravaerstype];
    return nuvaerende && aar !== undefined && overlaps(f, { start: addYears(today, -aar), slut: today });
  });
}

// ---------------------------------------------------------------------------------------------------------
// FR-3: fravær 74 and the joblog duty
// ---------------------------------------------------------------------------------------------------------

export interface VisitationState {
  /** Kontaktgruppe on the day in question, if any. */
  kontaktgruppe: number | null;
  jobparat: boolean;
}

/**
 * Who may have fravær 74 "Uddannelse under pulje til uddannelsesløft": dagpengemodtagere (kontaktgruppe 1)
 * and jobparate in kontaktgruppe 2 (kontanthjælp) and 26 (overgangsydelse efter LAB).
 * Interpretation (the catalogue has none for FR-3): the note only says that jobparate in 26 could wrongly
 * not have it and that jobparate in 2 wrongly kept the joblog duty with it, so it could be registered for
 * them; kontaktgruppe 1 is the pulje's own target group (dagpenge under uddannelsesløft).
 */
export function maaHaveUddannelsesloeft(s: VisitationState): boolean {
  return s.kontaktgruppe === 1 || (s.jobparat && (s.kontaktgruppe === 2 || s.kontaktgruppe === 26));
}

/** FR-3: fravær 74 may be registered for jobparate in kontaktgruppe 26 (and 1, and jobparate in 2); others are refused. */
export function checkFravaerstypeTilladt(fravaerstype: number, s: VisitationState, start: LocalDate): void {
  if (fravaerstype !== Fravaerstype.UDDANNELSESLOEFT || maaHaveUddannelsesloeft(s)) return;
  const hvem = s.kontaktgruppe == null ? 'havde ingen kontaktgruppe' : `var i kontaktgruppe ${s.kontaktgruppe}${s.jobparat ? '' : ' og ikke jobparat'}`;
  throw new RuleViolation(
    'FR-3',
    `Fravær 74 'Uddannelse under pulje til uddannelsesløft' kan kun registreres for dagpengemodtagere (kontaktgruppe 1) og jobparate i kontaktgruppe 2 eller 26. Borgeren ${hvem} den ${start}.`,
  );
}

export interface JoblogState extends VisitationState {
  tilmeldt: boolean;
  /** Fravær that covers the day in question. */
  aktiveFravaerstyper: number[];
}

export interface JoblogSvar {
  pligt: boolean;
  begrundelse: string;
}

/**
 * Whether the borger has the joblog duty on the day in question.
 * Interpretation of the duty itself (not in the catalogue): tilmeldte dagpengemodtagere (kontaktgruppe 1) and
 * tilmeldte jobparate in kontaktgruppe 2, 12 (åbenlyst uddannelsesparat) and 26 keep a joblog.
 * FR-3: an active fravær 74 exempts whoever may have it: jobparate in kontaktgruppe 2 and 26, and kontaktgruppe 1.
 */
export function joblogpligt(s: JoblogState): JoblogSvar {
  if (!s.tilmeldt) return { pligt: false, begrundelse: 'Borgeren er ikke tilmeldt som jobsøgende' };
  const kg = s.kontaktgruppe;
  const omfattet = kg === 1 || (s.jobparat && (kg === 2 || kg === 12 || kg === 26));
  if (!omfattet) {
    return {
      pligt: false,
      begrundelse: kg == null ? 'Borgeren har ingen kontaktgruppe' : `Borgeren er i kontaktgruppe ${kg}${s.jobparat ? '' : ' og er ikke jobparat'}`,
    };
  }
  if (s.aktiveFravaerstyper.includes(Fravaerstype.UDDANNELSESLOEFT) && maaHaveUddannelsesloeft(s)) {
    return { pligt: false, begrundelse: "Borgeren er fritaget for joblog under fravær 74 'Uddannelse under pulje til uddannelsesløft'" };
  }
  return { pligt: true, begrundelse: `Borgeren er tilmeldt og ${kg === 1 ? 'dagpengemodtager' : `jobparat i kontaktgruppe ${kg}`}` };
}

/** The fraværstyper active on a day. */
export function aktiveFravaerstyper(fravaer: FravaerState[], dato: LocalDate): number[] {
  return fravaer.filter((f) => covers(f, dato)).map((f) => f.fravaerstype);
}
