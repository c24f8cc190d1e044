import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBorger, insertKursusindsats } from '../helpers/fixtures';
import { errorCode, startTestServer, type TestServer } from '../helpers/server';
import { lockWaiters } from '../helpers/db';

let ts: TestServer;
let jc157: string;
let jc101: string;
let borger: string;

const CPR = '0101054321';

const MENTOR = `mutation($cpr: CPR!, $i: MentorindsatsInput!) { registrerMentorindsats(cpr: $cpr, input: $i) { mentorindsats { id mentortype navn telefon email } planVersion { nr aarsag mentorindsatser { mentortype navn } } } }`;
const OPDATER_MENTOR = `mutation($id: ID!, $i: MentorindsatsInput!) { opdaterMentorindsats(id: $id, input: $i) { mentorindsats { id slut } planVersion { nr aarsag } } }`;
const KURSUS = `mutation($cpr: CPR!, $i: KursusindsatsInput!) { registrerKursusindsats(cpr: $cpr, input: $i) { id afholdelseskategori start slut } }`;
const OPDATER_KURSUS = `mutation($id: ID!, $i: KursusindsatsInput!) { opdaterKursusindsats(id: $id, input: $i) { id afholdelseskategori start slut } }`;
const MIN_PLAN = `{ minPlan { versionNr jobcenter uddannelsesplan { trin } mentorindsatser { mentortype navn telefon } kontaktDinMentor { mentortype navn telefon email } } }`;

type MentorRes = { registrerMentorindsats: { mentorindsats: { id: string; mentortype: number }; planVersion: { nr: number; aarsag: string; mentorindsatser: { mentortype: number }[] } } };
const mentor = (mentortype: number, extra: Record<string, unknown> = {}) => ({ mentortype, start: '2026-12-01', navn: `Mentor ${mentortype}`, telefon: '+45 12 34 56 78', email: `m${mentortype}@gentofte.dk`, ...extra });

async function versionCount(): Promise<number> {
  return Number((await ts.sql<{ n: string }>(`select count(*) n from plan_version where cpr = ?`, [CPR]))[0].n);
}

beforeAll(async () => {
  ts = await startTestServer({ today: '2026-11-27' });
  jc157 = await ts.token('JOBCENTER', '157');
  jc101 = await ts.token('JOBCENTER', '101');
  borger = await ts.token('BORGER', CPR);
  await insertBorger(ts, { cpr: CPR, jobcenter: '157', kontaktgruppe: [{ id: 11, start: '2026-01-01' }] });
});
afterAll(async () => ts?.close());

describe('MT-1: mentorindsats with mentortyper 1–6', () => {
  it('MT-1: mentortype 6 (Personlig jobformidler) is registered and makes a new version of Min plan', async () => {
    expect(await versionCount()).toBe(0);
    const r = await ts.gql<MentorRes>(MENTOR, { cpr: CPR, i: mentor(6) }, jc157);
    expect(r.errors).toBeUndefined();
    expect(r.data!.registrerMentorindsats).toMatchObject({
      mentorindsats: { mentortype: 6, navn: 'Mentor 6' },
      planVersion: { nr: 1, aarsag: 'MENTORINDSATS', mentorindsatser: [{ mentortype: 6 }] },
    });
    expect(await versionCount()).toBe(1);
  });

  it('MT-1: mentortype 1 likewise makes the next version, which holds both', async () => {
    const r = await ts.gql<MentorRes>(MENTOR, { cpr: CPR, i: mentor(1) }, jc157);
    expect(r.data!.registrerMentorindsats.planVersion).toMatchObject({ nr: 2, mentorindsatser: [{ mentortype: 6 }, { mentortype: 1 }] });
  });

  it('MT-1: mentortype 6 gets the same validations as the others: bad phone, bad e-mail, period, unknown type; nothing is saved', async () => {
    const before = await versionCount();
    for (const t of [1, 6]) {
      expect(errorCode(await ts.gql(MENTOR, { cpr: CPR, i: mentor(t, { telefon: '1234' }) }, jc157))).toBe('BAD_USER_INPUT');
      expect(errorCode(await ts.gql(MENTOR, { cpr: CPR, i: mentor(t, { email: 'ikke-en-adresse' }) }, jc157))).toBe('BAD_USER_INPUT');
      expect(errorCode(await ts.gql(MENTOR, { cpr: CPR, i: mentor(t, { slut: '2026-11-30' }) }, jc157))).toBe('BAD_USER_INPUT');
      expect(errorCode(await ts.gql(MENTOR, { cpr: CPR, i: mentor(t, { navn: ' ' }) }, jc157))).toBe('BAD_USER_INPUT');
    }
    expect(errorCode(await ts.gql(MENTOR, { cpr: CPR, i: mentor(7) }, jc157))).toBe('BAD_USER_INPUT');
    expect(await versionCount()).toBe(before);
    expect(Number((await ts.sql<{ n: string }>(`select count(*) n from mentorindsats`))[0].n)).toBe(2);
  });

  it('MT-1: changing a mentorindsats makes a new version too; another jobcenter can neither register nor change', async () => {
    const [{ id }] = await ts.sql<{ id: string }>(`select id::text id from mentorindsats where mentortype = 1`);
    const r = await ts.gql<{ opdaterMentorindsats: { planVersion: { nr: number } } }>(OPDATER_MENTOR, { id, i: mentor(1, { slut: '2027-06-30' }) }, jc157);
    expect(r.errors).toBeUndefined();
    expect(r.data!.opdaterMentorindsats.planVersion.nr).toBe(3);
    expect(errorCode(await ts.gql(OPDATER_MENTOR, { id, i: mentor(1) }, jc101))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(MENTOR, { cpr: CPR, i: mentor(1) }, jc101))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(`query($cpr: CPR!) { mentorindsatser(cpr: $cpr) { id } }`, { cpr: CPR }, jc101))).toBe('FORBIDDEN');
    expect(await versionCount()).toBe(3);
  });
});

describe("MT-2: the borger's own Min plan", () => {
  it('MT-2: mentortype 6 shows in Min plan but not under "Kontakt din mentor"; mentortype 1 shows in both', async () => {
    const r = await ts.gql<{ minPlan: { versionNr: number; mentorindsatser: { mentortype: number }[]; kontaktDinMentor: { mentortype: number; navn: string; email: string }[] } }>(MIN_PLAN, {}, borger);
    expect(r.errors).toBeUndefined();
    expect(r.data!.minPlan.versionNr).toBe(3);
    expect(r.data!.minPlan.mentorindsatser.map((m) => m.mentortype).sort()).toEqual([1, 6]);
    expect(r.data!.minPlan.kontaktDinMentor).toEqual([{ mentortype: 1, navn: 'Mentor 1', telefon: '12345678', email: 'm1@gentofte.dk' }]);
  });

  it('MT-2: Min plan is the borger’s own only; X-4 logs the read', async () => {
    await ts.sql(`delete from access_log`);
    expect((await ts.gql(MIN_PLAN, {}, borger)).errors).toBeUndefined();
    const rows = await ts.sql<{ what: string }>(`select what from access_log where cpr = ? and role = 'BORGER'`, [CPR]);
    expect(rows.map((r) => r.what)).toContain('minPlan');
    expect(errorCode(await ts.gql(MIN_PLAN, {}, jc157))).toBe('FORBIDDEN');
    const other = await ts.token('BORGER', '0202054321');
    expect(errorCode(await ts.gql(MIN_PLAN, {}, other))).toBe('FORBIDDEN');
  });
});

describe('MT-3: afholdelseskategori 42 and 43 are udgået', () => {
  it('MT-3: a new kursusindsats with 42 or 43 is a RULE_VIOLATION and nothing is saved', async () => {
    for (const k of [42, 43]) {
      const r = await ts.gql(KURSUS, { cpr: CPR, i: { afholdelseskategori: k, start: '2026-12-01' } }, jc157);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'RULE_VIOLATION', rule: 'MT-3' });
      expect(r.errors![0].message).toContain('udgået');
    }
    expect(Number((await ts.sql<{ n: string }>(`select count(*) n from kursusindsats`))[0].n)).toBe(0);
  });

  it('MT-3: a new kursusindsats with 37 is fine; an unknown category is BAD_USER_INPUT', async () => {
    const r = await ts.gql<{ registrerKursusindsats: { afholdelseskategori: number } }>(KURSUS, { cpr: CPR, i: { afholdelseskategori: 37, start: '2026-11-01' } }, jc157);
    expect(r.errors).toBeUndefined();
    expect(errorCode(await ts.gql(KURSUS, { cpr: CPR, i: { afholdelseskategori: 99, start: '2026-11-01' } }, jc157))).toBe('BAD_USER_INPUT');
  });

  it('MT-3: an existing kursusindsats with 42 can still be updated and keeps 42', async () => {
    const id = await insertKursusindsats(ts, { cpr: CPR, jobcenter: '157', afholdelseskategori: 42, start: '2021-06-01' });
    const r = await ts.gql<{ opdaterKursusindsats: { afholdelseskategori: number; slut: string } }>(
      OPDATER_KURSUS,
      { id, i: { afholdelseskategori: 42, start: '2021-06-01', slut: '2021-12-31' } },
      jc157,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.opdaterKursusindsats).toMatchObject({ afholdelseskategori: 42, slut: '2021-12-31' });
  });

  it('MT-3: an existing kursusindsats cannot be given 43 when it did not have it', async () => {
    const [{ id }] = await ts.sql<{ id: string }>(`select id::text id from kursusindsats where afholdelseskategori = 37`);
    const r = await ts.gql(OPDATER_KURSUS, { id, i: { afholdelseskategori: 43, start: '2026-11-01' } }, jc157);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'RULE_VIOLATION', rule: 'MT-3' });
    const [{ k }] = await ts.sql<{ k: number }>(`select afholdelseskategori k from kursusindsats where id = ?`, [id]);
    expect(k).toBe(37);
  });

  it('MT-3, X-4: a refusal to change a kursusindsats named by id is logged as a read of its borger; one refused for access is not', async () => {
    const [{ id }] = await ts.sql<{ id: string }>(`select id::text id from kursusindsats where afholdelseskategori = 37`);
    const logged = async (org: string) =>
      Number((await ts.sql<{ n: string }>(`select count(*) n from access_log where cpr = ? and what = 'kursusindsats' and org = ?`, [CPR, org]))[0].n);
    const before = await logged('157');
    const r = await ts.gql(OPDATER_KURSUS, { id, i: { afholdelseskategori: 42, start: '2026-11-01' } }, jc157);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'RULE_VIOLATION', rule: 'MT-3' });
    expect(await logged('157')).toBe(before + 1);
    expect(errorCode(await ts.gql(OPDATER_KURSUS, { id, i: { afholdelseskategori: 42, start: '2026-11-01' } }, jc101))).toBe('FORBIDDEN');
    expect(await logged('101')).toBe(0);
  });

  it('another jobcenter cannot register or read kursusindsatser of the borger', async () => {
    expect(errorCode(await ts.gql(KURSUS, { cpr: CPR, i: { afholdelseskategori: 37, start: '2026-11-01' } }, jc101))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(`query($cpr: CPR!) { kursusindsatser(cpr: $cpr) { id } }`, { cpr: CPR }, jc101))).toBe('FORBIDDEN');
    const own = await ts.gql<{ kursusindsatser: { afholdelseskategori: number }[] }>(`query($cpr: CPR!) { kursusindsatser(cpr: $cpr) { afholdelseskategori } }`, { cpr: CPR }, jc157);
    expect(own.data!.kursusindsatser.map((k) => k.afholdelseskategori)).toEqual([42, 37]);
  });
});

describe('MT-1/MT-3 under concurrency', () => {
  const cases = [
    {
      name: 'MT-1: two changes of one mentorindsats at once',
      cpr: '0303054321',
      make: async (cpr: string) => (await ts.gql<MentorRes>(MENTOR, { cpr, i: mentor(1) }, jc157)).data!.registrerMentorindsats.mentorindsats.id,
      change: OPDATER_MENTOR,
      a: { ...mentor(1), slut: '2026-12-31' as string | null, navn: 'Mentor A' },
      b: { ...mentor(1), slut: null as string | null, navn: 'Mentor B' },
      row: `select navn as tekst, slut::text slut from mentorindsats where id = ?`,
      tekst: (i: { navn?: string; resultat?: string }) => i.navn,
    },
    {
      name: 'MT-3: two changes of one kursusindsats at once',
      cpr: '0404054321',
      make: async (cpr: string) =>
        (await ts.gql<{ registrerKursusindsats: { id: string } }>(KURSUS, { cpr, i: { afholdelseskategori: 37, start: '2026-11-01' } }, jc157)).data!.registrerKursusindsats.id,
      change: OPDATER_KURSUS,
      a: { afholdelseskategori: 37, start: '2026-11-01', slut: '2026-12-31' as string | null, resultat: 'Resultat A' },
      b: { afholdelseskategori: 37, start: '2026-11-01', slut: null as string | null, resultat: 'Resultat B' },
      row: `select resultat as tekst, slut::text slut from kursusindsats where id = ?`,
      tekst: (i: { navn?: string; resultat?: string }) => i.resultat,
    },
  ];

  for (const c of cases) it(`${c.name}: the row ends as one of them, never a mix of both`, async () => {
    await insertBorger(ts, { cpr: c.cpr, jobcenter: '157', kontaktgruppe: [{ id: 11, start: '2026-01-01' }] });
    const id = await c.make(c.cpr);
    const holder = new pg.Client({ connectionString: ts.db.url });
    await holder.connect();
    try {
      // Both read the row, then wait for the borger's lock: the one that goes second must change what the first left.
      await holder.query('begin');
      await holder.query('select cpr from borger where cpr = $1 for update', [c.cpr]);
      const first = ts.gql(c.change, { id, i: c.a }, jc157);
      await lockWaiters(holder, 1);
      const second = ts.gql(c.change, { id, i: c.b }, jc157);
      await lockWaiters(holder, 2);
      await holder.query('commit');
      expect((await first).errors).toBeUndefined();
      expect((await second).errors).toBeUndefined();
    } finally {
      await holder.end();
    }
    const [row] = await ts.sql<{ tekst: string; slut: string | null }>(c.row, [id]);
    expect([{ tekst: c.tekst(c.a), slut: c.a.slut }, { tekst: c.tekst(c.b), slut: c.b.slut }]).toContainEqual(row);
  });
});
