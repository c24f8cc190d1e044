import { BadInputError, ConflictError, RuleViolation } from '../errors/domain-errors';
import { addMonths, daysInMonth, localDate, maxDate, minDate, type LocalDate } from '../scalars/local-date';
import { Lukkeaarsag } from './abonnement.entity';

/** Code table PLANTYPE (see the foundation migration). */
export const PLANTYPE_UDDANNELSESPLAN = 1;
export const PLANTYPE_AFTALE_OM_OPFOELGNING = 3;
export const PLANTYPE_PLAN_UDEN_PLANTYPE = 4;

/** Kontaktgruppe 1 Dagpengemodtager: the age limit is 25 instead of 30 (AB-3). */
export const KONTAKTGRUPPE_DAGPENGE = 1;
/** Kontaktgruppe 25 Sygedagpengemodtager fra ledighed: the only sygedagpenge kontaktgruppe in the code table (AB-6). */
export const KONTAKTGRUPPE_SYGEDAGPENGE = 25;
/** AB-4 / AB-8: the kontaktgrupper of the uddannelsespålæg target group. */
export const AB_KONTAKTGRUPPER = [1, 8, 12, 25, 28] as const;

export const ALDERSGRAENSE = 30;
export const ALDERSGRAENSE_KONTAKTGRUPPE_1 = 25;
export const STARTALDER = 15;

export interface AbonnementState {
  start: LocalDate;
  slut?: LocalDate | null;
}

function isLeap(year: number): boolean {
  return daysInMonth(year, 2) === 29;
}

/**
 * The day a borger born on `foedselsdato` turns `aar`. Decision (AB-3, and the default start at 15): a borger born on
 * 29 February turns a year older on 1 March in a common year, as Danish administrative practice counts age: until
 * then the borger has not completed the year. So the abonnement of a borger born 29 February 2000 closes on
 * 1 March 2030, not 28 February.
 */
export function fylderAar(foedselsdato: LocalDate, aar: number): LocalDate {
  const y = Number(foedselsdato.slice(0, 4)) + aar;
  const m = Number(foedselsdato.slice(5, 7));
  const d = Number(foedselsdato.slice(8, 10));
  if (m === 2 && d === 29 && !isLeap(y)) return localDate(y, 3, 1);
  return localDate(y, m, d);
}

/**
 * AB-3, set-based: a borger born on or before this date has turned `aar` by `today` (same answer as
 * `fylderAar(foedselsdato, aar) <= today` for every birth date, 29 February included; the unit test checks it), so
 * the daily job can compare `foedselsdato` with one constant and use an index.
 */
export function senesteFoedselsdatoForAlder(today: LocalDate, aar: number): LocalDate {
  const y = Number(today.slice(0, 4)) - aar;
  const m = Number(today.slice(5, 7));
  const d = Number(today.slice(8, 10));
  // 29 February today: a borger born 29 February `aar` years ago (if that year had one) turns `aar` today; else 28 February.
  return localDate(y, m, Math.min(d, daysInMonth(y, m)));
}

export interface AldersLukningFacts {
  foedselsdato: LocalDate;
  /** Start of the borger's open abonnement. */
  abonnementStart: LocalDate;
  /** The day (Copenhagen) the abonnement was opened: its start may lie years before (the 15th birthday by default). */
  oprettet: LocalDate;
  /** AB-4's closing registered for a later kontaktgruppeskift, if any. */
  planlagtLukning?: LocalDate | null;
  /** AB-8's closing day (`ab8Lukkedag`, the abonnement's start if later), when AB-8 closes it by the run's day. */
  ab8Lukning?: LocalDate | null;
  /** The borger's kontaktgruppe periods (end inclusive), in any order. */
  kontaktgrupper: { kontaktgruppe: number; start: LocalDate; slut?: LocalDate | null }[];
}

/**
 * AB-3: the day the open abonnement closes for age, as the daily job run for `today` sees it, or null while it
 * stays open. It is the first day on which the rule held: the 30th birthday, or the first day from the 25th birthday
 * on which the borger was in kontaktgruppe 1. The job may have missed days, so the day comes from the history, not
 * from `today`; otherwise a late run would close later than the rule, and a borger who turned 25 in kontaktgruppe 1
 * and left it before the late run would not be closed at all.
 *
 * Only days while the abonnement was open count, from its start and not before the day it was opened: a kontaktgruppe 1
 * spell that ended before then does not close it (an abonnement opened today with its start at the 15th birthday is
 * not closed for a spell years ago). An abonnement starting after `today` is judged on `today` and closes on its start (as
 * `lukkedato`). If AB-4's planned closing or AB-8's closing came first and is due, that closing wins (the job leaves
 * it to `lukPlanlagte` or `lukEfterAB8`), as it would have had the job run every day; on the same day AB-3 closes.
 * Mirrored set-based by `lukPgaAlder`.
 */
export function aldersLukkedato(f: AldersLukningFacts, today: LocalDate): LocalDate | null {
  const fra = minDate(maxDate(f.abonnementStart, f.oprettet), today);
  const days: LocalDate[] = [];
  const fylder30 = fylderAar(f.foedselsdato, ALDERSGRAENSE);
  if (fylder30 <= today) days.push(maxDate(fra, fylder30));
  const fra25 = maxDate(fra, fylderAar(f.foedselsdato, ALDERSGRAENSE_KONTAKTGRUPPE_1));
  for (const k of f.kontaktgrupper) {
    if (k.kontaktgruppe !== KONTAKTGRUPPE_DAGPENGE) continue;
    const dag = maxDate(fra25, k.start);
    if (dag <= today && (k.slut == null || dag <= k.slut)) days.push(dag);
  }
  if (days.length === 0) return null;
  const dag = maxDate(f.abonnementStart, days.reduce(minDate));
  if (f.planlagtLukning != null && f.planlagtLukning <= today && maxDate(f.abonnementStart, f.planlagtLukning) < dag) return null;
  if (f.ab8Lukning != null && f.ab8Lukning < dag) return null;
  return dag;
}

/** The default start of a new abonnement: the borger's 15th birthday (29 February: see `fylderAar`). */
export function standardStart(foedselsdato: LocalDate): LocalDate {
  return fylderAar(foedselsdato, STARTALDER);
}

/** A borger has at most one open abonnement. */
export function decideOprettelse(existing: AbonnementState[], start: LocalDate): { start: LocalDate } {
  if (existing.some((a) => a.slut == null)) {
    throw new ConflictError('Borgeren har allerede et åbent abonnement på uddannelseshændelser');
  }
  return { start };
}

/** The day an abonnement closes when it is closed today: today, or its start if that is still to come. */
export function lukkedato(a: AbonnementState, today: LocalDate): LocalDate {
  return maxDate(a.start, today);
}

export interface JobcenterLukningFacts {
  /** Code table ABONNEMENT_LUKKEAARSAG. */
  aarsag: number;
  /** The calling jobcenter is a forsøgskommune (the configured list). */
  forsoegskommune: boolean;
  /** Plantyper of the borger's uddannelsesplaner in the calling jobcenter (empty: never had one there). */
  planer: { plantype: number }[];
}

/**
 * AB-1: a jobcenter cannot close the abonnement of a borger who has had an uddannelsesplan in that jobcenter,
 * unless the reason is 1 "Fejloprettet".
 * AB-2: a forsøgskommune may close such an abonnement only when its uddannelsesplaner for the borger use plantype
 * 4 "Plan uden plantype". Interpretation: every plan it has for the borger has plantype 4.
 */
export function decideJobcenterLukning(f: JobcenterLukningFacts): void {
  if (f.aarsag === Lukkeaarsag.FEJLOPRETTET) return;
  if (f.planer.length === 0) return;
  if (f.forsoegskommune) {
    if (f.planer.every((p) => p.plantype === PLANTYPE_PLAN_UDEN_PLANTYPE)) return;
    throw new RuleViolation(
      'AB-2',
      'Abonnementet kan ikke lukkes: som forsøgskommune kan I kun lukke abonnementet, når jeres uddannelsesplaner for borgeren har plantypen "Plan uden plantype". Et fejloprettet abonnement kan lukkes med årsag "Fejloprettet".',
    );
  }
  throw new RuleViolation(
    'AB-1',
    'Abonnementet kan ikke lukkes, fordi borgeren har haft en uddannelsesplan i jobcentret. DFDG lukker abonnementet automatisk; et fejloprettet abonnement kan lukkes med årsag "Fejloprettet".',
  );
}

/** AB-4: a kontaktgruppe change to one other than 1, 8, 12, 25, 28 closes the abonnement with årsag 7. */
export function lukkesVedKontaktgruppeskift(til: number): boolean {
  return !(AB_KONTAKTGRUPPER as readonly number[]).includes(til);
}

/**
 * AB-4, when: a change that has started by today closes the abonnement now; one registered to start later closes it
 * on its start day (the daily job), so UDB's events keep coming until the borger is in the new kontaktgruppe.
 */
export function ab4Lukning(start: LocalDate, today: LocalDate): { kind: 'NU' } | { kind: 'PLANLAGT'; dato: LocalDate } {
  return start <= today ? { kind: 'NU' } : { kind: 'PLANLAGT', dato: start };
}

/**
 * AB-4 for an abonnement opened while a kontaktgruppeskift registered ahead is still to come (registered when the
 * borger had no open abonnement, or before this one was opened): the earliest kontaktgruppe period starting after
 * today in a kontaktgruppe outside 1, 8, 12, 25, 28 closes it on its start day, as `ab4Lukning` closes one that was
 * open when the change was registered. Null when no such change lies ahead.
 */
export function ab4LukningVedOprettelse(kontaktgrupper: { kontaktgruppe: number; start: LocalDate }[], today: LocalDate): LocalDate | null {
  let dag: LocalDate | null = null;
  for (const k of kontaktgrupper) {
    if (k.start > today && lukkesVedKontaktgruppeskift(k.kontaktgruppe) && (dag == null || k.start < dag)) dag = k.start;
  }
  return dag;
}

/**
 * AB-7: a jobcenter closing the kontaktgruppe does not close the abonnement (årsag 4 is not used for that any
 * more). Kept as a rule so the decision has a name and a test.
 */
export function lukkesVedKontaktgruppelukning(): boolean {
  return false;
}

/**
 * AB-6: a plantype change away from uddannelsesplan (1) closes the abonnement with årsag 8, except a change to
 * "Aftale om opfølgning" (3) while the borger is a sygedagpengemodtager. Interpretation: sygedagpengemodtager =
 * in kontaktgruppe 25 "Sygedagpengemodtager fra ledighed" today (the only sygedagpenge kontaktgruppe we have).
 */
export function lukkesVedPlantypeskift(s: { fra: number; til: number; sygedagpengemodtager: boolean }): boolean {
  if (s.fra !== PLANTYPE_UDDANNELSESPLAN || s.til === PLANTYPE_UDDANNELSESPLAN) return false;
  if (s.til === PLANTYPE_AFTALE_OM_OPFOELGNING && s.sygedagpengemodtager) return false;
  return true;
}

/**
 * AB-5: a UDB message that an erhvervskompetencegivende education was completed closes the abonnement with
 * årsag 9 (Interpretation); a completed education that is not erhvervskompetencegivende only notifies.
 */
export function lukkesVedGennemfoertUddannelse(erhvervskompetencegivende: boolean): boolean {
  return erhvervskompetencegivende;
}

/**
 * AB-8 (behind a setting, off by default): the day the abonnement closes when the borger's kontaktgruppe (1, 8,
 * 12, 25 or 28) ended on `kontaktgruppeSlut`: after one whole calendar month without the group, i.e. the first day
 * of the second month after the month it ended in (ended 15 March or 31 March → closes 1 May).
 */
export function ab8Lukkedato(kontaktgruppeSlut: LocalDate): LocalDate {
  return addMonths(localDate(Number(kontaktgruppeSlut.slice(0, 4)), Number(kontaktgruppeSlut.slice(5, 7)), 1), 2);
}

export interface Ab8Facts {
  /** The setting (off by default). */
  aktiv: boolean;
  /** The borger's latest kontaktgruppe period (by start), if any. */
  senesteKontaktgruppe: { kontaktgruppe: number; slut?: LocalDate | null } | null;
  /** The highest trin of the borger's uddannelsesplaner, if any. Interpretation: "before trin 4" = no plan at trin 4. */
  hoejesteTrin: number | null;
  /** Days DFDG received an admission (OPTAGET) message from UDB for the borger. */
  optagelserModtaget: LocalDate[];
  /** The day the abonnement was opened (Copenhagen), if known: it is not closed on a day before it existed. */
  aabnet?: LocalDate;
}

/**
 * AB-8: kontaktgruppe 1, 8, 12, 25 or 28 closed before trin 4, and one whole calendar month has passed with no
 * admission message from UDB → close. Årsag 4 "Kontaktgruppe lukket" (the note gives none; 4 names the cause and
 * is no longer used by AB-7).
 */
export function lukkesEfterAB8(f: Ab8Facts, today: LocalDate): boolean {
  return ab8Lukkedag(f, today) !== null;
}

/**
 * The day AB-8 closes on (the abonnement's start, if later, is the caller's): the first day after a whole calendar
 * month without an admission, also when the daily run comes later than that day (a missed run catches up on the
 * same day a daily one would have closed), but not before the abonnement was opened. An admission received from
 * that day on came after the closing.
 */
export function ab8Lukkedag(f: Ab8Facts, today: LocalDate): LocalDate | null {
  if (!f.aktiv) return null;
  const k = f.senesteKontaktgruppe;
  if (!k || k.slut == null || k.slut >= today) return null;
  if (!(AB_KONTAKTGRUPPER as readonly number[]).includes(k.kontaktgruppe)) return null;
  if (f.hoejesteTrin != null && f.hoejesteTrin >= 4) return null;
  const dag = ab8Lukkedato(k.slut);
  if (dag > today) return null;
  if (f.optagelserModtaget.some((d) => d > k.slut! && d < dag)) return null;
  return f.aabnet ? maxDate(dag, f.aabnet) : dag;
}

export interface UdbHaendelseInput {
  haendelseId: string;
  dato: LocalDate;
  institution?: string | null;
  uddannelse?: string | null;
}

/** Input checks of an inbound UDB event: an id, an event date that is not in the future, short texts. */
export function validateUdbHaendelse(i: UdbHaendelseInput, today: LocalDate): void {
  if (!/^[\w.:-]{1,100}$/.test(i.haendelseId)) {
    throw new BadInputError('haendelseId skal være 1-100 tegn (bogstaver, tal, . : _ -)', { field: 'haendelseId' });
  }
  if (i.dato > today) throw new BadInputError(`Hændelsesdatoen ${i.dato} ligger i fremtiden`, { field: 'dato' });
  for (const field of ['institution', 'uddannelse'] as const) {
    const v = i[field];
    if (v != null && (v.trim().length === 0 || v.length > 200)) {
      throw new BadInputError(`${field} skal være 1-200 tegn`, { field });
    }
  }
}
