import { activeOn, type Periode } from '../borger/borger.rules';
import { BadInputError } from '../errors/domain-errors';
import { addDays, type LocalDate } from '../scalars/local-date';

export interface JobparathedState extends Periode {
  jobparat: boolean;
}

/**
 * Jobparat on `dato`. With no history at all the borger's current flag answers (it is all that was known
 * before history was kept); with history, a day no period covers is not jobparat.
 */
export function jobparatPaa(periods: JobparathedState[], borgerFlag: boolean, dato: LocalDate): boolean {
  if (periods.length === 0) return borgerFlag;
  return activeOn(periods, dato)?.jobparat ?? false;
}

export type JobparathedDecision =
  | { kind: 'unchanged' }
  | { kind: 'change'; closeOpen: { slut: LocalDate } | null; open: { jobparat: boolean; start: LocalDate } };

/** A new jobparathed from `start`: the open period ends the day before. Same as a kontaktgruppe change. */
export function decideJobparathed(periods: JobparathedState[], input: { jobparat: boolean; start: LocalDate }): JobparathedDecision {
  const open = periods.find((p) => p.slut == null);
  if (open && open.jobparat === input.jobparat) return { kind: 'unchanged' };
  const lastStart = periods.reduce<LocalDate | null>((m, p) => (!m || p.start > m ? p.start : m), null);
  if (lastStart && input.start <= lastStart) {
    throw new BadInputError(`Jobparathed kan kun ændres fra en dato efter den seneste ændring (${lastStart})`, { field: 'start' });
  }
  const lastSlut = periods.reduce<LocalDate | null>((m, p) => (p.slut && (!m || p.slut > m) ? p.slut : m), null);
  if (!open && lastSlut && input.start <= lastSlut) {
    throw new BadInputError(`Jobparathed kan kun ændres fra en dato efter ${lastSlut}`, { field: 'start' });
  }
  return { kind: 'change', closeOpen: open ? { slut: addDays(input.start, -1) } : null, open: input };
}
