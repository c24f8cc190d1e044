import { createHash } from 'node:crypto';
import { BadInputError, RuleViolation } from '../errors/domain-errors';
import type { LocalDate } from '../scalars/local-date';
import { dagEfter, erForfalden, senesteForfaldneDato } from '../sletning/sletning.rules';
import { folkepensionsdato } from './folkepensionsalder';

export interface TidligPensionInput {
  cpr: string;
  afgoerelsesdato: LocalDate;
  start: LocalDate;
  slut?: LocalDate | null;
  beloebOere: number;
  kompensationsbeloebOere?: number | null;
}

/** Input checks of a UDK report: periods in order, amounts whole non-negative øre. */
export function validateTidligPension(i: TidligPensionInput): void {
  if (i.slut && i.slut < i.start) throw new BadInputError('Slutdato ligger før startdato', { field: 'slut' });
  for (const [field, v] of [['beloebOere', i.beloebOere], ['kompensationsbeloebOere', i.kompensationsbeloebOere]] as const) {
    if (v != null && (!Number.isSafeInteger(v) || v < 0)) throw new BadInputError(`${field} skal være et ikke-negativt helt antal øre`, { field });
  }
}

/** The identity of a report's content: a re-sent identical report is recognised by it (idempotent). */
export function tidligPensionHash(i: TidligPensionInput): string {
  const canonical = [i.cpr, i.afgoerelsesdato, i.start, i.slut ?? '', i.beloebOere, i.kompensationsbeloebOere ?? ''].join('|');
  return createHash('sha256').update(canonical).digest('hex');
}

/** TP-4: tidlig pension data are kept this many years after the borger reaches folkepensionsalder. */
export const TIDLIG_PENSION_OPBEVARING_AAR = 6;

/** TP-4: the day a borger's tidlig pension data are deleted: 6 years after reaching folkepensionsalder. */
export function tidligPensionSletningsdato(foedselsdato: LocalDate): LocalDate {
  return dagEfter(folkepensionsdato(foedselsdato), TIDLIG_PENSION_OPBEVARING_AAR);
}

/**
 * TP-4 / DL-2: the latest birth date whose tidlig pension data are due for deletion on `today` (the
 * deletion date never decreases with the birth date, so the job deletes `foedselsdato <= grænse`).
 */
export function tidligPensionSletningsgraense(today: LocalDate): LocalDate | null {
  return senesteForfaldneDato(today, tidligPensionSletningsdato);
}

/**
 * TP-4: a report for a borger whose data are already due for deletion is refused: it would be deleted
 * the same night, and the a-kasse would have been sent data DFDG may no longer hold.
 */
export function checkIkkeForfaldenTilSletning(foedselsdato: LocalDate, today: LocalDate): void {
  const dato = tidligPensionSletningsdato(foedselsdato);
  if (erForfalden(dato, today)) {
    throw new RuleViolation('TP-4', `Oplysninger om tidlig pension for borgeren skal slettes fra ${dato} (6 år efter folkepensionsalderen) og kan ikke modtages`, {
      sletningsdato: dato,
    });
  }
}
