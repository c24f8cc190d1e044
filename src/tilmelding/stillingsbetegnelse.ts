import { BadInputError } from '../errors/domain-errors';

/**
 * The key two stillingsbetegnelser/aliaser are compared by: case, surrounding and repeated blanks do not count, nor
 * how the letters are encoded (Unicode NFC: "å" as one character or as "a" with a combining ring look the same).
 */
export function stillingsbetegnelseNoegle(s: string): string {
  return s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('da-DK');
}

/**
 * TM-1 and TM-2's check of one list: each stillingsbetegnelse/alias at most once, compared by `stillingsbetegnelseNoegle`.
 * Returns the list trimmed (repeated blanks made one), in the order given; an empty name or a duplicate is a validation
 * error built by the caller (`tom`, `dublet`: the duplicate as given, and the first one it repeats).
 */
export function unikkeStillingsbetegnelser(
  list: readonly string[],
  fejl: { tom: () => BadInputError; dublet: (navn: string, foerste: string) => BadInputError },
): string[] {
  const seen = new Map<string, string>();
  const out: string[] = [];
  for (const raw of list) {
    const navn = raw.trim().replace(/\s+/g, ' ');
    if (!navn) throw fejl.tom();
    const key = stillingsbetegnelseNoegle(navn);
    const first = seen.get(key);
    if (first !== undefined) throw fejl.dublet(navn, first);
    seen.set(key, navn);
    out.push(navn);
  }
  return out;
}
