import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abonnementLukningJob, fylderAarSql } from '../../src/abonnement/abonnement.job';
import { aldersLukkedato, fylderAar } from '../../src/abonnement/abonnement.rules';
import { setAbonnementSettings } from '../../src/abonnement/abonnement.settings';
import { UdbHaendelseService } from '../../src/abonnement/udb.service';
import type { Principal } from '../../src/context/context';
import { createCtx } from '../../src/context/create-ctx';
import { Role } from '../../src/context/roles';
import { transaction } from '../../src/db/transaction';
import { ModtagerType, recipient, recipientKey } from '../../src/events/recipient';
import { runJob } from '../../src/jobs/job';
import { createDomainEventBus, jobs } from '../../src/modules';
import { insertAbonnement, insertBorger } from '../helpers/fixtures';
import { errorCode, startTestServer, type TestServer } from '../helpers/server';
import { collect, sleep } from '../helpers/ws';
import { lockWaiters } from '../helpers/db';

let ts: TestServer;
let jc101: string;
let jc157: string;
let udb: string;
const silent = pino({ level: 'silent' });

const TODAY = '2026-11-27';

beforeAll(async () => {
  ts = await startTestServer({ today: TODAY });
  jc101 = await ts.token('JOBCENTER', '101');
  jc157 = await ts.token('JOBCENTER', '157');
  udb = await ts.token('UDB', 'UDB');
});
afterAll(async () => ts?.close());

const HIST = `query($cpr: CPR!) { abonnementer(cpr: $cpr) { id start slut lukkeaarsag lukkeaarsagNavn oprettetAfRolle oprettetAfOrg oprettetAf lukketAfRolle lukketAfOrg lukketAf } }`;
type Ab = { id: string; start: string; slut: string | null; lukkeaarsag: number | null; lukkeaarsagNavn: string | null; lukketAfRolle: string | null; lukketAfOrg: string | null };

async function historik(cpr: string, token = jc101): Promise<Ab[]> {
  const r = await ts.gql<{ abonnementer: Ab[] }>(HIST, { cpr }, token);
  expect(r.errors).toBeUndefined();
  return r.data!.abonnementer;
}

async function aaben(cpr: string): Promise<Ab | undefined> {
  return (await ts.sql<Ab>(`select id::text id, start::text start, slut::text slut, lukkeaarsag from abonnement where cpr = ? and slut is null`, [cpr]))[0];
}

async function seneste(cpr: string): Promise<Ab> {
  return (await ts.sql<Ab>(`select id::text id, start::text start, slut::text slut, lukkeaarsag, lukket_af_rolle "lukketAfRolle", lukket_af_org "lukketAfOrg" from abonnement where cpr = ? order by id desc limit 1`, [cpr]))[0];
}

async function udbBeskeder(cpr: string): Promise<{ service_name: string; payload: Record<string, unknown>; authority_role: string }[]> {
  return ts.sql(`select service_name, payload, authority_role from outbox_message where recipient_type = 'UDB' and cpr = ? order by id`, [cpr]);
}

async function jobcenterBeskeder(cpr: string, org: string): Promise<{ service_name: string; payload: Record<string, unknown> }[]> {
  return ts.sql(`select service_name, payload from outbox_message where recipient_type = 'JOBCENTER' and recipient_org = ? and cpr = ? order by id`, [org, cpr]);
}

async function dagligKoersel(today: string) {
  ts.clock.setToday(today);
  try {
    return await runJob(abonnementLukningJob, { orm: ts.orm, clock: ts.clock, log: silent, events: createDomainEventBus() }, { today });
  } finally {
    ts.clock.setToday(TODAY);
  }
}

/** Publishes the uddannelsesplan's event the way that feature does: in a transaction, through the production bus. */
async function plantypeSkiftet(e: { cpr: string; jobcenter: string; fra: number; til: number }) {
  const principal: Principal = { sub: 'jc-user', role: Role.JOBCENTER, org: '101' };
  const ctx = createCtx({ orm: ts.orm, clock: ts.clock, log: silent, events: createDomainEventBus() }, principal, 'test');
  await transaction(ctx, (tx) => tx.events.publish(tx, 'uddannelsesplan.plantypeSkiftet', e));
}

const OPRET = `mutation($i: OpretAbonnementInput!) { opretAbonnement(input: $i) { id start slut oprettetAfRolle oprettetAfOrg } }`;
const LUK = `mutation($i: LukAbonnementInput!) { lukAbonnement(input: $i) { id slut lukkeaarsag lukkeaarsagNavn lukketAfOrg } }`;

describe('opening and reading', () => {
  it('a jobcenter opens an abonnement from the 15th birthday by default, UDB is told, and the history says who and when', async () => {
    await insertBorger(ts, { cpr: '1503084567', jobcenter: '101' });
    const r = await ts.gql<{ opretAbonnement: Ab }>(OPRET, { i: { cpr: '1503084567' } }, jc101);
    expect(r.errors).toBeUndefined();
    expect(r.data!.opretAbonnement).toMatchObject({ start: '2023-03-15', slut: null, oprettetAfRolle: 'JOBCENTER', oprettetAfOrg: '101' });
    const [m] = await udbBeskeder('1503084567');
    expect(m).toMatchObject({ service_name: 'GetUddannelsesAbonnementVersion1', payload: { status: 'AABEN', start: '2023-03-15', slut: null } });

    expect(errorCode(await ts.gql(OPRET, { i: { cpr: '1503084567' } }, jc101))).toBe('CONFLICT');
    const closed = await ts.gql<{ lukAbonnement: Ab }>(LUK, { i: { cpr: '1503084567', aarsag: 1 } }, jc101);
    expect(closed.data!.lukAbonnement).toMatchObject({ slut: TODAY, lukkeaarsag: 1, lukkeaarsagNavn: 'Fejloprettet', lukketAfOrg: '101' });
    await ts.gql(OPRET, { i: { cpr: '1503084567', start: '2026-12-01' } }, jc101);
    const h = await historik('1503084567');
    expect(h.map((a) => [a.start, a.slut, a.lukkeaarsag])).toEqual([
      ['2023-03-15', TODAY, 1],
      ['2026-12-01', null, null],
    ]);
    expect(h[0]).toMatchObject({ lukketAfRolle: 'JOBCENTER', lukketAfOrg: '101', lukkeaarsagNavn: 'Fejloprettet' });
    const [{ n }] = await ts.sql<{ n: string }>(`select count(*) n from access_log where cpr = '1503084567' and what = 'abonnement'`);
    expect(Number(n)).toBeGreaterThan(0);
  });

  it('a borger born 29 February gets the default start on 1 March of a common year', async () => {
    await insertBorger(ts, { cpr: '2902084567', jobcenter: '101' });
    const r = await ts.gql<{ opretAbonnement: Ab }>(OPRET, { i: { cpr: '2902084567' } }, jc101);
    expect(r.data!.opretAbonnement.start).toBe('2023-03-01');
  });

  it('another jobcenter can neither read nor open nor close it; an unknown årsag is bad input', async () => {
    await insertBorger(ts, { cpr: '0101054321', jobcenter: '101' });
    await insertAbonnement(ts, { cpr: '0101054321', start: '2020-01-01' });
    expect(errorCode(await ts.gql(HIST, { cpr: '0101054321' }, jc157))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(OPRET, { i: { cpr: '0101054321' } }, jc157))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(LUK, { i: { cpr: '0101054321', aarsag: 1 } }, jc157))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(LUK, { i: { cpr: '0101054321', aarsag: 99 } }, jc101))).toBe('BAD_USER_INPUT');
    expect(errorCode(await ts.gql(OPRET, { i: { cpr: '0101054321' } }, udb))).toBe('FORBIDDEN');
    expect(await aaben('0101054321')).toBeDefined();
  });

  it('a list of borgere with their abonnementer and UDB events costs the same number of statements for 2 or 12 borgere', async () => {
    const jc461 = await ts.token('JOBCENTER', '461');
    const cprs = Array.from({ length: 12 }, (_, i) => `${String(i + 1).padStart(2, '0')}0190${String(1000 + i)}`);
    for (const cpr of cprs) {
      await insertBorger(ts, { cpr, jobcenter: '461' });
      await insertAbonnement(ts, { cpr, start: '2010-01-01', slut: '2015-01-01', lukkeaarsag: 5, org: '461' });
      await insertAbonnement(ts, { cpr, start: '2016-01-01', org: '461' });
    }
    const q = `query($n: Int!) { borgere(first: $n) { items { cpr abonnementer { id lukkeaarsagNavn } udbHaendelser { id } } } }`;
    const few = await ts.countQueries(() => ts.gql(q, { n: 2 }, jc461));
    const many = await ts.countQueries(() => ts.gql(q, { n: 12 }, jc461));
    const r = await ts.gql<{ borgere: { items: { abonnementer: unknown[] }[] } }>(q, { n: 12 }, jc461);
    expect(r.data!.borgere.items).toHaveLength(12);
    expect(r.data!.borgere.items.every((b) => b.abonnementer.length === 2)).toBe(true);
    expect(many).toBe(few);
  });
});

describe('AB-1, AB-2: a jobcenter closing', () => {
  async function plan(cpr: string, jobcenter: string, plantype: number, trin: number | null = 2) {
    await ts.sql(`insert into uddannelsesplan (cpr, jobcenter, plantype, trin) values (?, ?, ?, ?)`, [cpr, jobcenter, plantype, trin]);
  }

  it('AB-1: refused with RULE_VIOLATION when the borger has had an uddannelsesplan in the jobcenter; nothing changes', async () => {
    await insertBorger(ts, { cpr: '0202054321', jobcenter: '101' });
    await insertAbonnement(ts, { cpr: '0202054321', start: '2020-01-01' });
    await plan('0202054321', '101', 1);
    const before = (await udbBeskeder('0202054321')).length;
    const r = await ts.gql(LUK, { i: { cpr: '0202054321', aarsag: 5 } }, jc101);
    expect(errorCode(r)).toBe('RULE_VIOLATION');
    expect(r.errors![0].extensions!.rule).toBe('AB-1');
    expect(r.errors![0].message).toMatch(/uddannelsesplan/);
    expect(await aaben('0202054321')).toBeDefined();
    expect((await udbBeskeder('0202054321')).length).toBe(before);
  });

  it('AB-1: "fejloprettet" may always close it, and UDB is told', async () => {
    await insertBorger(ts, { cpr: '0302054321', jobcenter: '101' });
    await insertAbonnement(ts, { cpr: '0302054321', start: '2020-01-01' });
    await plan('0302054321', '101', 1);
    const r = await ts.gql(LUK, { i: { cpr: '0302054321', aarsag: 1 } }, jc101);
    expect(r.errors).toBeUndefined();
    expect(await aaben('0302054321')).toBeUndefined();
    expect((await udbBeskeder('0302054321')).at(-1)).toMatchObject({ payload: { status: 'LUKKET', lukkeaarsag: 1, lukkeaarsagNavn: 'Fejloprettet' } });
  });

  it('AB-1: a plan in another jobcenter does not stop this one', async () => {
    await insertBorger(ts, { cpr: '0402054321', jobcenter: '101' });
    await insertAbonnement(ts, { cpr: '0402054321', start: '2020-01-01' });
    await plan('0402054321', '157', 1);
    expect((await ts.gql(LUK, { i: { cpr: '0402054321', aarsag: 5 } }, jc101)).errors).toBeUndefined();
  });

  it('AB-2: a forsøgskommune may close only when its plans use "Plan uden plantype"', async () => {
    const restore = setAbonnementSettings({ forsoegskommuner: ['101'] });
    try {
      await insertBorger(ts, { cpr: '0502054321', jobcenter: '101' });
      await insertAbonnement(ts, { cpr: '0502054321', start: '2020-01-01' });
      await plan('0502054321', '101', 1);
      const r = await ts.gql(LUK, { i: { cpr: '0502054321', aarsag: 5 } }, jc101);
      expect(r.errors![0].extensions).toMatchObject({ code: 'RULE_VIOLATION', rule: 'AB-2' });

      await insertBorger(ts, { cpr: '0602054321', jobcenter: '101' });
      await insertAbonnement(ts, { cpr: '0602054321', start: '2020-01-01' });
      await plan('0602054321', '101', 4);
      expect((await ts.gql(LUK, { i: { cpr: '0602054321', aarsag: 5 } }, jc101)).errors).toBeUndefined();
    } finally {
      restore();
    }
    // Not a forsøgskommune any more: the same situation is AB-1.
    await insertBorger(ts, { cpr: '0702054321', jobcenter: '101' });
    await insertAbonnement(ts, { cpr: '0702054321', start: '2020-01-01' });
    await plan('0702054321', '101', 4);
    expect((await ts.gql(LUK, { i: { cpr: '0702054321', aarsag: 5 } }, jc101)).errors![0].extensions!.rule).toBe('AB-1');
  });
});

describe('AB-3: the daily age job', () => {
  it('AB-3: closes on the 30th birthday (not the day before), at 25 in kontaktgruppe 1, with årsag 5 and a message to UDB; a second run changes nothing', async () => {
    const onDay = '2711961234'; // 30 today
    const dayBefore = '2811961234'; // 30 tomorrow
    const kg1 = '2711014123'; // 25 today, kontaktgruppe 1
    const kg1DayBefore = '2811014123'; // 25 tomorrow, kontaktgruppe 1
    const kg12 = '2711014124'; // 25 today, kontaktgruppe 12
    const kg1Ended = '2711014125'; // 25 today, kontaktgruppe 1 ended yesterday
    await insertBorger(ts, { cpr: onDay, kontaktgruppe: [{ id: 12, start: '2020-01-01' }] });
    await insertBorger(ts, { cpr: dayBefore, kontaktgruppe: [{ id: 12, start: '2020-01-01' }] });
    await insertBorger(ts, { cpr: kg1, kontaktgruppe: [{ id: 1, start: '2020-01-01' }] });
    await insertBorger(ts, { cpr: kg1DayBefore, kontaktgruppe: [{ id: 1, start: '2020-01-01' }] });
    await insertBorger(ts, { cpr: kg12, kontaktgruppe: [{ id: 12, start: '2020-01-01' }] });
    await insertBorger(ts, { cpr: kg1Ended, kontaktgruppe: [{ id: 1, start: '2020-01-01', slut: '2026-11-26' }] });
    for (const cpr of [onDay, dayBefore, kg1, kg1DayBefore, kg12, kg1Ended]) await insertAbonnement(ts, { cpr, start: '2015-01-01' });

    const outboxBefore = Number((await ts.sql<{ n: string }>(`select count(*) n from outbox_message`))[0].n);
    const first = await dagligKoersel(TODAY);
    expect(first.report.lukketAlder).toBeGreaterThanOrEqual(2);
    for (const cpr of [onDay, kg1]) {
      expect(await seneste(cpr)).toMatchObject({ slut: TODAY, lukkeaarsag: 5, lukketAfRolle: 'SYSTEM', lukketAfOrg: 'dfdg' });
      const [m] = await udbBeskeder(cpr);
      expect(m).toMatchObject({
        service_name: 'GetUddannelsesAbonnementVersion1',
        authority_role: 'SYSTEM',
        payload: { status: 'LUKKET', slut: TODAY, lukkeaarsag: 5, lukkeaarsagNavn: 'Alder', start: '2015-01-01' },
      });
    }
    for (const cpr of [dayBefore, kg1DayBefore, kg12, kg1Ended]) expect(await aaben(cpr), cpr).toBeDefined();

    const outboxAfterFirst = Number((await ts.sql<{ n: string }>(`select count(*) n from outbox_message`))[0].n);
    expect(outboxAfterFirst - outboxBefore).toBe(first.report.lukketAlder);
    const second = await dagligKoersel(TODAY);
    expect(second.report.lukketAlder).toBe(0);
    expect(Number((await ts.sql<{ n: string }>(`select count(*) n from outbox_message`))[0].n)).toBe(outboxAfterFirst);
    expect(await udbBeskeder(onDay)).toHaveLength(1);

    // The next day the ones born a day later follow.
    await dagligKoersel('2026-11-28');
    expect(await seneste(dayBefore)).toMatchObject({ slut: '2026-11-28', lukkeaarsag: 5 });
    expect(await seneste(kg1DayBefore)).toMatchObject({ slut: '2026-11-28', lukkeaarsag: 5 });
    expect(await aaben(kg12)).toBeDefined();
  });

  it('AB-3: a borger born 29 February is still under 30 on 28 February and closes on 1 March (25 likewise in kontaktgruppe 1)', async () => {
    const feb29 = '2902004123'; // born 2000-02-29: 30 on 2030-03-01
    const feb29kg1 = '2902004124'; // kontaktgruppe 1: 25 on 2025-03-01
    await insertBorger(ts, { cpr: feb29, kontaktgruppe: [{ id: 12, start: '2020-01-01' }] });
    await insertBorger(ts, { cpr: feb29kg1, kontaktgruppe: [{ id: 1, start: '2020-01-01' }] });
    await insertAbonnement(ts, { cpr: feb29, start: '2015-03-01' });
    await insertAbonnement(ts, { cpr: feb29kg1, start: '2015-03-01' });

    await dagligKoersel('2025-02-28');
    expect(await aaben(feb29kg1)).toBeDefined();
    await dagligKoersel('2025-03-01');
    expect(await seneste(feb29kg1)).toMatchObject({ slut: '2025-03-01', lukkeaarsag: 5 });
    expect(await aaben(feb29)).toBeDefined();

    await dagligKoersel('2030-02-28');
    expect(await aaben(feb29)).toBeDefined();
    await dagligKoersel('2030-03-01');
    expect(await seneste(feb29)).toMatchObject({ slut: '2030-03-01', lukkeaarsag: 5 });
  });

  it('AB-3: the daily job and a change that holds an abonnement row and wants UDB\'s lock at its COMMIT cannot deadlock', async () => {
    const cpr = '0311961234'; // 30 on 3 November 2026
    await insertBorger(ts, { cpr, jobcenter: '101', kontaktgruppe: [{ id: 12, start: '2020-01-01' }] });
    await insertAbonnement(ts, { cpr, start: '2015-01-01' });
    // A change of the abonnement (a UDB event, a jobcenter) holds its row; at its COMMIT it writes to UDB's outbox.
    const change = new pg.Client({ connectionString: ts.db.url });
    await change.connect();
    try {
      await change.query('begin');
      await change.query(`update abonnement set planlagt_lukning = null where cpr = $1 and slut is null`, [cpr]);
      const job = dagligKoersel('2026-11-04');
      await lockWaiters(change);
      // Had the job taken UDB's lock before the row, this would wait for it while the job waits for the row.
      await change.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [recipientKey(recipient(ModtagerType.UDB))]);
      await change.query('commit');
      expect((await job).report.lukketAlder).toBeGreaterThanOrEqual(1);
      expect(await seneste(cpr)).toMatchObject({ slut: '2026-11-03', lukkeaarsag: 5 });
    } finally {
      await change.end();
    }
  });

  it('AB-3: an abonnement opened today from the 15th birthday is not closed for a kontaktgruppe 1 spell that ended before it was opened', async () => {
    const cpr = '0106991234'; // 25 on 1 June 2024, in kontaktgruppe 1 through 2025, kontaktgruppe 12 since
    await insertBorger(ts, { cpr, jobcenter: '101', kontaktgruppe: [{ id: 1, start: '2024-01-01', slut: '2025-12-31' }, { id: 12, start: '2026-01-01' }] });
    const r = await ts.gql<{ opretAbonnement: Ab }>(OPRET, { i: { cpr } }, jc101);
    expect(r.data!.opretAbonnement).toMatchObject({ start: '2014-06-01', slut: null });
    expect((await dagligKoersel('2026-11-28')).report.lukketAlder).toBe(0);
    expect(await aaben(cpr)).toBeDefined();
  });

  it('AB-3: a run after missed days closes on the day the rule first held (not the run day, not before the start), and a second run changes nothing', async () => {
    const RUN = '2026-12-02'; // the job did not run from 29 November to 1 December
    const b30 = '2911961234'; // 30 on 29 November, kontaktgruppe 12
    const kg1Left = '2911014123'; // 25 on 29 November in kontaktgruppe 1, in kontaktgruppe 2 from 1 December
    const kg1EndedBefore = '2911014124'; // kontaktgruppe 1 ended the day before the 25th birthday
    const kg1BeforeStart = '1001004123'; // 25 in kontaktgruppe 1 in 2025, out of it before the abonnement started
    const kg1At27 = '2911991234'; // 27, enters kontaktgruppe 1 on 1 December
    const startedLate = '0505901235'; // 36, abonnement started 20 November
    const plannedFirst = '3011961234'; // 30 on 30 November; AB-4 closing planned for 29 November
    await insertBorger(ts, { cpr: b30, kontaktgruppe: [{ id: 12, start: '2020-01-01' }] });
    await insertBorger(ts, { cpr: kg1Left, kontaktgruppe: [{ id: 1, start: '2020-01-01', slut: '2026-11-30' }, { id: 2, start: '2026-12-01' }] });
    await insertBorger(ts, { cpr: kg1EndedBefore, kontaktgruppe: [{ id: 1, start: '2020-01-01', slut: '2026-11-28' }, { id: 12, start: '2026-11-29' }] });
    await insertBorger(ts, { cpr: kg1BeforeStart, kontaktgruppe: [{ id: 1, start: '2025-01-01', slut: '2025-06-30' }, { id: 12, start: '2025-07-01' }] });
    await insertBorger(ts, { cpr: kg1At27, kontaktgruppe: [{ id: 12, start: '2020-01-01', slut: '2026-11-30' }, { id: 1, start: '2026-12-01' }] });
    await insertBorger(ts, { cpr: startedLate, kontaktgruppe: [{ id: 8, start: '2020-01-01' }] });
    await insertBorger(ts, { cpr: plannedFirst, kontaktgruppe: [{ id: 12, start: '2020-01-01' }] });
    for (const cpr of [b30, kg1Left, kg1EndedBefore, kg1At27, plannedFirst]) await insertAbonnement(ts, { cpr, start: '2015-01-01' });
    await insertAbonnement(ts, { cpr: kg1BeforeStart, start: '2025-09-01' });
    await insertAbonnement(ts, { cpr: startedLate, start: '2026-11-20' });
    await ts.sql(`update abonnement set planlagt_lukning = '2026-11-29', planlagt_lukkeaarsag = 7 where cpr = ? and slut is null`, [plannedFirst]);
    const all = [b30, kg1Left, kg1EndedBefore, kg1BeforeStart, kg1At27, startedLate, plannedFirst];
    // The rule's answer from the same data, to hold the SQL to it.
    const expected = new Map<string, string | null>();
    for (const cpr of all) {
      const [a] = await ts.sql<{ start: string; planlagt: string | null; foedselsdato: string; oprettet: string }>(
        `select a.start::text start, a.planlagt_lukning::text planlagt, b.foedselsdato::text foedselsdato,
                (a.oprettet at time zone 'Europe/Copenhagen')::date::text oprettet
           from abonnement a join borger b on b.cpr = a.cpr where a.cpr = ? and a.slut is null`,
        [cpr],
      );
      const kontaktgrupper = await ts.sql<{ kontaktgruppe: number; start: string; slut: string | null }>(
        `select kontaktgruppe, start::text start, slut::text slut from kontaktgruppe_periode where cpr = ?`,
        [cpr],
      );
      expected.set(cpr, aldersLukkedato({ foedselsdato: a.foedselsdato, abonnementStart: a.start, oprettet: a.oprettet, planlagtLukning: a.planlagt, kontaktgrupper }, RUN));
    }

    const first = await dagligKoersel(RUN);
    expect(await seneste(b30)).toMatchObject({ slut: '2026-11-29', lukkeaarsag: 5 });
    expect(await seneste(kg1Left)).toMatchObject({ slut: '2026-11-29', lukkeaarsag: 5 });
    expect(await seneste(kg1At27)).toMatchObject({ slut: '2026-12-01', lukkeaarsag: 5 });
    expect(await seneste(startedLate)).toMatchObject({ slut: '2026-11-20', lukkeaarsag: 5 });
    // AB-4's closing was due first: it is the one that happens, on its day, as if the job had run every day.
    expect(await seneste(plannedFirst)).toMatchObject({ slut: '2026-11-29', lukkeaarsag: 7 });
    expect(await aaben(kg1EndedBefore)).toBeDefined();
    expect(await aaben(kg1BeforeStart)).toBeDefined();
    for (const cpr of [b30, kg1Left, kg1At27, startedLate]) {
      expect(await udbBeskeder(cpr), cpr).toMatchObject([{ payload: { status: 'LUKKET', slut: expected.get(cpr), lukkeaarsag: 5, lukkeaarsagNavn: 'Alder' } }]);
    }
    expect(await udbBeskeder(plannedFirst)).toMatchObject([{ payload: { status: 'LUKKET', slut: '2026-11-29', lukkeaarsag: 7 } }]);
    for (const cpr of all) {
      const a = await seneste(cpr);
      expect(a.lukkeaarsag === 5 ? a.slut : null, cpr).toBe(expected.get(cpr));
    }
    expect(first.report.lukketAlder).toBeGreaterThanOrEqual(4);

    const outbox = Number((await ts.sql<{ n: string }>(`select count(*) n from outbox_message`))[0].n);
    const second = await dagligKoersel(RUN);
    expect(second.report).toMatchObject({ lukketAlder: 0, lukketKontaktgruppeskift: 0 });
    expect(Number((await ts.sql<{ n: string }>(`select count(*) n from outbox_message`))[0].n)).toBe(outbox);
  });

  it('AB-3: the SQL birthday agrees with the rule for every birth date of 1995-2004 (29 February included)', async () => {
    const rows = await ts.sql<{ d: string; f25: string; f30: string }>(
      `select d::text d, ${fylderAarSql('d', 25)}::text f25, ${fylderAarSql('d', 30)}::text f30
         from (select generate_series(date '1995-01-01', date '2004-12-31', interval '1 day')::date d) s`,
    );
    expect(rows.length).toBe(3653);
    const wrong = rows.filter((r) => r.f25 !== fylderAar(r.d, 25) || r.f30 !== fylderAar(r.d, 30));
    expect(wrong).toEqual([]);
  });

  it('AB-3: the job is registered to run daily', () => {
    expect(jobs.find((j) => j.name === 'abonnement-lukning')?.schedule).toBe('30 0 * * *');
  });
});

describe('AB-4, AB-7: kontaktgruppe', () => {
  const SKIFT = `mutation($cpr: CPR!, $k: Int!) { skiftKontaktgruppe(input: { cpr: $cpr, kontaktgruppe: $k, start: "${TODAY}" }) { cpr } }`;

  it.each([1, 8, 12, 25, 28])('AB-4: a change to kontaktgruppe %i keeps the abonnement open', async (k) => {
    const cpr = `1${k % 10}0${k < 10 ? 1 : 2}90${String(2000 + k)}`;
    await insertBorger(ts, { cpr, jobcenter: '101', kontaktgruppe: [{ id: k === 2 ? 8 : 2, start: '2020-01-01' }] });
    await insertAbonnement(ts, { cpr, start: '2015-01-01' });
    expect((await ts.gql(SKIFT, { cpr, k }, jc101)).errors).toBeUndefined();
    expect(await aaben(cpr)).toBeDefined();
  });

  it('AB-4: a change to another kontaktgruppe (2) closes it with årsag 7 and tells UDB, in the same transaction', async () => {
    const cpr = '1212904321';
    await insertBorger(ts, { cpr, jobcenter: '101', kontaktgruppe: [{ id: 12, start: '2020-01-01' }] });
    await insertAbonnement(ts, { cpr, start: '2015-01-01' });
    expect((await ts.gql(SKIFT, { cpr, k: 2 }, jc101)).errors).toBeUndefined();
    expect(await seneste(cpr)).toMatchObject({ slut: TODAY, lukkeaarsag: 7, lukketAfRolle: 'SYSTEM' });
    expect((await udbBeskeder(cpr)).at(-1)).toMatchObject({ payload: { status: 'LUKKET', lukkeaarsag: 7, lukkeaarsagNavn: 'Kontaktgruppeskift' } });
  });

  it('AB-4: a change registered to start later keeps the abonnement open until that day; the daily job closes it on that day and tells UDB', async () => {
    const cpr = '1505104921'; // 16 years old
    await insertBorger(ts, { cpr, jobcenter: '101', kontaktgruppe: [{ id: 12, start: '2025-01-01' }] });
    await insertAbonnement(ts, { cpr, start: '2025-05-15' });
    const r = await ts.gql(`mutation($cpr: CPR!) { skiftKontaktgruppe(input: { cpr: $cpr, kontaktgruppe: 2, start: "2026-12-07" }) { cpr abonnementer { slut planlagtLukning planlagtLukkeaarsag } } }`, { cpr }, jc101);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ skiftKontaktgruppe: { cpr, abonnementer: [{ slut: null, planlagtLukning: '2026-12-07', planlagtLukkeaarsag: 7 }] } });
    expect(await aaben(cpr)).toBeDefined();
    expect(await udbBeskeder(cpr)).toHaveLength(0);

    expect((await dagligKoersel('2026-12-06')).report.lukketKontaktgruppeskift).toBe(0);
    expect(await aaben(cpr)).toBeDefined();
    // A missed run: the job of the day after still closes it on the change's day.
    const first = await dagligKoersel('2026-12-08');
    expect(first.report.lukketKontaktgruppeskift).toBe(1);
    expect(await seneste(cpr)).toMatchObject({ slut: '2026-12-07', lukkeaarsag: 7, lukketAfRolle: 'SYSTEM', lukketAfOrg: 'dfdg' });
    expect(await udbBeskeder(cpr)).toMatchObject([{ payload: { status: 'LUKKET', slut: '2026-12-07', lukkeaarsag: 7, lukkeaarsagNavn: 'Kontaktgruppeskift' } }]);
    expect((await dagligKoersel('2026-12-08')).report.lukketKontaktgruppeskift).toBe(0);
    expect(await udbBeskeder(cpr)).toHaveLength(1);
  });

  it('AB-4: an abonnement opened after a change out of the groups was registered to start later closes on that day too', async () => {
    const cpr = '1605104921'; // 16 years old, kontaktgruppe 12, moving to 2 from 2026-12-07
    await insertBorger(ts, { cpr, jobcenter: '101', kontaktgruppe: [{ id: 12, start: '2025-01-01' }] });
    expect((await ts.gql(`mutation($cpr: CPR!) { skiftKontaktgruppe(input: { cpr: $cpr, kontaktgruppe: 2, start: "2026-12-07" }) { cpr } }`, { cpr }, jc101)).errors).toBeUndefined();
    const r = await ts.gql<{ opretAbonnement: Ab & { planlagtLukning: string | null } }>(
      `mutation($cpr: CPR!) { opretAbonnement(input: { cpr: $cpr }) { slut planlagtLukning planlagtLukkeaarsag } }`,
      { cpr },
      jc101,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.opretAbonnement).toEqual({ slut: null, planlagtLukning: '2026-12-07', planlagtLukkeaarsag: 7 });
    expect((await dagligKoersel('2026-12-06')).report.lukketKontaktgruppeskift).toBe(0);
    expect(await aaben(cpr)).toBeDefined();
    await dagligKoersel('2026-12-07');
    expect(await seneste(cpr)).toMatchObject({ slut: '2026-12-07', lukkeaarsag: 7, lukketAfRolle: 'SYSTEM' });
    expect((await udbBeskeder(cpr)).map((m) => m.payload)).toMatchObject([
      { status: 'AABEN', slut: null },
      { status: 'LUKKET', slut: '2026-12-07', lukkeaarsag: 7, lukkeaarsagNavn: 'Kontaktgruppeskift' },
    ]);
  });

  it('AB-7: a jobcenter closing the kontaktgruppe does not close the abonnement', async () => {
    const cpr = '1312904321';
    await insertBorger(ts, { cpr, jobcenter: '101', kontaktgruppe: [{ id: 12, start: '2020-01-01' }] });
    await insertAbonnement(ts, { cpr, start: '2015-01-01' });
    const r = await ts.gql(`mutation($cpr: CPR!) { lukKontaktgruppe(input: { cpr: $cpr, slut: "${TODAY}" }) { cpr } }`, { cpr }, jc101);
    expect(r.errors).toBeUndefined();
    expect(await aaben(cpr)).toBeDefined();
    expect(await udbBeskeder(cpr)).toHaveLength(0);
  });
});

describe('AB-6: plantype', () => {
  it('AB-6: a change away from uddannelsesplan closes it with årsag 8', async () => {
    const cpr = '1412904321';
    await insertBorger(ts, { cpr, jobcenter: '101', kontaktgruppe: [{ id: 12, start: '2020-01-01' }] });
    await insertAbonnement(ts, { cpr, start: '2015-01-01' });
    await plantypeSkiftet({ cpr, jobcenter: '101', fra: 1, til: 3 });
    expect(await seneste(cpr)).toMatchObject({ slut: TODAY, lukkeaarsag: 8 });
    expect((await udbBeskeder(cpr)).at(-1)).toMatchObject({ payload: { lukkeaarsag: 8, lukkeaarsagNavn: 'Plantypeskift' } });
  });

  it('AB-6: except a change to "Aftale om opfølgning" while the borger is a sygedagpengemodtager (kontaktgruppe 25)', async () => {
    const cpr = '1512904321';
    await insertBorger(ts, { cpr, jobcenter: '101', kontaktgruppe: [{ id: 25, start: '2020-01-01' }] });
    await insertAbonnement(ts, { cpr, start: '2015-01-01' });
    await plantypeSkiftet({ cpr, jobcenter: '101', fra: 1, til: 3 });
    expect(await aaben(cpr)).toBeDefined();
    // The same borger to kombiplan: no exception.
    await plantypeSkiftet({ cpr, jobcenter: '101', fra: 1, til: 2 });
    expect(await seneste(cpr)).toMatchObject({ lukkeaarsag: 8 });
  });

  it('AB-6: a change that is not away from uddannelsesplan leaves it open', async () => {
    const cpr = '1612904321';
    await insertBorger(ts, { cpr, jobcenter: '101', kontaktgruppe: [{ id: 12, start: '2020-01-01' }] });
    await insertAbonnement(ts, { cpr, start: '2015-01-01' });
    await plantypeSkiftet({ cpr, jobcenter: '101', fra: 2, til: 4 });
    expect(await aaben(cpr)).toBeDefined();
  });
});

describe('AB-8 (setting, off by default)', () => {
  async function setup(cpr: string) {
    await insertBorger(ts, { cpr, jobcenter: '101', kontaktgruppe: [{ id: 12, start: '2020-01-01', slut: '2026-09-15' }] });
    await insertAbonnement(ts, { cpr, start: '2015-01-01' });
  }

  it('AB-8 off: a kontaktgruppe closed in September with no admission leaves the abonnement open on 1 November', async () => {
    const cpr = '1712054321';
    await setup(cpr);
    const r = await dagligKoersel('2026-11-01');
    expect(r.report).toMatchObject({ ab8Aktiv: 0, lukketAB8: 0 });
    expect(await aaben(cpr)).toBeDefined();
  });

  it('AB-8 on: closes (årsag 4) once a whole calendar month has passed with no admission; not before, not after an admission, not at trin 4', async () => {
    const restore = setAbonnementSettings({ ab8Aktiv: true });
    try {
      const closes = '1812054321';
      const admitted = '1912054321';
      const trin4 = '2012054321';
      for (const cpr of [closes, admitted, trin4]) await setup(cpr);
      await ts.sql(`insert into uddannelsesplan (cpr, jobcenter, plantype, trin) values (?, '101', 1, 4)`, [trin4]);
      await ts.sql(
        `insert into udb_haendelse (cpr, type, haendelse_id, dato, abonnement_id, jobcenter, modtaget_dato) select cpr, 'OPTAGET', 'x-' || cpr, '2026-10-01', id, '101', '2026-10-02' from abonnement where cpr = ? and slut is null`,
        [admitted],
      );
      await dagligKoersel('2026-10-31');
      expect(await aaben(closes)).toBeDefined();
      const r = await dagligKoersel('2026-11-01');
      expect(r.report.ab8Aktiv).toBe(1);
      expect(await seneste(closes)).toMatchObject({ slut: '2026-11-01', lukkeaarsag: 4 });
      expect((await udbBeskeder(closes)).at(-1)).toMatchObject({ payload: { lukkeaarsag: 4 } });
      expect(await aaben(admitted)).toBeDefined();
      expect(await aaben(trin4)).toBeDefined();
      expect((await dagligKoersel('2026-11-01')).report.lukketAB8).toBe(0);
    } finally {
      restore();
    }
  });

  it('AB-8 on: a run after missed days closes on the day a daily run would have, though an admission came in between', async () => {
    const restore = setAbonnementSettings({ ab8Aktiv: true });
    try {
      const cpr = '2212054321';
      await setup(cpr); // kontaktgruppe 12 ended 2026-09-15: closes 2026-11-01
      await ts.sql(
        `insert into udb_haendelse (cpr, type, haendelse_id, dato, abonnement_id, jobcenter, modtaget_dato) select cpr, 'OPTAGET', 'sen-' || cpr, '2026-11-04', id, '101', '2026-11-05' from abonnement where cpr = ? and slut is null`,
        [cpr],
      );
      expect((await dagligKoersel('2026-11-10')).report.lukketAB8).toBeGreaterThanOrEqual(1);
      expect(await seneste(cpr)).toMatchObject({ slut: '2026-11-01', lukkeaarsag: 4 });
      expect((await udbBeskeder(cpr)).at(-1)).toMatchObject({ payload: { lukkeaarsag: 4, slut: '2026-11-01' } });
      // One opened after its due day (start at the 15th birthday) closes no earlier than the day it was opened.
      const opened = '2312054321';
      await insertBorger(ts, { cpr: opened, jobcenter: '101', kontaktgruppe: [{ id: 12, start: '2020-01-01', slut: '2026-09-15' }] });
      await insertAbonnement(ts, { cpr: opened, start: '2020-12-23', oprettet: '2026-11-20' });
      await dagligKoersel('2026-11-21');
      expect(await seneste(opened)).toMatchObject({ slut: '2026-11-20', lukkeaarsag: 4 });
    } finally {
      restore();
    }
  });

  it('AB-8 on, AB-3, AB-4: a run after missed days closes each abonnement by the rule that held first; on the same day AB-3 wins over AB-8', async () => {
    const restore = setAbonnementSettings({ ab8Aktiv: true });
    try {
      // Kontaktgruppe 12 ended 2026-09-15: AB-8 holds from 2026-11-01.
      const ab8First = '2011964321'; // turns 30 on 2026-11-20
      const ab3Tie = '0111964321'; // turns 30 on 2026-11-01, AB-8's day
      const ab3First = '1510964321'; // turns 30 on 2026-10-15
      const ab4First = '2212054322'; // AB-4 planned 2026-10-20
      const ab4Later = '2212054323'; // AB-4 planned 2026-11-05
      for (const cpr of [ab8First, ab3Tie, ab3First, ab4First, ab4Later]) await setup(cpr);
      await ts.sql(`update abonnement set planlagt_lukning = '2026-10-20', planlagt_lukkeaarsag = 7 where cpr = ? and slut is null`, [ab4First]);
      await ts.sql(`update abonnement set planlagt_lukning = '2026-11-05', planlagt_lukkeaarsag = 7 where cpr = ? and slut is null`, [ab4Later]);
      await dagligKoersel('2026-11-25');
      expect(await seneste(ab8First)).toMatchObject({ slut: '2026-11-01', lukkeaarsag: 4 });
      expect(await seneste(ab3Tie)).toMatchObject({ slut: '2026-11-01', lukkeaarsag: 5 });
      expect(await seneste(ab3First)).toMatchObject({ slut: '2026-10-15', lukkeaarsag: 5 });
      expect(await seneste(ab4First)).toMatchObject({ slut: '2026-10-20', lukkeaarsag: 7 });
      expect(await seneste(ab4Later)).toMatchObject({ slut: '2026-11-01', lukkeaarsag: 4 });
      // UDB hears of each closing once, with the day and årsag it has.
      expect((await udbBeskeder(ab8First)).map((m) => m.payload)).toMatchObject([{ slut: '2026-11-01', lukkeaarsag: 4 }]);
      expect((await udbBeskeder(ab4Later)).map((m) => m.payload)).toMatchObject([{ slut: '2026-11-01', lukkeaarsag: 4 }]);
    } finally {
      restore();
    }
  });
});

describe('inbound UDB events', () => {
  const ev = (cpr: string, id: string, extra: Record<string, unknown> = {}) => ({
    i: { haendelseId: id, cpr, dato: '2026-11-20', institution: 'EUC Syd', uddannelse: 'Tømrer', ...extra },
  });
  const GENNEMFOERT = `mutation($i: UdbGennemfoertInput!) { udbUddannelseGennemfoert(input: $i) { ny abonnementLukket haendelse { id type dato jobcenter } } }`;
  const FRAFALD = `mutation($i: UdbHaendelseInput!) { udbRisikoForFrafald(input: $i) { ny abonnementLukket haendelse { id type } } }`;
  const OPTAGET = `mutation($i: UdbHaendelseInput!) { udbOptaget(input: $i) { ny haendelse { id type } } }`;

  it('AB-5: a completed erhvervskompetencegivende education notifies the jobcenter live and closes the abonnement at UDB (årsag 9)', async () => {
    const cpr = '2112904321';
    await insertBorger(ts, { cpr, jobcenter: '101', kontaktgruppe: [{ id: 12, start: '2020-01-01' }] });
    await insertAbonnement(ts, { cpr, start: '2015-01-01' });
    const live = collect<{ beskeder: { cpr: string; serviceName: string; indhold: Record<string, unknown> } }>(
      ts.ws(jc101),
      `subscription { beskeder(serviceName: "GetUddannelseGennemfoertVersion1") { cpr serviceName indhold { ... on GetUddannelseGennemfoertVersion1 { haendelseId erhvervskompetencegivende abonnementLukket uddannelse } } } }`,
    );
    await sleep(200);
    const r = await ts.gql<{ udbUddannelseGennemfoert: { ny: boolean; abonnementLukket: boolean } }>(GENNEMFOERT, ev(cpr, 'g-1', { erhvervskompetencegivende: true }), udb);
    expect(r.errors).toBeUndefined();
    expect(r.data!.udbUddannelseGennemfoert).toMatchObject({ ny: true, abonnementLukket: true });
    const [got] = await live.waitFor(1);
    expect(got.beskeder).toMatchObject({ cpr, serviceName: 'GetUddannelseGennemfoertVersion1', indhold: { haendelseId: 'g-1', erhvervskompetencegivende: true, abonnementLukket: true, uddannelse: 'Tømrer' } });
    live.dispose();
    expect(await seneste(cpr)).toMatchObject({ slut: TODAY, lukkeaarsag: 9, lukketAfRolle: 'SYSTEM' });
    expect((await udbBeskeder(cpr)).at(-1)).toMatchObject({ payload: { status: 'LUKKET', lukkeaarsag: 9, lukkeaarsagNavn: 'Uddannelse gennemført' } });

    // UDB re-sends the same event: recognised, nothing changes, nothing is sent.
    const before = (await jobcenterBeskeder(cpr, '101')).length;
    const again = await ts.gql<{ udbUddannelseGennemfoert: { ny: boolean } }>(GENNEMFOERT, ev(cpr, 'g-1', { erhvervskompetencegivende: true }), udb);
    expect(again.data!.udbUddannelseGennemfoert.ny).toBe(false);
    expect((await jobcenterBeskeder(cpr, '101')).length).toBe(before);
  });

  it('AB-5: a re-sent event answers abonnementLukket as its first delivery did', async () => {
    type Svar = { udbUddannelseGennemfoert: { ny: boolean; abonnementLukket: boolean } };
    const lukker = '2812904321';
    const lukkerIkke = '2912904321';
    for (const cpr of [lukker, lukkerIkke]) {
      await insertBorger(ts, { cpr, jobcenter: '101', kontaktgruppe: [{ id: 12, start: '2020-01-01' }] });
      await insertAbonnement(ts, { cpr, start: '2015-01-01' });
    }
    const first = await ts.gql<Svar>(GENNEMFOERT, ev(lukker, 'g-resend-1', { erhvervskompetencegivende: true }), udb);
    expect(first.errors).toBeUndefined();
    expect(first.data!.udbUddannelseGennemfoert).toMatchObject({ ny: true, abonnementLukket: true });
    const firstOther = await ts.gql<Svar>(GENNEMFOERT, ev(lukkerIkke, 'g-resend-2', { erhvervskompetencegivende: false }), udb);
    expect(firstOther.data!.udbUddannelseGennemfoert).toMatchObject({ ny: true, abonnementLukket: false });
    const sent = { udb: (await udbBeskeder(lukker)).length, jc: (await jobcenterBeskeder(lukker, '101')).length };

    // UDB re-sends both: each answers what its first delivery did, and nothing changes or is sent again.
    for (let i = 0; i < 2; i++) {
      const again = await ts.gql<Svar>(GENNEMFOERT, ev(lukker, 'g-resend-1', { erhvervskompetencegivende: true }), udb);
      expect(again.errors).toBeUndefined();
      expect(again.data!.udbUddannelseGennemfoert).toMatchObject({ ny: false, abonnementLukket: true });
      const againOther = await ts.gql<Svar>(GENNEMFOERT, ev(lukkerIkke, 'g-resend-2', { erhvervskompetencegivende: false }), udb);
      expect(againOther.data!.udbUddannelseGennemfoert).toMatchObject({ ny: false, abonnementLukket: false });
    }
    expect(await seneste(lukker)).toMatchObject({ slut: TODAY, lukkeaarsag: 9 });
    expect(await aaben(lukkerIkke)).toBeDefined();
    expect((await udbBeskeder(lukker)).length).toBe(sent.udb);
    expect((await jobcenterBeskeder(lukker, '101')).length).toBe(sent.jc);
  });

  it('AB-5: a completed education that is not erhvervskompetencegivende only notifies', async () => {
    const cpr = '2212904321';
    await insertBorger(ts, { cpr, jobcenter: '101' });
    await insertAbonnement(ts, { cpr, start: '2015-01-01' });
    const r = await ts.gql<{ udbUddannelseGennemfoert: { abonnementLukket: boolean } }>(GENNEMFOERT, ev(cpr, 'g-2', { erhvervskompetencegivende: false }), udb);
    expect(r.data!.udbUddannelseGennemfoert.abonnementLukket).toBe(false);
    expect(await aaben(cpr)).toBeDefined();
    expect(await jobcenterBeskeder(cpr, '101')).toHaveLength(1);
  });

  it('AB-5: a completion arriving while the daily job closes the abonnement for age says it closed nothing, and UDB hears of one closing', async () => {
    const cpr = '2712904321';
    await insertBorger(ts, { cpr, jobcenter: '101', kontaktgruppe: [{ id: 12, start: '2020-01-01' }] });
    await insertAbonnement(ts, { cpr, start: '2015-01-01' });
    // The daily job's closing (AB-3) holds the abonnement's row, not the borger's, until it commits.
    const job = new pg.Client({ connectionString: ts.db.url });
    await job.connect();
    try {
      await job.query('begin');
      await job.query(
        `update abonnement set slut = $2, lukkeaarsag = 5, lukket_af_rolle = 'SYSTEM', lukket_af_org = 'dfdg', lukket_af = 'dfdg:AB-3', lukket = now() where cpr = $1 and slut is null`,
        [cpr, TODAY],
      );
      const event = ts.gql<{ udbUddannelseGennemfoert: { ny: boolean; abonnementLukket: boolean } }>(GENNEMFOERT, ev(cpr, 'g-race', { erhvervskompetencegivende: true }), udb);
      await lockWaiters(job);
      await job.query('commit');
      const r = await event;
      expect(r.errors).toBeUndefined();
      expect(r.data!.udbUddannelseGennemfoert).toMatchObject({ ny: true, abonnementLukket: false });
    } finally {
      await job.end();
    }
    expect(await seneste(cpr)).toMatchObject({ slut: TODAY, lukkeaarsag: 5 });
    // No second closing (årsag 9) goes to UDB; the UPDATE above stands for the job and writes no message itself.
    expect(await udbBeskeder(cpr)).toHaveLength(0);
    expect((await jobcenterBeskeder(cpr, '101')).map((m) => m.payload)).toMatchObject([{ haendelseId: 'g-race', erhvervskompetencegivende: true, abonnementLukket: false }]);
  });

  it('AB-9: a risk of dropout reaches the jobcenter after it closed the borger’s kontaktgruppe, and stays readable', async () => {
    const cpr = '2312904321';
    await insertBorger(ts, { cpr, jobcenter: '101', kontaktgruppe: [{ id: 12, start: '2020-01-01' }] });
    await insertAbonnement(ts, { cpr, start: '2015-01-01' });
    expect((await ts.gql(`mutation { lukKontaktgruppe(input: { cpr: "${cpr}", slut: "2026-11-01" }) { cpr } }`, {}, jc101)).errors).toBeUndefined();
    const r = await ts.gql(FRAFALD, ev(cpr, 'f-1'), udb);
    expect(r.errors).toBeUndefined();
    const pulled = await ts.gql<{ naesteBeskeder: { beskeder: { cpr: string; indhold: Record<string, unknown> }[] } }>(
      `{ naesteBeskeder(serviceName: "GetRisikoForFrafaldVersion1") { beskeder { cpr indhold { ... on GetRisikoForFrafaldVersion1 { haendelseId institution dato } } } } }`,
      {},
      jc101,
    );
    expect(pulled.data!.naesteBeskeder.beskeder.filter((b) => b.cpr === cpr)).toEqual([{ cpr, indhold: { haendelseId: 'f-1', institution: 'EUC Syd', dato: '2026-11-20' } }]);
    const read = await ts.gql<{ udbHaendelser: { type: string; haendelseId: string }[] }>(
      `query($cpr: CPR!) { udbHaendelser(cpr: $cpr, type: FRAFALD) { type haendelseId } }`,
      { cpr },
      jc101,
    );
    expect(read.data!.udbHaendelser).toEqual([{ type: 'FRAFALD', haendelseId: 'f-1' }]);
    expect(errorCode(await ts.gql(`query($cpr: CPR!) { udbHaendelser(cpr: $cpr) { type } }`, { cpr }, jc157))).toBe('FORBIDDEN');
    expect(await aaben(cpr)).toBeDefined();
  });

  it('an admission tells the jobcenter and publishes udb.optaget for other features (UP-8)', async () => {
    const cpr = '2412904321';
    await insertBorger(ts, { cpr, jobcenter: '157' });
    await insertAbonnement(ts, { cpr, start: '2015-01-01', org: '157' });
    const bus = createDomainEventBus();
    const seen: unknown[] = [];
    bus.on('udb.optaget', async (_tx, e) => {
      seen.push(e);
    });
    const ctx = createCtx({ orm: ts.orm, clock: ts.clock, log: silent, events: bus }, { sub: 'udb', role: Role.UDB, org: 'UDB' }, 't');
    await new UdbHaendelseService().optaget(ctx, { haendelseId: 'o-1', cpr, dato: '2026-11-20', institution: 'EUC Syd', uddannelse: 'Tømrer' });
    expect(seen).toEqual([expect.objectContaining({ cpr, jobcenter: '157', dato: '2026-11-20', institution: 'EUC Syd', uddannelse: 'Tømrer', haendelseId: 'o-1' })]);
    expect((await jobcenterBeskeder(cpr, '157')).map((m) => m.service_name)).toEqual(['GetOptagetPaaUddannelseVersion1']);
    // Through the API as well, with a new id.
    expect((await ts.gql(OPTAGET, ev(cpr, 'o-2'), udb)).errors).toBeUndefined();
  });

  it('an event for an unknown CPR or a borger without an abonnement gets a clear error, is logged and kept, and changes nothing', async () => {
    const unknown = await ts.gql(FRAFALD, ev('0101900000', 'u-1'), udb);
    expect(unknown.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'UKENDT_CPR' });
    expect(unknown.errors![0].message).toMatch(/Ukendt CPR/);

    const cpr = '2512904321';
    await insertBorger(ts, { cpr, jobcenter: '101' });
    const none = await ts.gql(OPTAGET, ev(cpr, 'u-2'), udb);
    expect(none.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'INTET_ABONNEMENT' });
    await insertAbonnement(ts, { cpr, start: '2015-01-01', slut: '2020-01-01', lukkeaarsag: 1 });
    expect((await ts.gql(GENNEMFOERT, ev(cpr, 'u-3', { erhvervskompetencegivende: true }), udb)).errors![0].extensions!.reason).toBe('INTET_ABONNEMENT');

    const kept = await ts.sql<{ type: string; cpr: string; haendelse_id: string; fejlkode: string }>(
      `select type, cpr, haendelse_id, fejlkode from udb_haendelse_afvist where haendelse_id like 'u-%' order by id`,
    );
    expect(kept).toEqual([
      { type: 'FRAFALD', cpr: '0101900000', haendelse_id: 'u-1', fejlkode: 'NOT_FOUND' },
      { type: 'OPTAGET', cpr, haendelse_id: 'u-2', fejlkode: 'NOT_FOUND' },
      { type: 'GENNEMFOERT', cpr, haendelse_id: 'u-3', fejlkode: 'NOT_FOUND' },
    ]);
    expect(await ts.sql(`select 1 from udb_haendelse where cpr = ?`, [cpr])).toHaveLength(0);
  });

  it('bad input is refused (BAD_USER_INPUT) and only UDB may send events', async () => {
    const cpr = '2612904321';
    await insertBorger(ts, { cpr, jobcenter: '101' });
    await insertAbonnement(ts, { cpr, start: '2015-01-01' });
    expect(errorCode(await ts.gql(FRAFALD, ev(cpr, 'b-1', { dato: '2026-12-24' }), udb))).toBe('BAD_USER_INPUT');
    expect(errorCode(await ts.gql(FRAFALD, ev(cpr, 'b 2'), udb))).toBe('BAD_USER_INPUT');
    expect(errorCode(await ts.gql(FRAFALD, ev('3213904321', 'b-3'), udb))).toBe('BAD_USER_INPUT');
    expect(errorCode(await ts.gql(FRAFALD, ev(cpr, 'b-4'), jc101))).toBe('FORBIDDEN');
    expect(await ts.sql(`select 1 from udb_haendelse where cpr = ?`, [cpr])).toHaveLength(0);
  });
});
