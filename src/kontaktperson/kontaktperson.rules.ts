import type { Principal } from '../context/context';
import { Role } from '../context/roles';
import { BadInputError, ForbiddenError, RuleViolation } from '../errors/domain-errors';
import { parseEmail, parsePhone } from '../scalars/contact';
import { addDays, type LocalDate } from '../scalars/local-date';
import { KontaktArt } from './kontakt.entity';
import { Kontaktpersontype } from './kontaktperson.entity';

/**
 * KP-2: the kontaktpersontyper DFDG does not end on a CPR move: 8 Pårørende, 9 Bisidder, 10 Partsrepræsentant,
 * 25 Kontaktperson i a-kassen, 26 Kontaktperson på asylcentret, 31 Kontaktperson på uddannelsesstedet, and the
 * ones registered in mentorindsats: 15 Mentor, 2 Udslusningskoordinator, 3 Personlig jobformidler.
 */
export const KP2_UNDTAGNE_TYPER: readonly number[] = [
  Kontaktpersontype.PAAROERENDE,
  Kontaktpersontype.BISIDDER,
  Kontaktpersontype.PARTSREPRAESENTANT,
  Kontaktpersontype.AKASSE,
  Kontaktpersontype.ASYLCENTER,
  Kontaktpersontype.UDDANNELSESSTED,
  Kontaktpersontype.MENTOR,
  Kontaktpersontype.UDSLUSNINGSKOORDINATOR,
  Kontaktpersontype.PERSONLIG_JOBFORMIDLER,
];

export interface Periode {
  start: LocalDate;
  slut?: LocalDate | null;
}

/** KP-2: is a kontaktperson of this type ended when CPR moves the borger to another kommune? */
export function afsluttesVedFlytning(kontaktpersontype: number): boolean {
  return !KP2_UNDTAGNE_TYPER.includes(kontaktpersontype);
}

/**
 * KP-3: the period of a kontaktperson after a CPR move on `flyttedato` (= today), or null when it is left alone:
 * no end date → end = move date; end after the move date → end = move date; start after the move date → start =
 * end = move date − 1 day; an end date on or before the move date is left alone. A move within the same kommune
 * ends nothing (the caller does not get here). The set-based SQL in `flytning.sql.ts` is the same decision; the
 * integration tests hold both to these cases.
 */
export function kp3NyPeriode(p: Periode, flyttedato: LocalDate): { start: LocalDate; slut: LocalDate } | null {
  if (p.slut != null && p.slut <= flyttedato) return null;
  if (p.start > flyttedato) {
    const dagenFoer = addDays(flyttedato, -1);
    return { start: dagenFoer, slut: dagenFoer };
  }
  return { start: p.start, slut: flyttedato };
}

/** KP-2 + KP-3 for one kontaktperson on a CPR move from one kommune to another. */
export function vedFlytning(
  k: Periode & { kontaktpersontype: number },
  flytning: { fraKommune: string; tilKommune: string; flyttedato: LocalDate },
): { start: LocalDate; slut: LocalDate } | null {
  if (flytning.fraKommune === flytning.tilKommune) return null;
  if (!afsluttesVedFlytning(k.kontaktpersontype)) return null;
  return kp3NyPeriode(k, flytning.flyttedato);
}

export interface KontaktData {
  navn: string;
  email?: string | null;
  telefon?: string | null;
  mobil?: string | null;
  art?: KontaktArt | null;
  cvr?: string | null;
  pnr?: string | null;
  internNoegle?: string | null;
}

function bad(field: string, message: string): never {
  throw new BadInputError(message, { field });
}

/**
 * KP-5: a contact's data, checked and normalised: a name (1-200 characters), e-mail syntax and a Danish phone of
 * 8 digits with optional +45 (stored as the 8 digits) when given, CVR 8 digits, P-nr 10 digits.
 */
export function validateKontakt(k: KontaktData): KontaktData {
  const navn = k.navn?.trim() ?? '';
  if (navn.length === 0 || navn.length > 200) bad('navn', 'Navn på kontaktperson eller team skal være 1-200 tegn');
  const out: KontaktData = { ...k, navn };
  if (k.email != null) {
    try {
      out.email = parseEmail(k.email);
    } catch {
      bad('email', `Ugyldig e-mailadresse: "${k.email}"`);
    }
  }
  if (k.telefon != null) {
    try {
      out.telefon = parsePhone(k.telefon);
    } catch {
      bad('telefon', `Ugyldigt telefonnummer: "${k.telefon}" (8 cifre, evt. med +45)`);
    }
  }
  if (k.mobil != null) {
    try {
      out.mobil = parsePhone(k.mobil);
    } catch {
      bad('mobil', `Ugyldigt mobilnummer: "${k.mobil}" (8 cifre, evt. med +45)`);
    }
  }
  if (k.cvr != null && !/^\d{8}$/.test(k.cvr)) bad('cvr', 'CVR-nummer skal være 8 cifre');
  if (k.pnr != null && !/^\d{10}$/.test(k.pnr)) bad('pnr', 'P-nummer skal være 10 cifre');
  if (k.internNoegle != null && (k.internNoegle.length === 0 || k.internNoegle.length > 200)) bad('internNoegle', 'Intern nøgle skal være 1-200 tegn');
  return out;
}

/** KP-5: a type-32 contact needs name, e-mail, phone and kind (person, team or generic team). */
export function kraevType32Felter(k: KontaktData): void {
  if (!k.email) bad('email', 'En kontaktperson i jobcenteret (type 32) skal have en e-mailadresse');
  if (!k.telefon) bad('telefon', 'En kontaktperson i jobcenteret (type 32) skal have et telefonnummer');
  if (!k.art) bad('art', 'En kontaktperson i jobcenteret (type 32) skal angive, om det er en person, et team eller et generisk team');
}

/**
 * KP-5: a change that opens a type-32 attachment again (an end before today moved to today or later, or removed)
 * needs its kontakt to hold e-mail, phone and kind, as registering it does. While the attachment was closed, a change
 * of the kontakt was not held to type 32 (`aendrKontakt` checks the attachments open today or later), so the kontakt
 * may have lost them; reopened as it is, it would go to UDB without them (KP-6). Other changes of an attachment (its
 * role, or an end within the period) leave the kontakt as it was checked.
 */
export function kraevType32FelterVedGenaabning(
  kontaktpersontype: number,
  foer: { slut?: LocalDate | null },
  efter: { slut?: LocalDate | null },
  kontakt: KontaktData,
  today: LocalDate,
): void {
  if (kontaktpersontype !== Kontaktpersontype.JOBCENTER_UDDANNELSESPAALAEG) return;
  const aabenFraIdag = (slut: LocalDate | null | undefined) => slut == null || slut >= today;
  if (!aabenFraIdag(foer.slut) && aabenFraIdag(efter.slut)) kraevType32Felter(kontakt);
}

/** A period: the end is not before the start. */
export function validatePeriode(p: Periode): void {
  if (p.slut != null && p.slut < p.start) bad('slut', `Slutdatoen ${p.slut} ligger før startdatoen ${p.start}`);
}

/** KP-7: type-31 contacts come from UDB only; a jobcenter can neither register nor change them. */
export function kraevIkkeUdbType(kontaktpersontype: number): void {
  if (kontaktpersontype === Kontaktpersontype.UDDANNELSESSTED) {
    throw new RuleViolation('KP-7', 'Kontaktpersoner på uddannelsesstedet (type 31) kommer fra Ungedatabasen og kan ikke registreres eller ændres af jobcentret');
  }
}

/** Only the organisation that registered a kontakt may change it or attach it to its borgere. */
export function kraevEjer(p: Principal, k: { ejerRolle: Role; ejerOrg: string }): void {
  if (p.role !== k.ejerRolle || p.org !== k.ejerOrg) throw new ForbiddenError('Kontakten tilhører en anden organisation');
}

/**
 * Who may change an attachment: the organisation that registered it (or SYSTEM). A jobcenter that has the borger
 * now but did not register it (after a manual move, KP-4, which ends no contact) may end it and nothing else, as
 * PG-2 lets it close the previous jobcenter's markings: not reopen it, move it or change its role, which would then
 * go to UDB (KP-6) in the registering jobcenter's name.
 */
export function kraevAendringsret(
  p: Principal,
  kp: { registreretAfRolle: Role; registreretAfOrg: string; slut?: LocalDate | null },
  aendring: { rolle?: unknown; start?: unknown; slut?: LocalDate | null; visesPaaJobnet?: unknown },
): void {
  if (p.role === Role.SYSTEM || (p.role === kp.registreretAfRolle && p.org === kp.registreretAfOrg)) return;
  const kunSlut = aendring.rolle === undefined && aendring.start === undefined && aendring.visesPaaJobnet === undefined;
  const afslutter = aendring.slut != null && (kp.slut == null || aendring.slut <= kp.slut);
  if (!kunSlut || !afslutter) {
    throw new ForbiddenError(`Kontaktpersonen er registreret af ${kp.registreretAfOrg}; I kan kun afslutte den`);
  }
}

/** KP-6: registering or changing a type-32 contact of a borger with an abonnement queues a message to UDB. */
export function sendesTilUdb(kontaktpersontype: number, harAbonnement: boolean): boolean {
  return kontaktpersontype === Kontaktpersontype.JOBCENTER_UDDANNELSESPAALAEG && harAbonnement;
}

export interface UdbKontakt {
  navn: string;
  email: string;
  telefon: string;
  cvr: string;
  pnr: string;
}

/**
 * KP-7: one type-31 contact from UDB: name, e-mail, phone, CVR and P-nr, all required and checked as KP-5 checks.
 * Returns it normalised (phone as 8 digits), so the same contact always gets the same key.
 */
export function validateUdbKontakt(k: Partial<UdbKontakt>): UdbKontakt {
  for (const f of ['navn', 'email', 'telefon', 'cvr', 'pnr'] as const) {
    if (typeof k[f] !== 'string' || k[f]!.trim() === '') bad(f, `Kontaktpersonen fra UDB mangler ${f}`);
  }
  const v = validateKontakt({ navn: k.navn!, email: k.email!, telefon: k.telefon!, cvr: k.cvr!.trim(), pnr: k.pnr!.trim() });
  return { navn: v.navn, email: v.email!, telefon: v.telefon!, cvr: v.cvr!, pnr: v.pnr! };
}

/** The identity of a UDB contact's content (navn, e-mail, phone, CVR, P-nr): equal content → the same kontakt. */
export function udbKontaktNoegle(k: UdbKontakt): string {
  return [k.navn, k.email.toLowerCase(), k.telefon, k.cvr, k.pnr].join('|');
}

/**
 * KP-7, one borger: what a batch changes. The batch holds the borger's complete current set of type-31
 * contacts; open ones not in it end, new ones open, the rest are untouched. The same batch again changes
 * nothing (idempotent). KP-8: the borger is notified when something changed.
 */
export function udbKontaktDiff(aabne: string[], batch: string[]): { tilfoej: string[]; afslut: string[]; aendret: boolean } {
  const nye = new Set(batch);
  const gamle = new Set(aabne);
  const tilfoej = [...nye].filter((k) => !gamle.has(k));
  const afslut = [...gamle].filter((k) => !nye.has(k));
  return { tilfoej, afslut, aendret: tilfoej.length + afslut.length > 0 };
}
