import { BadInputError } from '../errors/domain-errors';
import { addDays, type LocalDate } from '../scalars/local-date';
import { activeOn, type Periode } from './borger.rules';

export interface KontaktgruppeState extends Periode {
  kontaktgruppe: number;
}

export type KontaktgruppeDecision =
  | { kind: 'unchanged' }
  | { kind: 'change'; closeCurrent: { slut: LocalDate } | null; open: { kontaktgruppe: number; start: LocalDate } }
  | { kind: 'close'; slut: LocalDate };

/**
 * A kontaktgruppe change from `start`: the period open on that day ends the day before, the new one opens.
 * Registering the group the borger already has is no change. A change may not start before the open period.
 */
export function decideKontaktgruppeSkift(
  periods: KontaktgruppeState[],
  input: { kontaktgruppe: number; start: LocalDate },
): KontaktgruppeDecision {
  const current = activeOn(periods, input.start) ?? periods.find((p) => p.slut == null);
  if (current && current.kontaktgruppe === input.kontaktgruppe && current.slut == null) return { kind: 'unchanged' };
  if (current && input.start <= current.start) {
    throw new BadInputError(`Kontaktgruppeskift skal starte efter den nuværende kontaktgruppes start (${current.start})`, { field: 'start' });
  }
  return {
    kind: 'change',
    closeCurrent: current && current.slut == null ? { slut: addDays(input.start, -1) } : null,
    open: input,
  };
}

/** The jobcenter closes the kontaktgruppe (no new one); it ends on `slut`. */
export function decideKontaktgruppeLukning(periods: KontaktgruppeState[], slut: LocalDate): KontaktgruppeDecision {
  const open = periods.find((p) => p.slut == null);
  if (!open) throw new BadInputError('Borgeren har ingen åben kontaktgruppe');
  if (slut < open.start) throw new BadInputError(`Slutdato kan ikke ligge før kontaktgruppens start (${open.start})`, { field: 'slut' });
  return { kind: 'close', slut };
}
