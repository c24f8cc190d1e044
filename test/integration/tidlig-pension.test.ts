import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainEventBus } from '../../src/events/domain-events';
import { runJob } from '../../src/jobs/job';
import { jobs } from '../../src/modules';
import type { LocalDate } from '../../src/scalars/local-date';
import { insertBorger, insertTidligPension } from '../helpers/fixtures';
import { errorCode, startTestServer, type GqlResult, type TestServer } from '../helpers/server';
import { collect, sleep } from '../helpers/ws';

let ts: TestServer;
let udk: string;
let ak12: string;
let ak13: string;
let jc157: string;

/** Born 5.7.1965; member of a-kasse 12 until 30.11.2026, of 13 from 1.12.2026; jobcenter 157. */
const CPR_A = '0507652345';
/** Born 12.3.1960; member of 12 throughout. */
const CPR_B = '1203601234';

/** More members of a-kasse 12 (born 1.5.1961–3.5.1961), for the statement count of a list. */
const MORE = ['0105611234', '0205611234', '0305611234'];

const TODAY = '2026-11-27';

beforeAll(async () => {
  ts = await startTestServer({ today: TODAY });
  udk = await ts.token('UDK', 'udk');
  ak12 = await ts.token('AKASSE', '12');
  ak13 = await ts.token('AKASSE', '13');
  jc157 = await ts.token('JOBCENTER', '157');
  await insertBorger(ts, {
    cpr: CPR_A,
    jobcenter: '157',
    medlemskab: [
      { akasse: '12', start: '2020-01-01', slut: '2026-11-30' },
      { akasse: '13', start: '2026-12-01' },
    ],
  });
  await insertBorger(ts, { cpr: CPR_B, jobcenter: '157', medlemskab: [{ akasse: '12', start: '2015-01-01' }] });
  for (const cpr of MORE) {
    await insertBorger(ts, { cpr, medlemskab: [{ akasse: '12', start: '2015-01-01' }] });
    await insertTidligPension(ts, { cpr });
  }
});
afterAll(async () => ts?.close());

const INDBERET = `mutation($i: TidligPensionInput!) { indberetTidligPension(input: $i) { ny sendtTilAkasse tidligPension { id cpr beloebOere sletningsdato } } }`;
type Kvittering = { indberetTidligPension: { ny: boolean; sendtTilAkasse: string | null; tidligPension: { id: string; cpr: string; beloebOere: number; sletningsdato: string } } };

let amount = 1_000_00;
async function report(cpr: string, extra: Record<string, unknown> = {}) {
  const r = await ts.gql<Kvittering>(INDBERET, { i: { cpr, afgoerelsesdato: '2026-11-01', start: '2027-01-01', beloebOere: amount++, kompensationsbeloebOere: 250_00, ...extra } }, udk);
  expect(r.errors).toBeUndefined();
  return r.data!.indberetTidligPension;
}

const PULL = `query($s: String) { naesteBeskeder(serviceName: $s) { beskeder { id serviceName cpr modtagerOrg indhold { ... on GetTidligPensionVersion1 { tidligPensionId beloebOere } } } } }`;
type Pulled = { naesteBeskeder: { beskeder: { id: string; serviceName: string; cpr: string; modtagerOrg: string; indhold: { tidligPensionId: string; beloebOere: number } }[] } };
const SUB = `subscription($s: String) { beskeder(serviceName: $s) { id cpr indhold { ... on GetTidligPensionVersion1 { tidligPensionId beloebOere } } } }`;
type Pushed = { beskeder: { id: string; cpr: string; indhold: { tidligPensionId: string; beloebOere: number } } };

async function pulled(token: string, cpr: string) {
  const r = await ts.gql<Pulled>(PULL, { s: 'GetTidligPensionVersion1' }, token);
  expect(r.errors).toBeUndefined();
  return r.data!.naesteBeskeder.beskeder.filter((b) => b.cpr === cpr);
}

async function accessLogCount(org: string, cpr: string, what: string): Promise<number> {
  return Number((await ts.sql<{ n: string }>(`select count(*) n from access_log where org = ? and cpr = ? and what = ?`, [org, cpr, what]))[0].n);
}

describe('TP-1: UDK reports; the current a-kasse gets GetTidligPensionVersion1', () => {
  it('TP-1: the report is stored and the current a-kasse gets it live and in its pull queue', async () => {
    const live = await ts.subscribed(1, () => collect<Pushed>(ts.ws(ak12), SUB, { s: 'GetTidligPensionVersion1' }));
    const k = await report(CPR_B);
    expect(k).toMatchObject({ ny: true, sendtTilAkasse: '12', tidligPension: { cpr: CPR_B } });
    const [pushed] = await live.waitFor(1);
    expect(pushed.beskeder).toMatchObject({ cpr: CPR_B, indhold: { tidligPensionId: k.tidligPension.id, beloebOere: k.tidligPension.beloebOere } });
    expect((await pulled(ak12, CPR_B)).map((b) => b.indhold.tidligPensionId)).toContain(k.tidligPension.id);
    live.dispose();
  });

  it('TP-1: re-sending the same report changes nothing and sends nothing', async () => {
    const i = { cpr: CPR_B, afgoerelsesdato: '2026-10-01', start: '2027-02-01', beloebOere: 7 };
    const first = await ts.gql<Kvittering>(INDBERET, { i }, udk);
    const before = await ts.sql<{ n: string }>(`select (select count(*) from outbox_message) + (select count(*) from tidlig_pension) n`);
    const again = await ts.gql<Kvittering>(INDBERET, { i }, udk);
    expect(again.data!.indberetTidligPension).toMatchObject({ ny: false, sendtTilAkasse: null, tidligPension: { id: first.data!.indberetTidligPension.tidligPension.id } });
    expect(await ts.sql(`select (select count(*) from outbox_message) + (select count(*) from tidlig_pension) n`)).toEqual(before);
  });

  it('TP-1: the same report sent five times at once is stored once, with one message', async () => {
    const i = { cpr: CPR_B, afgoerelsesdato: '2026-10-02', start: '2027-03-01', beloebOere: 11 };
    const count = async () =>
      (await ts.sql<{ t: string; o: string }>(`select (select count(*) from tidlig_pension where cpr = ?) t, (select count(*) from outbox_message where cpr = ?) o`, [CPR_B, CPR_B]))[0];
    const before = await count();
    const rs = await Promise.all(Array.from({ length: 5 }, () => ts.gql<Kvittering>(INDBERET, { i }, udk)));
    for (const r of rs) expect(r.errors).toBeUndefined();
    expect(rs.filter((r) => r.data!.indberetTidligPension.ny)).toHaveLength(1);
    expect(new Set(rs.map((r) => r.data!.indberetTidligPension.tidligPension.id)).size).toBe(1);
    const after = await count();
    expect(Number(after.t) - Number(before.t)).toBe(1);
    expect(Number(after.o) - Number(before.o)).toBe(1);
  });

  it('TP-1: after a change of a-kasse between two reports, the second goes to the new a-kasse only', async () => {
    const first = await report(CPR_A);
    expect(first.sendtTilAkasse).toBe('12');
    ts.clock.setToday('2026-12-05' as LocalDate); // a-kasse 12 ended 30.11, 13 began 1.12
    try {
      const second = await report(CPR_A);
      expect(second.sendtTilAkasse).toBe('13');
      const to12 = (await pulled(ak12, CPR_A)).map((b) => b.indhold.tidligPensionId);
      const to13 = (await pulled(ak13, CPR_A)).map((b) => b.indhold.tidligPensionId);
      expect(to12).toEqual([first.tidligPension.id]);
      expect(to13).toEqual([second.tidligPension.id]);
    } finally {
      ts.clock.setToday(TODAY as LocalDate);
    }
  });

  it('TP-1: UDK and the current a-kasse read the stored reports; logged as reads (X-4)', async () => {
    const q = `query($c: CPR!) { tidligPension(cpr: $c) { id cpr beloebOere kompensationsbeloebOere start sletningsdato } }`;
    const byUdk = await ts.gql<{ tidligPension: { id: string; sletningsdato: string }[] }>(q, { c: CPR_B }, udk);
    expect(byUdk.errors).toBeUndefined();
    expect(byUdk.data!.tidligPension.length).toBeGreaterThanOrEqual(2);
    // Born 12.3.1960: folkepensionsalder 67 on 12.3.2027, deleted 12.3.2033 (TP-4).
    expect(byUdk.data!.tidligPension[0].sletningsdato).toBe('2033-03-12');
    const byAkasse = await ts.gql<{ tidligPension: unknown[] }>(q, { c: CPR_B }, ak12);
    expect(byAkasse.data!.tidligPension).toEqual(byUdk.data!.tidligPension);
    expect(errorCode(await ts.gql(q, { c: CPR_B }, ak13))).toBe('FORBIDDEN'); // not the borger's a-kasse
    expect(await accessLogCount('udk', CPR_B, 'tidlig_pension')).toBeGreaterThan(0);
    expect(await accessLogCount('12', CPR_B, 'tidlig_pension')).toBeGreaterThan(0);

    const field = await ts.gql<{ borger: { tidligPension: { id: string }[] } }>(`query($c: CPR!) { borger(cpr: $c) { cpr tidligPension { id } } }`, { c: CPR_B }, udk);
    expect(field.errors).toBeUndefined();
    expect(field.data!.borger.tidligPension.map((t) => t.id)).toEqual(byUdk.data!.tidligPension.map((t) => t.id));
  });

  it('TP-1: a list of members with their reports costs the same number of statements for 1 or 4 members', async () => {
    const q = `query($n: Int!) { akasseMedlemmer(first: $n) { items { cpr tidligPension { id beloebOere } } } }`;
    let items: { tidligPension: unknown[] }[] = [];
    const n1 = await ts.countQueries(() => ts.gql(q, { n: 1 }, ak12));
    const n4 = await ts.countQueries(async () => {
      items = (await ts.gql<{ akasseMedlemmer: { items: { tidligPension: unknown[] }[] } }>(q, { n: 4 }, ak12)).data!.akasseMedlemmer.items;
    });
    expect(items).toHaveLength(4);
    expect(items.every((i) => i.tidligPension.length > 0)).toBe(true);
    expect(n4).toBe(n1);
  });
});

describe('TP-2: jobcentre have no access to tidlig pension data', () => {
  it('TP-2: the field Borger.tidligPension gives FORBIDDEN to the borger’s own jobcenter', async () => {
    const own = await ts.gql(`query($c: CPR!) { borger(cpr: $c) { cpr } }`, { c: CPR_B }, jc157);
    expect(own.errors).toBeUndefined(); // the jobcenter may see the borger, just not this
    const r = await ts.gql(`query($c: CPR!) { borger(cpr: $c) { cpr tidligPension { id } } }`, { c: CPR_B }, jc157);
    expect(errorCode(r)).toBe('FORBIDDEN');
    expect(JSON.stringify(r.data ?? null)).not.toContain('beloeb');
  });

  it('TP-2: the query tidligPension gives FORBIDDEN to a jobcenter', async () => {
    const r = await ts.gql(`query($c: CPR!) { tidligPension(cpr: $c) { id beloebOere } }`, { c: CPR_B }, jc157);
    expect(errorCode(r)).toBe('FORBIDDEN');
    expect(r.data ?? null).toBeNull();
  });

  it('TP-2: a jobcenter subscribing to GetTidligPensionVersion1 gets FORBIDDEN, not an empty stream', async () => {
    const sub = collect(ts.ws(jc157), SUB, { s: 'GetTidligPensionVersion1' });
    await sleep(300);
    expect(JSON.stringify(sub.errors)).toContain('FORBIDDEN');
    expect(sub.items).toEqual([]);
    sub.dispose();
  });

  it('TP-2: a jobcenter pulling (or acknowledging) the GetTidligPensionVersion1 queue gets FORBIDDEN', async () => {
    expect(errorCode(await ts.gql(PULL, { s: 'GetTidligPensionVersion1' }, jc157))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(`mutation { kvitterBeskeder(tilOgMed: "1", serviceName: "GetTidligPensionVersion1") }`, {}, jc157))).toBe('FORBIDDEN');
    // Its own queue, unfiltered, holds none either.
    const all = await ts.gql<Pulled>(PULL, {}, jc157);
    expect(all.data!.naesteBeskeder.beskeder.filter((b) => b.serviceName === 'GetTidligPensionVersion1')).toEqual([]);
  });

  it('TP-2: an a-kasse may still subscribe to and pull its GetTidligPensionVersion1 queue', async () => {
    expect((await ts.gql<Pulled>(PULL, { s: 'GetTidligPensionVersion1' }, ak12)).errors).toBeUndefined();
  });
});

describe('TP-3: UDK reads the membership history and the efterløn dates the a-kasser report', () => {
  const OVERGANG = `mutation($c: CPR!, $d: LocalDate!) { indberetOvergangTilEfterloen(input: { cpr: $c, overgang: $d }) { id akasse overgang afgang } }`;
  const AFGANG = `mutation($c: CPR!, $d: LocalDate!) { indberetAfgangFraEfterloen(input: { cpr: $c, afgang: $d }) { id akasse overgang afgang } }`;
  const OPLYSNINGER = `query($c: CPR!) { efterloensoplysninger(cpr: $c) { cpr akasseMedlemskaber { akasse start slut } efterloensperioder { akasse overgang afgang } } }`;
  type Periode = { id: string; akasse: string; overgang: string; afgang: string | null };

  it('TP-3: the current a-kasse reports overgang; the same again changes nothing; another a-kasse is refused', async () => {
    const r = await ts.gql<{ indberetOvergangTilEfterloen: Periode }>(OVERGANG, { c: CPR_B, d: '2026-12-01' }, ak12);
    expect(r.errors).toBeUndefined();
    expect(r.data!.indberetOvergangTilEfterloen).toMatchObject({ akasse: '12', overgang: '2026-12-01', afgang: null });
    const again = await ts.gql<{ indberetOvergangTilEfterloen: Periode }>(OVERGANG, { c: CPR_B, d: '2026-12-01' }, ak12);
    expect(again.data!.indberetOvergangTilEfterloen.id).toBe(r.data!.indberetOvergangTilEfterloen.id);
    expect(errorCode(await ts.gql(OVERGANG, { c: CPR_B, d: '2027-01-01' }, ak12))).toBe('BAD_USER_INPUT');
    expect(errorCode(await ts.gql(OVERGANG, { c: CPR_B, d: '2026-12-01' }, ak13))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(OVERGANG, { c: CPR_B, d: '2026-12-01' }, jc157))).toBe('FORBIDDEN');
  });

  it('TP-3: the a-kasse reports afgang; UDK reads membership history and both dates, logged (X-4)', async () => {
    const a = await ts.gql<{ indberetAfgangFraEfterloen: Periode }>(AFGANG, { c: CPR_B, d: '2027-06-30' }, ak12);
    expect(a.errors).toBeUndefined();
    expect(a.data!.indberetAfgangFraEfterloen).toMatchObject({ overgang: '2026-12-01', afgang: '2027-06-30' });

    const r = await ts.gql<{ efterloensoplysninger: unknown }>(OPLYSNINGER, { c: CPR_B }, udk);
    expect(r.errors).toBeUndefined();
    expect(r.data!.efterloensoplysninger).toEqual({
      cpr: CPR_B,
      akasseMedlemskaber: [{ akasse: '12', start: '2015-01-01', slut: null }],
      efterloensperioder: [{ akasse: '12', overgang: '2026-12-01', afgang: '2027-06-30' }],
    });
    const history = await ts.gql<{ efterloensoplysninger: { akasseMedlemskaber: { akasse: string }[] } }>(OPLYSNINGER, { c: CPR_A }, udk);
    expect(history.data!.efterloensoplysninger.akasseMedlemskaber.map((m) => m.akasse)).toEqual(['12', '13']);
    expect(await accessLogCount('udk', CPR_B, 'akasse_medlemskab')).toBeGreaterThan(0);
    expect(await accessLogCount('udk', CPR_B, 'efterloen')).toBeGreaterThan(0);
  });

  it('TP-3: only UDK reads them: a jobcenter and an a-kasse get FORBIDDEN', async () => {
    expect(errorCode(await ts.gql(OPLYSNINGER, { c: CPR_B }, jc157))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(OPLYSNINGER, { c: CPR_B }, ak12))).toBe('FORBIDDEN');
  });
});

describe('TP-4: tidlig pension data deleted 6 years after folkepensionsalder', () => {
  const job = jobs.find((j) => j.name === 'tidlig-pension-sletning')!;
  const run = async (today: string) => (await runJob(job, { orm: ts.orm, clock: ts.clock, log: pino({ level: 'silent' }), events: new DomainEventBus() }, { today: today as LocalDate })).report;
  const count = async (table: 'tidlig_pension' | 'outbox', cpr: string) =>
    Number(
      (
        await ts.sql<{ n: string }>(
          table === 'tidlig_pension' ? `select count(*) n from tidlig_pension where cpr = ?` : `select count(*) n from outbox_message where cpr = ? and service_name = 'GetTidligPensionVersion1'`,
          [cpr],
        )
      )[0].n,
    );

  /** Born 30.6.1954: 65½ on 30.12.2019, deleted 30.12.2025. Born 1.7.1954: 66 on 1.7.2020, deleted 1.7.2026. */
  const JUNI = '3006541234';
  const JULI = '0107541234';

  it('TP-4: the job is listed, scheduled daily, and valid', () => {
    expect(job).toBeDefined();
    expect(job.schedule).toBe('15 2 * * *');
  });

  it('TP-4: born 30.6.1954 vs 1.7.1954: the day before and the day of deletion, reports and outbox payloads both', async () => {
    for (const cpr of [JUNI, JULI]) await insertBorger(ts, { cpr, medlemskab: [{ akasse: '12', start: '2010-01-01' }] });
    ts.clock.setToday('2025-06-01' as LocalDate);
    try {
      for (const cpr of [JUNI, JULI]) expect((await report(cpr)).sendtTilAkasse).toBe('12');
    } finally {
      ts.clock.setToday(TODAY as LocalDate);
    }
    await ts.sql(
      `insert into outbox_message (service_name, recipient_type, recipient_org, cpr, authority_role, authority_org, registered_by, payload) values ('GetOtherVersion1', 'AKASSE', '12', ?, 'SYSTEM', 'dfdg', 'x', '{}')`,
      [JUNI],
    );
    const othersBefore = await ts.sql<{ n: string }>(`select count(*) n from tidlig_pension where cpr not in (?, ?)`, [JUNI, JULI]);

    expect(await run('2025-12-29')).toEqual({ tidligPension: 0, beskeder: 0 });
    expect(await count('tidlig_pension', JUNI)).toBe(1);

    expect(await run('2025-12-30')).toEqual({ tidligPension: 1, beskeder: 1 });
    expect(await count('tidlig_pension', JUNI)).toBe(0);
    expect(await count('outbox', JUNI)).toBe(0);
    expect(await count('tidlig_pension', JULI)).toBe(1);
    expect(await count('outbox', JULI)).toBe(1);
    // Other services' messages about the borger, and other borgere's reports, stay.
    expect((await ts.sql<{ n: string }>(`select count(*) n from outbox_message where cpr = ? and service_name = 'GetOtherVersion1'`, [JUNI]))[0].n).toBe('1');
    expect(await ts.sql(`select count(*) n from tidlig_pension where cpr not in (?, ?)`, [JUNI, JULI])).toEqual(othersBefore);

    expect(await run('2026-06-30')).toEqual({ tidligPension: 0, beskeder: 0 });
    expect(await count('tidlig_pension', JULI)).toBe(1);
    expect(await run('2026-07-01')).toEqual({ tidligPension: 1, beskeder: 1 });
    expect(await count('tidlig_pension', JULI)).toBe(0);
    expect(await count('outbox', JULI)).toBe(0);
  });

  it('TP-4: the deleted report is gone from every read, and its message from the a-kasse’s queue', async () => {
    const r = await ts.gql<{ tidligPension: unknown[] }>(`query { tidligPension(cpr: "${JUNI}") { id } }`, {}, udk);
    expect(r.data!.tidligPension).toEqual([]);
    expect(await pulled(ak12, JUNI)).toEqual([]);
  });

  it('DL-2: running the job again the same day deletes nothing more (idempotent)', async () => {
    expect(await run('2026-07-01')).toEqual({ tidligPension: 0, beskeder: 0 });
  });

  it('TP-4: born 31.12.1966 vs 1.1.1967 (68 vs 69), and 1.1.1971 (70): deleted on the day, not the day before', async () => {
    const born1966 = '3112661234';
    const born1967 = '0101671234';
    const born1971 = '0101711234';
    for (const cpr of [born1966, born1967, born1971]) {
      await insertBorger(ts, { cpr });
      await insertTidligPension(ts, { cpr, akasse: '12' });
    }
    // (Borgere born earlier, from the tests above, go on the way; the counts below are per borger.)
    await run('2040-12-30');
    expect(await count('tidlig_pension', born1966)).toBe(1);
    expect(await count('outbox', born1966)).toBe(1);
    expect(await run('2040-12-31')).toEqual({ tidligPension: 1, beskeder: 1 });
    expect(await count('tidlig_pension', born1966)).toBe(0);
    expect(await count('outbox', born1966)).toBe(0);
    expect(await run('2041-12-31')).toEqual({ tidligPension: 0, beskeder: 0 });
    expect(await count('tidlig_pension', born1967)).toBe(1);
    expect(await run('2042-01-01')).toEqual({ tidligPension: 1, beskeder: 1 });
    expect(await count('tidlig_pension', born1967)).toBe(0);
    expect(await run('2046-12-31')).toEqual({ tidligPension: 0, beskeder: 0 });
    expect(await count('tidlig_pension', born1971)).toBe(1);
    await run('2047-01-01');
    expect(await count('tidlig_pension', born1971)).toBe(0);
    expect(await count('outbox', born1971)).toBe(0);
  });

  it('TP-4: a report for a borger whose data are already due for deletion is refused and sends nothing', async () => {
    const cpr = '0101401234'; // born 1.1.1940: 65 in 2005, due since 2011
    await insertBorger(ts, { cpr, medlemskab: [{ akasse: '12', start: '2000-01-01' }] });
    const r: GqlResult = await ts.gql(INDBERET, { i: { cpr, afgoerelsesdato: '2026-11-01', start: '2027-01-01', beloebOere: 1 } }, udk);
    expect(errorCode(r)).toBe('RULE_VIOLATION');
    expect(r.errors![0].extensions!.rule).toBe('TP-4');
    expect(await count('tidlig_pension', cpr)).toBe(0);
    expect(await count('outbox', cpr)).toBe(0);
  });
});
