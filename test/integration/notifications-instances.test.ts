import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../../src/auth/token';
import { Role } from '../../src/context/roles';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { freePort, killAndWait, startProcess, waitUntilReady, type ServerProcess } from '../helpers/process';
import { collect } from '../helpers/ws';
import pg from 'pg';

/** Several instances and crashes: real server processes against one database. */

const JWT_SECRET = 'instances-test-secret-0123456789abcdef';
const tokens = new TokenService(JWT_SECRET);
const CPR = '0507652345';
const SUB = `subscription($after: ID) { beskeder(after: $after) { id cpr indhold { ... on GetTidligPensionVersion1 { beloebOere } } } }`;
type Pushed = { beskeder: { id: string; indhold: { beloebOere: number } } };

let db: TestDatabase;
const procs: ServerProcess[] = [];

async function start(): Promise<ServerProcess> {
  const p = startProcess({ DATABASE_URL: db.url, JWT_SECRET, SEED_DEMO: 'false', RUN_JOBS: 'false' }, await freePort());
  procs.push(p);
  await waitUntilReady(p);
  return p;
}

function wsClient(p: ServerProcess, token: string) {
  return createClient({ url: `ws://127.0.0.1:${p.port}/graphql`, webSocketImpl: WebSocket, lazy: true, retryAttempts: 0, connectionParams: { Authorization: `Bearer ${token}` } });
}

async function report(p: ServerProcess, beloebOere: number): Promise<void> {
  const res = await fetch(`${p.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokens.sign({ role: Role.UDK, org: 'udk' })}` },
    body: JSON.stringify({
      query: `mutation($i: TidligPensionInput!) { indberetTidligPension(input: $i) { ny sendtTilAkasse } }`,
      variables: { i: { cpr: CPR, afgoerelsesdato: '2026-11-01', start: '2027-01-01', beloebOere } },
    }),
  });
  const body = (await res.json()) as { errors?: unknown; data?: unknown };
  expect(body.errors).toBeUndefined();
  expect(body.data).toEqual({ indberetTidligPension: { ny: true, sendtTilAkasse: '12' } });
}

beforeAll(async () => {
  db = await createTestDatabase();
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query(`insert into borger (cpr, foedselsdato, fornavn, efternavn, bopaelskommune, jobcenter) values ($1, '1965-07-05', 'Dan', 'Dahl', '157', '157')`, [CPR]);
  await c.query(`insert into akasse_medlemskab (cpr, akasse, start) values ($1, '12', '2020-01-01')`, [CPR]);
  await c.end();
}, 60_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => killAndWait(p, 'SIGKILL')));
  await db?.drop();
});

describe('X-3: several instances', () => {
  it('X-3: a subscriber on instance A gets a message committed on instance B', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const ak12 = await tokens.sign({ role: Role.AKASSE, org: '12' });
    const sub = collect<Pushed>(wsClient(a, ak12), SUB);
    await new Promise((r) => setTimeout(r, 300));
    await report(b, 111);
    const [got] = await sub.waitFor(1, 10_000);
    expect(got.beskeder.indhold.beloebOere).toBe(111);
    sub.dispose();
    await Promise.all([killAndWait(a), killAndWait(b)]);
  }, 120_000);

  it('X-3: after SIGKILL right after a committed change, a client resuming with its last id gets the message', async () => {
    const p = await start();
    const ak12 = await tokens.sign({ role: Role.AKASSE, org: '12' });
    const first = collect<Pushed>(wsClient(p, ak12), SUB);
    await new Promise((r) => setTimeout(r, 300));
    await report(p, 222);
    const [seen] = await first.waitFor(1, 10_000);
    first.dispose();

    await report(p, 333);
    const exit = await killAndWait(p, 'SIGKILL'); // no graceful shutdown: whatever was in memory is gone
    expect(exit.signal).toBe('SIGKILL');

    const q = await start();
    const resumed = collect<Pushed>(wsClient(q, ak12), SUB, { after: seen.beskeder.id });
    const [got] = await resumed.waitFor(1, 10_000);
    expect(got.beskeder.indhold.beloebOere).toBe(333);
    expect(Number(got.beskeder.id)).toBeGreaterThan(Number(seen.beskeder.id));
    resumed.dispose();
    await killAndWait(q);
  }, 120_000);
});
