import { DomainError } from '../../src/errors/domain-errors';
import type { LocalDate } from '../../src/scalars/local-date';
import { dagnummer, fraDagnummer } from '../../src/sletning/sletning.rules';

/** A rule's refusal as `[code, rule id or null]`, null when it accepts; any other error is returned as is. */
export function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? [e.code, e.details.rule ?? null] : e;
  }
  return null;
}

/** Every calendar day from `from` to `to`, both included. */
export function* days(from: string, to: string): Generator<LocalDate> {
  for (let n = dagnummer(from as LocalDate); n <= dagnummer(to as LocalDate); n++) yield fraDagnummer(n);
}
