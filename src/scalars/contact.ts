import { GraphQLScalarType, Kind } from 'graphql';
import { InvalidInputError } from './local-date';

// Deliberately plain: one @, a dot in the domain, no spaces. RFC 5322 in full accepts addresses no mail system here would.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const PHONE = /^(?:\+45)?(\d{8})$/;

export function parseEmail(value: string): string {
  const v = value.trim();
  if (v.length > 254 || !EMAIL.test(v)) throw new InvalidInputError(`Ugyldig e-mailadresse: "${value}"`);
  return v;
}

/** Danish phone: 8 digits with optional +45; spaces are ignored. Stored as the 8 digits. */
export function parsePhone(value: string): string {
  const m = PHONE.exec(value.replace(/\s+/g, ''));
  if (!m) throw new InvalidInputError(`Ugyldigt telefonnummer: "${value}" (8 cifre, evt. med +45)`);
  return m[1];
}

function stringScalar(name: string, description: string, parse: (v: string) => string) {
  return new GraphQLScalarType<string, string>({
    name,
    description,
    serialize: (v) => String(v),
    parseValue(v) {
      if (typeof v !== 'string') throw new InvalidInputError(`${name} skal angives som tekst`);
      return parse(v);
    },
    parseLiteral(ast) {
      if (ast.kind !== Kind.STRING) throw new InvalidInputError(`${name} skal angives som tekst`);
      return parse(ast.value);
    },
  });
}

export const EmailScalar = stringScalar('Email', 'An e-mail address.', parseEmail);
export const PhoneScalar = stringScalar('Phone', 'A Danish phone number: 8 digits, optionally prefixed +45.', parsePhone);
