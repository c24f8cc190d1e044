import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KOMMUNE_LAAS_NAVNERUM } from '../../src/borger/kommune-laas';
import { deriveCtx } from '../../src/context/context';
import { Role } from '../../src/context/roles';
import { createCtx } from '../../src/context/create-ctx';
import { UNIKKE_AABNE_31_SQL } from '../../src/db/migrations/Migration20261127001400_udb_kontakt_stand';
import { transaction } from '../../src/db/transaction';
import { createJobCtx, runJob } from '../../src/jobs/job';
import { findJobcenterKontakt32 } from '../../src/kontaktperson/kontaktperson.queries';
import { anvendUdbKontakter, ArrayUdbKontaktKilde, udbKontaktJob, validateRecord, type UdbKontaktRecord } from '../../src/kontaktperson/udb-kontakt.import';
import { erstatter, UdbKontaktKildetype } from '../../src/kontaktperson/udb-kontakt.rules';
import { UdbKontaktService, type UdbKontakterInput } from '../../src/kontaktperson/udb-kontakt.service';
import { createDomainEventBus, jobs } from '../../src/modules';
import { insertAbonnement, insertBorger, insertKontaktperson, cprRegistreret } from '../helpers/fixtures';
import { errorCode, startTestServer, type TestServer } from '../helpers/server';
import { lockWaiters } from '../helpers/db';

let ts: TestServer;
let jc101: string;
let jc157: string;
let jc461: string;
let cprToken: string;
let udb: string;
const TODAY = '2026-11-27';
const silent = pino({ level: 'silent' });

beforeAll(async () => {
  ts = await startTestServer({ today: TODAY });
  jc101 = await ts.token('JOBCENTER', '101');
  jc157 = await ts.token('JOBCENTER', '157');
  jc461 = await ts.token('JOBCENTER', '461');
  cprToken = await ts.token('CPR', 'cpr');
  udb = await ts.token('UDB', 'UDB');
});
afterAll(async () => ts?.close());

const REGISTRER = `mutation($i: RegistrerKontaktpersonInput!) { registrerKontaktperson(input: $i) { id cpr kontaktpersontype rolle start slut visesPaaJobnet registreretAfOrg kontakt { id navn email telefon art cvr pnr internNoegle } } }`;
const LIST = `query($cpr: CPR!, $a: Boolean) { kontaktpersoner(cpr: $cpr, kunAktive: $a) { id kontaktpersontype rolle start slut visesPaaJobnet afsluttetVedFlytning kontakt { navn email telefon art } } }`;
type Kp = { id: string; kontaktpersontype: number; rolle: string | null; start: string; slut: string | null; visesPaaJobnet: boolean; afsluttetVedFlytning: string | null; kontakt: { id: string; navn: string; email: string; telefon: string; art: string } };

const team = { navn: 'Team Ung', email: 'ung@jobcenter.dk', telefon: '+45 12 34 56 78', art: 'TEAM', cvr: '12345678', pnr: '1234567890', internNoegle: 'AD-ung' };

async function registrer(i: Record<string, unknown>, token = jc101) {
  return ts.gql<{ registrerKontaktperson: Kp }>(REGISTRER, { i }, token);
}

async function periode(id: string): Promise<{ start: string; slut: string | null; afsluttet: string | null }> {
  return (await ts.sql<{ start: string; slut: string | null; afsluttet: string | null }>(`select start::text start, slut::text slut, afsluttet_ved_flytning::text afsluttet from kontaktperson where id = ?`, [id]))[0];
}

async function udbBeskeder(cpr: string, service = 'GetJobcenterKontaktpersonVersion1') {
  return ts.sql<{ payload: Record<string, unknown>; recipient_type: string }>(`select payload, recipient_type from outbox_message where service_name = ? and cpr = ? order by id`, [service, cpr]);
}

async function count(table: string): Promise<number> {
  return Number((await ts.sql<{ n: string }>(`select count(*) n from ${table}`))[0].n);
}

describe('registering, changing, ending and listing (FagprofessionelKontaktService)', () => {
  it('KP-1: the kontaktpersontyper include 31 and 32 beside the known ids', async () => {
    const r = await ts.gql<{ koder: { id: number; navn: string }[] }>(`{ koder(liste: KONTAKTPERSONTYPE) { id navn } }`, {}, jc101);
    expect(r.data!.koder.map((k) => k.id)).toEqual([2, 3, 8, 9, 10, 15, 25, 26, 31, 32]);
    expect(r.data!.koder.find((k) => k.id === 31)!.navn).toBe('Kontaktperson på uddannelsesstedet (uddannelsespålæg)');
    expect(r.data!.koder.find((k) => k.id === 32)!.navn).toBe('Kontaktperson i jobcenteret (uddannelsespålæg)');
  });

  it('KP-5: a jobcenter registers a type-32 team with all its fields, and lists it; the read is logged (X-4)', async () => {
    await insertBorger(ts, { cpr: '0101054321', jobcenter: '101' });
    const r = await registrer({ cpr: '0101054321', kontaktpersontype: 32, kontakt: team, rolle: 'Uddannelseskontakt', start: '2026-11-01', visesPaaJobnet: true });
    expect(r.errors).toBeUndefined();
    expect(r.data!.registrerKontaktperson).toMatchObject({
      kontaktpersontype: 32,
      rolle: 'Uddannelseskontakt',
      start: '2026-11-01',
      slut: null,
      visesPaaJobnet: true,
      registreretAfOrg: '101',
      kontakt: { navn: 'Team Ung', email: 'ung@jobcenter.dk', telefon: '12345678', art: 'TEAM', cvr: '12345678', pnr: '1234567890', internNoegle: 'AD-ung' },
    });
    const list = await ts.gql<{ kontaktpersoner: Kp[] }>(LIST, { cpr: '0101054321' }, jc101);
    expect(list.data!.kontaktpersoner).toHaveLength(1);
    const [{ n }] = await ts.sql<{ n: string }>(`select count(*) n from access_log where cpr = '0101054321' and what = 'kontaktpersoner'`);
    expect(Number(n)).toBeGreaterThan(0);
    expect(await findJobcenterKontakt32(ts.orm.em.fork(), '0101054321', '101', TODAY)).toMatchObject({ navn: 'Team Ung', email: 'ung@jobcenter.dk', art: 'TEAM', rolle: 'Uddannelseskontakt' });
    expect(await findJobcenterKontakt32(ts.orm.em.fork(), '0101054321', '101', '2026-10-31')).toBeNull();
    expect(await findJobcenterKontakt32(ts.orm.em.fork(), '0101054321', '157', TODAY)).toBeNull();
  });

  it('KP-5: one kontakt (a person) attached to many borgere, each with its own role, period and visesPaaJobnet', async () => {
    await insertBorger(ts, { cpr: '0201054321', jobcenter: '101' });
    await insertBorger(ts, { cpr: '0301054321', jobcenter: '101' });
    const k = await ts.gql<{ opretFagprofessionelKontakt: { id: string } }>(
      `mutation($i: KontaktInput!) { opretFagprofessionelKontakt(input: $i) { id navn art } }`,
      { i: { navn: 'Karl Kontaktsen', email: 'kk@jobcenter.dk', telefon: '91617181', art: 'PERSON' } },
      jc101,
    );
    const kontaktId = k.data!.opretFagprofessionelKontakt.id;
    const a = await registrer({ cpr: '0201054321', kontaktpersontype: 32, kontaktId, rolle: 'Sagsbehandler', start: '2026-01-01', visesPaaJobnet: true });
    const b = await registrer({ cpr: '0301054321', kontaktpersontype: 3, kontaktId, rolle: 'Jobformidler', start: '2026-02-01', slut: '2026-12-31' });
    expect(a.data!.registrerKontaktperson.kontakt.id).toBe(kontaktId);
    expect(b.data!.registrerKontaktperson).toMatchObject({ rolle: 'Jobformidler', visesPaaJobnet: false, slut: '2026-12-31', kontakt: { id: kontaktId } });
    const own = await ts.gql<{ fagprofessionelleKontakter: { id: string }[] }>(`{ fagprofessionelleKontakter { id } }`, {}, jc101);
    expect(own.data!.fagprofessionelleKontakter.map((x) => x.id)).toContain(kontaktId);
    expect((await ts.gql<{ fagprofessionelleKontakter: { id: string }[] }>(`{ fagprofessionelleKontakter { id } }`, {}, jc157)).data!.fagprofessionelleKontakter.map((x) => x.id)).not.toContain(kontaktId);
  });

  it('KP-5: bad e-mail, phone, dates, an unknown type or a type-32 contact without phone or kind are BAD_USER_INPUT and change nothing', async () => {
    await insertBorger(ts, { cpr: '0401054321', jobcenter: '101' });
    const before = [await count('kontaktperson'), await count('kontakt')];
    const base = { cpr: '0401054321', kontaktpersontype: 32, kontakt: team, start: '2026-11-01' };
    const bad = [
      { ...base, kontakt: { ...team, email: 'ung@jobcenter' } },
      { ...base, kontakt: { ...team, telefon: '1234' } },
      { ...base, kontakt: { ...team, telefon: '+46 12345678' } },
      { ...base, slut: '2026-10-31' },
      { ...base, start: '2026-02-30' },
      { ...base, kontaktpersontype: 99 },
      { ...base, kontakt: { ...team, telefon: null } },
      { ...base, kontakt: { ...team, art: null } },
      { ...base, kontakt: { ...team, cvr: '123' } },
      { ...base, kontakt: undefined },
      { ...base, kontaktId: '1' },
      { ...base, kontakt: undefined, start: '0000-01-01', kontaktId: '1' },
      { ...base, kontakt: undefined, kontaktId: 'abc' },
    ];
    for (const i of bad) expect(errorCode(await registrer(i)), JSON.stringify(i)).toBe('BAD_USER_INPUT');
    const aendr = `mutation($id: ID!, $i: KontaktInput!) { aendrFagprofessionelKontakt(id: $id, input: $i) { id } }`;
    expect(errorCode(await ts.gql(aendr, { id: 'abc', i: team }, jc101))).toBe('BAD_USER_INPUT');
    expect([await count('kontaktperson'), await count('kontakt')]).toEqual(before);
  });

  it('KP-7: a jobcenter cannot register a type-31 contact (it comes from UDB)', async () => {
    const r = await registrer({ cpr: '0401054321', kontaktpersontype: 31, kontakt: team, start: '2026-11-01' });
    expect(r.errors![0].extensions).toMatchObject({ code: 'RULE_VIOLATION', rule: 'KP-7' });
  });

  it('changing and ending: role, visesPaaJobnet and period; an end before the start is refused', async () => {
    const r = await registrer({ cpr: '0401054321', kontaktpersontype: 15, kontakt: { navn: 'Mona Mentor' }, rolle: 'Mentor', start: '2026-11-01' });
    const id = r.data!.registrerKontaktperson.id;
    const ch = await ts.gql<{ aendrKontaktperson: Kp }>(`mutation($id: ID!) { aendrKontaktperson(id: $id, input: { rolle: "Fast mentor", visesPaaJobnet: true }) { rolle visesPaaJobnet slut } }`, { id }, jc101);
    expect(ch.data!.aendrKontaktperson).toEqual({ rolle: 'Fast mentor', visesPaaJobnet: true, slut: null });
    expect(errorCode(await ts.gql(`mutation($id: ID!) { afslutKontaktperson(id: $id, slut: "2026-10-01") { slut } }`, { id }, jc101))).toBe('BAD_USER_INPUT');
    const end = await ts.gql<{ afslutKontaktperson: Kp }>(`mutation($id: ID!) { afslutKontaktperson(id: $id, slut: "2026-11-30") { slut } }`, { id }, jc101);
    expect(end.data!.afslutKontaktperson.slut).toBe('2026-11-30');
    const aktive = await ts.gql<{ kontaktpersoner: Kp[] }>(LIST, { cpr: '0401054321', a: true }, jc101);
    expect(aktive.data!.kontaktpersoner.map((k) => k.id)).toContain(id);
  });

  it('authorization: another jobcenter cannot read or change the borger’s contacts, nor use or change the kontakt', async () => {
    const r = await registrer({ cpr: '0401054321', kontaktpersontype: 32, kontakt: team, start: '2026-11-01' });
    const { id, kontakt } = r.data!.registrerKontaktperson;
    expect(errorCode(await ts.gql(LIST, { cpr: '0401054321' }, jc157))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(`query { borger(cpr: "0401054321") { kontaktpersoner { id } } }`, {}, jc157))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(`mutation($id: ID!) { aendrKontaktperson(id: $id, input: { rolle: "x" }) { id } }`, { id }, jc157))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(`mutation($id: ID!) { afslutKontaktperson(id: $id, slut: "2026-11-30") { id } }`, { id }, jc157))).toBe('FORBIDDEN');
    expect(errorCode(await registrer({ cpr: '0401054321', kontaktpersontype: 32, kontakt: team, start: '2026-11-01' }, jc157))).toBe('FORBIDDEN');
    await insertBorger(ts, { cpr: '0501054321', jobcenter: '157' });
    expect(errorCode(await registrer({ cpr: '0501054321', kontaktpersontype: 32, kontaktId: kontakt.id, start: '2026-11-01' }, jc157))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(`mutation($id: ID!, $i: KontaktInput!) { aendrFagprofessionelKontakt(id: $id, input: $i) { id } }`, { id: kontakt.id, i: team }, jc157))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(LIST, { cpr: '0401054321' }, udb))).toBe('FORBIDDEN');
    expect((await periode(id)).slut).toBeNull();
  });

  it('a list of borgere with their kontaktpersoner and moves costs the same number of statements for 2 or 10 borgere', async () => {
    const cprs = Array.from({ length: 10 }, (_, i) => `${String(i + 1).padStart(2, '0')}0290${String(2000 + i)}`);
    for (const cpr of cprs) {
      await insertBorger(ts, { cpr, jobcenter: '751' });
      await insertKontaktperson(ts, { cpr, type: 32, start: '2026-01-01', org: '751' });
      await insertKontaktperson(ts, { cpr, type: 8, start: '2026-01-01', org: '751' });
    }
    const jc751 = await ts.token('JOBCENTER', '751');
    const q = `query($n: Int!) { borgere(first: $n) { items { cpr kontaktpersoner { id kontakt { navn } } flytninger { id } senesteFlytning { id } } } }`;
    const few = await ts.countQueries(() => ts.gql(q, { n: 2 }, jc751));
    const many = await ts.countQueries(() => ts.gql(q, { n: 10 }, jc751));
    const r = await ts.gql<{ borgere: { items: { kontaktpersoner: unknown[] }[] } }>(q, { n: 10 }, jc751);
    expect(r.data!.borgere.items.every((b) => b.kontaktpersoner.length === 2)).toBe(true);
    expect(many).toBe(few);
  });
});

describe('KP-6: type-32 contacts of borgere with an abonnement go to UDB', () => {
  it('KP-6: registering and changing a type-32 contact of a borger with an abonnement queues its data to UDB', async () => {
    await insertBorger(ts, { cpr: '0601054321', jobcenter: '101' });
    await insertAbonnement(ts, { cpr: '0601054321', start: '2020-01-01' });
    const r = await registrer({ cpr: '0601054321', kontaktpersontype: 32, kontakt: team, rolle: 'Kontakt', start: '2026-11-01', visesPaaJobnet: true });
    const { id, kontakt } = r.data!.registrerKontaktperson;
    let msgs = await udbBeskeder('0601054321');
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({
      recipient_type: 'UDB',
      payload: { kontaktpersonId: id, jobcenter: '101', navn: 'Team Ung', email: 'ung@jobcenter.dk', telefon: '12345678', art: 'TEAM', rolle: 'Kontakt', start: '2026-11-01', slut: null, visesPaaJobnet: true },
    });
    await ts.gql(`mutation($id: ID!) { aendrKontaktperson(id: $id, input: { rolle: "Ny rolle" }) { id } }`, { id }, jc101);
    await ts.gql(`mutation($id: ID!, $i: KontaktInput!) { aendrFagprofessionelKontakt(id: $id, input: $i) { id } }`, { id: kontakt.id, i: { ...team, telefon: '87654321' } }, jc101);
    msgs = await udbBeskeder('0601054321');
    expect(msgs.map((m) => [m.payload.rolle, m.payload.telefon])).toEqual([
      ['Kontakt', '12345678'],
      ['Ny rolle', '12345678'],
      ['Ny rolle', '87654321'],
    ]);
    // KP-5 holds for a kontakt used as type 32: its phone cannot be removed.
    expect(errorCode(await ts.gql(`mutation($id: ID!, $i: KontaktInput!) { aendrFagprofessionelKontakt(id: $id, input: $i) { id } }`, { id: kontakt.id, i: { ...team, telefon: null } }, jc101))).toBe('BAD_USER_INPUT');
  });

  it('KP-5: a closed type-32 contact whose kontakt lost its phone meanwhile cannot be reopened as it is, nor sent to UDB without it (KP-6)', async () => {
    const cpr = '1601054321';
    await insertBorger(ts, { cpr, jobcenter: '101' });
    await insertAbonnement(ts, { cpr, start: '2020-01-01' });
    const { id, kontakt } = (await registrer({ cpr, kontaktpersontype: 32, kontakt: team, start: '2026-01-01', slut: '2026-06-30' })).data!.registrerKontaktperson;
    // Closed, so the kontakt is no open type-32 contact: its phone may go.
    const aendrKontakt = `mutation($id: ID!, $i: KontaktInput!) { aendrFagprofessionelKontakt(id: $id, input: $i) { id } }`;
    expect((await ts.gql(aendrKontakt, { id: kontakt.id, i: { ...team, telefon: null } }, jc101)).errors).toBeUndefined();
    const sendt = (await udbBeskeder(cpr)).length;
    const AENDR = `mutation($id: ID!, $i: AendrKontaktpersonInput!) { aendrKontaktperson(id: $id, input: $i) { slut } }`;
    const genaabnet = await ts.gql(AENDR, { id, i: { slut: null } }, jc101);
    expect(errorCode(genaabnet)).toBe('BAD_USER_INPUT');
    expect(genaabnet.errors![0].extensions).toMatchObject({ field: 'telefon' });
    expect(errorCode(await ts.gql(AENDR, { id, i: { slut: '2027-06-30' } }, jc101))).toBe('BAD_USER_INPUT');
    expect((await periode(id)).slut).toBe('2026-06-30');
    expect(await udbBeskeder(cpr)).toHaveLength(sendt);
    // A change within the closed period is no reopening; with the phone back, it reopens.
    expect(errorCode(await ts.gql(AENDR, { id, i: { slut: '2026-05-31' } }, jc101))).toBeUndefined();
    await ts.gql(aendrKontakt, { id: kontakt.id, i: team }, jc101);
    expect(errorCode(await ts.gql(AENDR, { id, i: { slut: null } }, jc101))).toBeUndefined();
    expect((await udbBeskeder(cpr)).at(-1)!.payload).toMatchObject({ kontaktpersonId: id, telefon: '12345678', slut: null });
  });

  it('KP-6: a type-32 registration with its UDB message costs six statements, and its answer is what was stored', async () => {
    await insertBorger(ts, { cpr: '0901054321', jobcenter: '101' });
    await insertAbonnement(ts, { cpr: '0901054321', start: '2020-01-01' });
    let r: Awaited<ReturnType<typeof registrer>> | undefined;
    const n = await ts.countQueries(async () => {
      r = await registrer({ cpr: '0901054321', kontaktpersontype: 32, kontakt: team, rolle: 'Kontakt', start: '2026-11-01', slut: '2027-06-30' });
    });
    expect(r!.errors).toBeUndefined();
    // BEGIN, the borger locked, the KP-6 state with the new ids, rows and message together, COMMIT; then the
    // answer's X-4 access-log row (it carries the borger's contact).
    expect(n).toBe(6);
    const answer = r!.data!.registrerKontaktperson;
    const stored = await ts.gql<{ kontaktpersoner: Kp[] }>(`query($cpr: CPR!) { kontaktpersoner(cpr: $cpr) { id cpr kontaktpersontype rolle start slut visesPaaJobnet registreretAfOrg kontakt { id navn email telefon art cvr pnr internNoegle } } }`, { cpr: '0901054321' }, jc101);
    expect(stored.data!.kontaktpersoner).toEqual([answer]);
    const [msg] = await udbBeskeder('0901054321');
    expect(msg.payload).toMatchObject({ kontaktpersonId: answer.id, kontaktId: answer.kontakt.id, slut: '2027-06-30' });
  });

  it('KP-6: a registration that waited for the borger lock sees the abonnement the holder committed, and sends to UDB', async () => {
    const cpr = '1401054321';
    await insertBorger(ts, { cpr, jobcenter: '101' });
    // Another change of the same borger holds the lock and opens an abonnement meanwhile.
    const holder = new pg.Client({ connectionString: ts.db.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select cpr from borger where cpr = $1 for update', [cpr]);
      await holder.query(`insert into abonnement (cpr, start, oprettet_af_rolle, oprettet_af_org, oprettet_af) values ($1, '2026-11-01', 'JOBCENTER', '101', 'holder')`, [cpr]);
      const registered = registrer({ cpr, kontaktpersontype: 32, kontakt: team, start: '2026-11-01' });
      // The registration is waiting for the row lock (its snapshot, if it took one now, would not see the abonnement).
      await lockWaiters(holder);
      await holder.query('commit');
      expect((await registered).errors).toBeUndefined();
    } finally {
      await holder.end();
    }
    expect(await udbBeskeder(cpr)).toHaveLength(1);
  });

  describe('KP-6: a change of a kontakt’s data and a change of one of its type-32 attachments at the same moment: UDB’s last message carries both', () => {
    /**
     * What `aendrFagprofessionelKontakt` does before it commits: the kontakt locked for update and its phone changed.
     * `other` runs meanwhile; the kontakt change commits once `other` waits for a lock, or after 2 s.
     */
    async function underKontaktAendring<T>(kontaktId: string, other: () => Promise<T>): Promise<T> {
      const holder = new pg.Client({ connectionString: ts.db.url });
      await holder.connect();
      try {
        await holder.query('begin');
        await holder.query('select id from kontakt where id = $1 for update', [kontaktId]);
        await holder.query(`update kontakt set telefon = '87654321' where id = $1`, [kontaktId]);
        const p = other();
        await lockWaiters(holder);
        await holder.query('commit');
        return await p;
      } finally {
        await holder.end();
      }
    }
    async function medKontakt(cpr: string, bopaelskommune = '101') {
      await insertBorger(ts, { cpr, jobcenter: '101', bopaelskommune });
      await insertAbonnement(ts, { cpr, start: '2020-01-01' });
      const k = await ts.gql<{ opretFagprofessionelKontakt: { id: string } }>(`mutation($i: KontaktInput!) { opretFagprofessionelKontakt(input: $i) { id } }`, { i: team }, jc101);
      return k.data!.opretFagprofessionelKontakt.id;
    }

    it('KP-6: registering the kontakt as a type-32 contact while its data changes sends UDB the changed data', async () => {
      const cpr = '1701054321';
      const kontaktId = await medKontakt(cpr);
      const r = await underKontaktAendring(kontaktId, () => registrer({ cpr, kontaktpersontype: 32, kontaktId, start: '2026-11-01' }));
      expect(r.errors).toBeUndefined();
      expect((await udbBeskeder(cpr)).map((m) => m.payload.telefon)).toEqual(['87654321']);
    });

    it('KP-6: changing a type-32 attachment while its kontakt’s data changes sends UDB the changed data', async () => {
      const cpr = '1801054321';
      const kontaktId = await medKontakt(cpr);
      const { id } = (await registrer({ cpr, kontaktpersontype: 32, kontaktId, start: '2026-11-01' })).data!.registrerKontaktperson;
      const r = await underKontaktAendring(kontaktId, () => ts.gql(`mutation($id: ID!) { aendrKontaktperson(id: $id, input: { rolle: "Ny" }) { id } }`, { id }, jc101));
      expect(r.errors).toBeUndefined();
      expect((await udbBeskeder(cpr)).map((m) => [m.payload.rolle, m.payload.telefon])).toEqual([
        [null, '12345678'],
        ['Ny', '87654321'],
      ]);
    });

    it('KP-6: a CPR move ending a type-32 contact while its kontakt’s data changes sends UDB the end with the changed data', async () => {
      const cpr = '1901054321';
      const kontaktId = await medKontakt(cpr);
      await registrer({ cpr, kontaktpersontype: 32, kontaktId, start: '2026-11-01' });
      const r = await underKontaktAendring(kontaktId, () =>
        ts.gql(`mutation { cprRegistrerBorger(input: { cpr: "${cpr}", fornavn: "Test", efternavn: "Borger", bopaelskommune: "157", registreret: "${cprRegistreret()}" }) { flyttet } }`, {}, cprToken),
      );
      expect(r.errors).toBeUndefined();
      expect((await udbBeskeder(cpr)).map((m) => [m.payload.slut, m.payload.telefon])).toEqual([
        [null, '12345678'],
        [TODAY, '87654321'],
      ]);
    });
  });

  it('KP-2: a mass move takes its borgere in CPR order, as the UDB import does, so the two cannot deadlock', async () => {
    // B is stored before A, so an update scanning the table meets B first; A sorts first.
    const [a, b] = ['0102034567', '0202034568'];
    await insertBorger(ts, { cpr: b, jobcenter: '183', bopaelskommune: '183' });
    await insertBorger(ts, { cpr: a, jobcenter: '183', bopaelskommune: '183' });
    // Another writer of many borgere (the UDB import locks its chunk in CPR order): it holds A and will want B.
    const other = new pg.Client({ connectionString: ts.db.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select cpr from borger where cpr = $1 for update', [a]);
      const moved = ts.gql<{ cprMasseflytning: { borgere: number } }>(
        `mutation { cprMasseflytning(input: { fraKommune: "183", tilKommune: "185", registreret: "${cprRegistreret()}" }) { borgere } }`,
        {},
        await ts.token('CPR', 'cpr'),
      );
      await lockWaiters(other);
      // Had the move taken B first, this would wait for it while it waits for A: a deadlock, one of the two aborted.
      await other.query('select cpr from borger where cpr = $1 for update', [b]);
      await other.query('commit');
      const r = await moved;
      expect(r.errors).toBeUndefined();
      expect(r.data!.cprMasseflytning.borgere).toBe(2);
    } finally {
      await other.end();
    }
  });

  it('KP-6: a CPR move that ends a type-32 contact of a borger with an abonnement tells UDB the new end (one move or a batch), as ending it by hand does', async () => {
    await insertBorger(ts, { cpr: '2301054321', jobcenter: '101', bopaelskommune: '101' });
    await insertAbonnement(ts, { cpr: '2301054321', start: '2020-01-01' });
    const kp = (await registrer({ cpr: '2301054321', kontaktpersontype: 32, kontakt: team, rolle: 'Kontakt', start: '2026-11-01', visesPaaJobnet: true })).data!.registrerKontaktperson;
    // Every type the code table has besides 32 is exempt from KP-2 (and registering type 1 is refused), so the type the
    // move ends beside 32 is an old registration of a type outside the table: ended too, not type 32, so no message.
    const andenType = await insertKontaktperson(ts, { cpr: '2301054321', type: 1, start: '2026-11-01' });
    const [registered] = await udbBeskeder('2301054321');
    await ts.gql(`mutation { cprRegistrerBorger(input: { cpr: "2301054321", fornavn: "Test", efternavn: "Borger", bopaelskommune: "157", registreret: "${cprRegistreret()}" }) { flyttet } }`, {}, cprToken);
    const msgs = await udbBeskeder('2301054321');
    expect(msgs).toHaveLength(2);
    // The same message as the registration's, field for field, with the end the move set.
    expect(msgs[1]).toEqual({ ...registered, payload: { ...registered.payload, slut: TODAY } });
    expect(msgs[1].payload).toMatchObject({ kontaktpersonId: kp.id, kontaktId: kp.kontakt.id, jobcenter: '101' });
    expect((await periode(andenType.id)).slut).toBe(TODAY);

    // Without an abonnement the move ends the contact and sends nothing.
    await insertBorger(ts, { cpr: '2401054321', jobcenter: '101', bopaelskommune: '101' });
    await registrer({ cpr: '2401054321', kontaktpersontype: 32, kontakt: team, start: '2026-11-01' });
    await ts.gql(`mutation { cprRegistrerBorger(input: { cpr: "2401054321", fornavn: "Test", efternavn: "Borger", bopaelskommune: "157", registreret: "${cprRegistreret()}" }) { flyttet } }`, {}, cprToken);
    expect(await udbBeskeder('2401054321')).toHaveLength(0);

    // A batch (municipal merger): every such contact of the re-coded kommune.
    for (const cpr of ['2501054321', '2601054321']) {
      await insertBorger(ts, { cpr, jobcenter: '813', bopaelskommune: '813' });
      await insertAbonnement(ts, { cpr, start: '2020-01-01' });
      await insertKontaktperson(ts, { cpr, type: 32, start: '2026-01-01' });
    }
    const r = await ts.gql(`mutation { cprMasseflytning(input: { fraKommune: "813", tilKommune: "849", registreret: "${cprRegistreret()}" }) { borgere } }`, {}, cprToken);
    expect(r.errors).toBeUndefined();
    for (const cpr of ['2501054321', '2601054321']) expect((await udbBeskeder(cpr)).map((m) => m.payload.slut)).toEqual([TODAY]);
  });

  it('KP-6: no message without an abonnement, nor for other types', async () => {
    await insertBorger(ts, { cpr: '0701054321', jobcenter: '101' });
    await registrer({ cpr: '0701054321', kontaktpersontype: 32, kontakt: team, start: '2026-11-01' });
    await insertBorger(ts, { cpr: '0801054321', jobcenter: '101' });
    await insertAbonnement(ts, { cpr: '0801054321', start: '2020-01-01' });
    await registrer({ cpr: '0801054321', kontaktpersontype: 15, kontakt: team, start: '2026-11-01' });
    expect(await udbBeskeder('0701054321')).toHaveLength(0);
    expect(await udbBeskeder('0801054321')).toHaveLength(0);
  });
});

describe('KP-2, KP-3: a CPR move ends contacts; KP-4: a manual move does not', () => {
  const MOVE_CPR = '1001054321';
  const cases: { name: string; type: number; start: string; slut?: string | null; expect: { start: string; slut: string | null } }[] = [
    { name: 'KP-3: no end date → end = move date', type: 32, start: '2026-01-01', expect: { start: '2026-01-01', slut: TODAY } },
    { name: 'KP-3: end after the move date → end = move date', type: 32, start: '2026-01-01', slut: '2027-03-31', expect: { start: '2026-01-01', slut: TODAY } },
    { name: 'KP-3: end on the move date → left alone', type: 32, start: '2026-01-01', slut: TODAY, expect: { start: '2026-01-01', slut: TODAY } },
    { name: 'KP-3: end before the move date → left alone', type: 32, start: '2026-01-01', slut: '2026-11-26', expect: { start: '2026-01-01', slut: '2026-11-26' } },
    { name: 'KP-3: start on the move date → start = end = move date', type: 32, start: TODAY, expect: { start: TODAY, slut: TODAY } },
    { name: 'KP-3: start after the move date → start = end = move date − 1', type: 32, start: '2026-12-01', expect: { start: '2026-11-26', slut: '2026-11-26' } },
    ...[8, 9, 10, 25, 26, 31, 15, 2, 3].map((type) => ({ name: `KP-2: exempt type ${type} stays open`, type, start: '2026-01-01', expect: { start: '2026-01-01', slut: null } })),
  ];
  const ids: string[] = [];

  beforeAll(async () => {
    await insertBorger(ts, { cpr: MOVE_CPR, jobcenter: '101' });
    for (const c of cases) ids.push((await insertKontaktperson(ts, { cpr: MOVE_CPR, type: c.type, start: c.start, slut: c.slut ?? null })).id);
  });

  it('KP-2: the CPR move to another kommune applies the date rules in the same transaction, and its answer says what changed', async () => {
    const r = await ts.gql<{ cprRegistrerBorger: { flyttet: boolean; borger: { jobcenter: string; senesteFlytning: Record<string, unknown> } } }>(
      `mutation { cprRegistrerBorger(input: { cpr: "${MOVE_CPR}", fornavn: "Test", efternavn: "Borger", bopaelskommune: "157", registreret: "${cprRegistreret()}" }) { flyttet borger { jobcenter senesteFlytning { kilde dato fraKommune tilKommune fraJobcenter tilJobcenter kontaktpersonerAfsluttet markeringerLukket } } } }`,
      {},
      cprToken,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.cprRegistrerBorger).toEqual({
      flyttet: true,
      borger: {
        jobcenter: '157',
        senesteFlytning: { kilde: 'CPR', dato: TODAY, fraKommune: '101', tilKommune: '157', fraJobcenter: '101', tilJobcenter: '157', kontaktpersonerAfsluttet: 4, markeringerLukket: 0 },
      },
    });
  });

  for (const [i, c] of cases.entries()) {
    it(c.name, async () => {
      const p = await periode(ids[i]);
      expect({ start: p.start, slut: p.slut }).toEqual(c.expect);
    });
  }

  it('KP-3: a move within the same kommune (a CPR update without a new kommune) ends nothing', async () => {
    await insertBorger(ts, { cpr: '1101054321', jobcenter: '101' });
    const { id } = await insertKontaktperson(ts, { cpr: '1101054321', type: 32, start: '2026-01-01' });
    const r = await ts.gql<{ cprRegistrerBorger: { flyttet: boolean } }>(
      `mutation { cprRegistrerBorger(input: { cpr: "1101054321", fornavn: "Nyt", efternavn: "Navn", bopaelskommune: "101", registreret: "${cprRegistreret()}" }) { flyttet } }`,
      {},
      cprToken,
    );
    expect(r.data!.cprRegistrerBorger.flyttet).toBe(false);
    expect((await periode(id)).slut).toBeNull();
  });

  it('KP-4: a jobcenter that moves the borger itself changes no contact; the bopælskommune stays; the move is recorded', async () => {
    await insertBorger(ts, { cpr: '1201054321', jobcenter: '101' });
    const { id } = await insertKontaktperson(ts, { cpr: '1201054321', type: 32, start: '2026-01-01' });
    expect(errorCode(await ts.gql(`mutation { flytJobcentertilknytning(input: { cpr: "1201054321", tilJobcenter: "157" }) { id } }`, {}, jc461))).toBe('FORBIDDEN');
    // Only to a kommune's jobcenter (code table KOMMUNE, all 98): a handover to "000" would leave the borger with none.
    const ukendt = await ts.gql(`mutation { flytJobcentertilknytning(input: { cpr: "1201054321", tilJobcenter: "000" }) { id } }`, {}, jc101);
    expect(errorCode(ukendt)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(ukendt.errors)).toMatch(/tilJobcenter/);
    const kommuner = await ts.gql<{ koder: { id: number; navn: string }[] }>(`{ koder(liste: KOMMUNE) { id navn } }`, {}, jc101);
    expect(kommuner.data!.koder).toHaveLength(98);
    expect(kommuner.data!.koder.find((k) => k.id === 330)?.navn).toBe('Slagelse');
    const r = await ts.gql<{ flytJobcentertilknytning: Record<string, unknown> }>(
      `mutation { flytJobcentertilknytning(input: { cpr: "1201054321", tilJobcenter: "157" }) { kilde fraJobcenter tilJobcenter kontaktpersonerAfsluttet } }`,
      {},
      jc157,
    );
    expect(r.data!.flytJobcentertilknytning).toEqual({ kilde: 'MANUEL', fraJobcenter: '101', tilJobcenter: '157', kontaktpersonerAfsluttet: 0 });
    const [b] = await ts.sql<{ jobcenter: string; bopaelskommune: string }>(`select jobcenter, bopaelskommune from borger where cpr = '1201054321'`);
    expect(b).toEqual({ jobcenter: '157', bopaelskommune: '101' });
    expect((await periode(id)).slut).toBeNull();
    // The new jobcenter now sees the contacts; the old one does not.
    expect((await ts.gql<{ kontaktpersoner: Kp[] }>(LIST, { cpr: '1201054321' }, jc157)).data!.kontaktpersoner).toHaveLength(1);
    expect(errorCode(await ts.gql(LIST, { cpr: '1201054321' }, jc101))).toBe('FORBIDDEN');
    // It sees the previous jobcenter's caseworker by name, not by that jobcenter's internal key.
    await ts.sql(`update kontakt set intern_noegle = 'AD-101-kk' where id = (select kontakt_id from kontaktperson where id = ?)`, [id]);
    const seen = await ts.gql<{ kontaktpersoner: { kontakt: { navn: string; internNoegle: string | null } }[] }>(
      `query($cpr: CPR!) { kontaktpersoner(cpr: $cpr) { kontakt { navn internNoegle } } }`,
      { cpr: '1201054321' },
      jc157,
    );
    expect(seen.data!.kontaktpersoner[0].kontakt).toMatchObject({ internNoegle: null });
    expect(seen.data!.kontaktpersoner[0].kontakt.navn).toBeTruthy();
    // The new jobcenter may end the previous one's contact, not change it.
    const AENDR = `mutation($id: ID!, $i: AendrKontaktpersonInput!) { aendrKontaktperson(id: $id, input: $i) { slut rolle } }`;
    expect(errorCode(await ts.gql(AENDR, { id, i: { rolle: 'Overtaget' } }, jc157))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(AENDR, { id, i: { slut: '2027-06-30' } }, jc157))).toBeUndefined();
    expect(errorCode(await ts.gql(AENDR, { id, i: { slut: null } }, jc157))).toBe('FORBIDDEN');
    expect((await periode(id)).slut).toBe('2027-06-30');
    await ts.sql(`update kontaktperson set slut = null where id = ?`, [id]);
    // CPR follows later: that move ends the contact (KP-2), from the jobcenter the manual move left it in.
    const cpr = await ts.gql<{ cprRegistrerBorger: { borger: { senesteFlytning: Record<string, unknown> } } }>(
      `mutation { cprRegistrerBorger(input: { cpr: "1201054321", fornavn: "T", efternavn: "B", bopaelskommune: "157", registreret: "${cprRegistreret()}" }) { borger { senesteFlytning { kilde fraJobcenter kontaktpersonerAfsluttet } } } }`,
      {},
      cprToken,
    );
    expect(cpr.data!.cprRegistrerBorger.borger.senesteFlytning).toEqual({ kilde: 'CPR', fraJobcenter: '157', kontaktpersonerAfsluttet: 1 });
    expect((await periode(id)).slut).toBe(TODAY);
  });

  it('a batch move (municipal merger) re-codes every borger of the kommune and applies KP-2/KP-3 set-based; only CPR or SYSTEM may send it', async () => {
    for (const [i, cpr] of ['2001054321', '2101054321', '2201054321'].entries()) {
      await insertBorger(ts, { cpr, jobcenter: '851' });
      await insertKontaktperson(ts, { cpr, type: 32, start: '2026-01-01', org: '851' });
      await insertKontaktperson(ts, { cpr, type: 32, start: '2026-12-01', org: '851' });
      await insertKontaktperson(ts, { cpr, type: 8, start: '2026-01-01', org: '851' });
      if (i === 0) await insertKontaktperson(ts, { cpr, type: 32, start: '2026-01-01', slut: '2026-06-30', org: '851' });
    }
    const q = `mutation($i: CprMasseflytningInput!) { cprMasseflytning(input: $i) { borgere kontaktpersonerAfsluttet markeringerLukket } }`;
    const i = { fraKommune: '851', tilKommune: '461', registreret: cprRegistreret() };
    expect(errorCode(await ts.gql(q, { i }, jc101))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(q, { i: { ...i, tilKommune: '851' } }, cprToken))).toBe('BAD_USER_INPUT');
    // A kommune the KOMMUNE table lacks would leave every borger of the merger without a jobcenter.
    expect(errorCode(await ts.gql(q, { i: { ...i, tilKommune: '999' } }, cprToken))).toBe('BAD_USER_INPUT');
    // A registration time ahead of ours would outrank every later event of the merged borgere, as for cprRegistrerBorger.
    expect(errorCode(await ts.gql(q, { i: { ...i, registreret: '2026-11-28T11:00:00Z' } }, cprToken))).toBe('BAD_USER_INPUT');
    const r = await ts.gql<{ cprMasseflytning: Record<string, number> }>(q, { i }, cprToken);
    expect(r.data!.cprMasseflytning).toEqual({ borgere: 3, kontaktpersonerAfsluttet: 6, markeringerLukket: 0 });
    const rows = await ts.sql<{ kontaktpersontype: number; start: string; slut: string | null }>(
      `select kontaktpersontype, start::text start, slut::text slut from kontaktperson where cpr = '2001054321' order by id`,
    );
    expect(rows).toEqual([
      { kontaktpersontype: 32, start: '2026-01-01', slut: TODAY },
      { kontaktpersontype: 32, start: '2026-11-26', slut: '2026-11-26' },
      { kontaktpersontype: 8, start: '2026-01-01', slut: null },
      { kontaktpersontype: 32, start: '2026-01-01', slut: '2026-06-30' },
    ]);
    const moved = await ts.sql<{ n: string }>(`select count(*) n from borger where bopaelskommune = '461' and jobcenter = '461' and cpr in ('2001054321', '2101054321', '2201054321')`);
    expect(Number(moved[0].n)).toBe(3);
    const f = await ts.sql<{ kilde: string; kontaktpersoner_afsluttet: number }>(`select kilde, kontaktpersoner_afsluttet from borger_flytning where cpr = '2001054321'`);
    expect(f).toEqual([{ kilde: 'CPR_MASSE', kontaktpersoner_afsluttet: 2 }]);
  });

  describe("a merger is ordered with the borgere's own CPR events by registreret", () => {
    const CPR_EVENT = `mutation($i: CprBorgerInput!) { cprRegistrerBorger(input: $i) { anvendt flyttet borger { bopaelskommune jobcenter fornavn } } }`;
    const MERGER = `mutation($i: CprMasseflytningInput!) { cprMasseflytning(input: $i) { borgere borgereSprungetOver kontaktpersonerAfsluttet } }`;
    const event = async (cpr: string, bopaelskommune: string, registreret: string, fornavn = 'Test') => {
      const r = await ts.gql<{ cprRegistrerBorger: { anvendt: boolean; flyttet: boolean; borger: Record<string, string> } }>(
        CPR_EVENT,
        { i: { cpr, fornavn, efternavn: 'Borger', bopaelskommune, registreret } },
        cprToken,
      );
      expect(r.errors).toBeUndefined();
      return r.data!.cprRegistrerBorger;
    };
    const [LATE, NEWER] = ['2901054321', '2901054322'];
    let merger: { borgere: number; borgereSprungetOver: number; kontaktpersonerAfsluttet: number };

    beforeAll(async () => {
      await event(LATE, '330', '2026-10-01T08:00:00Z');
      await event(NEWER, '330', '2026-10-01T08:00:00Z');
      await insertKontaktperson(ts, { cpr: NEWER, type: 32, start: '2026-01-01', org: '330' });
      // CPR registered NEWER's own state (still in 330) after the merger, and delivered it first.
      await event(NEWER, '330', '2026-11-20T08:00:00Z', 'Nyere');
      const r = await ts.gql<{ cprMasseflytning: typeof merger }>(MERGER, { i: { fraKommune: '330', tilKommune: '326', registreret: '2026-11-15T00:00:00Z' } }, cprToken);
      expect(r.errors).toBeUndefined();
      merger = r.data!.cprMasseflytning;
    });

    it('KP-2: an own event registered before the merger and delivered after it changes nothing: it does not move the borger back', async () => {
      expect(await event(LATE, '330', '2026-11-10T08:00:00Z')).toEqual({ anvendt: false, flyttet: false, borger: { bopaelskommune: '326', jobcenter: '326', fornavn: 'Test' } });
      // One registered after the merger applies as any later event does.
      expect(await event(LATE, '326', '2026-11-16T08:00:00Z', 'Senere')).toMatchObject({ anvendt: true, flyttet: false, borger: { fornavn: 'Senere' } });
    });

    it('KP-2: an own event registered before the merger naming the merged-away kommune, delivered after it, puts a borger from elsewhere in the merged kommune', async () => {
      const [ELSEWHERE, NEW] = ['2901054323', '2901054324'];
      expect(await event(ELSEWHERE, '340', '2026-10-01T08:00:00Z')).toMatchObject({ anvendt: true, borger: { bopaelskommune: '340', jobcenter: '340' } });
      expect(await event(ELSEWHERE, '330', '2026-11-10T08:00:00Z')).toEqual({ anvendt: true, flyttet: true, borger: { bopaelskommune: '326', jobcenter: '326', fornavn: 'Test' } });
      expect(await ts.sql(`select fra_kommune, til_kommune, til_jobcenter from borger_flytning where cpr = ?`, [ELSEWHERE])).toEqual([
        { fra_kommune: '340', til_kommune: '326', til_jobcenter: '326' },
      ]);
      // A borger CPR created in the old kommune before the merger, first delivered after it, is created in the new one.
      expect(await event(NEW, '330', '2026-11-12T08:00:00Z')).toMatchObject({ anvendt: true, borger: { bopaelskommune: '326', jobcenter: '326' } });
      expect(await ts.sql(`select fra_kommune, til_kommune, registreret = '2026-11-15T00:00:00Z' as tid from kommunesammenlaegning where fra_kommune = '330'`)).toEqual([
        { fra_kommune: '330', til_kommune: '326', tid: true },
      ]);
    });

    it('KP-2: an own event registered after the merger naming the merged-away kommune is applied as sent (the KOMMUNE table still holds its code)', async () => {
      const AFTER = '2901054325';
      expect(await event(AFTER, '340', '2026-10-01T08:00:00Z')).toMatchObject({ anvendt: true, borger: { bopaelskommune: '340' } });
      expect(await event(AFTER, '330', '2026-11-16T08:00:00Z')).toEqual({ anvendt: true, flyttet: true, borger: { bopaelskommune: '330', jobcenter: '330', fornavn: 'Test' } });
      // A code the KOMMUNE table lacks is refused, before or after any merger.
      const r = await ts.gql(CPR_EVENT, { i: { cpr: AFTER, fornavn: 'Test', efternavn: 'Borger', bopaelskommune: '999', registreret: '2026-11-17T08:00:00Z' } }, cprToken);
      expect(errorCode(r)).toBe('BAD_USER_INPUT');
    });

    it('KP-2: a merger that runs while an own event registered before it moves a borger into the merged-away kommune finds the borger (the kommune lock)', async () => {
      const Z = '2901054326';
      expect(await event(Z, '340', '2026-10-01T08:00:00Z')).toMatchObject({ anvendt: true, borger: { bopaelskommune: '340' } });
      const holder = new pg.Client({ connectionString: ts.db.url });
      await holder.connect();
      try {
        // The event is held at the borger's row, after it has read that kommune 370 has had no merger.
        await holder.query('begin');
        await holder.query('select cpr from borger where cpr = $1 for update', [Z]);
        const moved = ts.gql<{ cprRegistrerBorger: { borger: { bopaelskommune: string } } }>(
          CPR_EVENT,
          { i: { cpr: Z, fornavn: 'Test', efternavn: 'Borger', bopaelskommune: '370', registreret: '2026-11-10T08:00:00Z' } },
          cprToken,
        );
        await lockWaiters(holder, 1);
        const merged = ts.gql<{ cprMasseflytning: typeof merger }>(MERGER, { i: { fraKommune: '370', tilKommune: '390', registreret: '2026-11-15T00:00:00Z' } }, cprToken);
        // The merger waits for the event's kommune lock; without it, it would select 370's borgere now and miss Z.
        await lockWaiters(holder, 2);
        await holder.query('commit');
        expect((await moved).errors).toBeUndefined();
        const r = await merged;
        expect(r.errors).toBeUndefined();
        expect(r.data!.cprMasseflytning.borgere).toBe(1);
      } finally {
        await holder.end();
      }
      expect(await ts.sql(`select bopaelskommune, jobcenter from borger where cpr = ?`, [Z])).toEqual([{ bopaelskommune: '390', jobcenter: '390' }]);
    });

    it('KP-2: a merger registered before a merger of its tilKommune, delivered after it, moves the borgere on to the merged kommune', async () => {
      const V = '2901054327';
      expect(await event(V, '350', '2026-10-01T08:00:00Z')).toMatchObject({ anvendt: true, borger: { bopaelskommune: '350' } });
      // CPR merged 350 into 360 (registered 11-12), then 360 into 376 (11-14); the second is delivered first.
      const later = await ts.gql<{ cprMasseflytning: typeof merger }>(MERGER, { i: { fraKommune: '360', tilKommune: '376', registreret: '2026-11-14T00:00:00Z' } }, cprToken);
      expect(later.errors).toBeUndefined();
      const earlier = await ts.gql<{ cprMasseflytning: typeof merger }>(MERGER, { i: { fraKommune: '350', tilKommune: '360', registreret: '2026-11-12T00:00:00Z' } }, cprToken);
      expect(earlier.errors).toBeUndefined();
      expect(earlier.data!.cprMasseflytning.borgere).toBe(1);
      expect(await ts.sql(`select bopaelskommune, jobcenter from borger where cpr = ?`, [V])).toEqual([{ bopaelskommune: '376', jobcenter: '376' }]);
      // The merger is recorded as CPR sent it, so an own event naming 350 follows both.
      expect(await ts.sql(`select til_kommune from kommunesammenlaegning where fra_kommune = '350'`)).toEqual([{ til_kommune: '360' }]);
    });

    it('KP-2: a merger delivered after a later merger of its tilKommune back into its fraKommune leaves the borgere where they are', async () => {
      const U = '2901054328';
      expect(await event(U, '410', '2026-10-01T08:00:00Z')).toMatchObject({ anvendt: true, borger: { bopaelskommune: '410' } });
      const back = await ts.gql<{ cprMasseflytning: typeof merger }>(MERGER, { i: { fraKommune: '420', tilKommune: '410', registreret: '2026-11-14T00:00:00Z' } }, cprToken);
      expect(back.errors).toBeUndefined();
      const late = await ts.gql<{ cprMasseflytning: typeof merger }>(MERGER, { i: { fraKommune: '410', tilKommune: '420', registreret: '2026-11-12T00:00:00Z' } }, cprToken);
      expect(late.errors).toBeUndefined();
      expect(late.data!.cprMasseflytning.borgere).toBe(0);
      expect(await ts.sql(`select bopaelskommune, jobcenter from borger where cpr = ?`, [U])).toEqual([{ bopaelskommune: '410', jobcenter: '410' }]);
      expect(await ts.sql(`select count(*)::int n from borger_flytning where cpr = ?`, [U])).toEqual([{ n: 0 }]);
    });

    it('KP-2: of two mergers of one kommune registered at the same instant, an own event delivered after both follows the one recorded first, as the borgere it moved did', async () => {
      const [W, LATE430] = ['2901054329', '2901054330'];
      expect(await event(W, '430', '2026-10-01T08:00:00Z')).toMatchObject({ anvendt: true, borger: { bopaelskommune: '430' } });
      const first = await ts.gql<{ cprMasseflytning: typeof merger }>(MERGER, { i: { fraKommune: '430', tilKommune: '440', registreret: '2026-11-15T00:00:00Z' } }, cprToken);
      expect(first.data!.cprMasseflytning.borgere).toBe(1);
      const second = await ts.gql<{ cprMasseflytning: typeof merger }>(MERGER, { i: { fraKommune: '430', tilKommune: '450', registreret: '2026-11-15T00:00:00Z' } }, cprToken);
      expect(second.data!.cprMasseflytning.borgere).toBe(0);
      // The table's physical order need not be the order of recording (a row written again, space reused after a
      // vacuum): the first merger's row now comes last in a scan.
      await ts.sql(`with d as (delete from kommunesammenlaegning where fra_kommune = '430' and til_kommune = '440' returning *) insert into kommunesammenlaegning select * from d`);
      expect((await ts.sql<{ til_kommune: string }>(`select til_kommune from kommunesammenlaegning where fra_kommune = '430'`)).map((r) => r.til_kommune)).toEqual(['450', '440']);
      expect(await event(LATE430, '430', '2026-11-10T08:00:00Z')).toMatchObject({ anvendt: true, borger: { bopaelskommune: '440', jobcenter: '440' } });
      expect(await ts.sql(`select bopaelskommune from borger where cpr = ?`, [W])).toEqual([{ bopaelskommune: '440' }]);
    });

    it('KP-2: mergers of two kommuner into each other delivered at the same moment queue on the kommune locks; neither is refused as a deadlock', async () => {
      const [X480, X482] = ['2901054331', '2901054332'];
      expect(await event(X480, '480', '2026-10-01T08:00:00Z')).toMatchObject({ anvendt: true, borger: { bopaelskommune: '480' } });
      expect(await event(X482, '482', '2026-10-01T08:00:00Z')).toMatchObject({ anvendt: true, borger: { bopaelskommune: '482' } });
      const holder = new pg.Client({ connectionString: ts.db.url });
      await holder.connect();
      try {
        // CPR events naming 480 and 482 hold both kommuner shared, so both mergers are let go at the same moment: each
        // would get its fraKommune and then wait for the other's, were they not taken in one order.
        await holder.query('begin');
        await holder.query('select pg_advisory_xact_lock_shared($1::int, 480), pg_advisory_xact_lock_shared($1::int, 482)', [KOMMUNE_LAAS_NAVNERUM]);
        const ud = ts.gql<{ cprMasseflytning: typeof merger }>(MERGER, { i: { fraKommune: '480', tilKommune: '482', registreret: '2026-11-12T00:00:00Z' } }, cprToken);
        await lockWaiters(holder, 1);
        const tilbage = ts.gql<{ cprMasseflytning: typeof merger }>(MERGER, { i: { fraKommune: '482', tilKommune: '480', registreret: '2026-11-14T00:00:00Z' } }, cprToken);
        await lockWaiters(holder, 2);
        await holder.query('commit');
        const [r1, r2] = await Promise.all([ud, tilbage]);
        expect(r1.errors).toBeUndefined();
        expect(r2.errors).toBeUndefined();
        // 480 → 482 ran first (it queued first on 480); 482 → 480, registered later, then moved both into 480.
        expect([r1.data!.cprMasseflytning.borgere, r2.data!.cprMasseflytning.borgere]).toEqual([1, 2]);
      } finally {
        await holder.end();
      }
      expect(await ts.sql(`select bopaelskommune from borger where cpr in (?, ?) order by cpr`, [X480, X482])).toEqual([{ bopaelskommune: '480' }, { bopaelskommune: '480' }]);
    });

    it("KP-2: a borger whose own state CPR registered after the merger is left as it is, contacts open, and counted as skipped", async () => {
      expect(merger).toMatchObject({ borgere: 1, borgereSprungetOver: 1 });
      expect(merger.kontaktpersonerAfsluttet).toBe(0);
      const [b] = await ts.sql(`select bopaelskommune, jobcenter, fornavn, cpr_registreret = '2026-11-20T08:00:00Z' as egen_tid from borger where cpr = ?`, [NEWER]);
      expect(b).toEqual({ bopaelskommune: '330', jobcenter: '330', fornavn: 'Nyere', egen_tid: true });
      expect(await ts.sql(`select 1 from kontaktperson where cpr = ? and slut is null`, [NEWER])).toHaveLength(1);
      expect(await ts.sql(`select 1 from borger_flytning where cpr = ?`, [NEWER])).toHaveLength(0);
    });
  });
});

describe('KP-7, KP-8: type-31 contacts from UDB', () => {
  const kontakt = (n: number) => ({ navn: `Studievejleder ${n}`, email: `sv${n}@euc.dk`, telefon: `8765432${n}`, cvr: '11223344', pnr: '1122334455' });
  const A = '3001054321'; // abonnement
  const B = '3101054321'; // no abonnement
  const D = '1503054321'; // abonnement starting in the future
  const E = '3001054322'; // abonnement, contacts unchanged between batches
  const UNKNOWN = '2801054321';

  async function run(records: UdbKontaktRecord[]) {
    const job = udbKontaktJob(() => new ArrayUdbKontaktKilde(records));
    return runJob(job, { orm: ts.orm, clock: ts.clock, log: silent, events: createDomainEventBus() }, { today: TODAY });
  }
  async function open31(cpr: string) {
    return ts.sql<{ navn: string; start: string }>(
      `select k.navn, kp.start::text start from kontaktperson kp join kontakt k on k.id = kp.kontakt_id where kp.cpr = ? and kp.kontaktpersontype = 31 and kp.slut is null order by k.navn`,
      [cpr],
    );
  }
  async function kp8(cpr: string) {
    return ts.sql<{ recipient_org: string; payload: { kontakter: { navn: string }[] } }>(
      `select recipient_org, payload from outbox_message where service_name = 'GetPersonAuthorityContactVersion1' and cpr = ? order by id`,
      [cpr],
    );
  }

  beforeAll(async () => {
    await insertBorger(ts, { cpr: A, jobcenter: '147' });
    await insertAbonnement(ts, { cpr: A, start: '2020-01-01', org: '147' });
    await insertBorger(ts, { cpr: B, jobcenter: '147' });
    await insertBorger(ts, { cpr: D, jobcenter: '147' });
    await insertAbonnement(ts, { cpr: D, start: '2027-01-01', org: '147' });
    await insertBorger(ts, { cpr: E, jobcenter: '147' });
    await insertAbonnement(ts, { cpr: E, start: '2020-01-01', org: '147' });
  });

  it('KP-7: applied only to borgere with an active abonnement; KP-8: each changed borger’s jobcenter is told', async () => {
    const r = await run([
      { cpr: A, kontakter: [kontakt(1), kontakt(2)] },
      { cpr: B, kontakter: [kontakt(1)] },
      { cpr: D, kontakter: [kontakt(1)] },
      { cpr: E, kontakter: [kontakt(3)] },
      { cpr: UNKNOWN, kontakter: [kontakt(1)] },
      { cpr: A.slice(0, 9) + '9', kontakter: [{ ...kontakt(1), email: 'ikke en mail' }] },
    ]);
    expect(r.report).toMatchObject({ linjer: 6, afvisteLinjer: 1, borgere: 5, ukendteCpr: 1, udenAbonnement: 2, tilfoejet: 3, afsluttet: 0, aendredeBorgere: 2 });
    expect(await open31(A)).toEqual([
      { navn: 'Studievejleder 1', start: TODAY },
      { navn: 'Studievejleder 2', start: TODAY },
    ]);
    expect(await open31(B)).toEqual([]);
    expect(await open31(D)).toEqual([]);
    const [m] = await kp8(A);
    expect(m.recipient_org).toBe('147');
    expect(m.payload.kontakter.map((k) => k.navn)).toEqual(['Studievejleder 1', 'Studievejleder 2']);
    expect(await kp8(B)).toEqual([]);
    const pulled = await ts.gql<{ naesteBeskeder: { beskeder: { cpr: string; indhold: { kontaktpersontype: number; kontakter: { navn: string; telefon: string }[] } }[] } }>(
      `{ naesteBeskeder(serviceName: "GetPersonAuthorityContactVersion1") { beskeder { cpr indhold { ... on GetPersonAuthorityContactVersion1 { kontaktpersontype kontakter { navn telefon } } } } } }`,
      {},
      await ts.token('JOBCENTER', '147'),
    );
    expect(pulled.data!.naesteBeskeder.beskeder.find((b) => b.cpr === A)!.indhold).toEqual({
      kontaktpersontype: 31,
      kontakter: [
        { navn: 'Studievejleder 1', telefon: '87654321' },
        { navn: 'Studievejleder 2', telefon: '87654322' },
      ],
    });
  });

  it('KP-7: the same batch again changes nothing and sends nothing (idempotent)', async () => {
    const outbox = await count('outbox_message');
    const rows = await count('kontaktperson');
    const r = await run([
      { cpr: A, kontakter: [kontakt(2), kontakt(1)] },
      { cpr: E, kontakter: [kontakt(3)] },
    ]);
    expect(r.report).toMatchObject({ tilfoejet: 0, afsluttet: 0, aendredeBorgere: 0 });
    expect(await count('outbox_message')).toBe(outbox);
    expect(await count('kontaktperson')).toBe(rows);
  });

  it('KP-8: a later batch ends what is gone and adds what is new; only borgere whose contacts changed are notified', async () => {
    const r = await run([
      { cpr: A, kontakter: [kontakt(2), kontakt(4)] },
      { cpr: E, kontakter: [kontakt(3)] },
    ]);
    expect(r.report).toMatchObject({ tilfoejet: 1, afsluttet: 1, aendredeBorgere: 1 });
    expect((await open31(A)).map((k) => k.navn)).toEqual(['Studievejleder 2', 'Studievejleder 4']);
    const ended = await ts.sql<{ slut: string }>(`select kp.slut::text slut from kontaktperson kp join kontakt k on k.id = kp.kontakt_id where kp.cpr = ? and k.navn = 'Studievejleder 1'`, [A]);
    expect(ended).toEqual([{ slut: TODAY }]);
    expect((await kp8(A)).map((m) => m.payload.kontakter.map((k) => k.navn))).toEqual([
      ['Studievejleder 1', 'Studievejleder 2'],
      ['Studievejleder 2', 'Studievejleder 4'],
    ]);
    expect(await kp8(E)).toHaveLength(1);
  });

  it('KP-7: an NDJSON file is a source, too; the job is registered daily', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'udb-'));
    const fil = path.join(dir, `kontakter-${TODAY}.ndjson`);
    writeFileSync(fil, [JSON.stringify({ cpr: E, kontakter: [kontakt(3), kontakt(5)] }), 'ikke json', ''].join('\n'));
    const job = jobs.find((j) => j.name === 'udb-kontaktimport')!;
    expect(job.schedule).toBe('0 3 * * *');
    const r = await runJob(job, { orm: ts.orm, clock: ts.clock, log: silent, events: createDomainEventBus() }, { today: TODAY, args: { fil: path.join(dir, 'kontakter-{dato}.ndjson') } });
    expect(r.report).toMatchObject({ linjer: 2, afvisteLinjer: 1, tilfoejet: 1, aendredeBorgere: 1 });
    await expect(runJob(job, { orm: ts.orm, clock: ts.clock, log: silent, events: createDomainEventBus() }, { today: '2026-11-28', args: { fil: path.join(dir, 'kontakter-{dato}.ndjson') } })).rejects.toThrow(/findes ikke/);
  });

  it('KP-7: a type-31 contact from UDB cannot be changed by the jobcenter', async () => {
    const [{ id }] = await ts.sql<{ id: string }>(`select id::text id from kontaktperson where cpr = ? and kontaktpersontype = 31 limit 1`, [A]);
    const r = await ts.gql(`mutation($id: ID!) { afslutKontaktperson(id: $id, slut: "${TODAY}") { id } }`, { id }, await ts.token('JOBCENTER', '147'));
    expect(r.errors![0].extensions).toMatchObject({ code: 'RULE_VIOLATION', rule: 'KP-7' });
  });

  it('KP-7, X-4: the refusal to change a type-31 contact named by id is logged as a read of its borger', async () => {
    const [{ id }] = await ts.sql<{ id: string }>(`select id::text id from kontaktperson where cpr = ? and kontaktpersontype = 31 limit 1`, [A]);
    const logged = async () =>
      Number((await ts.sql<{ n: string }>(`select count(*) n from access_log where cpr = ? and what = 'kontaktpersoner' and org = '147'`, [A]))[0].n);
    const before = await logged();
    const r = await ts.gql(`mutation($id: ID!) { aendrKontaktperson(id: $id, input: { visesPaaJobnet: false }) { id } }`, { id }, await ts.token('JOBCENTER', '147'));
    expect(r.errors![0].extensions).toMatchObject({ code: 'RULE_VIOLATION', rule: 'KP-7' });
    expect(await logged()).toBe(before + 1);
  });

  it('KP-7: UDB can send one borger’s contacts as a mutation: unknown CPR or no abonnement is a clear error, logged; a re-send changes nothing', async () => {
    const q = `mutation($i: UdbKontaktpersonerInput!) { udbKontaktpersoner(input: $i) { ny tilfoejet afsluttet jobcenterAdviseret } }`;
    const i = (cpr: string, id: string, kontakter = [kontakt(6)]) => ({ i: { haendelseId: id, cpr, dato: TODAY, kontakter } });
    expect((await ts.gql(q, i(UNKNOWN, 'k-1'), udb)).errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'UKENDT_CPR' });
    expect((await ts.gql(q, i(B, 'k-2'), udb)).errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'INTET_ABONNEMENT' });
    expect(errorCode(await ts.gql(q, i(A, 'k-3', [{ ...kontakt(6), telefon: '12' }]), udb))).toBe('BAD_USER_INPUT');
    expect(errorCode(await ts.gql(q, i(A, 'k-4'), jc101))).toBe('FORBIDDEN');
    const ok = await ts.gql<{ udbKontaktpersoner: Record<string, unknown> }>(q, i(A, 'k-5'), udb);
    expect(ok.data!.udbKontaktpersoner).toEqual({ ny: true, tilfoejet: 1, afsluttet: 2, jobcenterAdviseret: true });
    const again = await ts.gql<{ udbKontaktpersoner: Record<string, unknown> }>(q, i(A, 'k-5'), udb);
    expect(again.data!.udbKontaktpersoner).toMatchObject({ ny: false, jobcenterAdviseret: false });
    const afvist = await ts.sql<{ haendelse_id: string }>(`select haendelse_id from udb_haendelse_afvist where type = 'KONTAKTER' order by id`);
    expect(afvist.map((a) => a.haendelse_id)).toEqual(['k-1', 'k-2']);
  });
});

describe('KP-7, KP-8: the daily batch and UDB’s mutation on the same borger', () => {
  const kontakt = (n: number) => ({ navn: `Studievejleder ${n}`, email: `sv${n}@euc.dk`, telefon: `8765432${n}`, cvr: '11223344', pnr: '1122334455' });
  const MUTATION = `mutation($i: UdbKontaktpersonerInput!) { udbKontaktpersoner(input: $i) { ny anvendt tilfoejet afsluttet jobcenterAdviseret } }`;
  const services = () => ({ orm: ts.orm, clock: ts.clock, log: silent, events: createDomainEventBus() });

  async function ny(cpr: string) {
    await insertBorger(ts, { cpr, jobcenter: '147' });
    await insertAbonnement(ts, { cpr, start: '2020-01-01', org: '147' });
  }
  async function batch(records: UdbKontaktRecord[], today = TODAY) {
    return (await runJob(udbKontaktJob(() => new ArrayUdbKontaktKilde(records)), services(), { today })).report;
  }
  function modtag(i: UdbKontakterInput) {
    return new UdbKontaktService().modtag(createCtx(services(), { sub: 'udb', role: Role.UDB, org: 'UDB' }, 'udb-test'), i);
  }
  async function aabne(cpr: string) {
    return (
      await ts.sql<{ navn: string }>(
        `select k.navn from kontaktperson kp join kontakt k on k.id = kp.kontakt_id where kp.cpr = ? and kp.kontaktpersontype = 31 and kp.slut is null order by k.navn, kp.id`,
        [cpr],
      )
    ).map((r) => r.navn);
  }
  async function kp8(cpr: string) {
    return ts.sql(`select id from outbox_message where service_name = 'GetPersonAuthorityContactVersion1' and cpr = ?`, [cpr]);
  }

  /**
   * One chunk of the batch in its own transaction, held just after it has read the borgere's open contacts (the
   * point where the reviewer's race happens) until `release`.
   */
  async function batchHoldtEfterLaesning(records: UdbKontaktRecord[]) {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const atGate = new Promise<void>((r) => (reached = r));
    const done = transaction(createJobCtx(services(), 'udb-kontaktimport'), (tx) => {
      const em = new Proxy(tx.em, {
        get(target, prop) {
          const v = Reflect.get(target, prop, target);
          if (typeof v !== 'function') return v;
          if (prop !== 'execute') return v.bind(target);
          return async (...args: unknown[]) => {
            const res = await v.apply(target, args);
            if (String(args[0]).includes('insert into udb_import_aabne')) {
              reached();
              await gate;
            }
            return res;
          };
        },
      });
      return anvendUdbKontakter(deriveCtx(tx, { em }), records.map(validateRecord), TODAY, { dato: TODAY, kilde: UdbKontaktKildetype.BATCH });
    });
    await Promise.race([atGate, done]);
    return { release, done };
  }

  /** Until `p` has finished or some session waits for a lock (the other writer, queued behind the batch). */
  async function faerdigEllerVenter(p: Promise<unknown>) {
    let settled = false;
    p.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let i = 0; i < 250 && !settled; i++) {
      const [w] = await ts.sql<{ n: number }>(`select count(*)::int n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
      if (w.n > 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('KP-7, KP-8: UDB’s mutation adding a contact while the batch holds the borger’s open contacts read: one open attachment, one message', async () => {
    const cpr = '0112054321';
    await ny(cpr);
    await ny('0212054321');
    // A school's contact is shared between borgere, so it exists before either writer reaches this borger.
    await batch([{ cpr: '0212054321', kontakter: [kontakt(7)] }]);
    const b = await batchHoldtEfterLaesning([{ cpr, kontakter: [kontakt(7)] }]);
    const m = ts.gql(MUTATION, { i: { haendelseId: 'samtidig-1', cpr, dato: TODAY, kontakter: [kontakt(7)] } }, udb);
    await faerdigEllerVenter(m);
    b.release();
    expect(await b.done).toMatchObject({ tilfoejet: 1, aendredeBorgere: 1 });
    expect((await m).errors).toBeUndefined();
    expect(await aabne(cpr)).toEqual(['Studievejleder 7']);
    expect(await kp8(cpr)).toHaveLength(1);
  });

  it('KP-7, KP-8: a manual run of the job beside the scheduled one: one open attachment, one message', async () => {
    const cpr = '0312054321';
    await ny(cpr);
    await ny('0712054321');
    await batch([{ cpr: '0712054321', kontakter: [kontakt(8)] }]);
    const b = await batchHoldtEfterLaesning([{ cpr, kontakter: [kontakt(8)] }]);
    const manuel = batch([{ cpr, kontakter: [kontakt(8)] }]);
    await faerdigEllerVenter(manuel);
    b.release();
    await b.done;
    await manuel;
    expect(await aabne(cpr)).toEqual(['Studievejleder 8']);
    expect(await kp8(cpr)).toHaveLength(1);
  });

  it('KP-7: the database holds one open type-31 attachment per borger and contact; the migration ends the duplicates made before it, keeping the earliest', async () => {
    const cpr = '0412054321';
    await ny(cpr);
    await batch([{ cpr, kontakter: [kontakt(1)] }]);
    const [k] = await ts.sql<{ kontakt_id: string }>(`select kontakt_id from kontaktperson where cpr = ? and kontaktpersontype = 31`, [cpr]);
    const dublet = `insert into kontaktperson (cpr, kontakt_id, kontaktpersontype, start, registreret_af_rolle, registreret_af_org, registreret_af)
                    values ($1, $2, 31, $3, 'UDB', 'UDB', 'test') returning id`;
    const c = new pg.Client({ connectionString: ts.db.url });
    await c.connect();
    try {
      await expect(c.query(dublet, [cpr, k.kontakt_id, TODAY])).rejects.toMatchObject({ code: '23505' });
      // The state the defect left: the index as it was, and two more open attachments of the same contact.
      await c.query(`drop index kontaktperson_open_31_idx; create index kontaktperson_open_31_idx on kontaktperson (cpr, kontakt_id) where kontaktpersontype = 31 and slut is null`);
      await c.query(dublet, [cpr, k.kontakt_id, TODAY]);
      const tidligst = (await c.query(dublet, [cpr, k.kontakt_id, '2026-11-20'])).rows[0].id;
      await c.query(UNIKKE_AABNE_31_SQL);
    } finally {
      await c.end();
    }
    const rows = await ts.sql<{ id: string; start: string; slut: string | null }>(
      `select id::text id, start::text start, slut::text slut from kontaktperson where cpr = ? and kontaktpersontype = 31 order by id`,
      [cpr],
    );
    expect(rows.filter((r) => r.slut === null).map((r) => r.start)).toEqual(['2026-11-20']);
    expect(rows.filter((r) => r.slut !== null).every((r) => r.slut === r.start)).toBe(true);
    expect(rows).toHaveLength(3);
    const [ix] = await ts.sql<{ def: string }>(`select indexdef def from pg_indexes where indexname = 'kontaktperson_open_31_idx'`);
    expect(ix.def).toMatch(/^CREATE UNIQUE INDEX/);
  });

  it('KP-7: which snapshot of a borger’s type-31 contacts replaces the one in force', () => {
    const b = (dato: string) => ({ dato, kilde: UdbKontaktKildetype.BATCH });
    const h = (dato: string) => ({ dato, kilde: UdbKontaktKildetype.HAENDELSE, haendelseId: 'x' });
    expect(erstatter(h('2026-11-23'), null)).toBe(true);
    expect(erstatter(h('2026-11-23'), h('2026-11-25'))).toBe(false);
    expect(erstatter(h('2026-11-25'), h('2026-11-25'))).toBe(true);
    expect(erstatter(b('2026-11-27'), h('2026-11-27'))).toBe(false);
    expect(erstatter(b('2026-11-28'), h('2026-11-27'))).toBe(true);
    expect(erstatter(h('2026-11-27'), b('2026-11-27'))).toBe(true);
    expect(erstatter(h('2026-11-26'), b('2026-11-27'))).toBe(false);
    expect(erstatter(b('2026-11-27'), b('2026-11-27'))).toBe(true);
    expect(erstatter(b('2026-11-26'), b('2026-11-27'))).toBe(false);
  });

  it('KP-7: an older snapshot from UDB arriving after a newer one does not replace it; it is kept as received and answered as not applied', async () => {
    const cpr = '0512054321';
    await ny(cpr);
    const i = (haendelseId: string, dato: string, n: number) => ({ haendelseId, cpr, dato, kontakter: [kontakt(n)] });
    const h2 = await modtag(i('h2', '2026-11-25', 2));
    const h1 = await modtag(i('h1', '2026-11-23', 1));
    expect(await aabne(cpr)).toEqual(['Studievejleder 2']);
    expect(await kp8(cpr)).toHaveLength(1);
    expect(h2).toEqual({ ny: true, anvendt: true, tilfoejet: 1, afsluttet: 0, jobcenterAdviseret: true });
    expect(h1).toEqual({ ny: true, anvendt: false, tilfoejet: 0, afsluttet: 0, jobcenterAdviseret: false });
    const modtaget = await ts.sql<{ haendelse_id: string }>(`select haendelse_id from udb_haendelse where cpr = ? and type = 'KONTAKTER' order by id`, [cpr]);
    expect(modtaget.map((r) => r.haendelse_id)).toEqual(['h2', 'h1']);
    expect(await modtag(i('h1', '2026-11-23', 1))).toMatchObject({ ny: false, anvendt: false });
    // Through GraphQL: nothing added, nothing ended, nobody told.
    const r = await ts.gql<{ udbKontaktpersoner: Record<string, unknown> }>(MUTATION, { i: i('h0', '2026-11-22', 3) }, udb);
    expect(r.data!.udbKontaktpersoner).toEqual({ ny: true, anvendt: false, tilfoejet: 0, afsluttet: 0, jobcenterAdviseret: false });
    // Of the same date as the one in force, the later arrival is the later state.
    expect(await modtag(i('h3', '2026-11-25', 3))).toMatchObject({ ny: true, anvendt: true, tilfoejet: 1, afsluttet: 1 });
    expect(await aabne(cpr)).toEqual(['Studievejleder 3']);
  });

  it('KP-7: the batch does not undo UDB’s mutation of its own day or later; the next day’s batch does; a mutation older than the batch in force is not applied', async () => {
    const cpr = '0612054321';
    await ny(cpr);
    const m1 = await modtag({ haendelseId: 'm-1', cpr, dato: TODAY, kontakter: [kontakt(2)] });
    const sammeDag = await batch([{ cpr, kontakter: [kontakt(1)] }]);
    expect(await aabne(cpr)).toEqual(['Studievejleder 2']);
    expect(await kp8(cpr)).toHaveLength(1);
    expect(m1).toMatchObject({ anvendt: true, tilfoejet: 1 });
    expect(sammeDag).toMatchObject({ nyereIKraft: 1, tilfoejet: 0, afsluttet: 0, aendredeBorgere: 0 });
    expect(await batch([{ cpr, kontakter: [kontakt(1)] }], '2026-11-28')).toMatchObject({ nyereIKraft: 0, tilfoejet: 1, afsluttet: 1, aendredeBorgere: 1 });
    expect(await aabne(cpr)).toEqual(['Studievejleder 1']);
    const m2 = await modtag({ haendelseId: 'm-2', cpr, dato: TODAY, kontakter: [kontakt(2)] });
    expect(await aabne(cpr)).toEqual(['Studievejleder 1']);
    expect(await kp8(cpr)).toHaveLength(2);
    expect(m2).toMatchObject({ ny: true, anvendt: false, tilfoejet: 0 });
  });
});
