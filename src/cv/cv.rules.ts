import { activeOn, covers, type Periode } from '../borger/borger.rules';
import { BadInputError, RuleViolation } from '../errors/domain-errors';
import { addDays, type LocalDate } from '../scalars/local-date';

/** Code table CV_STATUS. */
export const CvStatus = {
  PAABEGYNDT: 0,
  KLAR_TIL_GODKENDELSE: 1,
  GODKENDT: 2,
  EJ_GODKENDT: 3,
  IKKE_LAENGERE_FYLDESTGOERENDE: 5,
} as const;

/** CV-4: the comment set when an a-kasse reports 3 on a CV that is not searchable. */
export const CV4_KOMMENTAR = 'A-kassen/Jobcentret har vurderet at CV på det aktuelle grundlag ikke kan godkendes';

export type Indberetter = 'AKASSE' | 'JOBCENTER';

/** The borger as they were on the event date: what CV-2, CV-3 and CV-4 are checked against (CV-1). */
export interface CvVurderingsgrundlag {
  tilmeldt: boolean;
  sygemeldt: boolean;
  kontaktgruppe: number | null;
  jobparat: boolean;
  /** null: the borger had no CV on that date. */
  cvStatus: number | null;
  soegbar: boolean;
}

export interface CvStatusInput {
  status: number;
  /** Hændelsesdato; null or absent means today. */
  eventDate?: LocalDate | null;
  kommentar?: string | null;
}

export interface CvStatusDecision {
  haendelsesdato: LocalDate;
  historisk: boolean;
  /** The status the CV has from the event date (the old one when unchanged). */
  status: number;
  kommentar: string | null;
  statusAendret: boolean;
  advarsler: string[];
}

/** The event date of a report: today when none is given; never in the future. */
export function haendelsesdato(input: CvStatusInput, today: LocalDate): LocalDate {
  const d = input.eventDate ?? today;
  if (d > today) throw new BadInputError(`Hændelsesdatoen (${d}) kan ikke ligge i fremtiden`, { field: 'eventDate' });
  return d;
}

/** A CV that is not searchable: one not made searchable, and any CV still påbegyndt. */
export function ikkeSoegbart(g: CvVurderingsgrundlag): boolean {
  return g.cvStatus === CvStatus.PAABEGYNDT || !g.soegbar;
}

function statusTekst(s: number | null): string {
  return s == null ? 'borgeren havde intet CV' : `CV'et var i status ${s}`;
}

function afvis(rule: string, dato: LocalDate, grunde: string[]): never {
  throw new RuleViolation(rule, `CV-status kan ikke indberettes med hændelsesdato ${dato}: ${grunde.join('; ')}.`, { eventDate: dato });
}

/**
 * CV-1..CV-4: decides a CV status report against the borger's state on the event date (`g` must describe
 * that date, not today). Every unmet condition is named in one message.
 *
 * CV-1: a historic event date without a comment is accepted with a warning.
 * CV-2 (a-kasse): tilmeldt or sygemeldt, CV status 1, 2, 3 or 5, kontaktgruppe 1 or 8; may report 2 or 3.
 * CV-3 (jobcenter): tilmeldt, CV status 1, 2 or 3, kontaktgruppe 2 or 12, jobparat or not, searchable or
 *   not; may report 2, 3 or 5 (5 is recorded like the others; it has no business consequence here to skip).
 * CV-4: an a-kasse reporting 3 on a CV that is not searchable leaves the status and sets the fixed comment.
 *   Interpretation: this is what the note's 4.2 adds for CVs not yet searchable (a CV in status 0 among
 *   them), so CV-2's status condition does not apply to that case; its tilmeldt/sygemeldt and kontaktgruppe
 *   conditions still do. A jobcenter cannot report on a CV in status 0 "CV påbegyndt".
 */
export function decideCvStatus(who: Indberetter, g: CvVurderingsgrundlag, input: CvStatusInput, today: LocalDate): CvStatusDecision {
  const dato = haendelsesdato(input, today);
  const historisk = dato < today;
  const kommentar = input.kommentar?.trim() ? input.kommentar.trim() : null;
  const advarsler: string[] = [];
  if (historisk && !kommentar) {
    advarsler.push(`CV-1: Indberetningen har en historisk hændelsesdato (${dato}) uden kommentar. Angiv gerne grunden til den historiske indberetning.`);
  }
  const accept = (status: number, k: string | null): CvStatusDecision => ({
    haendelsesdato: dato,
    historisk,
    status,
    kommentar: k,
    statusAendret: status !== g.cvStatus,
    advarsler,
  });

  if (who === 'AKASSE') {
    if (input.status !== CvStatus.GODKENDT && input.status !== CvStatus.EJ_GODKENDT) {
      throw new RuleViolation('CV-2', `A-kassen kan kun indberette CV-status 2 (CV godkendt) eller 3 (CV ej godkendt), ikke ${input.status}.`);
    }
    const grunde: string[] = [];
    if (!g.tilmeldt && !g.sygemeldt) grunde.push('borgeren var hverken tilmeldt eller sygemeldt');
    if (g.kontaktgruppe !== 1 && g.kontaktgruppe !== 8) {
      grunde.push(`borgeren var ${g.kontaktgruppe == null ? 'ikke i nogen kontaktgruppe' : `i kontaktgruppe ${g.kontaktgruppe}`} (skal være 1 Dagpengemodtager eller 8 Uden ydelse)`);
    }
    const cv4 = input.status === CvStatus.EJ_GODKENDT && g.cvStatus != null && ikkeSoegbart(g);
    if (!cv4 && !(g.cvStatus === 1 || g.cvStatus === 2 || g.cvStatus === 3 || g.cvStatus === 5)) {
      grunde.push(`${statusTekst(g.cvStatus)} (skal være 1, 2, 3 eller 5)`);
    }
    if (grunde.length) afvis('CV-2', dato, grunde);
    // CV-4: status unchanged, the fixed comment set.
    if (cv4) return accept(g.cvStatus!, CV4_KOMMENTAR);
    return accept(input.status, kommentar);
  }

  if (input.status !== CvStatus.GODKENDT && input.status !== CvStatus.EJ_GODKENDT && input.status !== CvStatus.IKKE_LAENGERE_FYLDESTGOERENDE) {
    throw new RuleViolation('CV-3', `Jobcentret kan kun indberette CV-status 2 (CV godkendt), 3 (CV ej godkendt) eller 5 (CV'et er ikke længere fyldestgørende), ikke ${input.status}.`);
  }
  if (g.cvStatus === CvStatus.PAABEGYNDT) {
    throw new RuleViolation('CV-4', `Jobcentret kan ikke indberette CV-status på et CV i status 'CV påbegyndt' (hændelsesdato ${dato}).`, { eventDate: dato });
  }
  const grunde: string[] = [];
  if (!g.tilmeldt) grunde.push('borgeren var ikke tilmeldt');
  if (!(g.cvStatus === 1 || g.cvStatus === 2 || g.cvStatus === 3)) grunde.push(`${statusTekst(g.cvStatus)} (skal være 1, 2 eller 3)`);
  if (g.kontaktgruppe !== 2 && g.kontaktgruppe !== 12) {
    grunde.push(`borgeren var ${g.kontaktgruppe == null ? 'ikke i nogen kontaktgruppe' : `i kontaktgruppe ${g.kontaktgruppe}`} (skal være 2 Kontanthjælpsmodtager eller 12 Modtager af uddannelseshjælp)`);
  }
  // Jobparathed and searchability do not matter for a jobcenter (the note allows both kinds).
  if (grunde.length) afvis('CV-3', dato, grunde);
  return accept(input.status, kommentar);
}

export interface CvTilstandState extends Periode {
  id?: string;
  status: number;
  soegbar: boolean;
  kommentar?: string | null;
}

export type CvTidslinjePlan = {
  /** Existing periods to change: ended the day before the event date, or (same start) overwritten. */
  update: { period: CvTilstandState; set: Partial<Pick<CvTilstandState, 'slut' | 'status' | 'soegbar' | 'kommentar'>> }[];
  insert: Omit<CvTilstandState, 'id'>[];
};

/**
 * Puts a new CV state into the history from `dato`: it holds until the next change already on record (or
 * stays open). A later change the borger made since the event date stays as it is, so a historic report
 * changes the past, not what has happened after it. Without a period covering `dato` the new state opens
 * there and runs until the next period starts.
 */
export function planCvTilstand(
  periods: CvTilstandState[],
  dato: LocalDate,
  ny: { status: number; soegbar?: boolean; kommentar: string | null },
): CvTidslinjePlan {
  const current = activeOn(periods, dato);
  if (current) {
    const soegbar = ny.soegbar ?? current.soegbar;
    if (current.start === dato) return { update: [{ period: current, set: { status: ny.status, soegbar, kommentar: ny.kommentar } }], insert: [] };
    return {
      update: [{ period: current, set: { slut: addDays(dato, -1) } }],
      insert: [{ start: dato, slut: current.slut ?? null, status: ny.status, soegbar, kommentar: ny.kommentar }],
    };
  }
  const next = periods.filter((p) => p.start > dato).sort((a, b) => (a.start < b.start ? -1 : 1))[0];
  return { update: [], insert: [{ start: dato, slut: next ? addDays(next.start, -1) : null, status: ny.status, soegbar: ny.soegbar ?? false, kommentar: ny.kommentar }] };
}

/** The CV on a day, if the borger had one. */
export function cvPaa<T extends CvTilstandState>(periods: T[], dato: LocalDate): T | undefined {
  return activeOn(periods, dato);
}

/**
 * CV-2: an a-kasse reports on its member. The note leaves reports about former members to a later release, so the
 * borger must have been the a-kasse's member on the event date; otherwise the report (and its answer, which shows
 * the borger's tilmelding, sickness and kontaktgruppe on that date) would reach back before the a-kasse had any
 * part in the borger, past FR-1's window.
 */
export function kraevMedlemPaaHaendelsesdato(akassensMedlemskaber: Periode[], dato: LocalDate): void {
  if (!akassensMedlemskaber.some((m) => covers(m, dato))) {
    throw new RuleViolation('CV-2', `A-kassen kan kun indberette CV-status for en dato, hvor borgeren var medlem af a-kassen; det var borgeren ikke ${dato}.`, { eventDate: dato });
  }
}
