import { describe, expect, it } from 'vitest';
import { codeOf, days } from '../helpers/rules';
import { mayReceive } from '../../src/events/message-types';
import { ModtagerType } from '../../src/events/recipient';
import { addDays, type LocalDate } from '../../src/scalars/local-date';
import { erForfalden } from '../../src/sletning/sletning.rules';
import { akasseMaaIndberette, decideAfgang, decideOvergang } from '../../src/tidlig-pension/efterloen.rules';
import { FOLKEPENSIONSALDER, folkepensionsalder, folkepensionsdato } from '../../src/tidlig-pension/folkepensionsalder';
import { GET_TIDLIG_PENSION } from '../../src/tidlig-pension/tidlig-pension.messages';
import {
  checkIkkeForfaldenTilSletning,
  tidligPensionHash,
  tidligPensionSletningsdato,
  tidligPensionSletningsgraense,
  validateTidligPension,
} from '../../src/tidlig-pension/tidlig-pension.rules';

const d = (s: string) => s as LocalDate;


describe('TP-1: a UDK report', () => {
  const base = { cpr: '0507652345', afgoerelsesdato: d('2026-11-01'), start: d('2027-01-01'), beloebOere: 100_00 };

  it('TP-1: periods in order and amounts whole non-negative øre', () => {
    expect(codeOf(() => validateTidligPension(base))).toBeNull();
    expect(codeOf(() => validateTidligPension({ ...base, slut: d('2026-12-31') }))).toEqual(['BAD_USER_INPUT', null]);
    expect(codeOf(() => validateTidligPension({ ...base, beloebOere: -1 }))).toEqual(['BAD_USER_INPUT', null]);
    expect(codeOf(() => validateTidligPension({ ...base, kompensationsbeloebOere: 1.5 }))).toEqual(['BAD_USER_INPUT', null]);
  });

  it('TP-1: the same content has the same identity (a re-sent report is recognised); other content another', () => {
    expect(tidligPensionHash(base)).toBe(tidligPensionHash({ ...base }));
    expect(tidligPensionHash(base)).toBe(tidligPensionHash({ ...base, slut: null, kompensationsbeloebOere: null }));
    expect(tidligPensionHash(base)).not.toBe(tidligPensionHash({ ...base, beloebOere: 100_01 }));
    expect(tidligPensionHash(base)).not.toBe(tidligPensionHash({ ...base, cpr: '0507652346' }));
  });
});

describe('TP-2: GetTidligPensionVersion1 goes to a-kasser only', () => {
  it('TP-2: only an a-kasse may receive it; a jobcenter (and every other kind) may not', () => {
    expect(mayReceive(GET_TIDLIG_PENSION, ModtagerType.AKASSE)).toBe(true);
    for (const t of [ModtagerType.JOBCENTER, ModtagerType.UDB, ModtagerType.UDK, ModtagerType.BORGER]) expect(mayReceive(GET_TIDLIG_PENSION, t), t).toBe(false);
  });

  it('TP-2: services registered without a restriction stay open to all', () => {
    expect(mayReceive('GetSomethingUnregisteredVersion1', ModtagerType.JOBCENTER)).toBe(true);
  });
});

describe('TP-3: efterløn dates reported by the a-kasse', () => {
  it('TP-3: an overgang opens a period; the same overgang again changes nothing; another while open is refused', () => {
    expect(decideOvergang([], d('2026-12-01'))).toEqual({ allerede: null });
    const open = { overgang: d('2026-12-01'), afgang: null };
    expect(decideOvergang([open], d('2026-12-01'))).toEqual({ allerede: open });
    expect(codeOf(() => decideOvergang([open], d('2027-01-01')))).toEqual(['BAD_USER_INPUT', null]);
  });

  it('TP-3: a new overgang must lie after the last afgang', () => {
    const closed = { overgang: d('2020-01-01'), afgang: d('2021-06-30') };
    expect(codeOf(() => decideOvergang([closed], d('2021-06-30')))).toEqual(['BAD_USER_INPUT', null]);
    expect(decideOvergang([closed], d('2021-07-01'))).toEqual({ allerede: null });
  });

  it('TP-3: an afgang ends the open period, not before its overgang; the same afgang again changes nothing', () => {
    const open = { overgang: d('2026-12-01'), afgang: null as LocalDate | null };
    expect(decideAfgang([open], d('2027-03-31'))).toEqual({ periode: open, aendres: true });
    expect(decideAfgang([open], d('2026-12-01'))).toEqual({ periode: open, aendres: true });
    expect(codeOf(() => decideAfgang([open], d('2026-11-30')))).toEqual(['BAD_USER_INPUT', null]);
    const closed = { overgang: d('2026-12-01'), afgang: d('2027-03-31') };
    expect(decideAfgang([closed], d('2027-03-31'))).toEqual({ periode: closed, aendres: false });
    expect(codeOf(() => decideAfgang([closed], d('2027-04-30')))).toEqual(['BAD_USER_INPUT', null]);
    expect(codeOf(() => decideAfgang([], d('2027-04-30')))).toEqual(['BAD_USER_INPUT', null]);
  });

  it("TP-3: the borger's current a-kasse reports; for an afgang also the a-kasse that reported the overgang", () => {
    expect(akasseMaaIndberette('12', ['12'], null)).toBe(true);
    expect(akasseMaaIndberette('12', ['13'], null)).toBe(false);
    expect(akasseMaaIndberette('12', [], '12')).toBe(true);
    expect(akasseMaaIndberette('12', [], '13')).toBe(false);
  });
});

describe('TP-4: folkepensionsalder by birth date (lov om social pension § 1 a)', () => {
  it('TP-4: the table has no gaps and no overlaps and covers every birth date', () => {
    expect(FOLKEPENSIONSALDER[0].foedtFra).toBeNull();
    expect(FOLKEPENSIONSALDER[FOLKEPENSIONSALDER.length - 1].foedtTil).toBeNull();
    for (let i = 1; i < FOLKEPENSIONSALDER.length; i++) {
      expect(FOLKEPENSIONSALDER[i].foedtFra).toBe(addDays(FOLKEPENSIONSALDER[i - 1].foedtTil!, 1));
    }
  });

  const cases: [string, number, number][] = [
    ['1940-05-05', 65, 0],
    ['1953-12-31', 65, 0],
    ['1954-01-01', 65, 6],
    ['1954-06-30', 65, 6],
    ['1954-07-01', 66, 0],
    ['1954-12-31', 66, 0],
    ['1955-01-01', 66, 6],
    ['1955-06-30', 66, 6],
    ['1955-07-01', 67, 0],
    ['1962-12-31', 67, 0],
    ['1963-01-01', 68, 0],
    ['1966-12-31', 68, 0],
    ['1967-01-01', 69, 0],
    ['1970-12-31', 69, 0],
    ['1971-01-01', 70, 0],
    ['2000-01-01', 70, 0],
  ];
  it.each(cases)('TP-4: born %s → folkepensionsalder %i år %i måneder', (born, aar, maaneder) => {
    expect(folkepensionsalder(d(born))).toEqual({ aar, maaneder });
  });

  it('TP-4: born 30.6.1954 reaches it at 65½ (30.12.2019), born 1.7.1954 at 66 (1.7.2020)', () => {
    expect(folkepensionsdato(d('1954-06-30'))).toBe('2019-12-30');
    expect(folkepensionsdato(d('1954-07-01'))).toBe('2020-07-01');
    expect(tidligPensionSletningsdato(d('1954-06-30'))).toBe('2025-12-30');
    expect(tidligPensionSletningsdato(d('1954-07-01'))).toBe('2026-07-01');
  });

  it('TP-4: born 31.12.1966 reaches it at 68 (31.12.2034), born 1.1.1967 at 69 (1.1.2036)', () => {
    expect(folkepensionsdato(d('1966-12-31'))).toBe('2034-12-31');
    expect(folkepensionsdato(d('1967-01-01'))).toBe('2036-01-01');
    expect(tidligPensionSletningsdato(d('1966-12-31'))).toBe('2040-12-31');
    expect(tidligPensionSletningsdato(d('1967-01-01'))).toBe('2042-01-01');
  });

  it('TP-4: born 1.1.1971 reaches it at 70 (1.1.2041); deleted 1.1.2047', () => {
    expect(folkepensionsdato(d('1970-12-31'))).toBe('2039-12-31');
    expect(folkepensionsdato(d('1971-01-01'))).toBe('2041-01-01');
    expect(tidligPensionSletningsdato(d('1971-01-01'))).toBe('2047-01-01');
  });

  it('TP-4: a birthday the target month lacks counts from the 1st of the next month (never a day early)', () => {
    expect(folkepensionsdato(d('1952-02-29'))).toBe('2017-03-01');
    expect(folkepensionsdato(d('1954-03-31'))).toBe('2019-10-01');
  });

  it('TP-4: the deletion date never decreases with the birth date (one range condition is exact)', () => {
    let prev = tidligPensionSletningsdato(d('1900-01-01'));
    for (const born of days('1900-01-02', '2010-12-31')) {
      const s = tidligPensionSletningsdato(born);
      if (s < prev) throw new Error(`${born}: ${s} < ${prev}`);
      prev = s;
    }
  });

  it('TP-4: the day before the deletion date the data are kept; on the day they are due', () => {
    // Born 1.7.1954: folkepensionsalder 66 on 1.7.2020, deleted on 1.7.2026.
    expect(tidligPensionSletningsgraense(d('2026-06-30'))! < '1954-07-01').toBe(true);
    expect(tidligPensionSletningsgraense(d('2026-07-01'))! >= '1954-07-01').toBe(true);
    expect(codeOf(() => checkIkkeForfaldenTilSletning(d('1954-07-01'), d('2026-06-30')))).toBeNull();
    expect(codeOf(() => checkIkkeForfaldenTilSletning(d('1954-07-01'), d('2026-07-01')))).toEqual(['RULE_VIOLATION', 'TP-4']);
  });

  it('TP-4: on every day the limit is exactly the last due birth date: it is due, the next is not', () => {
    for (const today of days('2017-01-01', '2032-12-31')) {
      const g = tidligPensionSletningsgraense(today)!;
      expect(erForfalden(tidligPensionSletningsdato(g), today), today).toBe(true);
      expect(erForfalden(tidligPensionSletningsdato(addDays(g, 1)), today), today).toBe(false);
    }
  });

  it('TP-4: a birth-date gap in the deletion dates (the 65½ → 66 step) deletes nobody early', () => {
    // Born 30.6.1954 is due 30.12.2025; born 1.7.1954 only 1.7.2026: in between the limit stays at 30.6.1954.
    expect(tidligPensionSletningsgraense(d('2025-12-30'))).toBe('1954-06-30');
    expect(tidligPensionSletningsgraense(d('2026-06-30'))).toBe('1954-06-30');
    expect(tidligPensionSletningsgraense(d('2026-07-01'))).toBe('1954-07-01');
  });
});
