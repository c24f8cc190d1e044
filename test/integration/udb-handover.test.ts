import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBorger, insertKursusindsats, insertMentorindsats } from '../helpers/fixtures';
import { startTestServer, type TestServer } from '../helpers/server';

let ts: TestServer;
let jc157: string;
let udb: string;

const OPRET = `mutation($i: OpretUddannelsesplanInput!) { opretUddannelsesplan(input: $i) { id } }`;
const OPDATER = `mutation($i: OpdaterUddannelsesplanInput!) { opdaterUddannelsesplan(input: $i) { id } }`;
const PUBLICER = `mutation($cpr: CPR!) { publicerUddannelsesplan(cpr: $cpr) { nyVersion } }`;
const OPTAGET = `mutation($i: UdbHaendelseInput!) { udbOptaget(input: $i) { __typename } }`;
const PULL = `{ naesteBeskeder(serviceName: "StoettebehovTilUdbVersion1") { beskeder { id cpr modtagerType registrering { rolle } indhold { ... on StoettebehovTilUdbVersion1 { jobcenter trin stoettebehov laeseSkriveRegnetestGennemfoert aktuelEllerFremtidigMentor } } } } }`;

type Besked = { id: string; cpr: string; modtagerType: string; indhold: { jobcenter: string; trin: number | null; stoettebehov: number[]; laeseSkriveRegnetestGennemfoert: boolean; aktuelEllerFremtidigMentor: boolean } };

let n = 0;
/** A borger of jobcenter 157 with an active abonnement and a published plan. */
async function borgerMedPlan(cpr: string, plan: { trin: number | null; stoettebehov: number[] }): Promise<void> {
  await insertBorger(ts, { cpr, jobcenter: '157' });
  await ts.sql(`insert into abonnement (cpr, start, oprettet_af_rolle, oprettet_af_org, oprettet_af) values (?, '2026-01-01', 'JOBCENTER', '157', 'fixture')`, [cpr]);
  expect((await ts.gql(OPRET, { i: { cpr, plantype: 1, ...plan } }, jc157)).errors).toBeUndefined();
  expect((await ts.gql(PUBLICER, { cpr }, jc157)).errors).toBeUndefined();
}
async function optaget(cpr: string): Promise<void> {
  const r = await ts.gql(OPTAGET, { i: { cpr, dato: '2026-11-20', haendelseId: `opt-${++n}`, institution: 'TEC', uddannelse: 'Elektriker' } }, udb);
  expect(r.errors).toBeUndefined();
}
async function beskederTil(cpr: string): Promise<Besked[]> {
  const r = await ts.gql<{ naesteBeskeder: { beskeder: Besked[] } }>(PULL, {}, udb);
  expect(r.errors).toBeUndefined();
  return r.data!.naesteBeskeder.beskeder.filter((b) => b.cpr === cpr);
}

beforeAll(async () => {
  ts = await startTestServer({ today: '2026-11-27' });
  jc157 = await ts.token('JOBCENTER', '157');
  udb = await ts.token('UDB', 'udb');
});
afterAll(async () => ts?.close());

describe('UP-8: what UDB is sent when it reports the borger admitted', () => {
  it('UP-8: one message with støttebehov 2 (and 4, 6 along), that an LSR test was done (not its result) and that a mentor exists', async () => {
    const cpr = '0101054321';
    await borgerMedPlan(cpr, { trin: 2, stoettebehov: [2, 4, 6] });
    await insertKursusindsats(ts, { cpr, jobcenter: '157', afholdelseskategori: 37, start: '2026-10-01', resultat: 'Læseniveau under 9. klasse' });
    await insertMentorindsats(ts, { cpr, jobcenter: '157', mentortype: 1, start: '2027-01-01' });
    await optaget(cpr);
    const b = await beskederTil(cpr);
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ modtagerType: 'UDB', indhold: { jobcenter: '157', trin: 2, stoettebehov: [2, 4, 6], laeseSkriveRegnetestGennemfoert: true, aktuelEllerFremtidigMentor: true } });
    const [row] = await ts.sql<{ payload: unknown }>(`select payload from outbox_message where id = ?`, [b[0].id]);
    expect(JSON.stringify(row.payload)).not.toMatch(/Læseniveau|resultat/);
  });

  it('UP-8: støttebehov 1 is not sent below trin 3, nor 5 and 6 without 1, 2 or 3: nothing to send, no message', async () => {
    const cpr = '0202054321';
    await borgerMedPlan(cpr, { trin: 2, stoettebehov: [1, 5, 6] });
    await optaget(cpr);
    expect(await beskederTil(cpr)).toEqual([]);
  });

  it('UP-8: støttebehov 1 is sent at trin 3, with 5 and 6 along; a past mentor and mentortype 6 do not count', async () => {
    const cpr = '0303054321';
    await borgerMedPlan(cpr, { trin: 3, stoettebehov: [1, 5, 6] });
    await insertMentorindsats(ts, { cpr, jobcenter: '157', mentortype: 1, start: '2025-01-01', slut: '2026-11-26' });
    await insertMentorindsats(ts, { cpr, jobcenter: '157', mentortype: 6, start: '2026-01-01' });
    await optaget(cpr);
    const b = await beskederTil(cpr);
    expect(b.map((x) => x.indhold)).toEqual([{ jobcenter: '157', trin: 3, stoettebehov: [1, 5, 6], laeseSkriveRegnetestGennemfoert: false, aktuelEllerFremtidigMentor: false }]);
  });

  it('UP-8: what is sent is the published plan, not unpublished changes', async () => {
    const cpr = '0404054321';
    await borgerMedPlan(cpr, { trin: 4, stoettebehov: [3] });
    expect((await ts.gql(OPDATER, { i: { cpr, stoettebehov: [2] } }, jc157)).errors).toBeUndefined();
    await optaget(cpr);
    expect((await beskederTil(cpr)).map((x) => x.indhold.stoettebehov)).toEqual([[3]]);
  });

  it('UP-8: a mentor alone is worth a message even without a plan', async () => {
    const cpr = '0505054321';
    await insertBorger(ts, { cpr, jobcenter: '157' });
    await ts.sql(`insert into abonnement (cpr, start, oprettet_af_rolle, oprettet_af_org, oprettet_af) values (?, '2026-01-01', 'JOBCENTER', '157', 'fixture')`, [cpr]);
    await insertMentorindsats(ts, { cpr, jobcenter: '157', mentortype: 1, start: '2026-01-01' });
    await optaget(cpr);
    expect((await beskederTil(cpr)).map((x) => x.indhold)).toEqual([{ jobcenter: '157', trin: null, stoettebehov: [], laeseSkriveRegnetestGennemfoert: false, aktuelEllerFremtidigMentor: true }]);
  });
});
