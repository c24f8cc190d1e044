import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBorger, insertFravaer, insertJobparathed, insertTilmelding } from '../helpers/fixtures';
import { errorCode, startTestServer, type TestServer } from '../helpers/server';

let ts: TestServer;
let jc101: string;

const JP26 = '0101804321'; // jobparat, kontaktgruppe 26
const AP26 = '0202814322'; // aktivitetsparat, kontaktgruppe 26
const JP2 = '0303824323'; // jobparat, kontaktgruppe 2
const SKIFT = '0404834324'; // was jobparat in 26 until last week, now in 8
const MEDLEM = '0505844325'; // member of a-kasse 12 since 2024-03-01, before that of 34

beforeAll(async () => {
  ts = await startTestServer({ today: '2026-11-27' });
  jc101 = await ts.token('JOBCENTER', '101');
  for (const [cpr, kg, jobparat] of [[JP26, 26, true], [AP26, 26, false], [JP2, 2, true]] as const) {
    await insertBorger(ts, { cpr, jobcenter: '101', jobparat, kontaktgruppe: [{ id: kg, start: '2026-01-01' }] });
    await insertTilmelding(ts, { cpr, start: '2026-01-01' });
  }
  await insertBorger(ts, { cpr: SKIFT, jobcenter: '101', kontaktgruppe: [{ id: 26, start: '2026-01-01', slut: '2026-11-19' }, { id: 8, start: '2026-11-20' }] });
  await insertJobparathed(ts, { cpr: SKIFT, jobparat: true, start: '2026-01-01' });
  await insertBorger(ts, {
    cpr: MEDLEM,
    jobcenter: '157',
    kontaktgruppe: [{ id: 1, start: '2024-03-01' }],
    medlemskab: [
      { akasse: '34', start: '2010-01-01', slut: '2024-02-29' },
      { akasse: '12', start: '2024-03-01' },
    ],
  });
});
afterAll(async () => ts?.close());

const REG = `mutation($input: RegistrerFravaerInput!) { registrerFravaer(input: $input) { id cpr fravaerstype start slut } }`;
const AFSLUT = `mutation($id: ID!, $slut: LocalDate!) { afslutFravaer(input: { id: $id, slut: $slut }) { id slut } }`;
const JOBLOG = `query($cpr: CPR!) { joblogpligt(cpr: $cpr) { dato pligt begrundelse } }`;
const HISTORIK = `query($cpr: CPR!) { fravaershistorik(cpr: $cpr) { fravaerstype start slut } }`;
const antal = async (cpr: string) => Number((await ts.sql<{ n: string }>(`select count(*) n from fravaer where cpr = ?`, [cpr]))[0].n);

describe('FR-3: fravær 74 and the joblog duty', () => {
  it('FR-3: fravær 74 can be registered for a jobparat in kontaktgruppe 26', async () => {
    const r = await ts.gql(REG, { input: { cpr: JP26, fravaerstype: 74, start: '2026-11-01' } }, jc101);
    expect(r.errors).toBeUndefined();
    expect(r.data!.registrerFravaer).toMatchObject({ cpr: JP26, fravaerstype: 74, start: '2026-11-01', slut: null });
  });

  it('FR-3: not for an aktivitetsparat in kontaktgruppe 26 → RULE_VIOLATION FR-3; nothing saved', async () => {
    const r = await ts.gql(REG, { input: { cpr: AP26, fravaerstype: 74, start: '2026-11-01' } }, jc101);
    expect(errorCode(r)).toBe('RULE_VIOLATION');
    expect(r.errors![0].extensions!.rule).toBe('FR-3');
    expect(r.errors![0].message).toMatch(/kontaktgruppe 26 og ikke jobparat/);
    expect(await antal(AP26)).toBe(0);
  });

  it('FR-3: the kontaktgruppe on the fravær’s first day decides (the borger moved from 26 to 8 last week)', async () => {
    expect((await ts.gql(REG, { input: { cpr: SKIFT, fravaerstype: 74, start: '2026-11-15', slut: '2026-11-19' } }, jc101)).errors).toBeUndefined();
    const r = await ts.gql(REG, { input: { cpr: SKIFT, fravaerstype: 74, start: '2026-11-20' } }, jc101);
    expect(r.errors![0].extensions).toMatchObject({ code: 'RULE_VIOLATION', rule: 'FR-3' });
  });

  it('FR-3: an active 74 exempts a jobparat in kontaktgruppe 2 and 26 from the joblog duty, and only while active', async () => {
    const before = await ts.gql<{ joblogpligt: { pligt: boolean } }>(JOBLOG, { cpr: JP2 }, jc101);
    expect(before.data!.joblogpligt).toMatchObject({ dato: '2026-11-27', pligt: true });
    const reg = await ts.gql<{ registrerFravaer: { id: string } }>(REG, { input: { cpr: JP2, fravaerstype: 74, start: '2026-11-27' } }, jc101);
    expect(reg.errors).toBeUndefined();
    const during = await ts.gql<{ joblogpligt: { pligt: boolean; begrundelse: string } }>(JOBLOG, { cpr: JP2 }, jc101);
    expect(during.data!.joblogpligt.pligt).toBe(false);
    expect(during.data!.joblogpligt.begrundelse).toMatch(/fritaget for joblog/);
    expect((await ts.gql<{ joblogpligt: { pligt: boolean } }>(JOBLOG, { cpr: JP26 }, jc101)).data!.joblogpligt.pligt).toBe(false);

    const end = await ts.gql(AFSLUT, { id: reg.data!.registrerFravaer.id, slut: '2026-11-27' }, jc101);
    expect(end.errors).toBeUndefined();
    ts.clock.setToday('2026-11-28');
    try {
      expect((await ts.gql<{ joblogpligt: { pligt: boolean } }>(JOBLOG, { cpr: JP2 }, jc101)).data!.joblogpligt.pligt).toBe(true);
    } finally {
      ts.clock.setToday('2026-11-27');
    }
  });

  it('an aktivitetsparat in 26 has no joblog duty; the borger may ask about themself', async () => {
    const r = await ts.gql<{ joblogpligt: { pligt: boolean } }>(JOBLOG, { cpr: AP26 }, await ts.token('BORGER', AP26));
    expect(r.errors).toBeUndefined();
    expect(r.data!.joblogpligt.pligt).toBe(false);
  });
});

describe('registering and ending fravær', () => {
  it('an unknown type, KSD’s sygdom type, or an end before the start → BAD_USER_INPUT', async () => {
    expect(errorCode(await ts.gql(REG, { input: { cpr: JP2, fravaerstype: 99, start: '2026-11-01' } }, jc101))).toBe('BAD_USER_INPUT');
    expect(errorCode(await ts.gql(REG, { input: { cpr: JP2, fravaerstype: 901, start: '2026-11-01' } }, jc101))).toBe('BAD_USER_INPUT');
    expect(errorCode(await ts.gql(REG, { input: { cpr: JP2, fravaerstype: 25, start: '2026-11-01', slut: '2026-10-01' } }, jc101))).toBe('BAD_USER_INPUT');
  });

  it('authorization: wrong role → FORBIDDEN; another jobcenter → FORBIDDEN (register, end and read)', async () => {
    const n = await antal(JP2);
    const input = { cpr: JP2, fravaerstype: 25, start: '2026-11-01' };
    expect(errorCode(await ts.gql(REG, { input }, await ts.token('AKASSE', '12')))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(REG, { input }, await ts.token('KSD', 'ksd')))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(REG, { input }, await ts.token('JOBCENTER', '157')))).toBe('FORBIDDEN');
    const id = await insertFravaer(ts, { cpr: JP2, fravaerstype: 25, start: '2026-01-01' });
    expect(errorCode(await ts.gql(AFSLUT, { id, slut: '2026-11-27' }, await ts.token('JOBCENTER', '157')))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(HISTORIK, { cpr: JP2 }, await ts.token('JOBCENTER', '157')))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(AFSLUT, { id: '999999', slut: '2026-11-27' }, jc101))).toBe('NOT_FOUND');
    expect(await antal(JP2)).toBe(n + 1);
  });
});

describe('FR-1: the a-kasse’s view of the fraværshistorik', () => {
  beforeAll(async () => {
    await insertFravaer(ts, { cpr: MEDLEM, fravaerstype: 74, start: '2015-01-01', slut: '2015-02-01' }); // in 34's time only
    await insertFravaer(ts, { cpr: MEDLEM, fravaerstype: 74, start: '2023-10-01', slut: '2023-11-02' }); // 12's window opens 2023-11-02
    await insertFravaer(ts, { cpr: MEDLEM, fravaerstype: 74, start: '2023-10-01', slut: '2023-11-01' }); // a day too early
    await insertFravaer(ts, { cpr: MEDLEM, fravaerstype: 25, start: '2019-01-01', slut: '2019-06-30' }); // seniorjob, 8 years
    await insertFravaer(ts, { cpr: MEDLEM, fravaerstype: 25, start: '2018-01-01', slut: '2018-11-26' }); // older than 8 years
    await insertFravaer(ts, { cpr: MEDLEM, fravaerstype: 71, start: '2021-11-01', slut: '2021-11-27' }); // 5 years, just
    await insertFravaer(ts, { cpr: MEDLEM, fravaerstype: 78, start: '2021-01-01', slut: '2021-11-26' }); // a day too old
    await insertFravaer(ts, { cpr: MEDLEM, fravaerstype: 78, start: '2022-03-01', slut: '2022-04-01' });
  });

  it('FR-1: the current a-kasse sees its window ±120 days and types 25 (8 y), 71 and 78 (5 y) from before it was the a-kasse', async () => {
    const r = await ts.gql<{ fravaershistorik: unknown[] }>(HISTORIK, { cpr: MEDLEM }, await ts.token('AKASSE', '12'));
    expect(r.errors).toBeUndefined();
    expect(r.data!.fravaershistorik).toEqual([
      { fravaerstype: 25, start: '2019-01-01', slut: '2019-06-30' },
      { fravaerstype: 71, start: '2021-11-01', slut: '2021-11-27' },
      { fravaerstype: 78, start: '2022-03-01', slut: '2022-04-01' },
      { fravaerstype: 74, start: '2023-10-01', slut: '2023-11-02' },
    ]);
  });

  it('FR-1: the jobcenter sees all of it; a former a-kasse reads nothing (FORBIDDEN: not its member)', async () => {
    const jc = await ts.gql<{ fravaershistorik: unknown[] }>(HISTORIK, { cpr: MEDLEM }, await ts.token('JOBCENTER', '157'));
    expect(jc.data!.fravaershistorik).toHaveLength(8);
    expect(errorCode(await ts.gql(HISTORIK, { cpr: MEDLEM }, await ts.token('AKASSE', '34')))).toBe('FORBIDDEN');
  });

  it('FR-1: the same filter applies to Borger.fravaershistorik; X-4: the read is access-logged', async () => {
    const r = await ts.gql<{ borger: { fravaershistorik: unknown[] } }>(
      `query($cpr: CPR!) { borger(cpr: $cpr) { fravaershistorik { fravaerstype } } }`,
      { cpr: MEDLEM },
      await ts.token('AKASSE', '12', 'ak12-bruger'),
    );
    expect(r.data!.borger.fravaershistorik).toHaveLength(4);
    const rows = await ts.sql<{ what: string; org: string }>(`select what, org from access_log where cpr = ? and sub = 'ak12-bruger'`, [MEDLEM]);
    expect(rows.map((x) => x.what).sort()).toEqual(['borger', 'fravaershistorik']);
  });

  it('FR-1: a page of 100 members with their fraværshistorik costs as many statements as a page of 5', async () => {
    const cprs: string[] = [];
    for (let i = 0; i < 100; i++) {
      const cpr = `${String(1 + (i % 28)).padStart(2, '0')}${String(1 + Math.floor(i / 28)).padStart(2, '0')}852${String(i).padStart(3, '0')}`;
      cprs.push(cpr);
      await insertBorger(ts, { cpr, jobcenter: '751', medlemskab: [{ akasse: '77', start: '2020-01-01' }] });
    }
    for (const cpr of cprs.slice(0, 50)) {
      await insertFravaer(ts, { cpr, fravaerstype: 25, start: '2019-01-01', slut: '2019-02-01' });
      await insertFravaer(ts, { cpr, fravaerstype: 74, start: '2010-01-01', slut: '2010-02-01' });
    }
    const ak77 = await ts.token('AKASSE', '77');
    const q = `query($n: Int!) { akasseMedlemmer(first: $n) { items { cpr fravaershistorik { fravaerstype start } } nextCursor } }`;
    let page: { akasseMedlemmer: { items: { fravaershistorik: unknown[] }[] } } | undefined;
    const small = await ts.countQueries(() => ts.gql(q, { n: 5 }, ak77));
    const large = await ts.countQueries(async () => {
      const r = await ts.gql<NonNullable<typeof page>>(q, { n: 100 }, ak77);
      expect(r.errors).toBeUndefined();
      page = r.data!;
    });
    expect(page!.akasseMedlemmer.items).toHaveLength(100);
    // FR-1 still applies per borger: the 25 from 2019 is visible (8 years), the 74 from 2010 is not.
    expect(page!.akasseMedlemmer.items.filter((b) => b.fravaershistorik.length === 1)).toHaveLength(50);
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(4); // the page, the fravær, the memberships, the access-log insert
  });
});
