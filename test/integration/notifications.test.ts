import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCtx } from '../../src/context/create-ctx';
import { Role } from '../../src/context/roles';
import { insertRows } from '../../src/db/rows';
import { transaction } from '../../src/db/transaction';
import { Kontakt } from '../../src/kontaktperson/kontakt.entity';
import { DomainEventBus } from '../../src/events/domain-events';
import { writeOutboxFromSql } from '../../src/events/outbox';
import { recipientHint } from '../../src/events/outbox-notify';
import { ModtagerType, recipient } from '../../src/events/recipient';
import { GET_TIDLIG_PENSION } from '../../src/tidlig-pension/tidlig-pension.messages';
import { insertBorger } from '../helpers/fixtures';
import { errorCode, startTestServer, type TestServer } from '../helpers/server';
import { collect, sleep } from '../helpers/ws';

let ts: TestServer;
let udk: string;
let ak12: string;
let ak13: string;

const CPR_A = '0507652345';
const CPR_B = '2212901234';

beforeAll(async () => {
  ts = await startTestServer({ today: '2026-11-27', config: { subscriptionBuffer: 50 } });
  udk = await ts.token('UDK', 'udk');
  ak12 = await ts.token('AKASSE', '12');
  ak13 = await ts.token('AKASSE', '13');
  await insertBorger(ts, { cpr: CPR_A, jobcenter: '157', medlemskab: [{ akasse: '12', start: '2020-01-01' }] });
  await insertBorger(ts, { cpr: CPR_B, jobcenter: '101', medlemskab: [{ akasse: '13', start: '2020-01-01' }] });
});
afterAll(async () => ts?.close());

let amount = 100_00;
/** A committed change that emits one GetTidligPensionVersion1 to the borger's a-kasse. */
async function report(cpr = CPR_A) {
  const r = await ts.gql<{ indberetTidligPension: { ny: boolean; sendtTilAkasse: string } }>(
    `mutation($i: TidligPensionInput!) { indberetTidligPension(input: $i) { ny sendtTilAkasse } }`,
    { i: { cpr, afgoerelsesdato: '2026-11-01', start: '2027-01-01', beloebOere: amount++, kompensationsbeloebOere: 500_00 } },
    udk,
  );
  expect(r.errors).toBeUndefined();
  return r.data!.indberetTidligPension;
}

const PULL = `query($s: String) { naesteBeskeder(serviceName: $s) { kvitteretTil beskeder { id serviceName modtagerType modtagerOrg cpr registrering { rolle org bruger } indhold { __typename ... on GetTidligPensionVersion1 { beloebOere kompensationsbeloebOere start } } } } }`;
type Pulled = { naesteBeskeder: { kvitteretTil: string; beskeder: { id: string; serviceName: string; cpr: string; modtagerOrg: string; indhold: { beloebOere: number } }[] } };
const SUB = `subscription($after: ID, $s: String) { beskeder(after: $after, serviceName: $s) { id serviceName cpr indhold { ... on GetTidligPensionVersion1 { beloebOere } } } }`;
type Pushed = { beskeder: { id: string; cpr: string; indhold: { beloebOere: number } } };

async function outboxCount(): Promise<number> {
  return Number((await ts.sql<{ n: string }>(`select count(*) n from outbox_message`))[0].n);
}

describe('X-3: transactional outbox', () => {
  it('X-3: a committed change always has its message, with authority, user, CPR and typed payload', async () => {
    const before = await outboxCount();
    expect(await report()).toEqual({ ny: true, sendtTilAkasse: '12' });
    expect(await outboxCount()).toBe(before + 1);
    const [row] = await ts.sql<Record<string, unknown>>(`select * from outbox_message order by id desc limit 1`);
    expect(row).toMatchObject({ service_name: 'GetTidligPensionVersion1', recipient_type: 'AKASSE', recipient_org: '12', cpr: CPR_A, authority_role: 'UDK', authority_org: 'udk' });
  });

  it('X-3: a failed change leaves no message', async () => {
    const before = await outboxCount();
    const r = await ts.gql(
      `mutation { indberetTidligPension(input: { cpr: "0101054321", afgoerelsesdato: "2026-11-01", start: "2027-01-01", beloebOere: 1 }) { ny } }`,
      {},
      udk,
    );
    expect(errorCode(r)).toBe('NOT_FOUND');
    expect(await outboxCount()).toBe(before);
  });

  it('X-3: a transaction that emits and then fails rolls its message back', async () => {
    const before = await outboxCount();
    const ctx = createCtx({ orm: ts.orm, clock: ts.clock, log: (await import('pino')).default({ level: 'silent' }), events: new DomainEventBus() }, { sub: 't', role: Role.SYSTEM, org: 'dfdg' }, 'test');
    await expect(
      transaction(ctx, async (tx) => {
        tx.outbox!.emit({ serviceName: 'GetTidligPensionVersion1', recipient: recipient(ModtagerType.AKASSE, '12'), cpr: CPR_A, payload: {} });
        await tx.em.getConnection().execute('select 1', [], 'all', tx.em.getTransactionContext());
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await outboxCount()).toBe(before);
  });

  it('X-3: rows and messages written together by insertRows roll back together when the transaction fails after them', async () => {
    const before = await outboxCount();
    const kontakter = async () => Number((await ts.sql<{ n: string }>(`select count(*) n from kontakt where navn = 'Rullet tilbage'`))[0].n);
    const ctx = createCtx({ orm: ts.orm, clock: ts.clock, log: (await import('pino')).default({ level: 'silent' }), events: new DomainEventBus() }, { sub: 't', role: Role.SYSTEM, org: 'dfdg' }, 'test');
    let written: string[] = [];
    await expect(
      transaction(ctx, async (tx) => {
        tx.outbox!.emit({ serviceName: 'GetTidligPensionVersion1', recipient: recipient(ModtagerType.AKASSE, '12'), cpr: CPR_A, payload: {} });
        written = await insertRows(tx, [{ entity: Kontakt, data: { navn: 'Rullet tilbage', ejerRolle: Role.JOBCENTER, ejerOrg: '101' } }]);
        // Inside the transaction both are there…
        const [seen] = await tx.em.getConnection().execute<{ n: number }[]>(`select count(*)::int n from kontakt where navn = 'Rullet tilbage'`, [], 'all', tx.em.getTransactionContext());
        expect(seen.n).toBe(1);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    // …and after the failure neither is.
    expect(written).toHaveLength(1);
    expect(await kontakter()).toBe(0);
    expect(await outboxCount()).toBe(before);
  });

  it('X-3: insertRows writes the rows and the pending messages in one statement, and the transaction then writes no more', async () => {
    const before = await outboxCount();
    const ctx = createCtx({ orm: ts.orm, clock: ts.clock, log: (await import('pino')).default({ level: 'silent' }), events: new DomainEventBus() }, { sub: 't', role: Role.SYSTEM, org: 'dfdg' }, 'test');
    const n = await ts.countQueries(() =>
      transaction(ctx, async (tx) => {
        // An a-kasse no other test reads, with a payload of the registered type.
        const payload = { tidligPensionId: '0', afgoerelsesdato: '2026-11-01', start: '2027-01-01', slut: null, beloebOere: 1, kompensationsbeloebOere: null };
        tx.outbox!.emit({ serviceName: 'GetTidligPensionVersion1', recipient: recipient(ModtagerType.AKASSE, '99'), cpr: CPR_A, payload });
        await insertRows(tx, [{ entity: Kontakt, data: { navn: 'Skrevet sammen', ejerRolle: Role.JOBCENTER, ejerOrg: '101' } }]);
      }),
    );
    expect(n).toBe(3); // BEGIN, the statement, COMMIT
    expect(await outboxCount()).toBe(before + 1);
    expect(await ts.sql(`select navn from kontakt where navn = 'Skrevet sammen'`)).toHaveLength(1);
  });

  it('X-3: the NOTIFY of a commit carries its id and names each recipient its rows went to by a hint, never by its key; the service\'s writes and batch writes alike', async () => {
    const listener = new pg.Client({ connectionString: ts.db.url });
    await listener.connect();
    const payloads: string[] = [];
    listener.on('notification', (n) => payloads.push(n.payload ?? ''));
    await listener.query('LISTEN dfdg_outbox');
    try {
      await report();
      const [one] = await ts.sql<{ id: string }>(`select max(id)::text id from outbox_message where recipient_type = 'AKASSE' and recipient_org = '12'`);
      const ctx = createCtx({ orm: ts.orm, clock: ts.clock, log: (await import('pino')).default({ level: 'silent' }), events: new DomainEventBus() }, { sub: 't', role: Role.SYSTEM, org: 'dfdg' }, 'test');
      await transaction(ctx, (tx) =>
        writeOutboxFromSql(tx.em, tx.principal!, {
          select: `select 'GetTidligPensionVersion1' service_name, 'BORGER' recipient_type, ? recipient_org, ? cpr, '{}'::jsonb payload, 1 ord`,
          params: [CPR_B, CPR_B],
          // A batch may lock more recipients than its rows reach; the NOTIFY names those the rows went to.
          recipients: [recipient(ModtagerType.BORGER, CPR_B), recipient(ModtagerType.BORGER, CPR_A)],
        }),
      );
      const [two] = await ts.sql<{ id: string }>(`select max(id)::text id from outbox_message where recipient_type = 'BORGER' and recipient_org = ?`, [CPR_B]);
      for (let i = 0; i < 50 && payloads.length < 2; i++) await sleep(20);
      expect(payloads).toEqual([`${one.id}:${recipientHint('AKASSE:12')}`, `${two.id}:${recipientHint(`BORGER:${CPR_B}`)}`]);
      expect(payloads.join()).not.toContain(CPR_B);
      // Past 700 recipients the id alone (every instance then reads all it serves), within NOTIFY's 8,000 bytes.
      const [p] = await ts.sql<{ many: string; none: string }>(
        `select outbox_notify_payload(7, array(select 'BORGER:' || g from generate_series(1, 701) g)) many, outbox_notify_payload(7, '{}') none`,
      );
      expect(p).toEqual({ many: '7', none: '7' });
    } finally {
      await listener.end();
    }
  });

  it('TP-1: re-sending the same report changes nothing and sends nothing', async () => {
    const i = { cpr: CPR_A, afgoerelsesdato: '2026-10-01', start: '2027-02-01', beloebOere: 7 };
    const q = `mutation($i: TidligPensionInput!) { indberetTidligPension(input: $i) { ny } }`;
    expect((await ts.gql(q, { i }, udk)).data).toEqual({ indberetTidligPension: { ny: true } });
    const before = await outboxCount();
    expect((await ts.gql(q, { i }, udk)).data).toEqual({ indberetTidligPension: { ny: false } });
    expect(await outboxCount()).toBe(before);
  });
});

/** `n` GetTidligPensionVersion1 messages to a-kasse `org`, straight into the outbox. */
async function akasseBeskeder(org: string, n: number) {
  await ts.sql(
    `insert into outbox_message (service_name, recipient_type, recipient_org, cpr, authority_role, authority_org, registered_by, payload)
     select 'GetTidligPensionVersion1', 'AKASSE', ?, null, 'UDK', 'udk', 'x', '{"tidligPensionId":"1","afgoerelsesdato":"2026-01-01","start":"2026-01-01","slut":null,"beloebOere":1,"kompensationsbeloebOere":null}'::jsonb
     from generate_series(1, ?::int)`,
    [org, n],
  );
}

describe('X-5: pull queue (WSRM)', () => {
  it('X-5: next messages after the acknowledged one; unacknowledged come again; acknowledged do not', async () => {
    const first = (await ts.gql<Pulled>(PULL, {}, ak12)).data!.naesteBeskeder;
    expect(first.beskeder.length).toBeGreaterThan(0);
    expect(first.beskeder.every((b) => b.modtagerOrg === '12' && b.cpr === CPR_A)).toBe(true);
    const again = (await ts.gql<Pulled>(PULL, {}, ak12)).data!.naesteBeskeder;
    expect(again.beskeder.map((b) => b.id)).toEqual(first.beskeder.map((b) => b.id));

    const last = first.beskeder[first.beskeder.length - 1].id;
    const ack = await ts.gql(`mutation($id: ID!) { kvitterBeskeder(tilOgMed: $id) }`, { id: last }, ak12);
    expect(ack.data).toEqual({ kvitterBeskeder: last });
    await report();
    const next = (await ts.gql<Pulled>(PULL, {}, ak12)).data!.naesteBeskeder;
    expect(next.kvitteretTil).toBe(last);
    expect(next.beskeder).toHaveLength(1);
    expect(Number(next.beskeder[0].id)).toBeGreaterThan(Number(last));
  });

  it('X-5: each message carries id, service name, registering authority and user, and the CPR', async () => {
    const [b] = (await ts.gql<{ naesteBeskeder: { beskeder: Record<string, unknown>[] } }>(PULL, {}, ak12)).data!.naesteBeskeder.beskeder;
    expect(b).toMatchObject({ serviceName: 'GetTidligPensionVersion1', modtagerType: 'AKASSE', cpr: CPR_A, registrering: { rolle: 'UDK', org: 'udk', bruger: 'udk-udk' } });
    expect((b.indhold as { __typename: string }).__typename).toBe('GetTidligPensionVersion1');
  });

  it('X-5: at most 500 at a time', async () => {
    await akasseBeskeder('77', 600);
    const ak77 = await ts.token('AKASSE', '77');
    const page = (await ts.gql<Pulled>(PULL, {}, ak77)).data!.naesteBeskeder;
    expect(page.beskeder).toHaveLength(500);
    expect(errorCode(await ts.gql(`{ naesteBeskeder(max: 501) { kvitteretTil } }`, {}, ak77))).toBe('BAD_USER_INPUT');
  });

  it('X-5: a queue is per recipient: another a-kasse sees none of these, and cannot acknowledge past its own', async () => {
    const page = (await ts.gql<Pulled>(PULL, {}, ak13)).data!.naesteBeskeder;
    expect(page.beskeder.every((b) => b.modtagerOrg === '13')).toBe(true);
    expect(errorCode(await ts.gql(`mutation { kvitterBeskeder(tilOgMed: "999999") }`, {}, ak13))).toBe('BAD_USER_INPUT');
  });

  it('X-5: only messages handed out may be acknowledged: an id past the last one fetched is refused and acknowledges nothing', async () => {
    await akasseBeskeder('78', 3);
    const ak78 = await ts.token('AKASSE', '78');
    const ids = (await ts.sql<{ id: string }>(`select id::text from outbox_message where recipient_org = '78' order by id`)).map((r) => r.id);
    const ack = (id: string) => ts.gql<{ kvitterBeskeder: string }>(`mutation($id: ID!) { kvitterBeskeder(tilOgMed: $id) }`, { id }, ak78);
    // Nothing fetched yet: not even the first may be acknowledged.
    expect(errorCode(await ack(ids[0]))).toBe('BAD_USER_INPUT');
    const page = (await ts.gql<Pulled>(`{ naesteBeskeder(max: 2) { kvitteretTil beskeder { id } } }`, {}, ak78)).data!.naesteBeskeder;
    expect(page.beskeder.map((b) => b.id)).toEqual(ids.slice(0, 2));
    const refused = await ack(ids[2]);
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors![0].message).toContain(ids[1]);
    expect((await ts.gql<Pulled>(`{ naesteBeskeder(max: 3) { kvitteretTil beskeder { id } } }`, {}, ak78)).data!.naesteBeskeder.beskeder.map((b) => b.id)).toEqual(ids);
    expect((await ack(ids[1])).data).toEqual({ kvitterBeskeder: ids[1] });
    expect((await ack(ids[2])).data).toEqual({ kvitterBeskeder: ids[2] });
  });

  it('X-5: roles without a queue are refused', async () => {
    expect(errorCode(await ts.gql(PULL, {}, await ts.token('CPR', 'cpr')))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(PULL, {}))).toBe('UNAUTHENTICATED');
  });

  it('X-4: pulling messages about a borger is logged as a read', async () => {
    await ts.gql(PULL, {}, ak12);
    const [row] = await ts.sql<{ n: string }>(`select count(*) n from access_log where org = '12' and what = 'besked:GetTidligPensionVersion1' and cpr = ?`, [CPR_A]);
    expect(Number(row.n)).toBeGreaterThan(0);
  });
});

describe('X-3: live push over graphql-ws', () => {
  it('X-3: a subscriber gets its own organisation’s messages live, in id order; others get none', async () => {
    const [mine, theirs] = await ts.subscribed(2, () => [collect<Pushed>(ts.ws(ak12), SUB), collect<Pushed>(ts.ws(ak13), SUB)]);
    await report();
    await report();
    const got = await mine.waitFor(2);
    expect(got.map((g) => g.beskeder.cpr)).toEqual([CPR_A, CPR_A]);
    expect(Number(got[1].beskeder.id)).toBeGreaterThan(Number(got[0].beskeder.id));
    await sleep(300);
    expect(theirs.items).toEqual([]);
    mine.dispose();
    theirs.dispose();
  });

  it('X-3: `after` replays what was missed, then goes live, with no gap and no duplicate at the seam', async () => {
    const before = (await ts.gql<Pulled>(PULL, {}, ak12)).data!.naesteBeskeder.beskeder;
    const all = await ts.sql<{ id: string }>(`select id::text id from outbox_message where recipient_type = 'AKASSE' and recipient_org = '12' order by outbox_message.id`);
    const after = all[all.length - 3].id; // two messages to replay
    const sub = collect<Pushed>(ts.ws(ak12), SUB, { after });
    // Emit while the replay may still be running, to cross the seam.
    const live = [report(), report(), report()];
    await Promise.all(live);
    const got = await sub.waitFor(5);
    await sleep(300);
    const ids = sub.items.map((g) => Number(g.beskeder.id));
    expect(ids).toHaveLength(5);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(5);
    expect(ids[0]).toBe(Number(all[all.length - 2].id));
    expect(before.length).toBeGreaterThan(0);
    expect(got.length).toBe(5);
    sub.dispose();
  });

  it('X-3: a client that reconnects with its last id loses nothing', async () => {
    const first = await ts.subscribed(1, () => collect<Pushed>(ts.ws(ak12), SUB));
    await report();
    const [one] = await first.waitFor(1);
    first.dispose();
    await report(); // while offline
    await report();
    const second = collect<Pushed>(ts.ws(ak12), SUB, { after: one.beskeder.id });
    const got = await second.waitFor(2);
    expect(Number(got[0].beskeder.id)).toBeGreaterThan(Number(one.beskeder.id));
    second.dispose();
  });

  it('X-3: serviceName narrows the stream', async () => {
    const [none, some] = await ts.subscribed(2, () => [
      collect<Pushed>(ts.ws(ak12), SUB, { s: 'GetPersonAuthorityContactVersion1' }),
      collect<Pushed>(ts.ws(ak12), SUB, { s: 'GetTidligPensionVersion1' }),
    ]);
    await report();
    await some.waitFor(1);
    await sleep(200);
    expect(none.items).toEqual([]);
    none.dispose();
    some.dispose();
  });

  it('X-3: if the listening connection drops, the instance reconnects and catches up from the table', async () => {
    const sub = await ts.subscribed(1, () => collect<Pushed>(ts.ws(ak12), SUB));
    await ts.sql(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'dfdg-outbox-listener' and datname = current_database()`);
    await report(); // committed while no listener is connected
    await sub.waitFor(1, 8000);
    const listeners = await ts.sql<{ n: string }>(`select count(*) n from pg_stat_activity where application_name = 'dfdg-outbox-listener' and datname = current_database()`);
    expect(Number(listeners[0].n)).toBe(1);
    sub.dispose();
  });

  it('X-3: subscribing without a token (the connection is closed, 4401), or with a role that has no queue, is refused', async () => {
    const anon = collect(ts.ws(), SUB);
    const cpr = collect(ts.ws(await ts.token('CPR', 'cpr')), SUB);
    await sleep(300);
    expect(anon.errors).toMatchObject([{ code: 4401 }]);
    expect(JSON.stringify(cpr.errors)).toContain('FORBIDDEN');
  });

  it('X-3: a message written straight to the socket is byte for byte what graphql-ws sends on replay', async () => {
    // A raw graphql-transport-ws client; the operation id needs JSON escaping.
    const open = async (id: string, variables: Record<string, unknown>) => {
      const ws = new WebSocket(ts.wsUrl, 'graphql-transport-ws');
      const frames: { text: string; binary: boolean }[] = [];
      ws.on('message', (data: Buffer, binary: boolean) => frames.push({ text: data.toString('utf8'), binary }));
      await new Promise((r) => ws.once('open', r));
      ws.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${ak12}` } }));
      while (!frames.length) await sleep(10);
      await ts.subscribed(1, () => ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query: SUB, variables } })));
      return { ws, frames, next: () => frames.filter((f) => f.text.includes('"type":"next"')) };
    };
    const id = 'op "1" æ\\';
    const [{ head }] = await ts.sql<{ head: string }>(`select coalesce(max(id), 0)::text head from outbox_message where recipient_type = 'AKASSE' and recipient_org = '12'`);
    const live = await open(id, {});
    await report();
    while (live.next().length < 1) await sleep(10);
    const replayed = await open(id, { after: head });
    while (replayed.next().length < 1) await sleep(10);
    const [direct] = live.next();
    const [viaGraphqlWs] = replayed.next();
    expect(direct.binary).toBe(false);
    expect(direct.text).toBe(viaGraphqlWs.text);
    const parsed = JSON.parse(direct.text);
    expect(parsed).toMatchObject({ id, type: 'next', payload: { data: { beskeder: { cpr: CPR_A } } } });
    expect(direct.text).toBe(JSON.stringify({ id, type: 'next', payload: parsed.payload }));
    live.ws.close();
    replayed.ws.close();
  });

  it('X-4: a live message is logged once per user, borger and message type, however many subscriptions the user holds; a subscription filtered to another service logs nothing', async () => {
    const CPR_C = '1503702345';
    await insertBorger(ts, { cpr: CPR_C, jobcenter: '157', medlemskab: [{ akasse: '14', start: '2020-01-01' }] });
    const [anna, bo, carl] = await Promise.all([ts.token('AKASSE', '14', 'anna'), ts.token('AKASSE', '14', 'bo'), ts.token('AKASSE', '14', 'carl')]);
    const subs = await ts.subscribed(4, () => [
      collect<Pushed>(ts.ws(anna), SUB),
      collect<Pushed>(ts.ws(anna), SUB),
      collect<Pushed>(ts.ws(bo), SUB),
      collect<Pushed>(ts.ws(carl), SUB, { s: 'GetPersonAuthorityContactVersion1' }),
    ]);
    await report(CPR_C);
    for (const s of subs.slice(0, 3)) expect((await s.waitFor(1))[0].beskeder.cpr).toBe(CPR_C);
    await sleep(200);
    expect(subs[3].items).toHaveLength(0);
    const rows = await ts.sql<{ sub: string; n: string }>(
      `select sub, count(*) n from access_log where org = '14' and cpr = ? and what = 'besked:GetTidligPensionVersion1' group by sub order by sub`,
      [CPR_C],
    );
    expect(rows.map((r) => [r.sub, Number(r.n)])).toEqual([
      ['anna', 1],
      ['bo', 1],
    ]);
    for (const s of subs) s.dispose();
  });

  it('X-4: a live message whose access log cannot be written is neither pushed nor skipped: the subscription fails, and resuming returns it', async () => {
    const sub = await ts.subscribed(1, () => collect<Pushed>(ts.ws(ak12), SUB));
    await report();
    const [first] = await sub.waitFor(1);
    const open = Number((await ts.server.metrics.subscriptions.get()).values[0]?.value);
    await ts.sql(`create or replace function test_fail_access_log() returns trigger language plpgsql as $$ begin raise exception 'access log unavailable'; end $$`);
    await ts.sql(`create trigger test_fail_access_log before insert on access_log for each row when (new.request_id = 'subscription') execute function test_fail_access_log()`);
    try {
      await report();
      for (let i = 0; i < 100 && sub.errors.length === 0; i++) await sleep(50);
      expect(sub.errors.length).toBeGreaterThan(0);
      expect(sub.items).toHaveLength(1);
      // The failed subscription has left the hub.
      expect(Number((await ts.server.metrics.subscriptions.get()).values[0]?.value)).toBe(open - 1);
    } finally {
      await ts.sql(`drop trigger test_fail_access_log on access_log`);
    }
    const resumed = collect<Pushed>(ts.ws(ak12), SUB, { after: first.beskeder.id });
    const [again] = await resumed.waitFor(1);
    expect(Number(again.beskeder.id)).toBeGreaterThan(Number(first.beskeder.id));
    const logged = await ts.sql<{ n: string }>(`select count(*) n from access_log where org = '12' and request_id = 'subscription' and cpr = ?`, [CPR_A]);
    expect(Number(logged[0].n)).toBeGreaterThan(0);
    resumed.dispose();
    sub.dispose();
  });

  it('X-3: a client resuming after messages the deletion job removed goes live without re-reading the table, and gets the next message once', async () => {
    const CPR_D = '0403702345';
    await insertBorger(ts, { cpr: CPR_D, jobcenter: '157', medlemskab: [{ akasse: '15', start: '2020-01-01' }] });
    const ak15 = await ts.token('AKASSE', '15');
    // Keeps a-kasse 15's group, and the head its reads reached, on this instance.
    const watcher = await ts.subscribed(1, () => collect<Pushed>(ts.ws(ak15), SUB));
    await report(CPR_D);
    await report(CPR_D);
    const [seen] = await watcher.waitFor(2);
    // As src/tidlig-pension/tidlig-pension-sletning.job.ts deletes a borger's messages.
    await ts.sql(`delete from outbox_message o where o.service_name = ? and o.cpr = any(array[?])`, [GET_TIDLIG_PENSION, CPR_D]);
    const scans = async () => Number((await ts.sql<{ n: string }>(`select coalesce(idx_scan, 0) + coalesce(seq_scan, 0) n from pg_stat_user_tables where relname = 'outbox_message'`))[0].n);
    const before = await scans();
    const resumed = await ts.subscribed(1, () => collect<Pushed>(ts.ws(ak15), SUB, { after: seen.beskeder.id }));
    // A replay stuck below the head reads the table hundreds of times a second; a backend reports its reads at least once a second.
    await sleep(1500);
    expect((await scans()) - before).toBeLessThan(50);
    await report(CPR_D);
    const [next] = await resumed.waitFor(1);
    expect(next.beskeder.cpr).toBe(CPR_D);
    await watcher.waitFor(3);
    await sleep(300);
    expect(resumed.items).toHaveLength(1);
    resumed.dispose();
    watcher.dispose();
  });

  it('X-3: a slow consumer is closed with code 4008 and a reason naming where to resume', async () => {
    const big = 'x'.repeat(20_000);
    const ws = new WebSocket(ts.wsUrl, 'graphql-transport-ws');
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${await ts.token('AKASSE', '88')}` } }));
    await new Promise((r) => ws.once('message', r));
    await ts.subscribed(1, () => ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { beskeder { id registrering { bruger } } }` } })));
    // Stop reading: the server's socket buffers fill and its sends stop completing.
    (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
    await ts.sql(
      `insert into outbox_message (service_name, recipient_type, recipient_org, cpr, authority_role, authority_org, registered_by, payload)
       select 'GetTidligPensionVersion1', 'AKASSE', '88', null, 'UDK', 'udk', ?, '{}'::jsonb from generate_series(1, 2000)`,
      [big],
    );
    await ts.sql(`select pg_notify('dfdg_outbox', '0')`);
    await sleep(1500);
    (ws as unknown as { _socket: { resume(): void } })._socket.resume();
    const { code, reason } = await closed;
    expect(code).toBe(4008);
    expect(reason).toMatch(/after=\d+/);
  }, 30_000);
});
