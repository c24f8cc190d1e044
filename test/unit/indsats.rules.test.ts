import { describe, expect, it } from 'vitest';
import { DomainError, RuleViolation } from '../../src/errors/domain-errors';
import { checkAfholdelseskategori, kontaktDinMentor, validateMentorindsats, type MentorindsatsFelter } from '../../src/indsats/indsats.rules';
import type { LocalDate } from '../../src/scalars/local-date';

const d = (s: string) => s as LocalDate;
const TODAY = d('2026-11-27');
const MENTOR: MentorindsatsFelter = { mentortype: 1, start: d('2026-11-01'), slut: null, navn: 'Mette Mentor', telefon: '12345678', email: 'mm@x.dk' };

describe('MT-1: mentortyper 1–6, validated alike', () => {
  it.each([1, 2, 3, 4, 5, 6])('MT-1: mentortype %i is accepted', (t) => {
    expect(validateMentorindsats({ ...MENTOR, mentortype: t }).mentortype).toBe(t);
  });

  it('MT-1: mentortype 0 and 7 are unknown', () => {
    for (const t of [0, 7]) {
      try {
        validateMentorindsats({ ...MENTOR, mentortype: t });
        expect.unreachable();
      } catch (e) {
        expect((e as DomainError).code).toBe('BAD_USER_INPUT');
      }
    }
  });

  it.each([1, 6])('MT-1: mentortype %i gets the same validations (period, name)', (t) => {
    expect(() => validateMentorindsats({ ...MENTOR, mentortype: t, slut: d('2026-10-31') })).toThrow(/Slutdato/);
    expect(() => validateMentorindsats({ ...MENTOR, mentortype: t, navn: '  ' })).toThrow(/navn/);
    expect(validateMentorindsats({ ...MENTOR, mentortype: t, navn: '  Ole  ' }).navn).toBe('Ole');
  });
});

describe('MT-2: "Kontakt din mentor" leaves out mentortype 6', () => {
  const m = (id: string, mentortype: number, slut: string | null = null) => ({ id, mentortype, start: d('2026-01-01'), slut: slut ? d(slut) : null, navn: id, telefon: '12345678', email: `${id}@x.dk` });

  it('MT-2: a Personlig jobformidler (6) is never listed under Kontakt din mentor', () => {
    expect(kontaktDinMentor([m('a', 1), m('pj', 6), m('b', 2)], TODAY).map((x) => x.id)).toEqual(['a', 'b']);
    expect(kontaktDinMentor([m('pj', 6)], TODAY)).toEqual([]);
  });

  it('MT-2: ended mentors are not listed either; current and future are', () => {
    expect(kontaktDinMentor([m('old', 1, '2026-11-26'), m('today', 1, '2026-11-27'), m('open', 3)], TODAY).map((x) => x.id)).toEqual(['today', 'open']);
  });
});

describe('MT-3: afholdelseskategori 42 and 43 are expired', () => {
  const k = (id: number, udgaaet: boolean) => ({ id, udgaaet });

  it('MT-3: a new kursusindsats cannot use 42 or 43', () => {
    for (const id of [42, 43]) {
      try {
        checkAfholdelseskategori(k(id, true), null);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(RuleViolation);
        expect((e as RuleViolation).rule).toBe('MT-3');
        expect((e as Error).message).toMatch(new RegExp(`${id} er udgået`));
      }
    }
  });

  it('MT-3: an existing kursusindsats that has 42 or 43 keeps it when updated', () => {
    expect(() => checkAfholdelseskategori(k(42, true), 42)).not.toThrow();
    expect(() => checkAfholdelseskategori(k(43, true), 43)).not.toThrow();
  });

  it('MT-3: an existing kursusindsats cannot be given an expired category it did not have', () => {
    expect(() => checkAfholdelseskategori(k(42, true), 37)).toThrow(RuleViolation);
    expect(() => checkAfholdelseskategori(k(43, true), 42)).toThrow(RuleViolation);
  });

  it('MT-3: categories that are not expired are free to use', () => {
    expect(() => checkAfholdelseskategori(k(37, false), null)).not.toThrow();
    expect(() => checkAfholdelseskategori(k(37, false), 42)).not.toThrow();
  });
});
