import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../src/errors/domain-errors';
import { decideJobparathed, jobparatPaa } from '../../src/tilmelding/jobparathed.rules';
import {
  checkStillingsbetegnelser,
  decideAfmelding,
  decideRaskmelding,
  decideSygemelding,
  decideTilmelding,
  tilmeldingPaa,
  type TilmeldingState,
} from '../../src/tilmelding/tilmelding.rules';

const TODAY = '2026-11-27';

function thrown(fn: () => unknown): BadInputError {
  try {
    fn();
  } catch (e) {
    return e as BadInputError;
  }
  throw new Error('expected an error');
}

describe('TM-1: each stillingsbetegnelse/alias at most once', () => {
  it('TM-1: distinct names pass, trimmed, in the order given', () => {
    expect(checkStillingsbetegnelser(['Tømrer', ' Murer ', 'Snedker'])).toEqual(['Tømrer', 'Murer', 'Snedker']);
    expect(checkStillingsbetegnelser([])).toEqual([]);
  });

  it.each([
    [['Tømrer', 'Tømrer'], 'Tømrer'],
    [['Tømrer', 'tømrer'], 'tømrer'],
    [['Pædagogmedhjælper', '  pædagogmedhjælper  '], 'pædagogmedhjælper'],
    [['Social- og sundhedshjælper', 'Social-  og   sundhedshjælper'], 'Social- og sundhedshjælper'],
    [['Murer', 'Tømrer', 'Snedker', 'MURER'], 'MURER'],
    // The same letters encoded two ways (Unicode NFC and NFD: "å" as one character, or "a" and a combining ring).
    [['Håndværker', 'Ha\u030Andværker'], 'Ha\u030Andværker'],
  ])('TM-1: %j is refused naming the duplicate', (list, duplicate) => {
    const e = thrown(() => checkStillingsbetegnelser(list));
    expect(e).toBeInstanceOf(BadInputError);
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.details).toMatchObject({ duplicate, field: 'stillingsbetegnelser' });
    expect(e.message).toContain(`"${duplicate}"`);
  });

  it('TM-1: a tilmelding with a duplicate is refused', () => {
    expect(() => decideTilmelding([], { start: TODAY, stillingsbetegnelser: ['Kok', 'Kok'] })).toThrow(/"Kok" er angivet mere end én gang/);
  });

  it('an empty name is refused', () => {
    expect(() => checkStillingsbetegnelser(['Kok', '  '])).toThrow(BadInputError);
  });
});

describe('tilmelding and afmelding keep separate periods', () => {
  const closed: TilmeldingState = { start: '2025-01-01', slut: '2025-06-30', stillingsbetegnelser: [] };
  const open: TilmeldingState = { start: '2026-01-01', slut: null, stillingsbetegnelser: [] };

  it('a borger already tilmeldt cannot be tilmeldt again', () => {
    expect(() => decideTilmelding([closed, open], { start: TODAY, stillingsbetegnelser: [] })).toThrow(/allerede tilmeldt fra 2026-01-01/);
  });
  it('a new tilmelding may not reach back into an earlier one', () => {
    expect(() => decideTilmelding([closed], { start: '2025-06-30', stillingsbetegnelser: [] })).toThrow(BadInputError);
    expect(decideTilmelding([closed], { start: '2025-07-01', stillingsbetegnelser: ['Kok'] })).toEqual({ start: '2025-07-01', stillingsbetegnelser: ['Kok'] });
  });
  it('afmelding ends the open period; not before its start; not without one', () => {
    expect(decideAfmelding([closed, open], '2026-03-01')).toBe(open);
    expect(() => decideAfmelding([closed, open], '2025-12-31')).toThrow(BadInputError);
    expect(() => decideAfmelding([closed], TODAY)).toThrow(/ikke tilmeldt/);
  });
  it('"was the borger tilmeldt on D": end dates inclusive, gaps are not tilmeldt', () => {
    const ps = [closed, open];
    expect(tilmeldingPaa(ps, '2025-06-30')).toBe(closed);
    expect(tilmeldingPaa(ps, '2025-07-01')).toBeUndefined();
    expect(tilmeldingPaa(ps, '2024-12-31')).toBeUndefined();
    expect(tilmeldingPaa(ps, TODAY)).toBe(open);
  });
});

describe('sygemelding and raskmelding from KSD', () => {
  const open: TilmeldingState = { start: '2026-01-01', slut: null, stillingsbetegnelser: ['Kok'] };

  it('a sygemelding opens sygdom and ends the open tilmelding the day before', () => {
    expect(decideSygemelding({ tilmeldinger: [open], sygdom: [] }, '2026-11-10', TODAY)).toEqual({
      openSygdom: { start: '2026-11-10' },
      afmeld: { slut: '2026-11-09' },
    });
  });
  it('a sygemelding from the tilmelding’s first day ends it on that day (never before its start)', () => {
    expect(decideSygemelding({ tilmeldinger: [open], sygdom: [] }, '2026-01-01', TODAY).afmeld).toEqual({ slut: '2026-01-01' });
  });
  it('a repeated sygemelding changes nothing; a future one is refused', () => {
    expect(decideSygemelding({ tilmeldinger: [], sygdom: [{ start: '2026-11-10', slut: null }] }, '2026-11-12', TODAY)).toEqual({ openSygdom: null, afmeld: null });
    expect(() => decideSygemelding({ tilmeldinger: [open], sygdom: [] }, '2026-11-28', TODAY)).toThrow(BadInputError);
  });

  const sygAfmeldt: TilmeldingState = { start: '2026-01-01', slut: '2026-09-30', stillingsbetegnelser: ['Kok', 'Tjener'], afmeldingsaarsag: 'SYGEMELDT' };
  const sygdom = [{ start: '2026-10-01', slut: null }];

  it.each(['2020-01-01', '2026-09-28', '2026-10-01', '2026-10-15', '2026-11-27', '2026-12-10'])('FR-2: raskmeldt %s → gentilmeldt from today, never the date KSD sends', (raskmeldt) => {
    const d = decideRaskmelding({ tilmeldinger: [sygAfmeldt], sygdom }, raskmeldt, TODAY);
    expect(d.gentilmeld).toEqual({ start: TODAY, stillingsbetegnelser: ['Kok', 'Tjener'] });
  });
  it('FR-2: the KSD date ends the sygdom (the day before), not before its start', () => {
    expect(decideRaskmelding({ tilmeldinger: [sygAfmeldt], sygdom }, '2026-10-15', TODAY).endSygdom).toEqual({ slut: '2026-10-14' });
    expect(decideRaskmelding({ tilmeldinger: [sygAfmeldt], sygdom }, '2026-10-01', TODAY).endSygdom).toEqual({ slut: '2026-10-01' });
  });
  it('FR-2: no gentilmelding for a borger afmeldt by the jobcenter, tilmeldt already, or never tilmeldt', () => {
    expect(decideRaskmelding({ tilmeldinger: [{ ...sygAfmeldt, afmeldingsaarsag: 'AFMELDT' }], sygdom }, TODAY, TODAY).gentilmeld).toBeNull();
    expect(decideRaskmelding({ tilmeldinger: [open], sygdom }, TODAY, TODAY).gentilmeld).toBeNull();
    expect(decideRaskmelding({ tilmeldinger: [], sygdom }, TODAY, TODAY).gentilmeld).toBeNull();
  });
  it('FR-2: an old tilmelding that ends today or later pushes the gentilmelding to the day after, never back in time', () => {
    const d = decideRaskmelding({ tilmeldinger: [{ ...sygAfmeldt, start: '2026-12-01', slut: '2026-12-01' }], sygdom }, '2026-11-01', TODAY);
    expect(d.gentilmeld?.start).toBe('2026-12-02');
  });
});

// KSD sends no event id: a redelivered or out-of-order message is known only by its dates. The history below
// is the reviewer's: S1 (sick from 03-01) ends T1; R1 (well 03-10) gentilmelder T2; S2 (sick from 03-20) ends T2.
describe('FR-2: redelivered and out-of-order KSD messages change nothing', () => {
  const NOTHING_SYG = { openSygdom: null, afmeld: null };
  const NOTHING_RASK = { endSygdom: null, gentilmeld: null };
  const t1: TilmeldingState = { start: '2025-01-01', slut: '2025-02-28', stillingsbetegnelser: ['Kok'], afmeldingsaarsag: 'SYGEMELDT' };
  const t2Open: TilmeldingState = { start: '2025-03-10', slut: null, stillingsbetegnelser: ['Kok'] };
  const t2Syg: TilmeldingState = { ...t2Open, slut: '2025-03-19', afmeldingsaarsag: 'SYGEMELDT' };
  const s1Ended = { start: '2025-03-01', slut: '2025-03-09' };
  const s2Open = { start: '2025-03-20', slut: null };
  /** After R1: T2 open, the first sickness ended. */
  const afterR1 = { tilmeldinger: [t1, t2Open], sygdom: [s1Ended] };
  /** After S2: T2 ended by the second sickness, which is open. */
  const afterS2 = { tilmeldinger: [t1, t2Syg], sygdom: [s1Ended, s2Open] };

  it('FR-2: S1 redelivered after R1 (first sick day = start of the recorded sickness) does not afmelde the gentilmeldt borger', () => {
    expect(decideSygemelding(afterR1, '2025-03-01', '2025-03-11')).toEqual(NOTHING_SYG);
  });
  it.each(['2025-03-05', '2025-03-09'])('FR-2: a sygemelding from %s, inside or on the last day of a recorded sickness, changes nothing', (foersteSygedag) => {
    expect(decideSygemelding(afterR1, foersteSygedag, '2025-03-11')).toEqual(NOTHING_SYG);
  });
  it('FR-2: a sygemelding older than the recorded sicknesses (before or between them) changes nothing', () => {
    expect(decideSygemelding(afterR1, '2025-02-20', '2025-03-11')).toEqual(NOTHING_SYG);
    const twoSicknesses = { tilmeldinger: [t1, t2Open], sygdom: [{ start: '2024-11-01', slut: '2024-11-10' }, s1Ended] };
    expect(decideSygemelding(twoSicknesses, '2025-01-15', '2025-03-11')).toEqual(NOTHING_SYG);
  });
  it('FR-2: a sygemelding while a sickness is open changes nothing, whether its first day is before or after that start', () => {
    expect(decideSygemelding(afterS2, '2025-03-20', '2025-03-22')).toEqual(NOTHING_SYG);
    expect(decideSygemelding(afterS2, '2025-03-15', '2025-03-22')).toEqual(NOTHING_SYG);
    expect(decideSygemelding(afterS2, '2025-03-21', '2025-03-22')).toEqual(NOTHING_SYG);
  });
  it('FR-2: a new sickness after the recorded one still afmelder (S2), also from the day the borger was raskmeldt', () => {
    expect(decideSygemelding(afterR1, '2025-03-20', '2025-03-20')).toEqual({ openSygdom: { start: '2025-03-20' }, afmeld: { slut: '2025-03-19' } });
    expect(decideSygemelding(afterR1, '2025-03-10', '2025-03-11')).toEqual({ openSygdom: { start: '2025-03-10' }, afmeld: { slut: '2025-03-10' } });
  });

  it('FR-2: R1 redelivered after S2 (the raskmelding that ended S1, before S2 started) neither ends S2 nor gentilmelder', () => {
    expect(decideRaskmelding(afterS2, '2025-03-10', '2025-03-21')).toEqual(NOTHING_RASK);
  });
  it('FR-2: R1 repeated when the borger fell sick again on the day of being declared well (S2 from 03-10) is still the repeat', () => {
    const sickAgain = { tilmeldinger: afterS2.tilmeldinger, sygdom: [s1Ended, { start: '2025-03-10', slut: null }] };
    expect(decideRaskmelding(sickAgain, '2025-03-10', '2025-03-21')).toEqual(NOTHING_RASK);
  });
  it('FR-2: an earlier one-day sickness does not swallow a raskmelding with an older date: only its exact end + 1 is a repeat', () => {
    const oneDay = { tilmeldinger: afterS2.tilmeldinger, sygdom: [{ start: '2025-03-01', slut: '2025-03-01' }, { start: '2025-03-20', slut: null }] };
    expect(decideRaskmelding(oneDay, '2025-02-01', '2025-03-21').gentilmeld).toEqual({ start: '2025-03-21', stillingsbetegnelser: ['Kok'] });
    expect(decideRaskmelding(oneDay, '2025-03-02', '2025-03-21')).toEqual(NOTHING_RASK);
  });
  it('FR-2: any other date before the open sickness started is still a raskmelding of it: gentilmeldt from today (whatever date KSD sends)', () => {
    expect(decideRaskmelding(afterS2, '2025-03-19', '2025-03-21')).toEqual({ endSygdom: { slut: '2025-03-20' }, gentilmeld: { start: '2025-03-21', stillingsbetegnelser: ['Kok'] } });
    expect(decideRaskmelding(afterS2, '2025-03-11', '2025-03-21')).toEqual({ endSygdom: { slut: '2025-03-20' }, gentilmeld: { start: '2025-03-21', stillingsbetegnelser: ['Kok'] } });
  });
  it('FR-2: a raskmelding on or after the open sickness’s first day ends it and gentilmelder from today', () => {
    expect(decideRaskmelding(afterS2, '2025-03-20', '2025-03-21')).toEqual({ endSygdom: { slut: '2025-03-20' }, gentilmeld: { start: '2025-03-21', stillingsbetegnelser: ['Kok'] } });
    expect(decideRaskmelding(afterS2, '2025-03-25', '2025-03-25')).toEqual({ endSygdom: { slut: '2025-03-24' }, gentilmeld: { start: '2025-03-25', stillingsbetegnelser: ['Kok'] } });
  });
  it('FR-2: R1 repeated after its gentilmelding (no sickness open) changes nothing', () => {
    expect(decideRaskmelding(afterR1, '2025-03-10', '2025-03-11')).toEqual(NOTHING_RASK);
  });
  it('FR-2: with no sickness open, a raskmelding does not gentilmelde, even when the last tilmelding ended by sickness', () => {
    expect(decideRaskmelding({ tilmeldinger: [t1], sygdom: [s1Ended] }, '2025-03-10', '2025-03-11')).toEqual(NOTHING_RASK);
    expect(decideRaskmelding({ tilmeldinger: [t1], sygdom: [] }, '2025-03-10', '2025-03-11')).toEqual(NOTHING_RASK);
    expect(decideRaskmelding({ tilmeldinger: [], sygdom: [] }, '2025-03-10', '2025-03-11')).toEqual(NOTHING_RASK);
  });
});

describe('jobparathed history', () => {
  it('with no history the flag answers; with history, the covering period (else not jobparat)', () => {
    expect(jobparatPaa([], true, '2020-01-01')).toBe(true);
    const ps = [{ jobparat: true, start: '2026-01-01', slut: '2026-06-30' }, { jobparat: false, start: '2026-07-01', slut: null }];
    expect(jobparatPaa(ps, true, '2026-03-01')).toBe(true);
    expect(jobparatPaa(ps, true, '2026-08-01')).toBe(false);
    expect(jobparatPaa(ps, true, '2025-08-01')).toBe(false);
  });
  it('a change closes the open period the day before; the same value is no change; not before the last change', () => {
    const ps = [{ jobparat: false, start: '2026-01-01', slut: null }];
    expect(decideJobparathed(ps, { jobparat: true, start: '2026-11-01' })).toEqual({ kind: 'change', closeOpen: { slut: '2026-10-31' }, open: { jobparat: true, start: '2026-11-01' } });
    expect(decideJobparathed(ps, { jobparat: false, start: '2026-11-01' })).toEqual({ kind: 'unchanged' });
    expect(() => decideJobparathed(ps, { jobparat: true, start: '2026-01-01' })).toThrow(BadInputError);
  });
});
