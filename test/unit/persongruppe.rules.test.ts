import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/context/context';
import { Role } from '../../src/context/roles';
import { DomainError, RuleViolation } from '../../src/errors/domain-errors';
import { decideLukning, maaBruge, maaLukke, pg1VedFlytning, validateMarkering, type LukFacts, type MarkeringState } from '../../src/persongruppe/persongruppe.rules';

const jc = (org: string): Principal => ({ sub: `jc-${org}`, role: Role.JOBCENTER, org });
const ak = (org: string): Principal => ({ sub: `ak-${org}`, role: Role.AKASSE, org });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return `RULE_VIOLATION:${e.rule}`;
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return undefined;
}

const marking: MarkeringState = { jobcentre: ['101', '147'], akasser: ['12'], start: '2026-01-01', slut: null, oprettetAfRolle: Role.JOBCENTER, oprettetAfOrg: '101' };

describe('PG-1', () => {
  it('PG-1: the listed jobcentre and a-kasser may use the marking; others not', () => {
    expect(maaBruge(jc('101'), marking)).toBe(true);
    expect(maaBruge(jc('147'), marking)).toBe(true);
    expect(maaBruge(ak('12'), marking)).toBe(true);
    expect(maaBruge(jc('157'), marking)).toBe(false);
    expect(maaBruge(ak('13'), marking)).toBe(false);
  });

  it('PG-1: a move to a kommune whose jobcenter is not listed closes it on the move date; a listed one keeps it', () => {
    expect(pg1VedFlytning(marking, '157', '2026-11-27')).toEqual({ start: '2026-01-01', slut: '2026-11-27' });
    expect(pg1VedFlytning(marking, '147', '2026-11-27')).toBeNull();
    expect(pg1VedFlytning({ ...marking, slut: '2026-11-27' }, '157', '2026-11-27')).toBeNull();
    expect(pg1VedFlytning({ ...marking, slut: '2027-01-01' }, '157', '2026-11-27')).toEqual({ start: '2026-01-01', slut: '2026-11-27' });
    expect(pg1VedFlytning({ ...marking, start: '2026-12-01' }, '157', '2026-11-27')).toEqual({ start: '2026-11-26', slut: '2026-11-26' });
  });

  it('PG-1: a new marking lists valid organisations, at least one, the creator among them', () => {
    expect(validateMarkering(jc('101'), { jobcentre: ['147', '101', '101'], akasser: [], start: '2026-01-01' })).toEqual({ jobcentre: ['101', '147'], akasser: [] });
    expect(codeOf(() => validateMarkering(jc('101'), { jobcentre: ['147'], akasser: [], start: '2026-01-01' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateMarkering(jc('101'), { jobcentre: ['10'], akasser: [], start: '2026-01-01' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateMarkering(jc('101'), { jobcentre: [], akasser: [], start: '2026-01-01' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateMarkering(ak('12'), { jobcentre: ['101'], akasser: ['12'], start: '2026-01-01', slut: '2025-01-01' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateMarkering(ak('12'), { jobcentre: ['101'], akasser: ['12'], start: '2026-01-01' }))).toBeUndefined();
  });
});

describe('PG-2', () => {
  const none: LukFacts = { borgersJobcenter: '101', senesteFlytning: null };
  const manual: LukFacts = { borgersJobcenter: '157', senesteFlytning: { kilde: 'MANUEL', fraJobcenter: '101', tilJobcenter: '157' } };
  const cpr: LukFacts = { borgersJobcenter: '157', senesteFlytning: { kilde: 'CPR', fraJobcenter: '101', tilJobcenter: '157' } };

  it('PG-2: only the creating organisation may close a marking', () => {
    expect(maaLukke(jc('101'), marking, none)).toBe(true);
    expect(maaLukke(jc('147'), marking, none)).toBe(false);
    expect(maaLukke(ak('12'), marking, none)).toBe(false);
    expect(maaLukke(ak('12'), { ...marking, oprettetAfRolle: Role.AKASSE, oprettetAfOrg: '12' }, none)).toBe(true);
    expect(codeOf(() => decideLukning(jc('147'), marking, none, '2026-11-27', '2026-11-27'))).toBe('RULE_VIOLATION:PG-2');
  });

  it('PG-2: after a manual move the new jobcenter may close the previous jobcenter’s markings', () => {
    expect(maaLukke(jc('157'), marking, manual)).toBe(true);
    expect(decideLukning(jc('157'), marking, manual, '2026-11-27', '2026-11-27')).toEqual({ slut: '2026-11-27' });
  });

  it('PG-2: not after a CPR move, not for markings of another creator, not for another jobcenter', () => {
    expect(maaLukke(jc('157'), marking, cpr)).toBe(false);
    expect(maaLukke(jc('157'), { ...marking, oprettetAfOrg: '147' }, manual)).toBe(false);
    expect(maaLukke(jc('157'), { ...marking, oprettetAfRolle: Role.AKASSE, oprettetAfOrg: '101' }, manual)).toBe(false);
    expect(maaLukke(jc('461'), marking, { ...manual, borgersJobcenter: '461' })).toBe(false);
  });

  it('closing checks the end date and that it is open', () => {
    expect(codeOf(() => decideLukning(jc('101'), marking, none, '2025-12-31', '2026-11-27'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decideLukning(jc('101'), { ...marking, slut: '2026-05-01' }, none, '2026-11-27', '2026-11-27'))).toBe('BAD_USER_INPUT');
    // A marking created with a later end is open until then and may be closed earlier, not later than its end.
    expect(decideLukning(jc('101'), { ...marking, slut: '2027-12-31' }, none, '2026-11-27', '2026-11-27')).toEqual({ slut: '2026-11-27' });
    expect(codeOf(() => decideLukning(jc('101'), { ...marking, slut: '2027-12-31' }, none, '2028-01-31', '2026-11-27'))).toBe('BAD_USER_INPUT');
    // One somebody closed (with an end still to come) stays as they closed it.
    expect(codeOf(() => decideLukning(jc('101'), { ...marking, slut: '2026-12-31', lukket: new Date('2026-11-20T10:00:00Z') }, none, '2026-11-27', '2026-11-27'))).toBe('BAD_USER_INPUT');
  });

  it('PG-2: who may close is decided before anything about the marking is said (a refusal tells nothing of its end)', () => {
    expect(codeOf(() => decideLukning(jc('147'), { ...marking, slut: '2027-12-31' }, none, '2099-01-01', '2026-11-27'))).toBe('RULE_VIOLATION:PG-2');
    expect(codeOf(() => decideLukning(jc('147'), { ...marking, slut: '2026-05-01' }, none, '2026-11-27', '2026-11-27'))).toBe('RULE_VIOLATION:PG-2');
  });
});
