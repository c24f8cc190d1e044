import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBorger, insertCvTilstand, insertFravaer, insertJobparathed, insertTilmelding } from '../helpers/fixtures';
import { errorCode, startTestServer, type GqlResult, type TestServer } from '../helpers/server';

// Today is 2026-11-27; the CV samtale was held last week, on the event date 2026-11-20.
const TODAY = '2026-11-27';
const EVENT = '2026-11-20';

let ts: TestServer;
let ak12: string;
let jc101: string;

const KG_SKIFT = '0101804321'; // a-kasse member: kontaktgruppe 1 until 2026-11-22, then 2
const AFMELDT = '0202814322'; // a-kasse member: afmeldt 2026-11-21
const SYG = '0303824323'; // a-kasse member: sygemeldt from 2026-11-10
const IKKE_SOEGBAR = '0404834324'; // a-kasse member: CV klar but not searchable
const PAABEGYNDT_AK = '0505844325'; // a-kasse member: CV påbegyndt
const CV_SKIFT = '0606854326'; // a-kasse member: CV 1 until 2026-11-22, then the borger set it to 0
const JC_KG_SKIFT = '0707864327'; // jobcenter: kontaktgruppe 12 until 2026-11-22, then 1
const JC_JP_SKIFT = '0808874328'; // jobcenter: kontaktgruppe 2, jobparat until 2026-11-22
const JC_PAABEGYNDT = '0909884329'; // jobcenter: CV påbegyndt until 2026-11-22, then klar

beforeAll(async () => {
  ts = await startTestServer({ today: TODAY });
  ak12 = await ts.token('AKASSE', '12');
  jc101 = await ts.token('JOBCENTER', '101');
  const member = { jobcenter: '157', medlemskab: [{ akasse: '12', start: '2020-01-01' }] };

  await insertBorger(ts, { cpr: KG_SKIFT, ...member, kontaktgruppe: [{ id: 1, start: '2026-01-01', slut: '2026-11-22' }, { id: 2, start: '2026-11-23' }] });
  await insertTilmelding(ts, { cpr: KG_SKIFT, start: '2026-01-01' });
  await insertCvTilstand(ts, { cpr: KG_SKIFT, status: 1, start: '2026-01-01' });

  await insertBorger(ts, { cpr: AFMELDT, ...member, kontaktgruppe: [{ id: 1, start: '2026-01-01' }] });
  await insertTilmelding(ts, { cpr: AFMELDT, start: '2026-01-01', slut: '2026-11-21' });
  await insertCvTilstand(ts, { cpr: AFMELDT, status: 1, start: '2026-01-01' });

  await insertBorger(ts, { cpr: SYG, ...member, kontaktgruppe: [{ id: 8, start: '2026-01-01' }] });
  await insertTilmelding(ts, { cpr: SYG, start: '2026-01-01', slut: '2026-11-09', afmeldingsaarsag: 'SYGEMELDT' });
  await insertFravaer(ts, { cpr: SYG, fravaerstype: 901, start: '2026-11-10' });
  await insertCvTilstand(ts, { cpr: SYG, status: 2, start: '2026-01-01' });

  await insertBorger(ts, { cpr: IKKE_SOEGBAR, ...member, kontaktgruppe: [{ id: 1, start: '2026-01-01' }] });
  await insertTilmelding(ts, { cpr: IKKE_SOEGBAR, start: '2026-01-01' });
  await insertCvTilstand(ts, { cpr: IKKE_SOEGBAR, status: 1, soegbar: false, start: '2026-01-01' });

  await insertBorger(ts, { cpr: PAABEGYNDT_AK, ...member, kontaktgruppe: [{ id: 1, start: '2026-01-01' }] });
  await insertTilmelding(ts, { cpr: PAABEGYNDT_AK, start: '2026-01-01' });
  await insertCvTilstand(ts, { cpr: PAABEGYNDT_AK, status: 0, soegbar: false, start: '2026-01-01' });

  await insertBorger(ts, { cpr: CV_SKIFT, ...member, kontaktgruppe: [{ id: 1, start: '2026-01-01' }] });
  await insertTilmelding(ts, { cpr: CV_SKIFT, start: '2026-01-01' });
  await insertCvTilstand(ts, { cpr: CV_SKIFT, status: 1, start: '2026-01-01', slut: '2026-11-22' });
  await insertCvTilstand(ts, { cpr: CV_SKIFT, status: 0, soegbar: false, start: '2026-11-23' });

  await insertBorger(ts, { cpr: JC_KG_SKIFT, jobcenter: '101', kontaktgruppe: [{ id: 12, start: '2026-01-01', slut: '2026-11-22' }, { id: 1, start: '2026-11-23' }] });
  await insertTilmelding(ts, { cpr: JC_KG_SKIFT, start: '2026-01-01' });
  await insertCvTilstand(ts, { cpr: JC_KG_SKIFT, status: 1, start: '2026-01-01' });

  await insertBorger(ts, { cpr: JC_JP_SKIFT, jobcenter: '101', kontaktgruppe: [{ id: 2, start: '2026-01-01' }] });
  await insertJobparathed(ts, { cpr: JC_JP_SKIFT, jobparat: true, start: '2026-01-01', slut: '2026-11-22' });
  await insertJobparathed(ts, { cpr: JC_JP_SKIFT, jobparat: false, start: '2026-11-23' });
  await insertTilmelding(ts, { cpr: JC_JP_SKIFT, start: '2026-01-01' });
  await insertCvTilstand(ts, { cpr: JC_JP_SKIFT, status: 3, start: '2026-01-01' });

  await insertBorger(ts, { cpr: JC_PAABEGYNDT, jobcenter: '101', kontaktgruppe: [{ id: 2, start: '2026-01-01' }] });
  await insertTilmelding(ts, { cpr: JC_PAABEGYNDT, start: '2026-01-01' });
  await insertCvTilstand(ts, { cpr: JC_PAABEGYNDT, status: 0, soegbar: false, start: '2026-01-01', slut: '2026-11-22' });
  await insertCvTilstand(ts, { cpr: JC_PAABEGYNDT, status: 1, start: '2026-11-23' });
});
afterAll(async () => ts?.close());

const INDBERET = `mutation($input: IndberetCvStatusInput!) {
  indberetCvStatus(input: $input) {
    haendelsesdato historisk statusAendret advarsler
    cvPaaHaendelsesdato { status soegbar kommentar start slut }
    cv { status kommentar start slut }
    grundlag { tilmeldt sygemeldt kontaktgruppe jobparat cvStatus soegbar }
  }
}`;

type Resultat = {
  indberetCvStatus: {
    haendelsesdato: string;
    historisk: boolean;
    statusAendret: boolean;
    advarsler: string[];
    cvPaaHaendelsesdato: { status: number; soegbar: boolean; kommentar: string | null; start: string; slut: string | null };
    cv: { status: number; kommentar: string | null; start: string; slut: string | null } | null;
    grundlag: { tilmeldt: boolean; sygemeldt: boolean; kontaktgruppe: number | null; jobparat: boolean; cvStatus: number | null; soegbar: boolean };
  };
};

const indberet = (input: Record<string, unknown>, token: string) => ts.gql<Resultat>(INDBERET, { input }, token);
const cvRows = (cpr: string) =>
  ts.sql(`select status, soegbar, kommentar, to_char(start, 'YYYY-MM-DD') s, to_char(slut, 'YYYY-MM-DD') e from cv_tilstand where cpr = ? order by start`, [cpr]);
function ruleOf(r: GqlResult): unknown {
  return r.errors?.[0]?.extensions?.rule;
}

describe('CV-2: the a-kasse, checked against the borger on the event date', () => {
  it('CV-2: the borger changed kontaktgruppe (1 → 2) this week: the old kontaktgruppe decides for last week’s date', async () => {
    const r = await indberet({ cpr: KG_SKIFT, status: 2, eventDate: EVENT, kommentar: 'CV-samtale 20/11' }, ak12);
    expect(r.errors).toBeUndefined();
    expect(r.data!.indberetCvStatus).toMatchObject({
      haendelsesdato: EVENT,
      historisk: true,
      statusAendret: true,
      advarsler: [],
      grundlag: { tilmeldt: true, kontaktgruppe: 1, cvStatus: 1 },
      cvPaaHaendelsesdato: { status: 2, start: EVENT, slut: null },
      cv: { status: 2 },
    });
  });

  it('CV-2: the same report dated today is refused: today the borger is in kontaktgruppe 2', async () => {
    const before = await cvRows(KG_SKIFT);
    const r = await indberet({ cpr: KG_SKIFT, status: 3 }, ak12);
    expect(errorCode(r)).toBe('RULE_VIOLATION');
    expect(ruleOf(r)).toBe('CV-2');
    expect(r.errors![0].message).toMatch(/kontaktgruppe 2 \(skal være 1 Dagpengemodtager eller 8 Uden ydelse\)/);
    expect(await cvRows(KG_SKIFT)).toEqual(before);
  });

  it('CV-2: an a-kasse cannot report for a date before the borger became its member (the answer would show that date\'s state)', async () => {
    const cpr = '1111854321';
    await insertBorger(ts, { cpr, jobcenter: '157', medlemskab: [{ akasse: '13', start: '2024-01-01', slut: '2026-09-30' }, { akasse: '12', start: '2026-10-01' }], kontaktgruppe: [{ id: 1, start: '2024-01-01' }] });
    await insertTilmelding(ts, { cpr, start: '2024-01-01' });
    await insertCvTilstand(ts, { cpr, status: 1, start: '2024-01-01' });
    const before = await cvRows(cpr);
    const r = await indberet({ cpr, status: 2, eventDate: '2025-03-01', kommentar: 'x' }, ak12);
    expect(ruleOf(r)).toBe('CV-2');
    expect(r.errors![0].message).toMatch(/medlem/);
    expect(r.errors![0].message).not.toMatch(/tilmeldt|kontaktgruppe/);
    expect(await cvRows(cpr)).toEqual(before);
    // From the day it became the member's a-kasse, it may.
    expect((await indberet({ cpr, status: 2, eventDate: '2026-10-01', kommentar: 'x' }, ak12)).errors).toBeUndefined();
  });

  it('X-4: a refusal that names the borger\'s state (CV-2) is logged as a read; one refused for access is not', async () => {
    const logged = async (org: string) =>
      Number((await ts.sql<{ n: string }>(`select count(*) n from access_log where cpr = ? and what = 'cv' and org = ?`, [KG_SKIFT, org]))[0].n);
    const before = await logged('12');
    expect(ruleOf(await indberet({ cpr: KG_SKIFT, status: 3 }, ak12))).toBe('CV-2');
    expect(await logged('12')).toBe(before + 1);
    expect(errorCode(await indberet({ cpr: KG_SKIFT, status: 3 }, await ts.token('AKASSE', '99')))).toBe('FORBIDDEN');
    expect(await logged('99')).toBe(0);
  });

  it('CV-2: afmeldt since: tilmeldt on the event date is enough; today it is refused', async () => {
    expect((await indberet({ cpr: AFMELDT, status: 3, eventDate: EVENT, kommentar: 'k' }, ak12)).errors).toBeUndefined();
    const r = await indberet({ cpr: AFMELDT, status: 2 }, ak12);
    expect(ruleOf(r)).toBe('CV-2');
    expect(r.errors![0].message).toMatch(/hverken tilmeldt eller sygemeldt/);
  });

  it('CV-2: sygemeldt (not tilmeldt) on the event date is accepted', async () => {
    const r = await indberet({ cpr: SYG, status: 3, eventDate: EVENT, kommentar: 'k' }, ak12);
    expect(r.errors).toBeUndefined();
    expect(r.data!.indberetCvStatus.grundlag).toMatchObject({ tilmeldt: false, sygemeldt: true, kontaktgruppe: 8 });
  });

  it('CV-2: the CV status on the event date counts, not today’s; a later change by the borger stays', async () => {
    const r = await indberet({ cpr: CV_SKIFT, status: 2, eventDate: EVENT, kommentar: 'k' }, ak12);
    expect(r.errors).toBeUndefined();
    expect(r.data!.indberetCvStatus.cvPaaHaendelsesdato).toMatchObject({ status: 2, start: EVENT, slut: '2026-11-22' });
    expect(r.data!.indberetCvStatus.cv).toMatchObject({ status: 0, start: '2026-11-23' });
    expect(await cvRows(CV_SKIFT)).toEqual([
      { status: 1, soegbar: true, kommentar: null, s: '2026-01-01', e: '2026-11-19' },
      { status: 2, soegbar: true, kommentar: 'k', s: EVENT, e: '2026-11-22' },
      { status: 0, soegbar: false, kommentar: null, s: '2026-11-23', e: null },
    ]);
    // Dated today, the CV is påbegyndt and not searchable: 2 is refused (only 3 gets CV-4's treatment).
    expect(ruleOf(await indberet({ cpr: CV_SKIFT, status: 2 }, ak12))).toBe('CV-2');
  });

  it('CV-2: the a-kasse may report only 2 or 3', async () => {
    expect(ruleOf(await indberet({ cpr: IKKE_SOEGBAR, status: 5 }, ak12))).toBe('CV-2');
  });
});

describe('CV-1: a historic date without a comment', () => {
  it('CV-1: is accepted with a warning in the payload, and the report is recorded', async () => {
    const r = await indberet({ cpr: KG_SKIFT, status: 3, eventDate: '2026-11-21' }, ak12);
    expect(r.errors).toBeUndefined();
    expect(r.data!.indberetCvStatus.advarsler).toHaveLength(1);
    expect(r.data!.indberetCvStatus.advarsler[0]).toMatch(/^CV-1: .*2026-11-21.*uden kommentar/);
    const rows = await ts.sql<{ historisk: boolean; advarsler: string[] }>(
      `select historisk, advarsler from cv_statusindberetning where cpr = ? and haendelsesdato = '2026-11-21'`,
      [KG_SKIFT],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].historisk).toBe(true);
    expect(rows[0].advarsler).toHaveLength(1);
  });

  it('CV-1: a date in the future → BAD_USER_INPUT', async () => {
    expect(errorCode(await indberet({ cpr: KG_SKIFT, status: 2, eventDate: '2026-11-28' }, ak12))).toBe('BAD_USER_INPUT');
  });
});

describe('CV-4: CVs that are not searchable', () => {
  it('CV-4: an a-kasse reporting 3 on a CV that is not searchable keeps the status and sets the comment', async () => {
    const r = await indberet({ cpr: IKKE_SOEGBAR, status: 3 }, ak12);
    expect(r.errors).toBeUndefined();
    expect(r.data!.indberetCvStatus).toMatchObject({
      statusAendret: false,
      cv: { status: 1, kommentar: 'A-kassen/Jobcentret har vurderet at CV på det aktuelle grundlag ikke kan godkendes' },
    });
  });

  it('CV-4: also on a CV still påbegyndt', async () => {
    const r = await indberet({ cpr: PAABEGYNDT_AK, status: 3, eventDate: EVENT, kommentar: 'samtale' }, ak12);
    expect(r.errors).toBeUndefined();
    expect(r.data!.indberetCvStatus.cvPaaHaendelsesdato).toMatchObject({ status: 0, kommentar: 'A-kassen/Jobcentret har vurderet at CV på det aktuelle grundlag ikke kan godkendes' });
  });

  it('CV-4: a jobcenter cannot report on a CV that was påbegyndt on the event date, even if it is klar today', async () => {
    const r = await indberet({ cpr: JC_PAABEGYNDT, status: 3, eventDate: EVENT, kommentar: 'k' }, jc101);
    expect(errorCode(r)).toBe('RULE_VIOLATION');
    expect(ruleOf(r)).toBe('CV-4');
    expect(r.errors![0].message).toMatch(/CV påbegyndt/);
    expect((await indberet({ cpr: JC_PAABEGYNDT, status: 3 }, jc101)).errors).toBeUndefined();
  });
});

describe('CV-3: the jobcenter, checked against the borger on the event date', () => {
  it('CV-3: the borger moved from kontaktgruppe 12 to 1 this week: last week’s date is accepted, today’s refused', async () => {
    const ok = await indberet({ cpr: JC_KG_SKIFT, status: 5, eventDate: EVENT, kommentar: 'k' }, jc101);
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.indberetCvStatus.grundlag.kontaktgruppe).toBe(12);
    const r = await indberet({ cpr: JC_KG_SKIFT, status: 2 }, jc101);
    expect(ruleOf(r)).toBe('CV-3');
    expect(r.errors![0].message).toMatch(/kontaktgruppe 1 \(skal være 2 Kontanthjælpsmodtager eller 12/);
  });

  it('CV-3: jobparathed on the event date is read from the history, and a borger not jobparat may be reported too', async () => {
    const then = await indberet({ cpr: JC_JP_SKIFT, status: 2, eventDate: EVENT, kommentar: 'k' }, jc101);
    expect(then.errors).toBeUndefined();
    expect(then.data!.indberetCvStatus.grundlag).toMatchObject({ jobparat: true, kontaktgruppe: 2, cvStatus: 3 });
    const now = await indberet({ cpr: JC_JP_SKIFT, status: 3 }, jc101);
    expect(now.errors).toBeUndefined();
    expect(now.data!.indberetCvStatus.grundlag).toMatchObject({ jobparat: false, cvStatus: 2 });
  });

  it('CV-3: the jobcenter may report only 2, 3 or 5', async () => {
    expect(ruleOf(await indberet({ cpr: JC_JP_SKIFT, status: 1 }, jc101))).toBe('CV-3');
  });
});

describe('authorization, reads and Jobnet', () => {
  it('wrong role → FORBIDDEN; another jobcenter → FORBIDDEN; an a-kasse for a non-member → FORBIDDEN', async () => {
    const n = async () => Number((await ts.sql<{ n: string }>(`select count(*) n from cv_statusindberetning`))[0].n);
    const before = await n();
    expect(errorCode(await indberet({ cpr: JC_KG_SKIFT, status: 2 }, await ts.token('UDK', 'udk')))).toBe('FORBIDDEN');
    expect(errorCode(await indberet({ cpr: JC_KG_SKIFT, status: 2 }, await ts.token('BORGER', JC_KG_SKIFT)))).toBe('FORBIDDEN');
    expect(errorCode(await indberet({ cpr: JC_KG_SKIFT, status: 2, eventDate: EVENT }, await ts.token('JOBCENTER', '157')))).toBe('FORBIDDEN');
    expect(errorCode(await indberet({ cpr: KG_SKIFT, status: 2, eventDate: EVENT }, await ts.token('AKASSE', '34')))).toBe('FORBIDDEN');
    expect(errorCode(await indberet({ cpr: JC_KG_SKIFT, status: 2, eventDate: EVENT }, ak12))).toBe('FORBIDDEN');
    expect(await n()).toBe(before);
  });

  it('the borger updates their CV from Jobnet; nobody else’s', async () => {
    const q = `mutation($cpr: CPR!) { jobnetCvOpdateret(input: { cpr: $cpr, status: 1, soegbar: true }) { status soegbar start slut } }`;
    const r = await ts.gql(q, { cpr: CV_SKIFT }, await ts.token('BORGER', CV_SKIFT));
    expect(r.errors).toBeUndefined();
    expect(r.data!.jobnetCvOpdateret).toEqual({ status: 1, soegbar: true, start: TODAY, slut: null });
    expect(errorCode(await ts.gql(q, { cpr: KG_SKIFT }, await ts.token('BORGER', CV_SKIFT)))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(`mutation { jobnetCvOpdateret(input: { cpr: "${CV_SKIFT}", status: 2, soegbar: true }) { status } }`, {}, await ts.token('BORGER', CV_SKIFT)))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('X-4: reading the CV is access-logged', async () => {
    const r = await ts.gql<{ borger: { cv: { status: number }; cvHistorik: unknown[] } }>(
      `query($cpr: CPR!) { borger(cpr: $cpr) { cv { status } cvHistorik { status start } } }`,
      { cpr: CV_SKIFT },
      await ts.token('AKASSE', '12', 'cv-laeser'),
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.borger.cv.status).toBe(1);
    const rows = await ts.sql<{ what: string }>(`select what from access_log where cpr = ? and sub = 'cv-laeser'`, [CV_SKIFT]);
    expect(rows.map((x) => x.what).sort()).toEqual(['borger', 'cv']);
  });
});
