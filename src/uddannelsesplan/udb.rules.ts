import type { LocalDate } from '../scalars/local-date';
import { Stoettebehov } from './stoettebehov.rules';

/**
 * UP-8: which støttebehov go to UDB when it reports the borger admitted. Ids 2 and 3 at any trin; id 1 only at
 * trin 3 or 4; ids 4, 5 and 6 go along whenever one of 1, 2, 3 is sent, and never on their own.
 */
export function stoettebehovTilUdb(trin: number | null, stoettebehov: readonly number[]): number[] {
  const sent = new Set<number>();
  if (stoettebehov.includes(Stoettebehov.FAGLIGE)) sent.add(Stoettebehov.FAGLIGE);
  if (stoettebehov.includes(Stoettebehov.SOCIALE_PERSONLIGE_HELBRED)) sent.add(Stoettebehov.SOCIALE_PERSONLIGE_HELBRED);
  if (stoettebehov.includes(Stoettebehov.INGEN) && (trin === 3 || trin === 4)) sent.add(Stoettebehov.INGEN);
  if (sent.size > 0) {
    for (const id of [Stoettebehov.DOKUMENTERET, Stoettebehov.STOETTEPERSONER, Stoettebehov.KONTAKT_OENSKES]) {
      if (stoettebehov.includes(id)) sent.add(id);
    }
  }
  return [...sent].sort((a, b) => a - b);
}

export interface IndsatsFakta {
  /** Kursusindsatser: afholdelseskategori and period. */
  kurser: { afholdelseskategori: number; start: LocalDate; slut?: LocalDate | null }[];
  /** Mentorindsatser: mentortype and period. */
  mentorer: { mentortype: number; start: LocalDate; slut?: LocalDate | null }[];
}

/**
 * UP-8: a læse-, skrive- og regnetest was done ("har gennemført"): a kursusindsats with afholdelseskategori 37 that
 * has started and has not an end still to come (a test is a day's event, often registered without an end; one
 * whose period ends after today is not done yet). Its result is never part of what is sent.
 */
export function laeseSkriveRegnetestGennemfoert(kurser: IndsatsFakta['kurser'], today: LocalDate): boolean {
  return kurser.some((k) => k.afholdelseskategori === 37 && k.start <= today && (k.slut == null || k.slut <= today));
}

/** UP-8: a current or future mentor: a mentorindsats of mentortype 1 that has not ended before today. */
export function aktuelEllerFremtidigMentor(mentorer: IndsatsFakta['mentorer'], today: LocalDate): boolean {
  return mentorer.some((m) => m.mentortype === 1 && (m.slut == null || m.slut >= today));
}

export interface UdbOverdragelse {
  trin: number | null;
  stoettebehov: number[];
  laeseSkriveRegnetest: boolean;
  mentor: boolean;
}

/**
 * UP-8: what DFDG sends UDB, as one message, when UDB reports the borger admitted to an education. `plan` is
 * the published uddannelsesplan of the borger's jobcenter (null: none published). Null when there is
 * nothing to send: no støttebehov to send, no test, no mentor.
 */
export function decideUdbOverdragelse(
  plan: { trin: number | null; stoettebehov: readonly number[] } | null,
  fakta: IndsatsFakta,
  today: LocalDate,
): UdbOverdragelse | null {
  const stoettebehov = plan ? stoettebehovTilUdb(plan.trin, plan.stoettebehov) : [];
  const laeseSkriveRegnetest = laeseSkriveRegnetestGennemfoert(fakta.kurser, today);
  const mentor = aktuelEllerFremtidigMentor(fakta.mentorer, today);
  if (stoettebehov.length === 0 && !laeseSkriveRegnetest && !mentor) return null;
  return { trin: plan?.trin ?? null, stoettebehov, laeseSkriveRegnetest, mentor };
}
