import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBorger } from '../helpers/fixtures';
import { errorCode, startTestServer, type TestServer } from '../helpers/server';

let ts: TestServer;
let ak12: string;

const NY = '0101804321'; // no membership yet
const GENINDMELDT = '0202814322'; // member of 12 in 2015–2019, again from 2026-11-01
const ANDEN = '0303824323'; // member of 34
const TIDLIGERE = '0404834324'; // member of 12 in 2010–2012, of 34 since

beforeAll(async () => {
  ts = await startTestServer({ today: '2026-11-27' });
  ak12 = await ts.token('AKASSE', '12');
  await insertBorger(ts, { cpr: NY, jobcenter: '101' });
  await insertBorger(ts, {
    cpr: GENINDMELDT,
    jobcenter: '101',
    medlemskab: [
      { akasse: '12', start: '2015-01-01', slut: '2019-12-31' },
      { akasse: '34', start: '2020-01-01', slut: '2026-10-31' },
      { akasse: '12', start: '2026-11-01' },
    ],
  });
  await insertBorger(ts, { cpr: ANDEN, jobcenter: '101', medlemskab: [{ akasse: '34', start: '2020-01-01' }] });
  await insertBorger(ts, {
    cpr: TIDLIGERE,
    jobcenter: '101',
    medlemskab: [
      { akasse: '12', start: '2010-01-01', slut: '2012-12-31' },
      { akasse: '34', start: '2013-01-01' },
    ],
  });
});
afterAll(async () => ts?.close());

const TILGANG = `mutation($cpr: CPR!, $start: LocalDate!) { registrerMedlemstilgang(input: { cpr: $cpr, start: $start }) { cpr akasse start slut } }`;
const AFGANG = `mutation($cpr: CPR!, $slut: LocalDate!) { registrerMedlemsafgang(input: { cpr: $cpr, slut: $slut }) { cpr akasse start slut } }`;
const RECALL = `mutation($cpr: CPR!, $start: LocalDate!) { tilbagekaldMedlemstilgang(input: { cpr: $cpr, start: $start }) { cpr akasse start slut } }`;
const HISTORIK = `query($cpr: CPR!) { akasseMedlemskabshistorik(cpr: $cpr) { akasse start slut } }`;
const rows = (cpr: string) => ts.sql(`select akasse, to_char(start, 'YYYY-MM-DD') s, to_char(slut, 'YYYY-MM-DD') e from akasse_medlemskab where cpr = ? order by start`, [cpr]);

describe('AK-1: recall of a medlemstilgang', () => {
  it('AK-1: allowed although an earlier membership of the same a-kasse precedes the latest; only the latest goes', async () => {
    const r = await ts.gql(RECALL, { cpr: GENINDMELDT, start: '2026-11-01' }, ak12);
    expect(r.errors).toBeUndefined();
    expect(r.data!.tilbagekaldMedlemstilgang).toEqual({ cpr: GENINDMELDT, akasse: '12', start: '2026-11-01', slut: null });
    expect(await rows(GENINDMELDT)).toEqual([
      { akasse: '12', s: '2015-01-01', e: '2019-12-31' },
      { akasse: '34', s: '2020-01-01', e: '2026-10-31' },
    ]);
    const kept = await ts.sql(`select akasse, to_char(start, 'YYYY-MM-DD') s, tilbagekaldt_af from akasse_medlemskab_tilbagekaldt where cpr = ?`, [GENINDMELDT]);
    expect(kept).toEqual([{ akasse: '12', s: '2026-11-01', tilbagekaldt_af: expect.any(String) }]);
  });

  it('AK-1: a recall sent again (its answer lost) is refused, and does not take the tilgang before the one it named', async () => {
    const cpr = '0505844325';
    await insertBorger(ts, { cpr, jobcenter: '101', medlemskab: [{ akasse: '12', start: '2026-01-01', slut: '2026-11-30' }, { akasse: '12', start: '2026-12-15' }] });
    expect((await ts.gql(RECALL, { cpr, start: '2026-12-15' }, ak12)).errors).toBeUndefined();
    expect(errorCode(await ts.gql(RECALL, { cpr, start: '2026-12-15' }, ak12))).toBe('CONFLICT');
    expect(await rows(cpr)).toEqual([{ akasse: '12', s: '2026-01-01', e: '2026-11-30' }]);
  });

  it('AK-1: after the recall the a-kasse has no member left to recall for (FORBIDDEN)', async () => {
    expect(errorCode(await ts.gql(RECALL, { cpr: GENINDMELDT, start: '2026-11-01' }, ak12))).toBe('FORBIDDEN');
  });

  it('another a-kasse cannot recall; a former a-kasse cannot either', async () => {
    expect(errorCode(await ts.gql(RECALL, { cpr: ANDEN, start: '2020-01-01' }, ak12))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(RECALL, { cpr: TIDLIGERE, start: '2010-01-01' }, ak12))).toBe('FORBIDDEN');
    expect(await rows(TIDLIGERE)).toHaveLength(2);
  });
});

describe('medlemstilgang and medlemsafgang', () => {
  it('an a-kasse registers tilgang for any existing borger; then reads them as its member', async () => {
    const r = await ts.gql(TILGANG, { cpr: NY, start: '2026-11-15' }, ak12);
    expect(r.errors).toBeUndefined();
    expect(r.data!.registrerMedlemstilgang).toEqual({ cpr: NY, akasse: '12', start: '2026-11-15', slut: null });
    expect((await ts.gql(`query($cpr: CPR!) { borger(cpr: $cpr) { cpr } }`, { cpr: NY }, ak12)).errors).toBeUndefined();
  });

  it('a second tilgang while a member → BAD_USER_INPUT; an unknown borger → NOT_FOUND', async () => {
    expect(errorCode(await ts.gql(TILGANG, { cpr: NY, start: '2026-11-20' }, ak12))).toBe('BAD_USER_INPUT');
    expect(errorCode(await ts.gql(TILGANG, { cpr: '0505855555', start: '2026-11-20' }, ak12))).toBe('NOT_FOUND');
  });

  it('an afgang ends the membership; periods stay as history; a new tilgang after it opens a new period', async () => {
    const a = await ts.gql(AFGANG, { cpr: NY, slut: '2026-11-30' }, ak12);
    expect(a.errors).toBeUndefined();
    expect(a.data!.registrerMedlemsafgang).toEqual({ cpr: NY, akasse: '12', start: '2026-11-15', slut: '2026-11-30' });
    expect(errorCode(await ts.gql(TILGANG, { cpr: NY, start: '2026-11-30' }, ak12))).toBe('BAD_USER_INPUT');
    expect((await ts.gql(TILGANG, { cpr: NY, start: '2026-12-01' }, ak12)).errors).toBeUndefined();
    const h = await ts.gql(HISTORIK, { cpr: NY }, ak12);
    expect(h.data!.akasseMedlemskabshistorik).toEqual([
      { akasse: '12', start: '2026-11-15', slut: '2026-11-30' },
      { akasse: '12', start: '2026-12-01', slut: null },
    ]);
  });

  it('authorization: wrong role → FORBIDDEN; another a-kasse’s member → FORBIDDEN for afgang', async () => {
    const jc = await ts.token('JOBCENTER', '101');
    expect(errorCode(await ts.gql(TILGANG, { cpr: ANDEN, start: '2026-11-20' }, jc))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(AFGANG, { cpr: ANDEN, slut: '2026-11-20' }, jc))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(RECALL, { cpr: ANDEN, start: '2020-01-01' }, await ts.token('UDK', 'udk')))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(AFGANG, { cpr: ANDEN, slut: '2026-11-20' }, ak12))).toBe('FORBIDDEN');
    expect(await rows(ANDEN)).toEqual([{ akasse: '34', s: '2020-01-01', e: null }]);
  });
});

describe('reading memberships', () => {
  it('an a-kasse sees its own periods of its member; the jobcenter sees all; X-4 logs the read', async () => {
    const ak34 = await ts.token('AKASSE', '34', 'ak34-bruger');
    const own = await ts.gql(HISTORIK, { cpr: TIDLIGERE }, ak34);
    expect(own.data!.akasseMedlemskabshistorik).toEqual([{ akasse: '34', start: '2013-01-01', slut: null }]);
    const all = await ts.gql(HISTORIK, { cpr: TIDLIGERE }, await ts.token('JOBCENTER', '101'));
    expect(all.data!.akasseMedlemskabshistorik).toHaveLength(2);
    expect(errorCode(await ts.gql(HISTORIK, { cpr: TIDLIGERE }, ak12))).toBe('FORBIDDEN');
    const logged = await ts.sql<{ what: string }>(`select what from access_log where cpr = ? and sub = 'ak34-bruger'`, [TIDLIGERE]);
    expect(logged.map((x) => x.what).sort()).toEqual(['akasse_medlemskab', 'borger']);
  });

  it('akasseMedlemmer lists the current members only, page by page', async () => {
    const ak34 = await ts.token('AKASSE', '34');
    const q = `query($after: String) { akasseMedlemmer(first: 1, after: $after) { items { cpr } nextCursor } }`;
    const p1 = await ts.gql<{ akasseMedlemmer: { items: { cpr: string }[]; nextCursor: string | null } }>(q, {}, ak34);
    expect(p1.data!.akasseMedlemmer).toEqual({ items: [{ cpr: ANDEN }], nextCursor: ANDEN });
    const p2 = await ts.gql<{ akasseMedlemmer: { items: { cpr: string }[]; nextCursor: string | null } }>(q, { after: ANDEN }, ak34);
    expect(p2.data!.akasseMedlemmer).toEqual({ items: [{ cpr: TIDLIGERE }], nextCursor: null });
    expect(errorCode(await ts.gql(q, {}, await ts.token('JOBCENTER', '101')))).toBe('FORBIDDEN');
  });
});
