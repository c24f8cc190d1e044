import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchedRead } from '../../src/db/batched-read';
import { insertBorger } from '../helpers/fixtures';
import { startTestServer, type TestServer } from '../helpers/server';

let ts: TestServer;
const CPRS = ['0101801111', '0202802222', '0303803333'];
const SQL = 'select b.cpr, b.fornavn from borger b where b.jobcenter = ? and b.cpr = any(?)';

beforeAll(async () => {
  ts = await startTestServer({ today: '2026-11-27' });
  for (const cpr of CPRS) await insertBorger(ts, { cpr, jobcenter: '101', fornavn: `F${cpr.slice(0, 2)}` });
});
afterAll(async () => ts?.close());

describe('concurrent reads of one turn share a statement (case-worker read under load)', () => {
  it('reads of one event-loop turn with the same statement and parameters are one statement; each caller gets its row, or none', async () => {
    const reads = new BatchedRead();
    const em = ts.orm.em.fork();
    let rows: (Record<string, unknown> | undefined)[] = [];
    const n = await ts.countQueries(async () => {
      rows = await Promise.all([...CPRS, CPRS[0], '0404804444'].map((cpr) => reads.load(em, SQL, ['101'], 'cpr', cpr)));
    });
    expect(n).toBe(1);
    expect(rows.map((r) => r?.fornavn)).toEqual(['F01', 'F02', 'F03', 'F01', undefined]);
    // The same key twice: two copies, so one caller taking columns off its row leaves the other's alone.
    expect(rows[0]).not.toBe(rows[3]);
  });

  it('other parameters (another org, other prefetches) go in a statement of their own', async () => {
    const reads = new BatchedRead();
    const em = ts.orm.em.fork();
    let rows: (Record<string, unknown> | undefined)[] = [];
    const n = await ts.countQueries(async () => {
      rows = await Promise.all([reads.load(em, SQL, ['101'], 'cpr', CPRS[0]), reads.load(em, SQL, ['157'], 'cpr', CPRS[1])]);
    });
    expect(n).toBe(2);
    expect(rows.map((r) => r?.fornavn)).toEqual(['F01', undefined]);
  });

  it('a failed statement fails every read that waited for it', async () => {
    const reads = new BatchedRead();
    const em = ts.orm.em.fork();
    const bad = 'select b.cpr from borger b where b.no_such_column = ? and b.cpr = any(?)';
    const all = await Promise.allSettled(CPRS.map((cpr) => reads.load(em, bad, ['x'], 'cpr', cpr)));
    expect(all.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
  });

  it('inside a transaction a read is not batched and sees the transaction’s own writes', async () => {
    const reads = new BatchedRead();
    await ts.orm.em.fork().transactional(async (em) => {
      await em.getConnection().execute(`update borger set fornavn = 'Ændret' where cpr = ?`, [CPRS[2]], 'run', em.getTransactionContext());
      const row = await reads.load(em as never, SQL, ['101'], 'cpr', CPRS[2]);
      expect(row?.fornavn).toBe('Ændret');
      throw new Error('rollback');
    }).catch((e: Error) => expect(e.message).toBe('rollback'));
    expect((await reads.load(ts.orm.em.fork(), SQL, ['101'], 'cpr', CPRS[2]))?.fornavn).toBe('F03');
  });

  it('borgere opened together through the API (aliases in one request) are one read statement, with the access log intact', async () => {
    const token = await ts.token('JOBCENTER', '101');
    const fields = CPRS.map((cpr, i) => `b${i}: borger(cpr: "${cpr}") { cpr fornavn kontaktpersoner { id } abonnementer { id } }`).join(' ');
    const before = Number((await ts.sql<{ n: string }>(`select count(*) n from access_log where cpr in (?)`, [CPRS]))[0].n);
    let reads = 0;
    const count = (query: { sql: string }) => {
      if (query.sql.includes('from borger b where b.cpr = any(')) reads++;
    };
    const knex = ts.orm.em.getConnection().getKnex();
    knex.on('query', count);
    const r = await ts.gql<Record<string, { cpr: string }>>(`{ ${fields} }`, {}, token);
    knex.off('query', count);
    expect(r.errors).toBeUndefined();
    expect(CPRS.map((_, i) => r.data![`b${i}`].cpr)).toEqual(CPRS);
    expect(reads).toBe(1);
    const after = Number((await ts.sql<{ n: string }>(`select count(*) n from access_log where cpr in (?)`, [CPRS]))[0].n);
    expect(after - before).toBe(CPRS.length * 3); // borger, kontaktpersoner, abonnement for each
  });
});
