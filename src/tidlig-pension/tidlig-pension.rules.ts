import { createHash } from 'node:crypto';
import { BadInputError } from '../errors/domain-errors';
import type { LocalDate } from '../scalars/local-date';

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
