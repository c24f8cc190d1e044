import { createHash } from 'node:crypto';
import type { LocalDate } from '../../scalars/local-date';
import { Stoettebehov } from '../stoettebehov.rules';

/** The bullets of Bilag 1, in the template's order. */
export enum BrevPunkt {
  PAALAEG = 'PAALAEG',
  INGEN_STOETTEBEHOV = 'INGEN_STOETTEBEHOV',
  SOCIALE_STOETTEBEHOV = 'SOCIALE_STOETTEBEHOV',
  FAGLIGE_STOETTEBEHOV = 'FAGLIGE_STOETTEBEHOV',
  STOETTEPERSON = 'STOETTEPERSON',
}

/** Bilag 1, word for word. */
export const PUNKT_TEKST: Record<BrevPunkt, string> = {
  [BrevPunkt.PAALAEG]: 'At jobcentret har pålagt dig at starte på den konkrete uddannelse.',
  [BrevPunkt.INGEN_STOETTEBEHOV]: 'At jobcentret har vurderet, at du ikke har nogle umiddelbare behov for yderligere støtte i uddannelsen.',
  [BrevPunkt.SOCIALE_STOETTEBEHOV]:
    'At jobcentret har vurderet, at du har sociale, personlige eller helbredsrelaterede støttebehov, som din uddannelsesinstitution skal være opmærksom på.',
  [BrevPunkt.FAGLIGE_STOETTEBEHOV]:
    'At jobcentret har vurderet, at du har behov for hjælp til faglige støttebehov, fx læse/skrive/regne, som din uddannelsesinstitution skal vide.',
  [BrevPunkt.STOETTEPERSON]: 'At du allerede har tilknyttet en støtteperson.',
};

/** The borger's type-32 contact (kontaktperson i jobcenteret, uddannelsespålæg) as the letter shows it. */
export interface BrevKontakt {
  navn: string;
  telefon: string | null;
  mobil: string | null;
  email: string | null;
}

/** What a letter says, the date apart. Two letters with equal `BrevIndhold` say the same (UP-7 interpretation). */
export interface BrevIndhold {
  fornavn: string;
  efternavn: string;
  punkter: BrevPunkt[];
  jobcenterNavn: string;
  kontakt: BrevKontakt | null;
}

export interface PlanTilBrev {
  trin: number | null;
  stoettebehov: readonly number[];
}

/**
 * UP-7: a letter is made on publishing when støttebehov contains 2, 3 or 5 (any trin), or the plan is at trin
 * 3 or 4 and støttebehov contains 1.
 */
export function brevSkalDannes(p: PlanTilBrev): boolean {
  const s = p.stoettebehov;
  if (s.includes(Stoettebehov.FAGLIGE) || s.includes(Stoettebehov.SOCIALE_PERSONLIGE_HELBRED) || s.includes(Stoettebehov.STOETTEPERSONER)) return true;
  return (p.trin === 3 || p.trin === 4) && s.includes(Stoettebehov.INGEN);
}

/** UP-7: the bullets, in Bilag 1's order: trin 4 → pålæg; 1 → no need; 3 → social etc.; 2 → faglige; 5 → støtteperson. */
export function brevPunkter(p: PlanTilBrev): BrevPunkt[] {
  const s = p.stoettebehov;
  const out: BrevPunkt[] = [];
  if (p.trin === 4) out.push(BrevPunkt.PAALAEG);
  if (s.includes(Stoettebehov.INGEN)) out.push(BrevPunkt.INGEN_STOETTEBEHOV);
  if (s.includes(Stoettebehov.SOCIALE_PERSONLIGE_HELBRED)) out.push(BrevPunkt.SOCIALE_STOETTEBEHOV);
  if (s.includes(Stoettebehov.FAGLIGE)) out.push(BrevPunkt.FAGLIGE_STOETTEBEHOV);
  if (s.includes(Stoettebehov.STOETTEPERSONER)) out.push(BrevPunkt.STOETTEPERSON);
  return out;
}

/** "Jobcenter Gentofte" from code table KOMMUNE; a kommune the table lacks is named by its code. */
export function jobcenterNavn(kommunekode: string, kommuneNavn: string | null | undefined): string {
  return `Jobcenter ${kommuneNavn?.trim() || kommunekode}`;
}

/** A stable identity of a letter's content (the date not included). */
export function brevIndholdHash(i: BrevIndhold): string {
  const canonical = JSON.stringify([
    i.fornavn,
    i.efternavn,
    i.punkter,
    i.jobcenterNavn,
    i.kontakt ? [i.kontakt.navn, i.kontakt.telefon ?? null, i.kontakt.mobil ?? null, i.kontakt.email ?? null] : null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface BrevFakta {
  fornavn: string;
  efternavn: string;
  jobcenterNavn: string;
  kontakt: BrevKontakt | null;
  /** The hash of the last letter made for this plan, if any. */
  sidsteBrevHash: string | null;
}

export type BrevDecision = { kind: 'DAN'; indhold: BrevIndhold; hash: string } | { kind: 'INGEN'; grund: 'BETINGELSER_IKKE_OPFYLDT' | 'SAMME_INDHOLD' };

/**
 * UP-7 on publishing a plan: make the letter when its conditions hold, unless (the interpretation of the fix the
 * release note announces) it would say exactly what the last letter made for the plan said.
 */
export function decideBrev(plan: PlanTilBrev, f: BrevFakta): BrevDecision {
  if (!brevSkalDannes(plan)) return { kind: 'INGEN', grund: 'BETINGELSER_IKKE_OPFYLDT' };
  const indhold: BrevIndhold = {
    fornavn: f.fornavn,
    efternavn: f.efternavn,
    punkter: brevPunkter(plan),
    jobcenterNavn: f.jobcenterNavn,
    kontakt: f.kontakt,
  };
  const hash = brevIndholdHash(indhold);
  if (hash === f.sidsteBrevHash) return { kind: 'INGEN', grund: 'SAMME_INDHOLD' };
  return { kind: 'DAN', indhold, hash };
}

const MAANEDER = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];

/** "22. november 2021", as the letter dates itself. */
export function danskDato(d: LocalDate): string {
  const [y, m, day] = d.split('-').map(Number);
  return `${day}. ${MAANEDER[m - 1]} ${y}`;
}
