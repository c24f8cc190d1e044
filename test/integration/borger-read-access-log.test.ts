import { knex } from '@mikro-orm/postgresql';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BorgerService } from '../../src/borger/borger.service';
import type { Ctx, Principal } from '../../src/context/context';
import { createCtx } from '../../src/context/create-ctx';
import { Role } from '../../src/context/roles';
import { createDomainEventBus } from '../../src/modules';
import { insertBorger, insertKontaktperson } from '../helpers/fixtures';
import { startTestServer, type TestServer } from '../helpers/server';

// X-4 for the case-worker read that writes its own access-log rows (BorgerService.get): the claims a request keeps
// and the read statement shared by concurrent callers must never leave a read without its row.
let ts: TestServer;

const RACE = '1904051238';
const SHARED = '2004051239';

beforeAll(async () => {
  ts = await startTestServer({ today: '2026-11-27' });
  await insertBorger(ts, { cpr: RACE, jobcenter: '157' });
  await insertKontaktperson(ts, { cpr: RACE, type: 32, start: '2025-01-01', rolle: 'Vejleder' });
  await insertBorger(ts, { cpr: SHARED, jobcenter: '101' });
});

afterAll(async () => {
  await ts?.close();
});

const silent = pino({ level: 'silent' });
const ctxOf = (principal: Principal, requestId: string): Ctx =>
  createCtx({ orm: ts.orm, clock: ts.clock, log: silent, events: createDomainEventBus() }, principal, requestId);

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('X-4: reads logged by the read statement itself', () => {
  it('X-4: a read refused by its statement gives its claims back: a concurrent root field that may read the borger (after a move) logs it', async () => {
    // Root field a is refused (the borger is another jobcenter's) and claimed 'borger'; root field b's statement is held
    // back (a lock on kontaktperson) until the borger has moved to the caller's jobcenter, so b may read it and answers it.
    const token = await ts.token('JOBCENTER', '101', 'x4-race');
    await ts.sql(`delete from access_log where cpr = ?`, [RACE]);
    const locker = knex({ client: 'pg', connection: ts.db.url, pool: { min: 0, max: 2 } });
    try {
      const trx = await locker.transaction();
      let answer: Promise<unknown> | undefined;
      try {
        await trx.raw('lock table kontaktperson in access exclusive mode');
        answer = ts.gql(`query($cpr: CPR!) { a: uddannelsesplan(cpr: $cpr) { id } b: borger(cpr: $cpr) { cpr fornavn kontaktpersoner { id } } }`, { cpr: RACE }, token);
        await until(async () => (await ts.sql<{ n: string }>(`select count(*) n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`))[0].n !== '0');
        // a's statement (no kontaktperson in it) has long been answered by now.
        await new Promise((r) => setTimeout(r, 200));
        await locker.raw(`update borger set jobcenter = '101' where cpr = ?`, [RACE]);
      } finally {
        await trx.rollback();
      }
      const r = (await answer) as { data?: { a: unknown; b: { cpr: string; fornavn: string } | null }; errors?: { path?: string[]; extensions?: { code?: string } }[] };
      // The race went as intended: a refused, b answered the borger.
      expect(r.errors?.map((e) => `${e.path?.join('.')} ${e.extensions?.code}`)).toEqual(['a FORBIDDEN']);
      expect(r.data?.b?.cpr).toBe(RACE);
      const rows = await ts.sql<{ what: string }>(`select what from access_log where cpr = ? and sub = 'x4-race' order by what`, [RACE]);
      expect(rows.map((x) => x.what)).toEqual(['borger', 'kontaktpersoner']);
    } finally {
      await locker.raw(`update borger set jobcenter = '157' where cpr = ?`, [RACE]);
      await locker.destroy();
    }
  });

  it('X-4: two operations that share a request id (graphql-ws operations of one connection) each log their read, also when their reads share a statement', async () => {
    const p: Principal = { sub: 'x4-same-id', role: Role.JOBCENTER, org: '101' };
    await ts.sql(`delete from access_log where cpr = ?`, [SHARED]);
    const service = new BorgerService();
    const ops = [ctxOf(p, 'connection-1'), ctxOf(p, 'connection-1')];
    // Started in the same turn: one batched statement.
    await Promise.all(ops.map((ctx) => service.get(ctx, SHARED)));
    for (const ctx of ops) await ctx.accessLog.flush(ctx, ts.clock.now());
    const rows = await ts.sql<{ what: string }>(`select what from access_log where cpr = ? and sub = 'x4-same-id'`, [SHARED]);
    expect(rows.map((x) => x.what)).toEqual(['borger', 'borger']);
  });

  it('X-4: two operations on one graphql-ws connection reading the same borger each log the read', async () => {
    const client = ts.ws(await ts.token('JOBCENTER', '101', 'x4-ws-ops'));
    await ts.sql(`delete from access_log where cpr = ?`, [SHARED]);
    const run = () =>
      new Promise<{ data?: { borger?: { cpr: string } } }>((resolve, reject) => {
        let value: { data?: { borger?: { cpr: string } } } = {};
        client.subscribe({ query: `query($cpr: CPR!) { borger(cpr: $cpr) { cpr } }`, variables: { cpr: SHARED } }, { next: (v) => (value = v as never), error: reject, complete: () => resolve(value) });
      });
    const rs = await Promise.all([run(), run()]);
    for (const r of rs) expect(r.data?.borger?.cpr).toBe(SHARED);
    const rows = await ts.sql<{ what: string }>(`select what from access_log where cpr = ? and sub = 'x4-ws-ops'`, [SHARED]);
    expect(rows.map((x) => x.what)).toEqual(['borger', 'borger']);
  });

  it("X-4: a read the statement did not log is logged at the end even when another caller of the statement has the same (client-chosen) request id", async () => {
    // As in borger-read.test.ts: a trigger drops one caller's rows from the read statement's insert only.
    await ts.sql(`create function test_drop_read_log2() returns trigger language plpgsql as $$
      begin if new.sub = 'x4-dropped2' and current_query() like 'with logget%' then return null; end if; return new; end $$`);
    await ts.sql(`create trigger test_drop_read_log2 before insert on access_log for each row execute function test_drop_read_log2()`);
    try {
      await ts.sql(`delete from access_log where cpr = ?`, [SHARED]);
      const service = new BorgerService();
      const ops = [ctxOf({ sub: 'x4-dropped2', role: Role.JOBCENTER, org: '101' }, 'chosen-id'), ctxOf({ sub: 'x4-other', role: Role.JOBCENTER, org: '101' }, 'chosen-id')];
      await Promise.all(ops.map((ctx) => service.get(ctx, SHARED)));
      for (const ctx of ops) await ctx.accessLog.flush(ctx, ts.clock.now());
      const rows = await ts.sql<{ sub: string; what: string }>(`select sub, what from access_log where cpr = ? order by sub`, [SHARED]);
      expect(rows.map((x) => `${x.sub} ${x.what}`)).toEqual(['x4-dropped2 borger', 'x4-other borger']);
    } finally {
      await ts.sql(`drop trigger test_drop_read_log2 on access_log`);
      await ts.sql(`drop function test_drop_read_log2()`);
    }
  });

  it('X-4: an unknown CPR read by one root field does not keep its claim from the read of another', async () => {
    // Unit of the claim rule without a race: the claim of a read that found nothing is given back.
    const ctx = ctxOf({ sub: 'x4-unknown', role: Role.SYSTEM, org: 'dfdg' }, 'unknown-1');
    await expect(new BorgerService().get(ctx, '0101011231')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(ctx.accessLog.claim('0101011231', ['borger'])).toEqual(['borger']);
  });
});
