import { describe, expect, it } from 'vitest';
import { BadInputError, RuleViolation } from '../../src/errors/domain-errors';
import { CV4_KOMMENTAR, decideCvStatus, planCvTilstand, type CvVurderingsgrundlag, type CvTilstandState, kraevMedlemPaaHaendelsesdato } from '../../src/cv/cv.rules';

const TODAY = '2026-11-27';
const LAST_WEEK = '2026-11-20';

/** A-kasse's happy case: tilmeldt dagpengemodtager with a searchable CV klar til godkendelse. */
const ak: CvVurderingsgrundlag = { tilmeldt: true, sygemeldt: false, kontaktgruppe: 1, jobparat: true, cvStatus: 1, soegbar: true };
/** Jobcenter's happy case: tilmeldt kontanthjælpsmodtager. */
const jc: CvVurderingsgrundlag = { tilmeldt: true, sygemeldt: false, kontaktgruppe: 2, jobparat: true, cvStatus: 1, soegbar: true };

function violation(fn: () => unknown): RuleViolation {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return e;
    throw e;
  }
  throw new Error('expected a RuleViolation');
}

describe('CV-1: historic event date', () => {
  it('CV-1: a historic date without a comment is accepted with a warning', () => {
    const d = decideCvStatus('AKASSE', ak, { status: 2, eventDate: LAST_WEEK }, TODAY);
    expect(d).toMatchObject({ haendelsesdato: LAST_WEEK, historisk: true, status: 2, statusAendret: true });
    expect(d.advarsler).toHaveLength(1);
    expect(d.advarsler[0]).toMatch(/^CV-1: .*historisk hændelsesdato \(2026-11-20\) uden kommentar/);
  });
  it('CV-1: with a comment, or without a historic date, there is no warning', () => {
    expect(decideCvStatus('AKASSE', ak, { status: 2, eventDate: LAST_WEEK, kommentar: 'CV-samtale holdt 20/11' }, TODAY).advarsler).toEqual([]);
    expect(decideCvStatus('AKASSE', ak, { status: 2 }, TODAY)).toMatchObject({ historisk: false, haendelsesdato: TODAY, advarsler: [] });
    expect(decideCvStatus('AKASSE', ak, { status: 2, eventDate: TODAY }, TODAY).advarsler).toEqual([]);
    expect(decideCvStatus('AKASSE', ak, { status: 2, eventDate: LAST_WEEK, kommentar: '   ' }, TODAY).advarsler).toHaveLength(1);
  });
  it('CV-1: an event date in the future is bad input', () => {
    expect(() => decideCvStatus('AKASSE', ak, { status: 2, eventDate: '2026-11-28' }, TODAY)).toThrow(BadInputError);
  });
});

describe('CV-2: the a-kasse, against the borger on the event date', () => {
  it.each([
    ['tilmeldt', ak],
    ['sygemeldt, not tilmeldt', { ...ak, tilmeldt: false, sygemeldt: true }],
    ['kontaktgruppe 8', { ...ak, kontaktgruppe: 8 }],
    ['CV status 2', { ...ak, cvStatus: 2 }],
    ['CV status 3', { ...ak, cvStatus: 3 }],
    ['CV status 5', { ...ak, cvStatus: 5 }],
    ['not jobparat', { ...ak, jobparat: false }],
  ])('CV-2: accepted when %s', (_t, g) => {
    expect(decideCvStatus('AKASSE', g as CvVurderingsgrundlag, { status: 2, eventDate: LAST_WEEK, kommentar: 'x' }, TODAY).status).toBe(2);
  });

  it.each([
    ['neither tilmeldt nor sygemeldt', { ...ak, tilmeldt: false }, /hverken tilmeldt eller sygemeldt/],
    ['kontaktgruppe 2', { ...ak, kontaktgruppe: 2 }, /kontaktgruppe 2 \(skal være 1 Dagpengemodtager eller 8 Uden ydelse\)/],
    ['no kontaktgruppe', { ...ak, kontaktgruppe: null }, /ikke i nogen kontaktgruppe/],
    ['CV status 0 and reporting 2', { ...ak, cvStatus: 0 }, /status 0 \(skal være 1, 2, 3 eller 5\)/],
    ['no CV', { ...ak, cvStatus: null }, /intet CV/],
  ])('CV-2: refused when %s', (_t, g, msg) => {
    const e = violation(() => decideCvStatus('AKASSE', g as CvVurderingsgrundlag, { status: 2, eventDate: LAST_WEEK }, TODAY));
    expect(e.rule).toBe('CV-2');
    expect(e.code).toBe('RULE_VIOLATION');
    expect(e.message).toMatch(msg);
    expect(e.message).toContain('2026-11-20');
  });

  it('CV-2: every unmet condition is named at once', () => {
    const e = violation(() => decideCvStatus('AKASSE', { ...ak, tilmeldt: false, kontaktgruppe: 2, cvStatus: null }, { status: 3 }, TODAY));
    expect(e.message.split(';')).toHaveLength(3);
  });

  it.each([1, 5, 0, 4])('CV-2: the a-kasse may report only 2 or 3, not %i', (status) => {
    expect(violation(() => decideCvStatus('AKASSE', ak, { status }, TODAY)).rule).toBe('CV-2');
  });
});

describe('CV-3: the jobcenter, against the borger on the event date', () => {
  it.each([
    ['kontaktgruppe 2, jobparat', jc],
    ['kontaktgruppe 12', { ...jc, kontaktgruppe: 12 }],
    ['not jobparat', { ...jc, jobparat: false }],
    ['CV not searchable', { ...jc, soegbar: false }],
    ['CV status 3', { ...jc, cvStatus: 3 }],
  ])('CV-3: accepted when %s', (_t, g) => {
    for (const status of [2, 3, 5]) expect(decideCvStatus('JOBCENTER', g as CvVurderingsgrundlag, { status }, TODAY).status).toBe(status);
  });

  it.each([
    ['not tilmeldt', { ...jc, tilmeldt: false }, /ikke tilmeldt/],
    ['sygemeldt only', { ...jc, tilmeldt: false, sygemeldt: true }, /ikke tilmeldt/],
    ['kontaktgruppe 1', { ...jc, kontaktgruppe: 1 }, /kontaktgruppe 1 \(skal være 2 Kontanthjælpsmodtager eller 12/],
    ['CV status 5', { ...jc, cvStatus: 5 }, /status 5 \(skal være 1, 2 eller 3\)/],
    ['no CV', { ...jc, cvStatus: null }, /intet CV/],
  ])('CV-3: refused when %s', (_t, g, msg) => {
    const e = violation(() => decideCvStatus('JOBCENTER', g as CvVurderingsgrundlag, { status: 2, eventDate: LAST_WEEK }, TODAY));
    expect(e.rule).toBe('CV-3');
    expect(e.message).toMatch(msg);
  });

  it.each([1, 0, 4])('CV-3: the jobcenter may report only 2, 3 or 5, not %i', (status) => {
    expect(violation(() => decideCvStatus('JOBCENTER', jc, { status }, TODAY)).rule).toBe('CV-3');
  });
});

describe('CV-4: CVs that are not searchable', () => {
  it('CV-4: an a-kasse reporting 3 on a CV not searchable keeps the status and sets the comment', () => {
    const d = decideCvStatus('AKASSE', { ...ak, soegbar: false }, { status: 3, kommentar: 'egen kommentar' }, TODAY);
    expect(d).toMatchObject({ status: 1, statusAendret: false, kommentar: CV4_KOMMENTAR });
    expect(CV4_KOMMENTAR).toBe('A-kassen/Jobcentret har vurderet at CV på det aktuelle grundlag ikke kan godkendes');
  });
  it('CV-4: a CV still påbegyndt counts as not searchable; the a-kasse may report 3 on it', () => {
    const d = decideCvStatus('AKASSE', { ...ak, cvStatus: 0, soegbar: false }, { status: 3 }, TODAY);
    expect(d).toMatchObject({ status: 0, statusAendret: false, kommentar: CV4_KOMMENTAR });
  });
  it('CV-4: a searchable CV gets status 3 as reported', () => {
    expect(decideCvStatus('AKASSE', ak, { status: 3, kommentar: 'k' }, TODAY)).toMatchObject({ status: 3, statusAendret: true, kommentar: 'k' });
  });
  it('CV-4: CV-2’s kontaktgruppe and tilmelding conditions still hold for it', () => {
    expect(violation(() => decideCvStatus('AKASSE', { ...ak, soegbar: false, kontaktgruppe: 2 }, { status: 3 }, TODAY)).rule).toBe('CV-2');
  });
  it('CV-4: a jobcenter cannot report on a CV in status CV påbegyndt', () => {
    for (const status of [2, 3, 5]) {
      const e = violation(() => decideCvStatus('JOBCENTER', { ...jc, cvStatus: 0, soegbar: false }, { status }, TODAY));
      expect(e.rule).toBe('CV-4');
      expect(e.message).toMatch(/CV påbegyndt/);
    }
  });
});

describe('the CV history takes a report from its event date', () => {
  const open: CvTilstandState = { id: '1', status: 1, soegbar: true, start: '2026-01-01', slut: null };

  it('splits the period covering the date; the new state stays open', () => {
    expect(planCvTilstand([open], LAST_WEEK, { status: 2, kommentar: null })).toEqual({
      update: [{ period: open, set: { slut: '2026-11-19' } }],
      insert: [{ start: LAST_WEEK, slut: null, status: 2, soegbar: true, kommentar: null }],
    });
  });
  it('a later change on record stays: the new state ends where the old period ended', () => {
    const old: CvTilstandState = { id: '1', status: 1, soegbar: true, start: '2026-01-01', slut: '2026-11-23' };
    const later: CvTilstandState = { id: '2', status: 0, soegbar: false, start: '2026-11-24', slut: null };
    expect(planCvTilstand([old, later], LAST_WEEK, { status: 2, kommentar: 'k' }).insert).toEqual([
      { start: LAST_WEEK, slut: '2026-11-23', status: 2, soegbar: true, kommentar: 'k' },
    ]);
  });
  it('a period starting on the date is overwritten in place', () => {
    const p: CvTilstandState = { ...open, start: LAST_WEEK };
    expect(planCvTilstand([p], LAST_WEEK, { status: 3, kommentar: 'k' })).toEqual({ update: [{ period: p, set: { status: 3, soegbar: true, kommentar: 'k' } }], insert: [] });
  });
  it('with no CV on the date, the new state runs until the next period', () => {
    const next: CvTilstandState = { status: 0, soegbar: false, start: '2026-12-01', slut: null };
    expect(planCvTilstand([next], TODAY, { status: 1, soegbar: true, kommentar: null }).insert).toEqual([
      { start: TODAY, slut: '2026-11-30', status: 1, soegbar: true, kommentar: null },
    ]);
  });
});

describe('CV-2: the a-kasse reports on its member', () => {
  const m = [{ start: '2026-10-01', slut: null }, { start: '2020-01-01', slut: '2021-12-31' }];
  it('CV-2: a date in one of the a-kasse\'s memberships passes; a date outside them is refused', () => {
    expect(() => kraevMedlemPaaHaendelsesdato(m, '2026-10-01')).not.toThrow();
    expect(() => kraevMedlemPaaHaendelsesdato(m, '2021-12-31')).not.toThrow();
    expect(() => kraevMedlemPaaHaendelsesdato(m, '2026-09-30')).toThrow(/medlem/);
    expect(() => kraevMedlemPaaHaendelsesdato(m, '2022-01-01')).toThrow(/medlem/);
    expect(() => kraevMedlemPaaHaendelsesdato([], '2026-10-01')).toThrow(/medlem/);
  });
});
