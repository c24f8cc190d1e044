import { describe, expect, it } from 'vitest';
import { DomainError, RuleViolation } from '../../src/errors/domain-errors';
import type { LocalDate } from '../../src/scalars/local-date';
import { STOETTEBEHOV_IDS } from '../../src/uddannelsesplan/stoettebehov.rules';
import {
  aktuelEllerFremtidigMentor,
  decideUdbOverdragelse,
  laeseSkriveRegnetestGennemfoert,
  stoettebehovTilUdb,
} from '../../src/uddannelsesplan/udb.rules';
import {
  checkUnikkeStillingsbetegnelser,
  decidePlan,
  decidePublicering,
  planFelter,
  TYPE1_FELTER,
  type PlanFelter,
} from '../../src/uddannelsesplan/uddannelsesplan.rules';

const d = (s: string) => s as LocalDate;
const TODAY = d('2026-11-27');

const PLAN: PlanFelter = planFelter({
  plantype: 1,
  trin: 2,
  frist: d('2027-01-31'),
  planbeskrivelse: 'Vejen mod en erhvervsuddannelse',
  maal: 'Optagelse på EUD',
  ansvarligSagsbehandler: 'Sara Sagsbehandler',
  uddannelsessted: 'TEC Gladsaxe',
  stoettebehov: [2, 6],
  jobmaal: ['Elektriker'],
  kravTilJobsoegning: ['Lagerarbejder'],
});

function code(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e instanceof RuleViolation) return e.rule;
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

describe('decidePlan: input of an uddannelsesplan', () => {
  it('a new plan needs a plantype from PLANTYPE; fields left out are empty', () => {
    expect(code(() => decidePlan(null, {}))).toBe('BAD_USER_INPUT');
    expect(code(() => decidePlan(null, { plantype: 5 }))).toBe('BAD_USER_INPUT');
    expect(decidePlan(null, { plantype: 4 })).toEqual(planFelter({ plantype: 4 }));
  });

  it('trin is 1–4 or none; a frist needs a trin', () => {
    for (const t of [1, 2, 3]) expect(decidePlan(null, { plantype: 1, trin: t }).trin).toBe(t);
    expect(decidePlan(null, { plantype: 1, trin: 4, stoettebehov: [1] }).trin).toBe(4);
    expect(code(() => decidePlan(null, { plantype: 1, trin: 0 }))).toBe('BAD_USER_INPUT');
    expect(code(() => decidePlan(null, { plantype: 1, trin: 5 }))).toBe('BAD_USER_INPUT');
    expect(code(() => decidePlan(null, { plantype: 1, frist: d('2027-01-01') }))).toBe('BAD_USER_INPUT');
  });

  it('a change keeps what it leaves out and clears what it sets to null', () => {
    const p = decidePlan(PLAN, { maal: 'Nyt mål', uddannelsessted: null });
    expect(p).toEqual({ ...PLAN, maal: 'Nyt mål', uddannelsessted: null });
  });

  it('UP-2: a change that breaks a støttebehov rule is refused (nothing is decided)', () => {
    expect(code(() => decidePlan(PLAN, { stoettebehov: [1, 2] }))).toBe('UP-2');
  });

  it('UP-5: moving a plan to trin 4 without 1, 2 or 3 is refused, also when only the trin changes', () => {
    const noNeeds = decidePlan(PLAN, { stoettebehov: [5] });
    expect(code(() => decidePlan(noNeeds, { trin: 4 }))).toBe('UP-5');
    expect(decidePlan(noNeeds, { trin: 4, stoettebehov: [1, 5] }).trin).toBe(4);
  });
});

describe('TM-2: jobmål and krav til jobsøgning name a stillingsbetegnelse at most once', () => {
  it('TM-2: a duplicate in jobmål is a validation error naming it (case and blanks do not count)', () => {
    try {
      checkUnikkeStillingsbetegnelser(['Elektriker', 'Tømrer', '  elektriker '], 'jobmaal');
      expect.unreachable();
    } catch (e) {
      expect((e as DomainError).code).toBe('BAD_USER_INPUT');
      expect((e as DomainError).details).toMatchObject({ field: 'jobmaal', duplicate: 'elektriker', rule: 'TM-2' });
      expect((e as Error).message).toMatch(/"elektriker".*jobmål/);
    }
  });

  it('TM-2: a duplicate in krav til jobsøgning is refused the same way', () => {
    expect(() => decidePlan(PLAN, { kravTilJobsoegning: ['Lager  arbejder', 'lager arbejder'] })).toThrow(/krav til jobsøgning/);
  });

  it('TM-2: the same stillingsbetegnelse encoded two ways (Unicode NFC and NFD) is a duplicate', () => {
    const nfd = 'Ha\u030Andværker';
    expect(() => checkUnikkeStillingsbetegnelser(['Håndværker', nfd], 'jobmaal')).toThrow(/mere end én gang i jobmål/);
    expect(() => decidePlan(PLAN, { kravTilJobsoegning: [nfd, 'HÅNDVÆRKER'] })).toThrow(/krav til jobsøgning/);
  });

  it('TM-2: the same stillingsbetegnelse may stand once in each list', () => {
    const p = decidePlan(PLAN, { jobmaal: ['Lagerarbejder'], kravTilJobsoegning: ['Lagerarbejder'] });
    expect(p.jobmaal).toEqual(['Lagerarbejder']);
    expect(p.kravTilJobsoegning).toEqual(['Lagerarbejder']);
  });

  it('TM-2: names are trimmed, blanks refused', () => {
    expect(checkUnikkeStillingsbetegnelser([' Smed ', 'Murer'], 'jobmaal')).toEqual(['Smed', 'Murer']);
    expect(code(() => checkUnikkeStillingsbetegnelser(['  '], 'jobmaal'))).toBe('BAD_USER_INPUT');
  });
});

describe('UP-6: publishing makes a new version for type-1 changes only', () => {
  it('UP-6: the first publication makes a version', () => {
    expect(decidePublicering(null, PLAN)).toEqual({ kind: 'NY_VERSION', type1: [...TYPE1_FELTER] });
  });

  const type1: [keyof PlanFelter, unknown][] = [
    ['planbeskrivelse', 'Ny beskrivelse'],
    ['maal', 'Nyt mål'],
    ['ansvarligSagsbehandler', 'Anden Sagsbehandler'],
    ['trin', 3],
    ['frist', '2027-03-01'],
    ['uddannelsessted', 'Andet sted'],
    ['stoettebehov', [2, 5, 6]],
  ];
  it.each(type1)('UP-6: a change of %s (type 1) makes a new version', (felt, value) => {
    expect(decidePublicering(PLAN, { ...PLAN, [felt]: value })).toEqual({ kind: 'NY_VERSION', type1: [felt] });
  });

  const other: [keyof PlanFelter, unknown][] = [
    ['plantype', 2],
    ['jobmaal', ['Elektriker', 'Smed']],
    ['kravTilJobsoegning', []],
  ];
  it.each(other)('UP-6: a change of %s (not type 1) is published into the newest version', (felt, value) => {
    expect(decidePublicering(PLAN, { ...PLAN, [felt]: value })).toEqual({ kind: 'OPDATER_VERSION', aendret: [felt] });
  });

  it('UP-6: the type-1 fields are exactly those of the catalogue, støttebehov included', () => {
    expect([...TYPE1_FELTER].sort()).toEqual(['ansvarligSagsbehandler', 'frist', 'maal', 'planbeskrivelse', 'stoettebehov', 'trin', 'uddannelsessted']);
  });

  it('UP-6: publishing what is already published changes nothing', () => {
    expect(decidePublicering(PLAN, planFelter(PLAN))).toEqual({ kind: 'UAENDRET' });
  });
});

describe('UP-8: what UDB is sent on admission', () => {
  const SUBSETS: number[][] = Array.from({ length: 64 }, (_, mask) => STOETTEBEHOV_IDS.filter((_, i) => mask & (1 << i)));
  /** The catalogue's table, read independently. */
  function oracle(trin: number | null, s: number[]): number[] {
    const core = s.filter((id) => id === 2 || id === 3 || (id === 1 && (trin === 3 || trin === 4)));
    if (core.length === 0) return [];
    return s.filter((id) => core.includes(id) || id === 4 || id === 5 || id === 6);
  }

  for (const trin of [null, 1, 2, 3, 4]) {
    it(`UP-8: støttebehov sent at trin ${trin ?? 'none'}, all 64 subsets`, () => {
      for (const s of SUBSETS) expect(stoettebehovTilUdb(trin, s), `{${s}}`).toEqual(oracle(trin, s));
    });
  }

  it('UP-8: 2 and 3 at any trin; 1 only at trin 3 or 4; 4, 5, 6 only along with 1, 2 or 3', () => {
    expect(stoettebehovTilUdb(1, [2, 4, 5, 6])).toEqual([2, 4, 5, 6]);
    expect(stoettebehovTilUdb(1, [3])).toEqual([3]);
    expect(stoettebehovTilUdb(1, [1, 5, 6])).toEqual([]);
    expect(stoettebehovTilUdb(2, [1])).toEqual([]);
    expect(stoettebehovTilUdb(3, [1, 6])).toEqual([1, 6]);
    expect(stoettebehovTilUdb(4, [1])).toEqual([1]);
    expect(stoettebehovTilUdb(4, [5, 6])).toEqual([]);
  });

  it('UP-8: a læse-, skrive- og regnetest is a kursusindsats with afholdelseskategori 37 that has started (no end)', () => {
    expect(laeseSkriveRegnetestGennemfoert([{ afholdelseskategori: 37, start: d('2026-10-01') }], TODAY)).toBe(true);
    expect(laeseSkriveRegnetestGennemfoert([{ afholdelseskategori: 37, start: TODAY }], TODAY)).toBe(true);
    expect(laeseSkriveRegnetestGennemfoert([{ afholdelseskategori: 37, start: d('2026-11-28') }], TODAY)).toBe(false);
    expect(laeseSkriveRegnetestGennemfoert([{ afholdelseskategori: 42, start: d('2026-10-01') }], TODAY)).toBe(false);
  });

  it('UP-8: a test counts as done ("gennemført") when its period has ended or has no end; not while it runs past today', () => {
    expect(laeseSkriveRegnetestGennemfoert([{ afholdelseskategori: 37, start: d('2026-10-01'), slut: d('2026-10-01') }], TODAY)).toBe(true);
    expect(laeseSkriveRegnetestGennemfoert([{ afholdelseskategori: 37, start: d('2026-11-20'), slut: TODAY }], TODAY)).toBe(true);
    expect(laeseSkriveRegnetestGennemfoert([{ afholdelseskategori: 37, start: d('2026-11-20'), slut: null }], TODAY)).toBe(true);
    expect(laeseSkriveRegnetestGennemfoert([{ afholdelseskategori: 37, start: d('2026-11-20'), slut: d('2026-11-28') }], TODAY)).toBe(false);
    expect(laeseSkriveRegnetestGennemfoert([{ afholdelseskategori: 37, start: d('2026-11-20'), slut: d('2026-11-28') }, { afholdelseskategori: 37, start: d('2026-01-05'), slut: d('2026-01-05') }], TODAY)).toBe(true);
  });

  it('UP-8: a current or future mentor is a mentorindsats of mentortype 1 not ended before today', () => {
    expect(aktuelEllerFremtidigMentor([{ mentortype: 1, start: d('2026-01-01'), slut: null }], TODAY)).toBe(true);
    expect(aktuelEllerFremtidigMentor([{ mentortype: 1, start: d('2027-01-01'), slut: d('2027-06-30') }], TODAY)).toBe(true);
    expect(aktuelEllerFremtidigMentor([{ mentortype: 1, start: d('2026-01-01'), slut: TODAY }], TODAY)).toBe(true);
    expect(aktuelEllerFremtidigMentor([{ mentortype: 1, start: d('2026-01-01'), slut: d('2026-11-26') }], TODAY)).toBe(false);
    for (const t of [2, 3, 4, 5, 6]) expect(aktuelEllerFremtidigMentor([{ mentortype: t, start: d('2026-01-01'), slut: null }], TODAY)).toBe(false);
  });

  it('UP-8: one message with støttebehov, test and mentor; none when there is nothing to say; never a test result', () => {
    const fakta = { kurser: [{ afholdelseskategori: 37, start: d('2026-10-01'), resultat: 'Under niveau' }], mentorer: [] };
    const o = decideUdbOverdragelse({ trin: 1, stoettebehov: [1, 5] }, fakta, TODAY);
    expect(o).toEqual({ trin: 1, stoettebehov: [], laeseSkriveRegnetest: true, mentor: false });
    expect(JSON.stringify(o)).not.toContain('Under niveau');
    expect(decideUdbOverdragelse({ trin: 1, stoettebehov: [1, 5] }, { kurser: [], mentorer: [] }, TODAY)).toBeNull();
    expect(decideUdbOverdragelse(null, { kurser: [], mentorer: [] }, TODAY)).toBeNull();
    expect(decideUdbOverdragelse({ trin: 4, stoettebehov: [1, 6] }, { kurser: [], mentorer: [{ mentortype: 1, start: d('2027-01-01') }] }, TODAY)).toEqual({
      trin: 4,
      stoettebehov: [1, 6],
      laeseSkriveRegnetest: false,
      mentor: true,
    });
  });
});
