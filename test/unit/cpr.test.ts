import { describe, expect, it } from 'vitest';
import { centuryOf, parseCpr } from '../../src/scalars/cpr';

describe('X-2: CPR numbers', () => {
  it.each([
    // [cpr, birth date] across every cell of the century table
    ['0101001000', '1900-01-01'], // digit 7 = 1, yy 00 → 1900s
    ['3112363999', '1936-12-31'], // digit 7 = 3, yy 36
    ['0101580000', '1958-01-01'], // digit 7 = 0, yy 58
    ['0101364000', '2036-01-01'], // digit 7 = 4, yy 00–36 → 2000s
    ['0101374000', '1937-01-01'], // digit 7 = 4, yy 37–57 → 1900s
    ['0101999000', '1999-01-01'], // digit 7 = 9, yy 58–99 → 1900s
    ['0101369000', '2036-01-01'], // digit 7 = 9, yy 00–36 → 2000s
    ['0101575000', '2057-01-01'], // digit 7 = 5, yy 37–57 → 2000s
    ['0101058000', '2005-01-01'], // digit 7 = 8, yy 00–36 → 2000s
    ['0101585000', '1858-01-01'], // digit 7 = 5, yy 58–99 → 1800s
    ['3112998999', '1899-12-31'], // digit 7 = 8, yy 99 → 1800s
  ])('X-2: %s is born %s', (cpr, birth) => {
    expect(parseCpr(cpr).birthDate).toBe(birth);
  });

  it('X-2: the dash is optional and dropped', () => {
    expect(parseCpr('010105-4321')).toEqual({ cpr: '0101054321', birthDate: '2005-01-01' });
  });

  it('X-2: no modulus-11 check (a number failing it is accepted)', () => {
    // 0101054321 fails modulus 11 (weights 4,3,2,7,6,5,4,3,2,1); issued numbers since 2007 may.
    const digits = '0101054321'.split('').map(Number);
    const sum = digits.reduce((s, d, i) => s + d * [4, 3, 2, 7, 6, 5, 4, 3, 2, 1][i], 0);
    expect(sum % 11).not.toBe(0);
    expect(parseCpr('0101054321').cpr).toBe('0101054321');
  });

  it.each([
    ['3002201234', '30 February'],
    ['2902011234', '29 February 1901 (not a leap year)'],
    ['3104901234', '31 April'],
    ['0013901234', 'month 13'],
    ['0000901234', 'day 0'],
    ['010190123', 'nine digits'],
    ['01019012345', 'eleven digits'],
    ['010190-12a4', 'a letter'],
    ['0101-901234', 'dash in the wrong place'],
  ])('X-2: %s is refused (%s)', (cpr) => {
    expect(() => parseCpr(cpr)).toThrow(/Ugyldigt CPR-nummer/);
  });

  it('X-2: 29 February in a leap year of the 2000s is a real date', () => {
    expect(parseCpr('2902044000').birthDate).toBe('2004-02-29');
    expect(() => parseCpr('2902034000')).toThrow();
  });

  it('X-2: the century table as a function', () => {
    for (const d7 of [0, 1, 2, 3]) for (const yy of [0, 36, 37, 57, 58, 99]) expect(centuryOf(d7, yy)).toBe(1900);
    for (const d7 of [4, 9]) {
      expect(centuryOf(d7, 36)).toBe(2000);
      expect(centuryOf(d7, 37)).toBe(1900);
      expect(centuryOf(d7, 58)).toBe(1900);
    }
    for (const d7 of [5, 6, 7, 8]) {
      expect(centuryOf(d7, 0)).toBe(2000);
      expect(centuryOf(d7, 57)).toBe(2000);
      expect(centuryOf(d7, 58)).toBe(1800);
      expect(centuryOf(d7, 99)).toBe(1800);
    }
  });
});
