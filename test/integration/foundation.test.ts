import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import { TokenService } from '../../src/auth/token';
import { insertBorger, cprRegistreret } from '../helpers/fixtures';
import { errorCode, startTestServer, TEST_SECRET, type TestServer } from '../helpers/server';

let ts: TestServer;
let jc101: string;

beforeAll(async () => {
  ts = await startTestServer({ today: '2026-11-27' });
  jc101 = await ts.token('JOBCENTER', '101');
  await insertBorger(ts, { cpr: '0101054321', jobcenter: '101', fornavn: 'Anna', kontaktgruppe: [{ id: 8, start: '2025-01-01', slut: '2025-12-31' }, { id: 12, start: '2026-01-01' }] });
  await insertBorger(ts, { cpr: '0507652345', jobcenter: '157', medlemskab: [{ akasse: '12', start: '2020-01-01' }] });
  await insertBorger(ts, { cpr: '2212901234', jobcenter: '101', medlemskab: [{ akasse: '12', start: '2010-01-01', slut: '2019-12-31' }] });
});
afterAll(async () => ts?.close());

const BORGER = `query($cpr: CPR!) { borger(cpr: $cpr) { cpr fornavn foedselsdato jobcenter kontaktgruppe { kontaktgruppe start slut } } }`;

describe('foundation over HTTP', () => {
  it('a jobcenter reads its own borger, with today’s kontaktgruppe', async () => {
    const r = await ts.gql(BORGER, { cpr: '010105-4321' }, jc101);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      borger: { cpr: '0101054321', fornavn: 'Anna', foedselsdato: '2005-01-01', jobcenter: '101', kontaktgruppe: { kontaktgruppe: 12, start: '2026-01-01', slut: null } },
    });
  });

  it('X-1: no token → UNAUTHENTICATED', async () => {
    const r = await ts.gql(BORGER, { cpr: '0101054321' });
    expect(errorCode(r)).toBe('UNAUTHENTICATED');
    expect(r.data?.borger ?? null).toBeNull();
  });

  it('X-1: a forged token → UNAUTHENTICATED', async () => {
    const forged = await new TokenService('another-secret-entirely-0123456789').sign({ role: 'JOBCENTER' as never, org: '101' });
    const r = await ts.gql(BORGER, { cpr: '0101054321' }, forged);
    expect(errorCode(r)).toBe('UNAUTHENTICATED');
  });

  it('X-1: a token without an expiry (exp) → UNAUTHENTICATED', async () => {
    const endless = await new SignJWT({ role: 'JOBCENTER', org: '101' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('sagsbehandler')
      .setIssuer('dfdg-graphql')
      .setIssuedAt()
      .sign(new TextEncoder().encode(TEST_SECRET));
    expect(errorCode(await ts.gql(BORGER, { cpr: '0101054321' }, endless))).toBe('UNAUTHENTICATED');
    // The same claims with an expiry are accepted: the refusal is the missing exp.
    const token = await new TokenService(TEST_SECRET).sign({ role: 'JOBCENTER' as never, org: '101', sub: 'sagsbehandler' });
    expect((await ts.gql<{ borger: { cpr: string } }>(BORGER, { cpr: '0101054321' }, token)).data?.borger.cpr).toBe('0101054321');
  });

  it('X-1: another jobcenter → FORBIDDEN (wrong org)', async () => {
    const r = await ts.gql(BORGER, { cpr: '0101054321' }, await ts.token('JOBCENTER', '157'));
    expect(errorCode(r)).toBe('FORBIDDEN');
  });

  it('X-1: a role that may not read borgere → FORBIDDEN (wrong role)', async () => {
    const r = await ts.gql(BORGER, { cpr: '0101054321' }, await ts.token('UDB', 'udb'));
    expect(errorCode(r)).toBe('FORBIDDEN');
  });

  it('an a-kasse reads its current member, not a former one', async () => {
    const ak12 = await ts.token('AKASSE', '12');
    expect((await ts.gql(BORGER, { cpr: '0507652345' }, ak12)).errors).toBeUndefined();
    expect(errorCode(await ts.gql(BORGER, { cpr: '2212901234' }, ak12))).toBe('FORBIDDEN');
  });

  it('a borger reads only themself', async () => {
    const me = await ts.token('BORGER', '0101054321');
    expect((await ts.gql(BORGER, { cpr: '0101054321' }, me)).errors).toBeUndefined();
    expect(errorCode(await ts.gql(BORGER, { cpr: '2212901234' }, me))).toBe('FORBIDDEN');
  });

  it('X-2: a bad CPR → BAD_USER_INPUT, as a variable and as a literal', async () => {
    expect(errorCode(await ts.gql(BORGER, { cpr: '3002201234' }, jc101))).toBe('BAD_USER_INPUT');
    expect(errorCode(await ts.gql(`{ borger(cpr: "12345") { cpr } }`, {}, jc101))).toBe('BAD_USER_INPUT');
  });

  it('X-4: every read of a borger writes an access-log row before the answer', async () => {
    const before = await ts.sql<{ n: string }>(`select count(*) n from access_log where cpr = '0101054321'`);
    const r = await ts.gql(BORGER, { cpr: '0101054321' }, await ts.token('JOBCENTER', '101', 'sagsbehandler-7'));
    expect(r.errors).toBeUndefined();
    const rows = await ts.sql<{ sub: string; role: string; org: string; what: string }>(
      `select sub, role, org, what from access_log where cpr = '0101054321' order by id desc limit 2`,
    );
    expect(Number((await ts.sql<{ n: string }>(`select count(*) n from access_log where cpr = '0101054321'`))[0].n)).toBe(Number(before[0].n) + 2);
    expect(rows.map((x) => x.what).sort()).toEqual(['borger', 'kontaktgruppe']);
    expect(rows[0]).toMatchObject({ sub: 'sagsbehandler-7', role: 'JOBCENTER', org: '101' });
  });

  it('X-4: a refused read writes no access-log row', async () => {
    const count = async () => Number((await ts.sql<{ n: string }>(`select count(*) n from access_log where cpr = '0101054321' and org = '157'`))[0].n);
    await ts.gql(BORGER, { cpr: '0101054321' }, await ts.token('JOBCENTER', '157'));
    expect(await count()).toBe(0);
  });

  it('X-4: a mutation answer that carries the borger is logged as a read; a refused one logs nothing', async () => {
    const rows = async (cpr: string, what: string) =>
      ts.sql<{ role: string; org: string }>(`select role, org from access_log where cpr = ? and what = ? order by id`, [cpr, what]);
    await insertBorger(ts, { cpr: '0202034567', jobcenter: '101', kontaktgruppe: [{ id: 12, start: '2026-01-01' }] });
    const before = (await rows('0202034567', 'borger')).length;
    const refused = await ts.gql(`mutation { skiftKontaktgruppe(input: { cpr: "0202034567", kontaktgruppe: 2, start: "2026-11-27" }) { fornavn } }`, {}, await ts.token('JOBCENTER', '157'));
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(await rows('0202034567', 'borger')).toHaveLength(before);
    const r = await ts.gql(`mutation { skiftKontaktgruppe(input: { cpr: "0202034567", kontaktgruppe: 2, start: "2026-11-27" }) { fornavn efternavn } }`, {}, jc101);
    expect(r.errors).toBeUndefined();
    expect((await rows('0202034567', 'borger')).slice(before)).toEqual([{ role: 'JOBCENTER', org: '101' }]);
    // One level down: the CPR feed's answer holds the borger it registered.
    await ts.gql(`mutation { cprRegistrerBorger(input: { cpr: "0202034567", fornavn: "Ny", efternavn: "Navn", bopaelskommune: "101", registreret: "${cprRegistreret()}" }) { borger { fornavn } } }`, {}, await ts.token('CPR', 'cpr'));
    expect(await rows('0202034567', 'borger')).toContainEqual({ role: 'CPR', org: 'cpr' });
  });

  it('X-1: a failed mutation changes nothing', async () => {
    const periods = async () => ts.sql(`select kontaktgruppe, start, slut from kontaktgruppe_periode where cpr = '0101054321' order by id`);
    const before = await periods();
    const bad = await ts.gql(
      `mutation { skiftKontaktgruppe(input: { cpr: "0101054321", kontaktgruppe: 99, start: "2026-11-27" }) { cpr } }`,
      {},
      jc101,
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(await periods()).toEqual(before);
  });

  it('a kontaktgruppe change closes the open period the day before and opens the new one', async () => {
    const r = await ts.gql<{ skiftKontaktgruppe: { kontaktgruppeHistorik: unknown[] } }>(
      `mutation { skiftKontaktgruppe(input: { cpr: "0101054321", kontaktgruppe: 1, start: "2026-11-27" }) { kontaktgruppeHistorik { kontaktgruppe start slut } } }`,
      {},
      jc101,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.skiftKontaktgruppe.kontaktgruppeHistorik).toEqual([
      { kontaktgruppe: 8, start: '2025-01-01', slut: '2025-12-31' },
      { kontaktgruppe: 12, start: '2026-01-01', slut: '2026-11-26' },
      { kontaktgruppe: 1, start: '2026-11-27', slut: null },
    ]);
  });

  it('the CPR feed creates a borger attached to the jobcenter of the bopælskommune', async () => {
    const cprToken = await ts.token('CPR', 'cpr');
    const r = await ts.gql(
      `mutation { cprRegistrerBorger(input: { cpr: "1110994123", fornavn: "Eva", efternavn: "Eriksen", bopaelskommune: "157", registreret: "${cprRegistreret()}" }) { oprettet flyttet borger { cpr jobcenter foedselsdato } } }`,
      {},
      cprToken,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ cprRegistrerBorger: { oprettet: true, flyttet: false, borger: { cpr: '1110994123', jobcenter: '157', foedselsdato: '1999-10-11' } } });
    expect(errorCode(await ts.gql(`mutation { cprRegistrerBorger(input: { cpr: "1110994123", fornavn: "E", efternavn: "E", bopaelskommune: "15", registreret: "${cprRegistreret()}" }) { oprettet } }`, {}, cprToken))).toBe('BAD_USER_INPUT');
    expect(errorCode(await ts.gql(`mutation { cprRegistrerBorger(input: { cpr: "1110994123", fornavn: "E", efternavn: "E", bopaelskommune: "157", registreret: "${cprRegistreret()}" }) { oprettet } }`, {}, jc101))).toBe('FORBIDDEN');
  });

  it('KP-2: a CPR event registered before the state in force (one sent again after a newer move), or the same event again, changes nothing', async () => {
    const cprToken = await ts.token('CPR', 'cpr');
    const send = (kommune: string, registreret: string, fornavn = 'Otto') =>
      ts.gql<{ cprRegistrerBorger: { anvendt: boolean; flyttet: boolean; borger: { jobcenter: string; bopaelskommune: string; fornavn: string } } }>(
        `mutation($i: CprBorgerInput!) { cprRegistrerBorger(input: $i) { anvendt flyttet borger { jobcenter bopaelskommune fornavn } } }`,
        { i: { cpr: '0303034567', fornavn, efternavn: 'Olsen', bopaelskommune: kommune, registreret } },
        cprToken,
      );
    expect((await send('101', '2026-11-01T08:00:00Z')).data!.cprRegistrerBorger).toMatchObject({ anvendt: true });
    const e1 = await send('147', '2026-11-10T08:00:00Z');
    expect(e1.data!.cprRegistrerBorger).toMatchObject({ anvendt: true, flyttet: true, borger: { jobcenter: '147' } });
    expect((await send('169', '2026-11-20T08:00:00Z')).data!.cprRegistrerBorger).toMatchObject({ anvendt: true, flyttet: true });
    const moves = async () => Number((await ts.sql<{ n: string }>(`select count(*) n from borger_flytning where cpr = '0303034567'`))[0].n);
    const before = await moves();
    // E1 again after E2 (its acknowledgement was lost), and the latest again as it was: neither moves the borger nor renames.
    const late = await send('147', '2026-11-10T08:00:00Z', 'Gammel');
    expect(late.errors).toBeUndefined();
    expect(late.data!.cprRegistrerBorger).toEqual({ anvendt: false, flyttet: false, borger: { jobcenter: '169', bopaelskommune: '169', fornavn: 'Otto' } });
    expect((await send('169', '2026-11-20T08:00:00Z', 'Otto')).data!.cprRegistrerBorger.anvendt).toBe(false);
    expect(await moves()).toBe(before);
    // A kommune the KOMMUNE table lacks would leave the borger without a jobcenter.
    expect(errorCode(await send('999', '2026-11-22T08:00:00Z'))).toBe('BAD_USER_INPUT');
    // A later event applies.
    expect((await send('169', '2026-11-21T08:00:00Z', 'Otto Ny')).data!.cprRegistrerBorger).toMatchObject({ anvendt: true, borger: { fornavn: 'Otto Ny' } });
    // A different event registered in the same second cannot be ordered against it: CONFLICT, and nothing changes.
    expect(errorCode(await send('147', '2026-11-21T08:00:00Z', 'Otto Ny'))).toBe('CONFLICT');
    expect(await moves()).toBe(before);
    expect((await send('169', '2026-11-21T08:00:00Z', 'Otto Ny')).data!.cprRegistrerBorger).toMatchObject({ anvendt: false, borger: { jobcenter: '169' } });
  });

  it('the CPR feed: two deliveries of a new borger at the same time both succeed, and one of them created it', async () => {
    const cprToken = await ts.token('CPR', 'cpr');
    const send = (registreret: string) =>
      ts.gql<{ cprRegistrerBorger: { oprettet: boolean } }>(
        `mutation($i: CprBorgerInput!) { cprRegistrerBorger(input: $i) { oprettet anvendt } }`,
        { i: { cpr: '0404034567', fornavn: 'Ida', efternavn: 'Iversen', bopaelskommune: '157', registreret } },
        cprToken,
      );
    const answers = await Promise.all([send('2026-11-01T08:00:00Z'), send('2026-11-01T08:00:00Z'), send('2026-11-01T08:00:00Z')]);
    expect(answers.map((a) => a.errors)).toEqual([undefined, undefined, undefined]);
    expect(answers.filter((a) => a.data!.cprRegistrerBorger.oprettet)).toHaveLength(1);
  });

  it('code tables are data and queryable (KP-1 and UP-1 ids among them)', async () => {
    const r = await ts.gql<{ koder: { id: number; navn: string; udgaaet: boolean }[] }>(`{ koder(liste: AFHOLDELSESKATEGORI) { id navn udgaaet } }`, {}, jc101);
    expect(r.data!.koder.filter((k) => k.udgaaet).map((k) => k.id)).toEqual([42, 43]);
  });

  it('a list query runs a constant number of SQL statements, whatever the page size', async () => {
    for (let i = 0; i < 30; i++) {
      await insertBorger(ts, { cpr: `0202${String(10 + i).padStart(2, '0')}4${String(100 + i).slice(-3)}`, jobcenter: '751', kontaktgruppe: [{ id: 1, start: '2026-01-01' }] });
    }
    const jc751 = await ts.token('JOBCENTER', '751');
    const q = `query($n: Int!) { borgere(first: $n) { items { cpr kontaktgruppe { kontaktgruppe } kontaktgruppeHistorik { start } } } }`;
    const small = await ts.countQueries(() => ts.gql(q, { n: 2 }, jc751));
    const large = await ts.countQueries(() => ts.gql(q, { n: 30 }, jc751));
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(3); // borgere, their periods, the access-log insert
  });

  it('X-1: a page size outside 1..500 is BAD_USER_INPUT, not quietly changed', async () => {
    const q = `query($n: Int!) { borgere(first: $n) { items { cpr } } }`;
    for (const n of [0, -5, 501]) expect(errorCode(await ts.gql(q, { n }, jc101)), String(n)).toBe('BAD_USER_INPUT');
    expect((await ts.gql(q, { n: 500 }, jc101)).errors).toBeUndefined();
    // So large a page is over the cost limit, which refuses it before any resolver runs, as it does `first: 1000000000`.
    expect(errorCode(await ts.gql(q, { n: 1_000_000_000 }, jc101))).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(errorCode(await ts.gql(`{ borgere(first: 1000000000) { items { cpr } } }`, {}, jc101))).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('health and metrics', () => {
  it('with METRICS_TOKEN set, /metrics answers only that bearer token', async () => {
    const guarded = await startTestServer({ today: '2026-11-27', config: { metricsToken: 'scraper-token-0123456789' } });
    try {
      const url = guarded.url.replace('/graphql', '/metrics');
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer scraper-token-012345678x' } })).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: `Bearer ${await guarded.token('SYSTEM', 'dfdg')}` } })).status).toBe(401);
      const ok = await fetch(url, { headers: { authorization: 'Bearer scraper-token-0123456789' } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toMatch(/graphql_subscriptions_open/);
    } finally {
      await guarded.close();
    }
  });

  it('GET /healthz, /readyz and /metrics answer', async () => {
    const base = ts.url.replace('/graphql', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready' });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/graphql_requests_total\{operation="[^"]+",type="http"\} \d+/);
    expect(metrics).toMatch(/graphql_errors_total\{code="FORBIDDEN"\} \d+/);
    expect(metrics).toContain('db_pool_connections');
  });

  it('/metrics has the process metrics but none that walk every socket on a scrape (a stall for every subscriber)', async () => {
    const metrics = await (await fetch(`${ts.url.replace('/graphql', '')}/metrics`)).text();
    for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_gc_duration_seconds']) {
      expect(metrics).toContain(`# TYPE ${name} `);
    }
    for (const name of ['nodejs_active_handles', 'process_open_fds', 'nodejs_active_resources', 'nodejs_active_requests']) {
      expect(metrics).not.toContain(`# TYPE ${name} `);
    }
  });

  it('query limits: too many aliases are refused before anything runs', async () => {
    const aliases = Array.from({ length: 20 }, (_, i) => `b${i}: borger(cpr: "0101054321") { cpr }`).join(' ');
    const r = await ts.gql(`{ ${aliases} }`, {}, jc101);
    expect(r.errors?.[0]?.message).toMatch(/aliases/i);
    expect(r.data ?? null).toBeNull();
  });

  it('query limits: a body over the limit is refused', async () => {
    const res = await fetch(ts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ koder(liste: KOMMUNE) { id } }`, padding: 'x'.repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
  });
});

describe('foundation over graphql-ws', () => {
  it('X-4: a query over graphql-ws (token in connectionParams) is written to the access log before its answer', async () => {
    const logged = async () =>
      Number((await ts.sql<{ n: string }>(`select count(*) n from access_log where cpr = '0101054321' and org = '101' and role = 'JOBCENTER' and what = 'borger'`))[0].n);
    const before = await logged();
    const client = ts.ws(jc101);
    const result = await new Promise<unknown>((resolve, reject) => {
      let value: unknown;
      client.subscribe({ query: BORGER, variables: { cpr: '0101054321' } }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
    });
    expect(result).toMatchObject({ data: { borger: { cpr: '0101054321' } } });
    expect(await logged()).toBe(before + 1);
  });

  it('X-4: each operation on one graphql-ws connection logs under its own request id, the connection\'s id before it', async () => {
    await ts.sql(`delete from access_log where cpr = '0101054321' and sub = 'x4-ws-ops'`);
    const client = ts.ws(await ts.token('JOBCENTER', '101', 'x4-ws-ops'));
    const once = () =>
      new Promise<unknown>((resolve, reject) => {
        let value: unknown;
        client.subscribe({ query: BORGER, variables: { cpr: '0101054321' } }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
      });
    // At once: the client closes an idle connection, and two in a row could each open their own.
    await Promise.all([once(), once()]);
    await client.dispose();
    const ids = (await ts.sql<{ request_id: string }>(`select request_id from access_log where cpr = '0101054321' and sub = 'x4-ws-ops' and what = 'borger' order by at, request_id`)).map((r) => r.request_id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    const [conn1, conn2] = ids.map((id) => id.slice(0, id.lastIndexOf('/')));
    expect(conn1).toBe(conn2);
    expect(conn1).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('X-1: a graphql-ws connection ends when its token expires (close 4401), its live subscription with it', async () => {
    const shortLived = await new TokenService(TEST_SECRET).sign({ role: 'AKASSE' as never, org: '12' }, '2s');
    const ws = new WebSocket(ts.wsUrl, 'graphql-transport-ws');
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${shortLived}` } }));
    expect(JSON.parse(String(await new Promise((r) => ws.once('message', r))))).toMatchObject({ type: 'connection_ack' });
    const closed = new Promise<{ code: number; reason: string; at: number }>((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString(), at: Date.now() })));
    const started = Date.now();
    await ts.subscribed(1, () => ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `subscription { beskeder { id } }` } })));
    const { code, reason, at } = await closed;
    expect(code).toBe(4401);
    expect(reason).toMatch(/udløbet/);
    expect(at - started).toBeLessThan(3_500);
  }, 10_000);

  it('X-1: a graphql-ws connection without a token, or with a bad one, is closed (4401) before any operation runs', async () => {
    for (const auth of [undefined, 'not-a-token']) {
      const client = ts.ws(auth);
      const closed = await new Promise<{ code?: number; reason?: string }>((resolve, reject) => {
        client.subscribe(
          { query: BORGER, variables: { cpr: '0101054321' } },
          { next: (v) => reject(new Error(`answered: ${JSON.stringify(v)}`)), error: (e) => resolve(e as never), complete: () => reject(new Error('completed')) },
        );
      });
      expect(closed.code).toBe(4401);
      expect(closed.reason).toMatch(/token/i);
    }
  });
});
