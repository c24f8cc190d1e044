import { GraphQLScalarType, Kind } from 'graphql';
import { InvalidInputError, isValidDate, localDate, type LocalDate } from './local-date';

/** A CPR number normalised to ten digits, no dash. */
export type Cpr = string & { readonly __cpr?: unique symbol };

const CPR = /^(\d{2})(\d{2})(\d{2})-?(\d)(\d{3})$/;

/**
 * the century comes from the 7th digit and the two-digit year.
 * No modulus-11 check: numbers without it are issued since 2007.
 */
export function centuryOf(digit7: number, yy: number): number {
  if (digit7 <= 3) return 1900;
  if (digit7 === 4 || digit7 === 9) return yy <= 36 ? 2000 : 1900;
  return yy <= 57 ? 2000 : 1800;
}

export interface ParsedCpr {
  cpr: Cpr;
  birthDate: LocalDate;
}

export function parseCpr(input: string): ParsedCpr {
  const m = CPR.exec(input.trim());
  if (!m) throw new InvalidInputError(`Ugyldigt CPR-nummer: skal være 10 cifre (ddmmåå-ssss)`);
  const [, dd, mm, yy, d7, rest] = m;
  const year = centuryOf(Number(d7), Number(yy)) + Number(yy);
  if (!isValidDate(year, Number(mm), Number(dd))) {
    throw new InvalidInputError(`Ugyldigt CPR-nummer: ${dd}${mm}${yy} er ikke en gyldig fødselsdato`);
  }
  return { cpr: `${dd}${mm}${yy}${d7}${rest}` as Cpr, birthDate: localDate(year, Number(mm), Number(dd)) };
}

export function birthDateOf(cpr: Cpr): LocalDate {
  return parseCpr(cpr).birthDate;
}

export const CprScalar = new GraphQLScalarType<Cpr, string>({
  name: 'CPR',
  description: 'A Danish CPR number: ten digits, ddmmyy-ssss with the dash optional. Returned without the dash.',
  serialize(value) {
    if (typeof value !== 'string') throw new TypeError('CPR cannot represent ' + String(value));
    return value;
  },
  parseValue(value) {
    if (typeof value !== 'string') throw new InvalidInputError('CPR-nummer skal angives som tekst');
    return parseCpr(value).cpr;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new InvalidInputError('CPR-nummer skal angives som tekst');
    return parseCpr(ast.value).cpr;
  },
});
