import { describe, expect, it } from 'vitest';
import { RuleViolation } from '../../src/errors/domain-errors';
import {
  aktiveFravaerstyper,
  checkFravaerPeriode,
  checkFravaerstypeTilladt,
  fravaerSynligForAkasse,
  joblogpligt,
  maaHaveUddannelsesloeft,
  overlaps,
  type FravaerState,
  type MedlemskabState,
} from '../../src/fravaer/fravaer.rules';

const TODAY = '2026-11-27';
const f = (fravaerstype: number, start: string, slut: string | null = null): FravaerState => ({ fravaerstype, start, slut });
const synlig = (fr: FravaerState, akasse: string, ms: MedlemskabState[], today = TODAY) => fravaerSynligForAkasse([fr], akasse, ms, today).length === 1;

describe('FR-1: the a-kasse reads fravær within its membership ±120 days', () => {
  // Member of 12 since 2024-03-01: the window opens 120 days earlier, on 2023-11-02 (2024 is a leap year).
  const nu: MedlemskabState[] = [{ akasse: '12', start: '2024-03-01', slut: null }];

  it.each([
    ['ends on the first day of the window', f(74, '2023-10-01', '2023-11-02'), true],
    ['ends the day before the window', f(74, '2023-10-01', '2023-11-01'), false],
    ['open, started long before', f(74, '2015-01-01'), true],
    ['during the membership', f(901, '2025-05-01', '2025-05-20'), true],
  ])('FR-1: open membership, fravær that %s → %s', (_t, fr, expected) => {
    expect(synlig(fr, '12', nu)).toBe(expected);
  });

  // An ended membership of 12, 2015–2019: the window closes 120 days after, on 2020-04-29.
  const tidligere: MedlemskabState[] = [
    { akasse: '12', start: '2015-01-01', slut: '2019-12-31' },
    { akasse: '34', start: '2020-01-01', slut: '2024-02-29' },
    { akasse: '12', start: '2024-03-01', slut: null },
  ];
  it.each([
    ['starts on the last day of the window', f(74, '2020-04-29', '2020-05-10'), true],
    ['starts the day after the window', f(74, '2020-04-30', '2020-05-10'), false],
    ['lies wholly between two memberships of 12', f(74, '2021-01-01', '2021-02-01'), false],
  ])('FR-1: earlier membership of the same a-kasse, fravær that %s → %s', (_t, fr, expected) => {
    expect(synlig(fr, '12', tidligere)).toBe(expected);
  });

  it('FR-1: another a-kasse’s window does not count for this one', () => {
    expect(synlig(f(74, '2021-01-01', '2021-02-01'), '34', tidligere)).toBe(true);
    expect(synlig(f(74, '2021-01-01', '2021-02-01'), '12', tidligere)).toBe(false);
    expect(synlig(f(74, '2021-01-01', '2021-02-01'), '99', tidligere)).toBe(false);
  });
});

describe('FR-1: the current a-kasse reads types 25 (8 years), 71 and 78 (5 years) whatever the membership then', () => {
  // Member of 12 only since 2024-03-01; before that of 34.
  const ms: MedlemskabState[] = [
    { akasse: '34', start: '2010-01-01', slut: '2024-02-29' },
    { akasse: '12', start: '2024-03-01', slut: null },
  ];

  it.each([
    [25, '2018-11-01', '2018-11-27', true], // overlaps [2018-11-27, today]
    [25, '2018-11-01', '2018-11-26', false],
    [25, '2010-01-01', null, true], // still open
    [71, '2021-11-01', '2021-11-27', true], // overlaps [2021-11-27, today]
    [71, '2021-11-01', '2021-11-26', false],
    [78, '2021-11-27', '2021-12-31', true],
    [78, '2021-01-01', '2021-11-26', false],
    [74, '2022-01-01', '2022-02-01', false], // not an extended type, outside the window
    [901, '2022-01-01', '2022-02-01', false],
  ])('FR-1: type %i from %s to %s → %s for the current a-kasse', (type, start, slut, expected) => {
    expect(synlig(f(type, start, slut), '12', ms)).toBe(expected);
  });

  it('FR-1: a former a-kasse does not get the extended access', () => {
    // 34 is no longer the current a-kasse: type 25 from 2024-08 lies outside its window (ends 2024-06-28).
    expect(synlig(f(25, '2024-08-01', '2024-09-01'), '34', ms)).toBe(false);
    expect(synlig(f(25, '2024-06-28', '2024-09-01'), '34', ms)).toBe(true);
  });

  it('FR-1: "N years back" runs from today; 8 years for 25 is not 5', () => {
    expect(synlig(f(25, '2019-01-01', '2019-02-01'), '12', ms)).toBe(true);
    expect(synlig(f(71, '2019-01-01', '2019-02-01'), '12', ms)).toBe(false);
    expect(synlig(f(78, '2019-01-01', '2019-02-01'), '12', ms)).toBe(false);
  });

  it('FR-1: the filter keeps order and drops only what is hidden', () => {
    const list = [f(74, '2015-01-01', '2015-02-01'), f(25, '2020-01-01', '2020-02-01'), f(74, '2025-01-01', '2025-02-01')];
    expect(fravaerSynligForAkasse(list, '12', ms, TODAY)).toEqual([list[1], list[2]]);
  });
});

describe('FR-3: fravær 74 for jobparate in kontaktgruppe 26, and the joblog exemption', () => {
  it.each([
    [26, true, true],
    [26, false, false],
    [2, true, true],
    [2, false, false],
    [1, false, true],
    [1, true, true],
    [12, true, false],
    [8, true, false],
    [null, true, false],
  ])('FR-3: kontaktgruppe %s, jobparat %s → may have 74: %s', (kg, jobparat, expected) => {
    expect(maaHaveUddannelsesloeft({ kontaktgruppe: kg, jobparat })).toBe(expected);
    if (expected) expect(() => checkFravaerstypeTilladt(74, { kontaktgruppe: kg, jobparat }, TODAY)).not.toThrow();
    else expect(() => checkFravaerstypeTilladt(74, { kontaktgruppe: kg, jobparat }, TODAY)).toThrow(RuleViolation);
  });

  it('FR-3: the refusal is a RULE_VIOLATION naming FR-3, in Danish', () => {
    try {
      checkFravaerstypeTilladt(74, { kontaktgruppe: 26, jobparat: false }, TODAY);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(RuleViolation);
      expect((e as RuleViolation).rule).toBe('FR-3');
      expect((e as RuleViolation).message).toMatch(/kontaktgruppe 26 og ikke jobparat/);
    }
  });

  it('other types are not limited by FR-3', () => {
    for (const t of [25, 71, 78]) expect(() => checkFravaerstypeTilladt(t, { kontaktgruppe: 12, jobparat: false }, TODAY)).not.toThrow();
  });

  it.each([
    // tilmeldt, kg, jobparat, active types, duty
    [true, 2, true, [], true],
    [true, 2, true, [74], false],
    [true, 26, true, [], true],
    [true, 26, true, [74], false],
    [true, 1, false, [74], false],
    [true, 1, false, [25], true],
    [true, 12, true, [], true],
    [true, 2, false, [], false],
    [false, 2, true, [], false],
    [true, 8, true, [], false],
  ] as const)('FR-3: tilmeldt %s, kontaktgruppe %s, jobparat %s, active fravær %j → joblog duty %s', (tilmeldt, kg, jobparat, aktive, pligt) => {
    const svar = joblogpligt({ tilmeldt, kontaktgruppe: kg, jobparat, aktiveFravaerstyper: [...aktive] });
    expect(svar.pligt).toBe(pligt);
    expect(svar.begrundelse.length).toBeGreaterThan(0);
  });

  it('FR-3: the exemption holds only while the 74 is active', () => {
    const fr = [f(74, '2026-09-01', '2026-11-26'), f(25, '2026-01-01')];
    expect(aktiveFravaerstyper(fr, '2026-11-26')).toEqual([74, 25]);
    expect(aktiveFravaerstyper(fr, TODAY)).toEqual([25]);
  });
});

describe('periods', () => {
  it('overlap shares at least one day; open ends reach forever', () => {
    expect(overlaps({ start: '2026-01-01', slut: '2026-01-31' }, { start: '2026-01-31', slut: null })).toBe(true);
    expect(overlaps({ start: '2026-01-01', slut: '2026-01-30' }, { start: '2026-01-31', slut: null })).toBe(false);
    expect(overlaps({ start: '2030-01-01', slut: null }, { start: '2026-01-31', slut: null })).toBe(true);
  });
  it('a fravær cannot end before it starts', () => {
    expect(() => checkFravaerPeriode('2026-02-01', '2026-01-31')).toThrow(/slutdato/);
    expect(() => checkFravaerPeriode('2026-02-01', '2026-02-01')).not.toThrow();
  });
});
