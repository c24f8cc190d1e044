import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBorger, insertPersongruppemarkering, cprRegistreret } from '../helpers/fixtures';
import { errorCode, startTestServer, type TestServer } from '../helpers/server';

let ts: TestServer;
let jc101: string;
let jc157: string;
let ak12: string;
let ak13: string;
let cprToken: string;
const TODAY = '2026-11-27';

beforeAll(async () => {
  ts = await startTestServer({ today: TODAY });
  jc101 = await ts.token('JOBCENTER', '101');
  jc157 = await ts.token('JOBCENTER', '157');
  ak12 = await ts.token('AKASSE', '12');
  ak13 = await ts.token('AKASSE', '13');
  cprToken = await ts.token('CPR', 'cpr');
});
afterAll(async () => ts?.close());

const OPRET = `mutation($i: OpretPersongruppemarkeringInput!) { opretPersongruppemarkering(input: $i) { id type jobcentre akasser start slut oprettetAfRolle oprettetAfOrg } }`;
const LUK = `mutation($i: LukPersongruppemarkeringInput!) { lukPersongruppemarkering(input: $i) { id slut lukketAfRolle lukketAfOrg } }`;
const LIST = `query($cpr: CPR!) { persongruppemarkeringer(cpr: $cpr) { id jobcentre akasser start slut oprettetAfOrg lukketVedFlytning } }`;
type M = { id: string; jobcentre: string[]; akasser: string[]; start: string; slut: string | null; oprettetAfOrg: string; lukketVedFlytning: string | null };

async function list(cpr: string, token: string): Promise<M[]> {
  const r = await ts.gql<{ persongruppemarkeringer: M[] }>(LIST, { cpr }, token);
  expect(r.errors).toBeUndefined();
  return r.data!.persongruppemarkeringer;
}

async function markering(id: string) {
  return (await ts.sql<{ start: string; slut: string | null; lukket_ved_flytning: string | null; lukket_af_org: string | null }>(
    `select start::text start, slut::text slut, lukket_ved_flytning::text lukket_ved_flytning, lukket_af_org from persongruppemarkering where id = ?`,
    [id],
  ))[0];
}

async function cprFlyt(cpr: string, kommune: string) {
  const r = await ts.gql<{ cprRegistrerBorger: { borger: { senesteFlytning: { markeringerLukket: number } } } }>(
    `mutation { cprRegistrerBorger(input: { cpr: "${cpr}", fornavn: "T", efternavn: "B", bopaelskommune: "${kommune}", registreret: "${cprRegistreret()}" }) { borger { senesteFlytning { markeringerLukket } } } }`,
    {},
    cprToken,
  );
  expect(r.errors).toBeUndefined();
  return r.data!.cprRegistrerBorger.borger.senesteFlytning;
}

describe('creating and reading type-5 markings', () => {
  it('PG-1: a jobcenter creates a marking for its borger listing who may use it; listed organisations read it, others do not', async () => {
    await insertBorger(ts, { cpr: '0101054321', jobcenter: '101', medlemskab: [{ akasse: '12', start: '2020-01-01' }, { akasse: '13', start: '2020-01-01' }] });
    const r = await ts.gql<{ opretPersongruppemarkering: M & { type: number; oprettetAfRolle: string } }>(
      OPRET,
      { i: { cpr: '0101054321', jobcentre: ['147', '101'], akasser: ['12'] } },
      jc101,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.opretPersongruppemarkering).toMatchObject({ type: 5, jobcentre: ['101', '147'], akasser: ['12'], start: TODAY, slut: null, oprettetAfRolle: 'JOBCENTER', oprettetAfOrg: '101' });
    expect(await list('0101054321', jc101)).toHaveLength(1);
    expect(await list('0101054321', ak12)).toHaveLength(1);
    expect(await list('0101054321', ak13)).toHaveLength(0);
    expect(errorCode(await ts.gql(LIST, { cpr: '0101054321' }, jc157))).toBe('FORBIDDEN');
    const [{ n }] = await ts.sql<{ n: string }>(`select count(*) n from access_log where cpr = '0101054321' and what = 'persongruppemarkeringer'`);
    expect(Number(n)).toBeGreaterThan(0);
  });

  it('PG-1: the creator must be in its own list; bad codes and dates are refused; another jobcenter cannot create for the borger', async () => {
    const base = { cpr: '0101054321', jobcentre: ['101'], akasser: [] as string[] };
    expect(errorCode(await ts.gql(OPRET, { i: { ...base, jobcentre: ['147'] } }, jc101))).toBe('BAD_USER_INPUT');
    expect(errorCode(await ts.gql(OPRET, { i: { ...base, jobcentre: ['1O1'] } }, jc101))).toBe('BAD_USER_INPUT');
    expect(errorCode(await ts.gql(OPRET, { i: { ...base, start: '2026-11-27', slut: '2026-11-01' } }, jc101))).toBe('BAD_USER_INPUT');
    expect(errorCode(await ts.gql(OPRET, { i: { ...base, jobcentre: ['157'] } }, jc157))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(OPRET, { i: base }, await ts.token('BORGER', '0101054321')))).toBe('FORBIDDEN');
    // An a-kasse creates one for its member.
    const ak = await ts.gql(OPRET, { i: { ...base, akasser: ['12'] } }, ak12);
    expect(ak.errors).toBeUndefined();
  });
});

describe('PG-2: closing', () => {
  it('PG-2: only the creating organisation may close a marking; a listed a-kasse may not', async () => {
    await insertBorger(ts, { cpr: '0201054321', jobcenter: '101', medlemskab: [{ akasse: '12', start: '2020-01-01' }] });
    const id = await insertPersongruppemarkering(ts, { cpr: '0201054321', jobcentre: ['101'], akasser: ['12'], start: '2026-01-01', org: '101' });
    const r = await ts.gql(LUK, { i: { id } }, ak12);
    expect(r.errors![0].extensions).toMatchObject({ code: 'RULE_VIOLATION', rule: 'PG-2' });
    expect((await markering(id)).slut).toBeNull();
    const ok = await ts.gql<{ lukPersongruppemarkering: { slut: string; lukketAfOrg: string } }>(LUK, { i: { id } }, jc101);
    expect(ok.data!.lukPersongruppemarkering).toMatchObject({ slut: TODAY, lukketAfOrg: '101' });
  });

  it('PG-2: after a manual move (KP-4) the new jobcenter may close the markings the previous jobcenter created; the manual move closes nothing', async () => {
    await insertBorger(ts, { cpr: '0301054321', jobcenter: '101' });
    const mine = await insertPersongruppemarkering(ts, { cpr: '0301054321', jobcentre: ['101'], start: '2026-01-01', org: '101' });
    const akasse = await insertPersongruppemarkering(ts, { cpr: '0301054321', jobcentre: ['101'], akasser: ['12'], start: '2026-01-01', rolle: 'AKASSE', org: '12' });
    expect(errorCode(await ts.gql(LUK, { i: { id: mine } }, jc157))).toBe('FORBIDDEN');
    const moved = await ts.gql(`mutation { flytJobcentertilknytning(input: { cpr: "0301054321", tilJobcenter: "157" }) { kilde } }`, {}, jc157);
    expect(moved.errors).toBeUndefined();
    expect((await markering(mine)).slut).toBeNull();
    // The new jobcenter sees the marking it may close, and closes it; not the a-kasse's.
    expect((await list('0301054321', jc157)).map((m) => m.id)).toEqual([mine]);
    expect((await ts.gql(LUK, { i: { id: akasse } }, jc157)).errors![0].extensions!.rule).toBe('PG-2');
    const ok = await ts.gql<{ lukPersongruppemarkering: { slut: string; lukketAfOrg: string } }>(LUK, { i: { id: mine } }, jc157);
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.lukPersongruppemarkering).toMatchObject({ slut: TODAY, lukketAfOrg: '157' });
  });

  it('PG-2: without the manual move (a CPR move instead) the new jobcenter may not close it', async () => {
    await insertBorger(ts, { cpr: '0401054321', jobcenter: '101' });
    const id = await insertPersongruppemarkering(ts, { cpr: '0401054321', jobcentre: ['101', '157'], start: '2026-01-01', org: '101' });
    await cprFlyt('0401054321', '157');
    expect((await markering(id)).slut).toBeNull(); // 157 is listed: PG-1 keeps it
    expect((await ts.gql(LUK, { i: { id } }, jc157)).errors![0].extensions!.rule).toBe('PG-2');
    // The creating jobcenter still may: the borger is no longer its own, the marking is.
    const ok = await ts.gql<{ lukPersongruppemarkering: { slut: string; lukketAfOrg: string } }>(LUK, { i: { id } }, jc101);
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.lukPersongruppemarkering).toMatchObject({ slut: TODAY, lukketAfOrg: '101' });
  });

  it('PG-2: a CPR move that only reports the manual move (the jobcenter does not change) keeps the new jobcenter\'s right to close', async () => {
    await insertBorger(ts, { cpr: '1601054321', jobcenter: '101', bopaelskommune: '101' });
    const id = await insertPersongruppemarkering(ts, { cpr: '1601054321', jobcentre: ['101', '157'], start: '2026-01-01', org: '101' });
    expect((await ts.gql(`mutation { flytJobcentertilknytning(input: { cpr: "1601054321", tilJobcenter: "157" }) { kilde } }`, {}, jc157)).errors).toBeUndefined();
    await cprFlyt('1601054321', '157'); // CPR catches up: bopælskommune 157, jobcenter stays 157
    expect((await markering(id)).slut).toBeNull();
    const ok = await ts.gql<{ lukPersongruppemarkering: { lukketAfOrg: string } }>(LUK, { i: { id } }, jc157);
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.lukPersongruppemarkering.lukketAfOrg).toBe('157');
  });

  it('PG-2: a marking created with a later end can be closed earlier', async () => {
    await insertBorger(ts, { cpr: '1701054321', jobcenter: '101' });
    const id = await insertPersongruppemarkering(ts, { cpr: '1701054321', jobcentre: ['101'], start: '2026-01-01', slut: '2027-12-31', org: '101' });
    const ok = await ts.gql<{ lukPersongruppemarkering: { slut: string } }>(LUK, { i: { id } }, jc101);
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.lukPersongruppemarkering.slut).toBe(TODAY);
  });

  it('PG-2, X-4: a refusal to close a marking named by id is logged as a read of its borger; one refused for access is not', async () => {
    const cpr = '1801054321';
    await insertBorger(ts, { cpr, jobcenter: '101', medlemskab: [{ akasse: '12', start: '2020-01-01' }] });
    const id = await insertPersongruppemarkering(ts, { cpr, jobcentre: ['101'], akasser: ['12'], start: '2026-01-01', org: '101' });
    const logged = async (org: string) =>
      Number((await ts.sql<{ n: string }>(`select count(*) n from access_log where cpr = ? and what = 'persongruppemarkeringer' and org = ?`, [cpr, org]))[0].n);
    expect((await ts.gql(LUK, { i: { id } }, ak12)).errors![0].extensions!.rule).toBe('PG-2');
    expect(await logged('12')).toBe(1);
    expect(errorCode(await ts.gql(LUK, { i: { id } }, jc157))).toBe('FORBIDDEN');
    expect(await logged('157')).toBe(0);
  });
});

describe('PG-1: a CPR move', () => {
  it('PG-1: a CPR move to a kommune whose jobcenter is not listed closes the marking (end = move date); a listed one keeps it', async () => {
    await insertBorger(ts, { cpr: '0501054321', jobcenter: '101' });
    const closes = await insertPersongruppemarkering(ts, { cpr: '0501054321', jobcentre: ['101', '147'], start: '2026-01-01', org: '101' });
    const keeps = await insertPersongruppemarkering(ts, { cpr: '0501054321', jobcentre: ['101', '157'], start: '2026-01-01', org: '101' });
    const future = await insertPersongruppemarkering(ts, { cpr: '0501054321', jobcentre: ['101'], start: '2026-12-15', org: '101' });
    const done = await insertPersongruppemarkering(ts, { cpr: '0501054321', jobcentre: ['101'], start: '2026-01-01', slut: '2026-06-30', org: '101' });
    const r = await cprFlyt('0501054321', '157');
    expect(r.markeringerLukket).toBe(2);
    expect(await markering(closes)).toEqual({ start: '2026-01-01', slut: TODAY, lukket_ved_flytning: TODAY, lukket_af_org: 'dfdg' });
    expect((await markering(keeps)).slut).toBeNull();
    expect(await markering(future)).toMatchObject({ start: '2026-11-26', slut: '2026-11-26' });
    expect(await markering(done)).toMatchObject({ slut: '2026-06-30', lukket_ved_flytning: null });
  });

  it('PG-1: a batch move closes them too', async () => {
    await insertBorger(ts, { cpr: '0601054321', jobcenter: '851' });
    const id = await insertPersongruppemarkering(ts, { cpr: '0601054321', jobcentre: ['851'], start: '2026-01-01', org: '851' });
    const r = await ts.gql<{ cprMasseflytning: { markeringerLukket: number } }>(`mutation { cprMasseflytning(input: { fraKommune: "851", tilKommune: "461", registreret: "${cprRegistreret()}" }) { markeringerLukket } }`, {}, cprToken);
    expect(r.data!.cprMasseflytning.markeringerLukket).toBe(1);
    expect((await markering(id)).slut).toBe(TODAY);
  });
});
