import { describe, expect, it } from 'vitest';
import { Lukkeaarsag } from '../../src/abonnement/abonnement.entity';
import {
  ab4Lukning,
  ab4LukningVedOprettelse,
  ab8Lukkedato,
  aldersLukkedato,
  decideJobcenterLukning,
  decideOprettelse,
  fylderAar,
  lukkedato,
  lukkesEfterAB8,
  ab8Lukkedag,
  lukkesVedGennemfoertUddannelse,
  lukkesVedKontaktgruppelukning,
  lukkesVedKontaktgruppeskift,
  lukkesVedPlantypeskift,
  senesteFoedselsdatoForAlder,
  standardStart,
  validateUdbHaendelse,
  type Ab8Facts,
  type AldersLukningFacts,
} from '../../src/abonnement/abonnement.rules';
import { abonnementSettingsFromEnv } from '../../src/abonnement/abonnement.settings';
import { DomainError, RuleViolation } from '../../src/errors/domain-errors';
import { addDays, type LocalDate } from '../../src/scalars/local-date';

function ruleOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return e.rule;
    throw e;
  }
  return undefined;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return undefined;
}

describe('AB-3: age', () => {
  it('AB-3: the borger turns 30 on the birthday; 29 February turns on 1 March in a common year, 29 February in a leap year', () => {
    expect(fylderAar('1996-11-27', 30)).toBe('2026-11-27');
    expect(fylderAar('2000-02-29', 30)).toBe('2030-03-01');
    expect(fylderAar('2000-02-29', 25)).toBe('2025-03-01');
    expect(fylderAar('1996-02-29', 32)).toBe('2028-02-29');
    expect(fylderAar('2000-03-01', 30)).toBe('2030-03-01');
    expect(fylderAar('1998-03-01', 30)).toBe('2028-03-01');
  });

  type Kg = AldersLukningFacts['kontaktgrupper'][number];
  const kg = (kontaktgruppe: number, start: string, slut: string | null = null): Kg => ({ kontaktgruppe, start, slut });
  const facts = (foedselsdato: string, kontaktgrupper: Kg[], abonnementStart = '2015-01-01', planlagtLukning: string | null = null, oprettet = abonnementStart): AldersLukningFacts => ({
    foedselsdato,
    abonnementStart,
    oprettet,
    planlagtLukning,
    kontaktgrupper,
  });

  it('AB-3: an abonnement opened today with its start at the 15th birthday is not closed for a kontaktgruppe 1 spell before it was opened', () => {
    const spell = [kg(1, '2024-01-01', '2025-12-31'), kg(12, '2026-01-01')];
    expect(aldersLukkedato(facts('1999-06-01', spell, '2014-06-01', null, '2026-11-27'), '2026-11-28')).toBeNull();
    // Had it been open during the spell, it would have closed on the 25th birthday.
    expect(aldersLukkedato(facts('1999-06-01', spell, '2014-06-01'), '2026-11-28')).toBe('2024-06-01');
    // Opened during a spell still running: closes on the day it was opened.
    expect(aldersLukkedato(facts('1999-06-01', [kg(1, '2024-01-01')], '2014-06-01', null, '2026-11-27'), '2026-11-28')).toBe('2026-11-27');
  });

  it.each([
    ['1996-11-27', 12, '2026-11-27', '2026-11-27', 'on the 30th birthday'],
    ['1996-11-28', 12, '2026-11-27', null, 'the day before the 30th birthday'],
    ['2001-11-27', 1, '2026-11-27', '2026-11-27', 'kontaktgruppe 1 on the 25th birthday'],
    ['2001-11-28', 1, '2026-11-27', null, 'kontaktgruppe 1 the day before the 25th birthday'],
    ['2001-11-27', 8, '2026-11-27', null, '25 but not in kontaktgruppe 1'],
    ['2000-02-29', 12, '2030-02-28', null, '29 February birthday: not yet on 28 February'],
    ['2000-02-29', 12, '2030-03-01', '2030-03-01', '29 February birthday: closes on 1 March'],
    ['2000-02-29', 1, '2025-02-28', null, '29 February, kontaktgruppe 1: not on 28 February'],
    ['2000-02-29', 1, '2025-03-01', '2025-03-01', '29 February, kontaktgruppe 1: closes on 1 March'],
  ] as const)('AB-3: born %s, in kontaktgruppe %s since 2020, run on %s → closes %s (%s)', (born, k, today, expected, _why) => {
    expect(aldersLukkedato(facts(born, [kg(k, '2020-01-01')]), today)).toBe(expected);
  });

  it('AB-3: a late run closes on the birthday, not on the day it runs', () => {
    expect(aldersLukkedato(facts('1996-11-27', [kg(12, '2020-01-01')]), '2026-12-03')).toBe('2026-11-27');
    expect(aldersLukkedato(facts('2001-11-27', [kg(1, '2020-01-01')]), '2026-12-03')).toBe('2026-11-27');
    expect(aldersLukkedato(facts('2000-02-29', [kg(12, '2020-01-01')]), '2030-03-05')).toBe('2030-03-01');
  });

  it('AB-3: a borger who turned 25 in kontaktgruppe 1 and left it before a late run still closes, on the birthday', () => {
    const left = facts('2001-11-27', [kg(1, '2020-01-01', '2026-11-30'), kg(2, '2026-12-01')]);
    expect(aldersLukkedato(left, '2026-12-03')).toBe('2026-11-27');
    // The 25th birthday is the group's last day (end dates are inclusive): still in kontaktgruppe 1 that day.
    expect(aldersLukkedato(facts('2001-11-27', [kg(1, '2020-01-01', '2026-11-27'), kg(12, '2026-11-28')]), '2026-12-03')).toBe('2026-11-27');
  });

  it('AB-3: kontaktgruppe 1 ended the day before the 25th birthday: the limit stays 30, however late the run', () => {
    const f = facts('2001-11-27', [kg(1, '2020-01-01', '2026-11-26'), kg(12, '2026-11-27')]);
    expect(aldersLukkedato(f, '2026-11-27')).toBeNull();
    expect(aldersLukkedato(f, '2027-06-01')).toBeNull();
    expect(aldersLukkedato(f, '2031-11-27')).toBe('2031-11-27');
  });

  it('AB-3: a borger of 25-29 who enters kontaktgruppe 1 closes on the day of entry', () => {
    const f = facts('1999-11-27', [kg(12, '2020-01-01', '2026-11-30'), kg(1, '2026-12-01')]);
    expect(aldersLukkedato(f, '2026-11-30')).toBeNull();
    expect(aldersLukkedato(f, '2026-12-01')).toBe('2026-12-01');
    expect(aldersLukkedato(f, '2026-12-03')).toBe('2026-12-01');
  });

  it('AB-3: the first kontaktgruppe 1 day from the 25th birthday counts, among several periods in any order', () => {
    const f = facts('2000-01-10', [kg(1, '2026-01-01'), kg(12, '2025-01-01', '2025-12-31'), kg(1, '2024-01-01', '2024-12-31')]);
    expect(aldersLukkedato(f, '2025-06-01')).toBeNull();
    expect(aldersLukkedato(f, '2026-11-27')).toBe('2026-01-01');
  });

  it('AB-3: not before the abonnement started: a limit reached earlier closes it on its start', () => {
    expect(aldersLukkedato(facts('1990-05-05', [kg(12, '2020-01-01')], '2026-11-01'), '2026-11-27')).toBe('2026-11-01');
    expect(aldersLukkedato(facts('2000-01-10', [kg(1, '2025-01-01')], '2026-11-20'), '2026-11-27')).toBe('2026-11-20');
  });

  it('AB-3: a kontaktgruppe 1 period that ended before the abonnement started does not close it', () => {
    const f = facts('2000-01-10', [kg(1, '2025-01-01', '2025-06-30'), kg(12, '2025-07-01')], '2025-09-01');
    expect(aldersLukkedato(f, '2026-11-27')).toBeNull();
  });

  it('AB-3: an abonnement that starts later is judged on the run day and closes on its start', () => {
    expect(aldersLukkedato(facts('1990-05-05', [kg(12, '2020-01-01')], '2026-12-15'), '2026-11-27')).toBe('2026-12-15');
    expect(aldersLukkedato(facts('2000-01-10', [kg(1, '2025-01-01')], '2026-12-15'), '2026-11-27')).toBe('2026-12-15');
    expect(aldersLukkedato(facts('2000-01-10', [kg(1, '2025-01-01', '2026-11-01'), kg(12, '2026-11-02')], '2026-12-15'), '2026-11-27')).toBeNull();
  });

  it('AB-3 / AB-4: a due planned closing that came first is left to AB-4; on the same day or later, or not yet due, AB-3 closes', () => {
    const born30 = '1996-11-27';
    expect(aldersLukkedato(facts(born30, [kg(12, '2020-01-01')], '2015-01-01', '2026-11-26'), '2026-12-03')).toBeNull();
    expect(aldersLukkedato(facts(born30, [kg(12, '2020-01-01')], '2015-01-01', '2026-11-27'), '2026-12-03')).toBe('2026-11-27');
    expect(aldersLukkedato(facts(born30, [kg(12, '2020-01-01')], '2015-01-01', '2026-11-29'), '2026-12-03')).toBe('2026-11-27');
    expect(aldersLukkedato(facts(born30, [kg(12, '2020-01-01')], '2015-01-01', '2026-11-29'), '2026-11-27')).toBe('2026-11-27');
  });

  it('AB-3 / AB-8: an AB-8 closing on an earlier day is left to AB-8; on the same day or later, AB-3 closes', () => {
    const f = facts('1996-11-27', [kg(12, '2020-01-01')]);
    expect(aldersLukkedato({ ...f, ab8Lukning: '2026-11-01' }, '2026-12-03')).toBeNull();
    expect(aldersLukkedato({ ...f, ab8Lukning: '2026-11-27' }, '2026-12-03')).toBe('2026-11-27');
    expect(aldersLukkedato({ ...f, ab8Lukning: '2026-12-01' }, '2026-12-03')).toBe('2026-11-27');
  });

  it('AB-3: a run on any later day gives the day a run every day would have closed on (generated histories)', () => {
    // A small deterministic generator: birth dates around the limits, one to three kontaktgruppe periods.
    let seed = 7;
    const rnd = (n: number) => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const first: LocalDate = '2025-06-01';
    const last: LocalDate = '2026-06-01';
    const mismatches: string[] = [];
    // Born around 1995: 30 within the year, or 25+ in kontaktgruppe 1. Born around 2000: only 25 in kontaktgruppe 1.
    const closed = { born1995: 0, born2000: 0 };
    for (let i = 0; i < 300; i++) {
      const born = addDays(rnd(2) ? '1995-06-01' : '2000-06-01', rnd(400));
      const perioder: Kg[] = [];
      let start: LocalDate = addDays(first, -rnd(200));
      for (let p = 0, n = 1 + rnd(3); p < n; p++) {
        const slut = p === n - 1 && rnd(2) ? null : addDays(start, rnd(300));
        perioder.push(kg(rnd(2) ? 1 : [2, 8, 12][rnd(3)], start, slut));
        if (slut == null) break;
        start = addDays(slut, 1);
      }
      const f = facts(born, perioder, addDays(first, -rnd(100)));
      let closedOn: LocalDate | null = null;
      for (let t = f.abonnementStart; t <= last; t = addDays(t, 1)) {
        const daily: LocalDate | null = closedOn ?? aldersLukkedato(f, t);
        if (closedOn == null && daily != null) {
          if (daily !== t) mismatches.push(`${JSON.stringify(f)}: the run of ${t} closes on ${daily}`);
          closedOn = daily;
          closed[born < '2000-01-01' ? 'born1995' : 'born2000']++;
        }
        const late = aldersLukkedato(f, t);
        if (late !== closedOn) mismatches.push(`${JSON.stringify(f)}: a run on ${t} says ${late}, daily runs ${closedOn}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(closed.born1995).toBeGreaterThan(20);
    expect(closed.born2000).toBeGreaterThan(20);
  });

  it('AB-3: the set-based cut-off date agrees with the rule for every birth date around every day of 2024-2031', () => {
    // Every day of eight years (two leap years) against every birth date within a week of the limit.
    let today: LocalDate = '2024-01-01';
    let checked = 0;
    const mismatches: string[] = [];
    while (today <= '2031-12-31') {
      for (const aar of [25, 30]) {
        const cut = senesteFoedselsdatoForAlder(today, aar);
        for (let d = -8; d <= 8; d++) {
          const born = addDays(cut, d);
          if (born <= cut !== fylderAar(born, aar) <= today) mismatches.push(`${born} turns ${aar} on ${today}?`);
          checked++;
        }
      }
      today = addDays(today, 1);
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(90_000);
  });
});

describe('opening', () => {
  it('the default start is the 15th birthday (29 February: 1 March in a common year)', () => {
    expect(standardStart('2010-06-15')).toBe('2025-06-15');
    expect(standardStart('2008-02-29')).toBe('2023-03-01');
  });

  it('at most one open abonnement', () => {
    expect(codeOf(() => decideOprettelse([{ start: '2020-01-01', slut: null }], '2026-01-01'))).toBe('CONFLICT');
    expect(decideOprettelse([{ start: '2020-01-01', slut: '2021-01-01' }], '2026-01-01')).toEqual({ start: '2026-01-01' });
  });

  it('closing today: the close date is today, or the start when that is still to come', () => {
    expect(lukkedato({ start: '2020-01-01' }, '2026-11-27')).toBe('2026-11-27');
    expect(lukkedato({ start: '2027-01-01' }, '2026-11-27')).toBe('2027-01-01');
  });
});

describe('AB-1, AB-2: a jobcenter closing', () => {
  const plan = (plantype: number) => ({ plantype });
  it('AB-1: refused when the borger has had an uddannelsesplan in the jobcenter', () => {
    expect(ruleOf(() => decideJobcenterLukning({ aarsag: 5, forsoegskommune: false, planer: [plan(1)] }))).toBe('AB-1');
    expect(ruleOf(() => decideJobcenterLukning({ aarsag: 5, forsoegskommune: false, planer: [plan(4)] }))).toBe('AB-1');
  });

  it('AB-1: allowed with årsag 1 Fejloprettet, and when there is no plan in the jobcenter', () => {
    expect(ruleOf(() => decideJobcenterLukning({ aarsag: Lukkeaarsag.FEJLOPRETTET, forsoegskommune: false, planer: [plan(1)] }))).toBeUndefined();
    expect(ruleOf(() => decideJobcenterLukning({ aarsag: 5, forsoegskommune: false, planer: [] }))).toBeUndefined();
  });

  it('AB-2: a forsøgskommune may close only when its plans use "Plan uden plantype"', () => {
    expect(ruleOf(() => decideJobcenterLukning({ aarsag: 5, forsoegskommune: true, planer: [plan(4)] }))).toBeUndefined();
    for (const t of [1, 2, 3]) expect(ruleOf(() => decideJobcenterLukning({ aarsag: 5, forsoegskommune: true, planer: [plan(t)] }))).toBe('AB-2');
    expect(ruleOf(() => decideJobcenterLukning({ aarsag: 5, forsoegskommune: true, planer: [plan(4), plan(1)] }))).toBe('AB-2');
    expect(ruleOf(() => decideJobcenterLukning({ aarsag: 1, forsoegskommune: true, planer: [plan(1)] }))).toBeUndefined();
  });

  it('AB-2: the forsøgskommuner are a configured list, none by default', () => {
    expect(abonnementSettingsFromEnv({}).forsoegskommuner).toEqual([]);
    expect(abonnementSettingsFromEnv({ FORSOEGSKOMMUNER: '147, 461' }).forsoegskommuner).toEqual(['147', '461']);
    expect(() => abonnementSettingsFromEnv({ FORSOEGSKOMMUNER: '14' })).toThrow();
  });
});

describe('AB-4, AB-7: kontaktgruppe', () => {
  it.each([1, 8, 12, 25, 28])('AB-4: a change to kontaktgruppe %i keeps the abonnement', (k) => {
    expect(lukkesVedKontaktgruppeskift(k)).toBe(false);
  });
  it.each([2, 11, 14, 26])('AB-4: a change to kontaktgruppe %i closes it', (k) => {
    expect(lukkesVedKontaktgruppeskift(k)).toBe(true);
  });
  it('AB-4: a change that has started by today closes it now; one that starts later, on its start day', () => {
    expect(ab4Lukning('2026-11-27', '2026-11-27')).toEqual({ kind: 'NU' });
    expect(ab4Lukning('2026-11-01', '2026-11-27')).toEqual({ kind: 'NU' });
    expect(ab4Lukning('2026-11-28', '2026-11-27')).toEqual({ kind: 'PLANLAGT', dato: '2026-11-28' });
    expect(ab4Lukning('2027-01-01', '2026-11-27')).toEqual({ kind: 'PLANLAGT', dato: '2027-01-01' });
  });
  it('AB-4: an abonnement opened before a change out of the groups registered ahead closes on the change\'s start day', () => {
    const today = '2026-11-27';
    expect(ab4LukningVedOprettelse([{ kontaktgruppe: 12, start: '2020-01-01' }, { kontaktgruppe: 2, start: '2026-12-07' }], today)).toBe('2026-12-07');
    // The earliest change out of the groups; one into a group of the list, one already started, one today: none.
    expect(
      ab4LukningVedOprettelse(
        [
          { kontaktgruppe: 11, start: '2027-02-01' },
          { kontaktgruppe: 8, start: '2026-12-01' },
          { kontaktgruppe: 2, start: '2027-01-01' },
        ],
        today,
      ),
    ).toBe('2027-01-01');
    expect(ab4LukningVedOprettelse([{ kontaktgruppe: 2, start: '2026-11-01' }, { kontaktgruppe: 8, start: '2026-12-01' }], today)).toBeNull();
    expect(ab4LukningVedOprettelse([{ kontaktgruppe: 2, start: today }], today)).toBeNull();
    expect(ab4LukningVedOprettelse([], today)).toBeNull();
  });
  it('AB-7: closing the kontaktgruppe does not close it', () => {
    expect(lukkesVedKontaktgruppelukning()).toBe(false);
  });
});

describe('AB-5, AB-6', () => {
  it('AB-5: an erhvervskompetencegivende education closes it; another only notifies', () => {
    expect(lukkesVedGennemfoertUddannelse(true)).toBe(true);
    expect(lukkesVedGennemfoertUddannelse(false)).toBe(false);
  });

  it.each([
    [1, 2, false, true, 'uddannelsesplan → kombiplan'],
    [1, 3, false, true, 'uddannelsesplan → aftale om opfølgning'],
    [1, 4, false, true, 'uddannelsesplan → plan uden plantype'],
    [1, 3, true, false, 'exception: → aftale om opfølgning as sygedagpengemodtager'],
    [1, 2, true, true, 'sygedagpengemodtager to kombiplan: no exception'],
    [2, 3, false, false, 'not away from uddannelsesplan'],
    [3, 1, false, false, 'to uddannelsesplan'],
  ] as const)('AB-6: %i → %i, sygedagpengemodtager %s → closes %s (%s)', (fra, til, sdp, expected, _why) => {
    expect(lukkesVedPlantypeskift({ fra, til, sygedagpengemodtager: sdp })).toBe(expected);
  });
});

describe('AB-8', () => {
  const base: Ab8Facts = { aktiv: true, senesteKontaktgruppe: { kontaktgruppe: 12, slut: '2026-03-15' }, hoejesteTrin: 2, optagelserModtaget: [] };
  it('AB-8: closes after one whole calendar month: ended in March → closes 1 May', () => {
    expect(ab8Lukkedato('2026-03-15')).toBe('2026-05-01');
    expect(ab8Lukkedato('2026-03-31')).toBe('2026-05-01');
    expect(ab8Lukkedato('2026-02-28')).toBe('2026-04-01');
    expect(ab8Lukkedato('2026-12-01')).toBe('2027-02-01');
    expect(lukkesEfterAB8(base, '2026-04-30')).toBe(false);
    expect(lukkesEfterAB8(base, '2026-05-01')).toBe(true);
  });
  it('AB-8: a late run closes on the day a daily run would have (1 May), and an admission received from that day on came after the closing', () => {
    expect(ab8Lukkedag(base, '2026-05-01')).toBe('2026-05-01');
    expect(ab8Lukkedag(base, '2026-06-10')).toBe('2026-05-01');
    expect(ab8Lukkedag({ ...base, optagelserModtaget: ['2026-05-01'] }, '2026-06-10')).toBe('2026-05-01');
    expect(ab8Lukkedag({ ...base, optagelserModtaget: ['2026-05-15'] }, '2026-06-10')).toBe('2026-05-01');
    expect(ab8Lukkedag({ ...base, optagelserModtaget: ['2026-04-30'] }, '2026-06-10')).toBeNull();
    expect(ab8Lukkedag(base, '2026-04-30')).toBeNull();
    // Opened after the due day: closed on the day it was opened, never before it existed.
    expect(ab8Lukkedag({ ...base, aabnet: '2026-05-20' }, '2026-06-10')).toBe('2026-05-20');
  });
  it('AB-8: off by default, and then never closes', () => {
    expect(abonnementSettingsFromEnv({}).ab8Aktiv).toBe(false);
    expect(abonnementSettingsFromEnv({ AB8_AKTIV: 'true' }).ab8Aktiv).toBe(true);
    expect(lukkesEfterAB8({ ...base, aktiv: false }, '2026-06-01')).toBe(false);
  });
  it('AB-8: not after an admission received after the kontaktgruppe ended, not at trin 4, not for other groups, not while open', () => {
    expect(lukkesEfterAB8({ ...base, optagelserModtaget: ['2026-04-02'] }, '2026-06-01')).toBe(false);
    expect(lukkesEfterAB8({ ...base, optagelserModtaget: ['2026-03-01'] }, '2026-06-01')).toBe(true);
    expect(lukkesEfterAB8({ ...base, hoejesteTrin: 4 }, '2026-06-01')).toBe(false);
    expect(lukkesEfterAB8({ ...base, hoejesteTrin: null }, '2026-06-01')).toBe(true);
    expect(lukkesEfterAB8({ ...base, senesteKontaktgruppe: { kontaktgruppe: 2, slut: '2026-03-15' } }, '2026-06-01')).toBe(false);
    expect(lukkesEfterAB8({ ...base, senesteKontaktgruppe: { kontaktgruppe: 12, slut: null } }, '2026-06-01')).toBe(false);
    for (const k of [1, 8, 12, 25, 28]) expect(lukkesEfterAB8({ ...base, senesteKontaktgruppe: { kontaktgruppe: k, slut: '2026-03-15' } }, '2026-06-01')).toBe(true);
  });
});

describe('inbound UDB events', () => {
  const ok = { haendelseId: 'udb-1', dato: '2026-11-27', institution: 'EUC Syd', uddannelse: 'Tømrer' };
  it('validates id, date and texts', () => {
    expect(codeOf(() => validateUdbHaendelse(ok, '2026-11-27'))).toBeUndefined();
    expect(codeOf(() => validateUdbHaendelse({ ...ok, haendelseId: '' }, '2026-11-27'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateUdbHaendelse({ ...ok, dato: '2026-11-28' }, '2026-11-27'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateUdbHaendelse({ ...ok, institution: '  ' }, '2026-11-27'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateUdbHaendelse({ ...ok, uddannelse: 'x'.repeat(201) }, '2026-11-27'))).toBe('BAD_USER_INPUT');
  });
});
