import { BadInputError, RuleViolation } from '../errors/domain-errors';
import type { LocalDate } from '../scalars/local-date';

/** MT-1: code table MENTORTYPE, ids 1–6 (6 "Personlig jobformidler"). */
export const MENTORTYPE_IDS: readonly number[] = [1, 2, 3, 4, 5, 6];
export const PERSONLIG_JOBFORMIDLER = 6;

export interface MentorindsatsFelter {
  mentortype: number;
  start: LocalDate;
  slut: LocalDate | null;
  navn: string;
  telefon: string;
  email: string;
}

/**
 * MT-1: a mentorindsats of any mentortype 1–6 (6 included) is validated alike: a known mentortype, a period
 * that does not end before it starts, and the mentor's name (telephone and e-mail are checked by their scalars).
 */
export function validateMentorindsats(m: MentorindsatsFelter): MentorindsatsFelter {
  if (!MENTORTYPE_IDS.includes(m.mentortype)) {
    throw new BadInputError(`Ukendt mentortype: ${m.mentortype}. Vælg blandt id 1–6.`, { field: 'mentortype', value: m.mentortype, rule: 'MT-1' });
  }
  if (m.slut && m.slut < m.start) throw new BadInputError('Slutdato ligger før startdato', { field: 'slut' });
  const navn = m.navn.trim();
  if (!navn) throw new BadInputError('Mentorens navn skal udfyldes', { field: 'navn' });
  if (navn.length > 200) throw new BadInputError('Mentorens navn må højst være 200 tegn', { field: 'navn' });
  return { ...m, navn };
}

export interface MentorVisning {
  id: string;
  mentortype: number;
  start: LocalDate;
  slut: LocalDate | null;
  navn: string;
  telefon: string;
  email: string;
}

/**
 * MT-2: "Kontakt din mentor" on the borger's front page lists the mentors whose indsats is current or future,
 * but never mentortype 6 (Personlig jobformidler): that indsats shows in Min plan only.
 */
export function kontaktDinMentor<T extends MentorVisning>(mentorer: readonly T[], today: LocalDate): T[] {
  return mentorer.filter((m) => m.mentortype !== PERSONLIG_JOBFORMIDLER && (m.slut == null || m.slut >= today));
}

export interface Afholdelseskategori {
  id: number;
  /** Expired in the code table (42, 43). */
  udgaaet: boolean;
}

/**
 * MT-3: an expired afholdelseskategori (42, 43) cannot be used on a new kursusindsats, nor given to an existing
 * one that has another; an existing kursusindsats that already has it keeps it when updated.
 * `eksisterende` is the kursusindsats' present category (null when it is new).
 */
export function checkAfholdelseskategori(kategori: Afholdelseskategori, eksisterende: number | null): void {
  if (!kategori.udgaaet) return;
  if (eksisterende === kategori.id) return;
  throw new RuleViolation(
    'MT-3',
    `Afholdelseskategori ${kategori.id} er udgået og kan ikke bruges på ${eksisterende === null ? 'en ny kursusindsats' : 'en kursusindsats, der ikke har den i forvejen'}. Udskrivningskoordinator oprettes i indsats af typen Mentor.`,
    { field: 'afholdelseskategori', value: kategori.id },
  );
}

export function validateKursusPeriode(start: LocalDate, slut: LocalDate | null): void {
  if (slut && slut < start) throw new BadInputError('Slutdato ligger før startdato', { field: 'slut' });
}
