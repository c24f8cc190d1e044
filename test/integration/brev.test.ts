import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBrevPdf } from '../../src/uddannelsesplan/brev/brev.pdf';
import { BrevPunkt, PUNKT_TEKST } from '../../src/uddannelsesplan/brev/brev.rules';
import { insertBorger } from '../helpers/fixtures';
import { errorCode, startTestServer, type TestServer } from '../helpers/server';

let ts: TestServer;
let jc157: string;
let jc101: string;
let borger: string;
let andenBorger: string;

const CPR = '0101054321';
const CPR_2 = '0202054321';
const CPR_999 = '0303054321';
const CPR_FLYTTET = '0404054321';

const OPRET = `mutation($i: OpretUddannelsesplanInput!) { opretUddannelsesplan(input: $i) { id } }`;
const OPDATER = `mutation($i: OpdaterUddannelsesplanInput!) { opdaterUddannelsesplan(input: $i) { id } }`;
const PUBLICER = `mutation($cpr: CPR!) { publicerUddannelsesplan(cpr: $cpr) { nyVersion version { nr } brev { id dato punktKoder punkter jobcenterNavn kontakt { navn telefon mobil email } pdfSti } } }`;
type BrevT = { id: string; dato: string; punktKoder: BrevPunkt[]; punkter: string[]; jobcenterNavn: string; kontakt: { navn: string; telefon: string; mobil: string | null; email: string } | null; pdfSti: string };

async function ok<T>(p: Promise<{ data?: T | null; errors?: unknown[] }>): Promise<T> {
  const r = await p;
  expect(r.errors).toBeUndefined();
  return r.data!;
}
const opdater = (i: Record<string, unknown>, cpr = CPR, token = jc157) => ok(ts.gql(OPDATER, { i: { cpr, ...i } }, token));
async function publicer(cpr = CPR, token = jc157): Promise<BrevT | null> {
  return (await ok(ts.gql<{ publicerUddannelsesplan: { brev: BrevT | null } }>(PUBLICER, { cpr }, token))).publicerUddannelsesplan.brev;
}
function baseUrl(): string {
  return ts.url.replace(/\/graphql$/, '');
}
async function download(sti: string, token?: string): Promise<Response> {
  return fetch(baseUrl() + sti, { headers: token ? { authorization: `Bearer ${token}` } : {} });
}
async function pdfText(pdf: Uint8Array): Promise<string> {
  const parser = new PDFParse({ data: pdf });
  try {
    return (await parser.getText()).text.replace(/\s+/g, ' ');
  } finally {
    await parser.destroy();
  }
}
async function letterCount(cpr = CPR): Promise<number> {
  return Number((await ts.sql<{ n: string }>(`select count(*) n from brev where cpr = ?`, [cpr]))[0].n);
}

/** A type-32 contact (kontaktperson i jobcenteret, uddannelsespålæg) straight into the kontaktperson tables. */
async function insertType32(cpr: string, k: { navn: string; telefon: string; mobil?: string; email: string; start: string; org: string }): Promise<void> {
  const [{ id }] = await ts.sql<{ id: string }>(
    `insert into kontakt (navn, email, telefon, mobil, art, ejer_rolle, ejer_org) values (?, ?, ?, ?, 'PERSON', 'JOBCENTER', ?) returning id`,
    [k.navn, k.email, k.telefon, k.mobil ?? null, k.org],
  );
  await ts.sql(
    `insert into kontaktperson (cpr, kontakt_id, kontaktpersontype, start, registreret_af_rolle, registreret_af_org, registreret_af) values (?, ?, 32, ?, 'JOBCENTER', ?, 'fixture')`,
    [cpr, id, k.start, k.org],
  );
}

beforeAll(async () => {
  ts = await startTestServer({ today: '2026-11-27' });
  jc157 = await ts.token('JOBCENTER', '157');
  jc101 = await ts.token('JOBCENTER', '101');
  borger = await ts.token('BORGER', CPR);
  andenBorger = await ts.token('BORGER', CPR_2);
  await insertBorger(ts, { cpr: CPR, jobcenter: '157', fornavn: 'Søren', efternavn: 'Ærø' });
  await insertBorger(ts, { cpr: CPR_2, jobcenter: '101' });
  await insertBorger(ts, { cpr: CPR_999, jobcenter: '999', fornavn: 'Åse', efternavn: 'Øster' });
  await insertBorger(ts, { cpr: CPR_FLYTTET, jobcenter: '101' });
  await ok(ts.gql(OPRET, { i: { cpr: CPR, plantype: 1, trin: 2, stoettebehov: [1], maal: 'EUD' } }, jc157));
});
afterAll(async () => ts?.close());

describe('UP-7: the letter is made on publishing when its conditions hold', () => {
  it('UP-7: støttebehov 1 below trin 3 makes no letter', async () => {
    expect(await publicer()).toBeNull();
    expect(await letterCount()).toBe(0);
  });

  it('UP-7: trin 3 with støttebehov 1 makes a letter with the no-need line, naming the jobcenter from KOMMUNE', async () => {
    await opdater({ trin: 3 });
    const brev = await publicer();
    expect(brev).toMatchObject({
      dato: '2026-11-27',
      punktKoder: [BrevPunkt.INGEN_STOETTEBEHOV],
      punkter: [PUNKT_TEKST[BrevPunkt.INGEN_STOETTEBEHOV]],
      jobcenterNavn: 'Jobcenter Gentofte',
      kontakt: null,
    });
  });

  it('UP-7: no new letter when a type-1 change leaves the letter as it was (new version, same content)', async () => {
    await opdater({ maal: 'HTX', uddannelsessted: 'Gentofte HTX' });
    const r = await ok(ts.gql<{ publicerUddannelsesplan: { nyVersion: boolean; brev: BrevT | null } }>(PUBLICER, { cpr: CPR }, jc157));
    expect(r.publicerUddannelsesplan).toEqual({ nyVersion: true, version: { nr: 3 }, brev: null });
    expect(await letterCount()).toBe(1);
  });

  it('UP-7: trin 4 with støttebehov 2 and 5 and a type-32 contact: pålæg, faglige and støtteperson lines, contact named', async () => {
    await insertType32(CPR, { navn: 'Karl Kontaktsen', telefon: '91617181', mobil: '51617181', email: 'kk123@gentofte.dk', start: '2026-01-01', org: '157' });
    await opdater({ trin: 4, stoettebehov: [2, 5] });
    const brev = await publicer();
    expect(brev).toMatchObject({
      punktKoder: [BrevPunkt.PAALAEG, BrevPunkt.FAGLIGE_STOETTEBEHOV, BrevPunkt.STOETTEPERSON],
      kontakt: { navn: 'Karl Kontaktsen', telefon: '91617181', mobil: '51617181', email: 'kk123@gentofte.dk' },
    });
    expect(await letterCount()).toBe(2);
  });

  it('UP-7: the PDF has the bullets of the case and the contact, and none of the others', async () => {
    const list = await ok(ts.gql<{ mineBreve: BrevT[] }>(`{ mineBreve { id pdfSti punktKoder } }`, {}, borger));
    const newest = list.mineBreve[0];
    const res = await download(newest.pdfSti, borger);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/pdf/);
    const text = await pdfText(new Uint8Array(await res.arrayBuffer()));
    for (const p of [BrevPunkt.PAALAEG, BrevPunkt.FAGLIGE_STOETTEBEHOV, BrevPunkt.STOETTEPERSON]) expect(text).toContain(PUNKT_TEKST[p]);
    for (const p of [BrevPunkt.INGEN_STOETTEBEHOV, BrevPunkt.SOCIALE_STOETTEBEHOV]) expect(text).not.toContain(PUNKT_TEKST[p]);
    for (const s of ['Kære Søren Ærø', 'Jobcenter Gentofte', 'Sagsbehandler i jobcentret:', 'Karl Kontaktsen', 'Telefon: 91617181', 'Mobil: 51617181', 'E-mail: kk123@gentofte.dk', '27. november 2026']) {
      expect(text).toContain(s);
    }
  });

  it('UP-7: støttebehov 3 gives the social, personal and health line; a contact change alone makes a new letter', async () => {
    await opdater({ stoettebehov: [3] });
    expect((await publicer())!.punktKoder).toEqual([BrevPunkt.PAALAEG, BrevPunkt.SOCIALE_STOETTEBEHOV]);
    expect(await publicer()).toBeNull();
    await ts.sql(`update kontakt set telefon = '22334455' where navn = 'Karl Kontaktsen'`);
    const again = await publicer();
    expect(again).toMatchObject({ punktKoder: [BrevPunkt.PAALAEG, BrevPunkt.SOCIALE_STOETTEBEHOV], kontakt: { telefon: '22334455' } });
  });

  it("UP-7: the letter names the publishing jobcenter's own type-32 contact, never one the borger's previous jobcenter registered (a manual move ends no contact, KP-4)", async () => {
    // The borger came from 157 by a manual move: 157's caseworker is still attached, starting later than 101's.
    await insertType32(CPR_FLYTTET, { navn: 'Gammel Gentofte', telefon: '11111111', email: 'gg@gentofte.dk', start: '2026-06-01', org: '157' });
    await ok(ts.gql(OPRET, { i: { cpr: CPR_FLYTTET, plantype: 1, trin: 3, stoettebehov: [1] } }, jc101));
    expect((await publicer(CPR_FLYTTET, jc101))!.kontakt).toBeNull();
    await insertType32(CPR_FLYTTET, { navn: 'Ny Nørrebro', telefon: '22222222', email: 'nn@kk.dk', start: '2026-01-01', org: '101' });
    expect((await publicer(CPR_FLYTTET, jc101))!.kontakt).toMatchObject({ navn: 'Ny Nørrebro', telefon: '22222222' });
  });

  it('UP-7: a kommune the KOMMUNE table lacks is named by its code', async () => {
    const jc999 = await ts.token('JOBCENTER', '999');
    await ok(ts.gql(OPRET, { i: { cpr: CPR_999, plantype: 1, trin: 1, stoettebehov: [5] } }, jc999));
    const brev = await publicer(CPR_999, jc999);
    expect(brev).toMatchObject({ jobcenterNavn: 'Jobcenter 999', punktKoder: [BrevPunkt.STOETTEPERSON], kontakt: null });
  });
});

describe("the borger's letters", () => {
  it("UP-7: each letter goes to the borger's beskedbakke through the outbox (BorgerBrevVersion1)", async () => {
    const r = await ok(
      ts.gql<{ naesteBeskeder: { beskeder: { serviceName: string; modtagerType: string; modtagerOrg: string; cpr: string; indhold: { brevId: string; punkter: string[]; jobcenterNavn: string; pdfSti: string } }[] } }>(
        `{ naesteBeskeder(serviceName: "BorgerBrevVersion1") { beskeder { serviceName modtagerType modtagerOrg cpr indhold { ... on BorgerBrevVersion1 { brevId titel dato punkter jobcenterNavn pdfSti } } } } }`,
        {},
        borger,
      ),
    );
    const beskeder = r.naesteBeskeder.beskeder;
    expect(beskeder).toHaveLength(await letterCount());
    expect(beskeder.every((b) => b.modtagerType === 'BORGER' && b.modtagerOrg === CPR && b.cpr === CPR)).toBe(true);
    expect(beskeder[0].indhold).toMatchObject({ punkter: [PUNKT_TEKST[BrevPunkt.INGEN_STOETTEBEHOV]], jobcenterNavn: 'Jobcenter Gentofte' });
    expect(beskeder[0].indhold.pdfSti).toBe(`/breve/${beskeder[0].indhold.brevId}.pdf`);
  });

  it('a borger lists only their own letters, newest first, and reads the PDF as base64 too', async () => {
    const mine = await ok(ts.gql<{ mineBreve: { id: string; cpr: string }[] }>(`{ mineBreve { id cpr } }`, {}, borger));
    expect(mine.mineBreve.length).toBe(await letterCount());
    expect(mine.mineBreve.every((b) => b.cpr === CPR)).toBe(true);
    const ids = mine.mineBreve.map((b) => Number(b.id));
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
    const one = await ok(ts.gql<{ brev: { pdfBase64: string } }>(`query($id: ID!) { brev(id: $id) { pdfBase64 } }`, { id: mine.mineBreve[0].id }, borger));
    expect(Buffer.from(one.brev.pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    expect((await ok(ts.gql<{ mineBreve: unknown[] }>(`{ mineBreve { id } }`, {}, andenBorger))).mineBreve).toEqual([]);
  });

  it('pdfBase64 gives one letter per request: a second, by alias or in a list, is BAD_USER_INPUT', async () => {
    const [a, b] = (await ok(ts.gql<{ mineBreve: { id: string }[] }>(`{ mineBreve { id } }`, {}, borger))).mineBreve;
    expect(b).toBeDefined();
    const two = `query($a: ID!, $b: ID!) { a: brev(id: $a) { pdfBase64 } b: brev(id: $b) { pdfBase64 } }`;
    expect(errorCode(await ts.gql(two, { a: a.id, b: b.id }, borger))).toBe('BAD_USER_INPUT');
    expect(errorCode(await ts.gql(`{ mineBreve { pdfBase64 } }`, {}, borger))).toBe('BAD_USER_INPUT');
    // The limit is per request, not per borger.
    expect((await ok(ts.gql<{ brev: { pdfBase64: string } }>(`query($id: ID!) { brev(id: $id) { pdfBase64 } }`, { id: b.id }, borger))).brev.pdfBase64).toBeTruthy();
  });

  it("another borger gets neither the letter nor its PDF; a missing token is 401; the owning jobcenter may, another may not", async () => {
    const [{ id }] = await ts.sql<{ id: string }>(`select id::text id from brev where cpr = ? order by id desc limit 1`, [CPR]);
    expect(errorCode(await ts.gql(`query($id: ID!) { brev(id: $id) { id } }`, { id }, andenBorger))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(`query($id: ID!) { brev(id: $id) { id } }`, { id: '999999' }, andenBorger))).toBe('FORBIDDEN');
    expect((await download(`/breve/${id}.pdf`, andenBorger)).status).toBe(403);
    expect((await download(`/breve/${id}.pdf`)).status).toBe(401);
    expect((await download(`/breve/${id}.pdf`, 'not-a-token')).status).toBe(401);
    expect((await download(`/breve/${id}.pdf`, jc157)).status).toBe(200);
    expect((await download(`/breve/${id}.pdf`, jc101)).status).toBe(403);
    expect(errorCode(await ts.gql(`{ mineBreve { id } }`, {}, jc157))).toBe('FORBIDDEN');
  });

  it('UP-7: after the borger moves away, the jobcenter that wrote a letter reads it no more (as it reads the plan no more); the borger still does', async () => {
    const cpr = '0505054321';
    await insertBorger(ts, { cpr, jobcenter: '157' });
    await ok(ts.gql(OPRET, { i: { cpr, plantype: 1, trin: 4, stoettebehov: [3] } }, jc157));
    const brev = (await publicer(cpr, jc157))!;
    const q = `query($id: ID!) { brev(id: $id) { id cpr } }`;
    expect((await ts.gql(q, { id: brev.id }, jc157)).errors).toBeUndefined();
    await ts.sql(`update borger set jobcenter = '101', bopaelskommune = '101' where cpr = ?`, [cpr]);
    expect(errorCode(await ts.gql(q, { id: brev.id }, jc157))).toBe('FORBIDDEN');
    expect((await download(`/breve/${brev.id}.pdf`, jc157)).status).toBe(403);
    expect((await download(`/breve/${brev.id}.pdf`, await ts.token('BORGER', cpr))).status).toBe(200);
  });

  it('X-4: downloading a letter is in the access log before the bytes leave', async () => {
    const [{ id }] = await ts.sql<{ id: string }>(`select id::text id from brev where cpr = ? order by id limit 1`, [CPR]);
    await ts.sql(`delete from access_log`);
    expect((await download(`/breve/${id}.pdf`, borger)).status).toBe(200);
    const rows = await ts.sql<{ what: string; role: string; org: string }>(`select what, role, org from access_log where cpr = ?`, [CPR]);
    expect(rows).toEqual([{ what: 'brev.pdf', role: 'BORGER', org: CPR }]);
  });
});

describe('UP-7: the letter as a PDF', () => {
  it('UP-7: a name outside WinAnsi (Łukasz Nguyễn) is printed as written, and the longest letter stays on one page', async () => {
    const pdf = await renderBrevPdf(
      {
        fornavn: 'Łukasz',
        efternavn: 'Nguyễn Ğül',
        punkter: [BrevPunkt.PAALAEG, BrevPunkt.SOCIALE_STOETTEBEHOV, BrevPunkt.FAGLIGE_STOETTEBEHOV, BrevPunkt.STOETTEPERSON],
        jobcenterNavn: 'Jobcenter Høje-Taastrup',
        kontakt: { navn: 'Żaneta Đorđević', telefon: '91617181', mobil: '51617181', email: 'zd@htk.dk' },
      },
      '2026-11-27',
    );
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    try {
      const r = await parser.getText();
      const text = r.text.replace(/\s+/g, ' ');
      expect(text).toContain('Kære Łukasz Nguyễn Ğül');
      expect(text).toContain('Żaneta Đorđević');
      expect(r.pages).toHaveLength(1);
    } finally {
      await parser.destroy();
    }
  });
});
