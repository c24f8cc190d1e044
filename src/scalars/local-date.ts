import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** A Danish calendar date, `YYYY-MM-DD`. Kept as a string so it sorts and compares as text. */
export type LocalDate = string & { readonly __localDate?: unique symbol };

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The earliest date accepted: before the earliest birth a CPR number can hold (1858). Years below 100 would also
 * be read as 19xx by Date.UTC, and PostgreSQL has no year 0.
 */
export const EARLIEST_YEAR = 1800;

export function parseLocalDate(value: string): LocalDate {
  const m = ISO.exec(value);
  if (!m || !isValidDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new InvalidInputError(`Ugyldig dato: "${value}" (forventet ÅÅÅÅ-MM-DD)`);
  }
  if (Number(m[1]) < EARLIEST_YEAR) throw new InvalidInputError(`Ugyldig dato: "${value}" (tidligst år ${EARLIEST_YEAR})`);
  return value as LocalDate;
}

export function localDate(year: number, month: number, day: number): LocalDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as LocalDate;
}

function parts(d: LocalDate): [number, number, number] {
  return [Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8, 10))];
}

export function addDays(d: LocalDate, days: number): LocalDate {
  const [y, m, day] = parts(d);
  const t = new Date(Date.UTC(y, m - 1, day + days));
  return localDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Same day N years later; 29 February falls back to 28 February in a common year. */
export function addYears(d: LocalDate, years: number): LocalDate {
  const [y, m, day] = parts(d);
  const ny = y + years;
  return localDate(ny, m, Math.min(day, daysInMonth(ny, m)));
}

export function addMonths(d: LocalDate, months: number): LocalDate {
  const [y, m, day] = parts(d);
  const idx = y * 12 + (m - 1) + months;
  const ny = Math.floor(idx / 12);
  const nm = (idx % 12) + 1;
  return localDate(ny, nm, Math.min(day, daysInMonth(ny, nm)));
}

export function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a <= b ? a : b;
}

export function maxDate(a: LocalDate, b: LocalDate): LocalDate {
  return a >= b ? a : b;
}

/** Marks an input value error raised while parsing a scalar, so the error mapper can say BAD_USER_INPUT. */
export class InvalidInputError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT' } });
  }
}

export const LocalDateScalar = new GraphQLScalarType<LocalDate, string>({
  name: 'LocalDate',
  description: 'A calendar date in Europe/Copenhagen, formatted YYYY-MM-DD.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString().slice(0, 10);
    if (typeof value === 'string') return value;
    throw new TypeError('LocalDate cannot represent ' + String(value));
  },
  parseValue(value) {
    if (typeof value !== 'string') throw new InvalidInputError('LocalDate skal være en tekst ÅÅÅÅ-MM-DD');
    return parseLocalDate(value);
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new InvalidInputError('LocalDate skal være en tekst ÅÅÅÅ-MM-DD');
    return parseLocalDate(ast.value);
  },
});
