import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/context/context';
import { Role } from '../../src/context/roles';
import { DomainError, RuleViolation } from '../../src/errors/domain-errors';
import { KontaktArt } from '../../src/kontaktperson/kontakt.entity';
import {
  afsluttesVedFlytning,
  kp3NyPeriode,
  kraevAendringsret,
  kraevEjer,
  kraevIkkeUdbType,
  kraevType32Felter,
  kraevType32FelterVedGenaabning,
  sendesTilUdb,
  udbKontaktDiff,
  udbKontaktNoegle,
  validateKontakt,
  validatePeriode,
  validateUdbKontakt,
  vedFlytning,
} from '../../src/kontaktperson/kontaktperson.rules';
import { validateRecord } from '../../src/kontaktperson/udb-kontakt.import';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleViolation) return `${e.code}:${e.rule}`;
    if (e instanceof DomainError) return e.code;
    if (e instanceof Error && (e as { extensions?: { code?: string } }).extensions?.code) return (e as unknown as { extensions: { code: string } }).extensions.code;
    throw e;
  }
  return undefined;
}

const MOVE = '2026-11-27';

describe('KP-2: which types a CPR move ends', () => {
  it.each([8, 9, 10, 25, 26, 31, 15, 2, 3])('KP-2: type %i is exempt', (type) => {
    expect(afsluttesVedFlytning(type)).toBe(false);
    expect(vedFlytning({ kontaktpersontype: type, start: '2026-01-01', slut: null }, { fraKommune: '101', tilKommune: '157', flyttedato: MOVE })).toBeNull();
  });
  it('KP-2: type 32 (and any other type) is ended', () => {
    expect(afsluttesVedFlytning(32)).toBe(true);
    expect(afsluttesVedFlytning(99)).toBe(true);
  });
  it('KP-3: a move within the same kommune ends nothing', () => {
    expect(vedFlytning({ kontaktpersontype: 32, start: '2026-01-01', slut: null }, { fraKommune: '101', tilKommune: '101', flyttedato: MOVE })).toBeNull();
  });
});

describe('KP-3: date rules on a move (move date = today)', () => {
  it.each([
    ['no end date → end = move date', { start: '2026-01-01', slut: null }, { start: '2026-01-01', slut: MOVE }],
    ['end after the move date → end = move date', { start: '2026-01-01', slut: '2027-06-30' }, { start: '2026-01-01', slut: MOVE }],
    ['end on the move date → left alone', { start: '2026-01-01', slut: MOVE }, null],
    ['end before the move date → left alone', { start: '2026-01-01', slut: '2026-11-26' }, null],
    ['start on the move date, open → start = end = move date', { start: MOVE, slut: null }, { start: MOVE, slut: MOVE }],
    ['start after the move date → start = end = move date − 1', { start: '2026-12-01', slut: null }, { start: '2026-11-26', slut: '2026-11-26' }],
    ['start after, with an end → start = end = move date − 1', { start: '2026-12-01', slut: '2027-01-31' }, { start: '2026-11-26', slut: '2026-11-26' }],
    ['start the day after the move date', { start: '2026-11-28', slut: null }, { start: '2026-11-26', slut: '2026-11-26' }],
  ])('KP-3: %s', (_name, p, expected) => {
    expect(kp3NyPeriode(p, MOVE)).toEqual(expected);
  });
  it('KP-3: the move date − 1 crosses months and years', () => {
    expect(kp3NyPeriode({ start: '2027-02-01', slut: null }, '2027-01-01')).toEqual({ start: '2026-12-31', slut: '2026-12-31' });
  });
});

describe('KP-5: contact data', () => {
  const ok = { navn: ' Team Ung ', email: 'ung@jobcenter.dk', telefon: '+45 12 34 56 78', art: KontaktArt.TEAM, cvr: '12345678', pnr: '1234567890' };
  it('KP-5: name, e-mail and phone are validated and normalised', () => {
    expect(validateKontakt(ok)).toMatchObject({ navn: 'Team Ung', email: 'ung@jobcenter.dk', telefon: '12345678' });
    expect(codeOf(() => validateKontakt({ ...ok, navn: '  ' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateKontakt({ ...ok, email: 'ung@jobcenter' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateKontakt({ ...ok, email: 'ung jobcenter@x.dk' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateKontakt({ ...ok, telefon: '1234567' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateKontakt({ ...ok, telefon: '+46 12345678' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateKontakt({ ...ok, cvr: '1234' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validateKontakt({ ...ok, pnr: '12345678901' }))).toBe('BAD_USER_INPUT');
  });
  it('KP-5: type 32 requires e-mail, phone and kind (person, team, generic team)', () => {
    expect(codeOf(() => kraevType32Felter(ok))).toBeUndefined();
    expect(codeOf(() => kraevType32Felter({ ...ok, email: null }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => kraevType32Felter({ ...ok, telefon: null }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => kraevType32Felter({ ...ok, art: null }))).toBe('BAD_USER_INPUT');
  });
  it('KP-5: reopening a closed type-32 attachment needs the kontakt’s e-mail, phone and kind; other changes do not check them again', () => {
    const udenTelefon = { ...ok, telefon: null };
    const lukket = { slut: '2026-11-26' };
    expect(codeOf(() => kraevType32FelterVedGenaabning(32, lukket, { slut: null }, udenTelefon, MOVE))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => kraevType32FelterVedGenaabning(32, lukket, { slut: MOVE }, udenTelefon, MOVE))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => kraevType32FelterVedGenaabning(32, lukket, { slut: null }, ok, MOVE))).toBeUndefined();
    // Still closed, already open, or not type 32: nothing to check.
    expect(codeOf(() => kraevType32FelterVedGenaabning(32, lukket, { slut: '2026-11-20' }, udenTelefon, MOVE))).toBeUndefined();
    expect(codeOf(() => kraevType32FelterVedGenaabning(32, { slut: MOVE }, { slut: null }, udenTelefon, MOVE))).toBeUndefined();
    expect(codeOf(() => kraevType32FelterVedGenaabning(32, { slut: null }, { slut: MOVE }, udenTelefon, MOVE))).toBeUndefined();
    expect(codeOf(() => kraevType32FelterVedGenaabning(15, lukket, { slut: null }, udenTelefon, MOVE))).toBeUndefined();
  });
  it('KP-5: a period cannot end before it starts', () => {
    expect(codeOf(() => validatePeriode({ start: '2026-01-02', slut: '2026-01-01' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => validatePeriode({ start: '2026-01-02', slut: '2026-01-02' }))).toBeUndefined();
  });
  it('only the owner changes a kontakt', () => {
    const jc: Principal = { sub: 'x', role: Role.JOBCENTER, org: '101' };
    expect(codeOf(() => kraevEjer(jc, { ejerRolle: Role.JOBCENTER, ejerOrg: '101' }))).toBeUndefined();
    expect(codeOf(() => kraevEjer(jc, { ejerRolle: Role.JOBCENTER, ejerOrg: '157' }))).toBe('FORBIDDEN');
  });
  it('KP-4: the jobcenter a borger was moved to may only end the contacts the previous one registered; their registrar changes anything', () => {
    const jc157: Principal = { sub: 'x', role: Role.JOBCENTER, org: '157' };
    const system: Principal = { sub: 's', role: Role.SYSTEM, org: 'dfdg' };
    const open101 = { registreretAfRolle: Role.JOBCENTER, registreretAfOrg: '101', slut: null };
    const ends101 = { registreretAfRolle: Role.JOBCENTER, registreretAfOrg: '101', slut: '2026-12-31' };
    expect(codeOf(() => kraevAendringsret(jc157, open101, { slut: MOVE }))).toBeUndefined();
    expect(codeOf(() => kraevAendringsret(jc157, ends101, { slut: '2026-12-01' }))).toBeUndefined();
    expect(codeOf(() => kraevAendringsret(jc157, ends101, { slut: '2026-12-31' }))).toBeUndefined();
    expect(codeOf(() => kraevAendringsret(jc157, ends101, { slut: '2027-01-01' }))).toBe('FORBIDDEN');
    expect(codeOf(() => kraevAendringsret(jc157, ends101, { slut: null }))).toBe('FORBIDDEN');
    expect(codeOf(() => kraevAendringsret(jc157, open101, { rolle: 'Ny' }))).toBe('FORBIDDEN');
    expect(codeOf(() => kraevAendringsret(jc157, open101, { slut: MOVE, visesPaaJobnet: true }))).toBe('FORBIDDEN');
    expect(codeOf(() => kraevAendringsret(jc157, open101, { start: '2026-01-01' }))).toBe('FORBIDDEN');
    expect(codeOf(() => kraevAendringsret(jc157, { registreretAfRolle: Role.JOBCENTER, registreretAfOrg: '157', slut: MOVE }, { slut: null, rolle: 'Ny' }))).toBeUndefined();
    // The same number under another role (an a-kasse numbered 157) is another organisation.
    expect(codeOf(() => kraevAendringsret(jc157, { registreretAfRolle: Role.AKASSE, registreretAfOrg: '157', slut: null }, { rolle: 'Ny' }))).toBe('FORBIDDEN');
    expect(codeOf(() => kraevAendringsret(system, ends101, { slut: null, rolle: 'Ny' }))).toBeUndefined();
  });
});

describe('KP-6, KP-7, KP-8', () => {
  it('KP-6: only type 32 of a borger with an abonnement goes to UDB', () => {
    expect(sendesTilUdb(32, true)).toBe(true);
    expect(sendesTilUdb(32, false)).toBe(false);
    expect(sendesTilUdb(15, true)).toBe(false);
  });
  it('KP-7: a jobcenter cannot register or change type 31', () => {
    expect(codeOf(() => kraevIkkeUdbType(31))).toBe('RULE_VIOLATION:KP-7');
    expect(codeOf(() => kraevIkkeUdbType(32))).toBeUndefined();
  });
  it('KP-7: a UDB contact needs name, e-mail, phone, CVR and P-nr; equal content has one key', () => {
    const k = { navn: 'Studievejleder', email: 'SV@EUC.dk', telefon: '+4587654321', cvr: '11223344', pnr: '1122334455' };
    expect(validateUdbKontakt(k)).toEqual({ ...k, telefon: '87654321' });
    for (const f of ['navn', 'email', 'telefon', 'cvr', 'pnr'] as const) expect(codeOf(() => validateUdbKontakt({ ...k, [f]: '' }))).toBe('BAD_USER_INPUT');
    expect(udbKontaktNoegle(validateUdbKontakt(k))).toBe(udbKontaktNoegle(validateUdbKontakt({ ...k, email: 'sv@euc.dk', telefon: '87 65 43 21' })));
    const r = validateRecord({ cpr: '010105-4321', kontakter: [k, { ...k, telefon: '87654321' }] });
    expect(r.cpr).toBe('0101054321');
    expect(r.kontakter).toHaveLength(1);
    expect(() => validateRecord({ cpr: '3201054321', kontakter: [] })).toThrow();
  });
  it('KP-7: the batch is the complete set: new ones open, missing ones end, the same batch again changes nothing (KP-8: changed or not)', () => {
    expect(udbKontaktDiff(['a', 'b'], ['b', 'c'])).toEqual({ tilfoej: ['c'], afslut: ['a'], aendret: true });
    expect(udbKontaktDiff(['a'], ['a'])).toEqual({ tilfoej: [], afslut: [], aendret: false });
    expect(udbKontaktDiff(['a'], [])).toEqual({ tilfoej: [], afslut: ['a'], aendret: true });
  });
});

describe('KP-5: the optional mobile number', () => {
  it('KP-5: a mobile number is normalised like the phone (8 digits, +45 and spaces dropped)', () => {
    expect(validateKontakt({ navn: 'Karl', mobil: '+45 5161 7181' }).mobil).toBe('51617181');
  });
  it('KP-5: a bad mobile number is BAD_USER_INPUT naming the field', () => {
    expect(() => validateKontakt({ navn: 'Karl', mobil: '5161' })).toThrow(/mobilnummer/);
  });
});
