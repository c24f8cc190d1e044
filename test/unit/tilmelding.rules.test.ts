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

  it.each(['2026-10-15', '2026-11-27', '2026-12-10', '2020-01-01'])('FR-2: raskmeldt %s → gentilmeldt from today, never the date KSD sends', (raskmeldt) => {
    const d = decideRaskmelding({ tilmeldinger: [sygAfmeldt], sygdom }, raskmeldt, TODAY);
    expect(d.gentilmeld).toEqual({ start: TODAY, stillingsbetegnelser: ['Kok', 'Tjener'] });
  });
  it('FR-2: the KSD date ends the sygdom (the day before), not before its start', () => {
    expect(decideRaskmelding({ tilmeldinger: [sygAfmeldt], sygdom }, '2026-10-15', TODAY).endSygdom).toEqual({ slut: '2026-10-14' });
    expect(decideRaskmelding({ tilmeldinger: [sygAfmeldt], sygdom }, '2020-01-01', TODAY).endSygdom).toEqual({ slut: '2026-10-01' });
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
