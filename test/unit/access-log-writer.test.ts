import type { Knex } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { AccessLogWriter, type AccessLogRow } from '../../src/access-log/access-log';

/** A stand-in for knex whose inserts commit (or fail) when the test says so. */
function fakeDb() {
  const calls: { rows: { cpr: string; at: string }[]; commit: () => void; fail: (e: Error) => void }[] = [];
  const db = {
    raw: (_sql: string, [json]: [string]) =>
      new Promise<void>((resolve, reject) => calls.push({ rows: JSON.parse(json), commit: resolve, fail: reject })),
  } as unknown as Knex;
  return { db, calls };
}

const row = (cpr: string): AccessLogRow => ({ cpr, what: 'borger', sub: 's', role: 'JOBCENTER', org: '101', requestId: cpr });
const tick = () => new Promise((r) => setImmediate(r));

describe('X-4: access-log group commit', () => {
  it('rows of requests that finish while an insert is in flight go together in the next insert', async () => {
    const { db, calls } = fakeDb();
    const w = new AccessLogWriter(() => db);
    const settled: string[] = [];
    const a = w.write(new Date('2026-11-27T10:00:00Z'), [row('a')]).then(() => settled.push('a'));
    const b = w.write(new Date('2026-11-27T10:00:01Z'), [row('b')]).then(() => settled.push('b'));
    const c = w.write(new Date('2026-11-27T10:00:02Z'), [row('c'), row('c2')]).then(() => settled.push('c'));
    await tick();
    expect(calls.map((x) => x.rows.map((r) => r.cpr))).toEqual([['a']]);
    calls[0].commit();
    await a;
    await tick();
    expect(calls.map((x) => x.rows.map((r) => r.cpr))).toEqual([['a'], ['b', 'c', 'c2']]);
    // Each row keeps the time of its own read.
    expect(calls[1].rows.map((r) => r.at)).toEqual(['2026-11-27T10:00:01.000Z', '2026-11-27T10:00:02.000Z', '2026-11-27T10:00:02.000Z']);
    expect(settled).toEqual(['a']); // b and c are not durable yet: their answers must wait
    calls[1].commit();
    await Promise.all([b, c]);
    expect(settled).toEqual(['a', 'b', 'c']);
  });

  it('a failed insert fails every request whose rows it held, and the next batch still goes', async () => {
    const { db, calls } = fakeDb();
    const w = new AccessLogWriter(() => db);
    const a = w.write(new Date(), [row('a')]);
    await tick();
    const b = w.write(new Date(), [row('b')]);
    const c = w.write(new Date(), [row('c')]);
    calls[0].commit();
    await a;
    await tick();
    calls[1].fail(new Error('disk full'));
    await expect(b).rejects.toThrow('disk full');
    await expect(c).rejects.toThrow('disk full');
    const d = w.write(new Date(), [row('d')]);
    await tick();
    calls[2].commit();
    await expect(d).resolves.toBeUndefined();
  });

  it('a batch holds at most maxRows rows (one request is never split)', async () => {
    const { db, calls } = fakeDb();
    const w = new AccessLogWriter(() => db, 3);
    const first = w.write(new Date(), [row('a')]);
    const rest = [w.write(new Date(), [row('b'), row('c')]), w.write(new Date(), [row('d'), row('e')]), w.write(new Date(), [row('f')])];
    await tick();
    calls[0].commit();
    await first;
    await tick();
    expect(calls[1].rows.map((r) => r.cpr)).toEqual(['b', 'c']);
    calls[1].commit();
    await tick();
    await tick();
    expect(calls[2].rows.map((r) => r.cpr)).toEqual(['d', 'e', 'f']);
    calls[2].commit();
    await Promise.all(rest);
  });

  it('reports each committed insert with its duration and row count, and nothing for a failed one', async () => {
    const { db, calls } = fakeDb();
    const seen: [number, number][] = [];
    const w = new AccessLogWriter(() => db, 5000, (seconds, rows) => seen.push([seconds, rows]));
    const a = w.write(new Date('2026-11-27T10:00:00Z'), [row('a'), row('a2')]);
    await tick();
    await new Promise((r) => setTimeout(r, 5));
    calls[0].commit();
    await a;
    expect(seen).toHaveLength(1);
    expect(seen[0][1]).toBe(2);
    expect(seen[0][0]).toBeGreaterThanOrEqual(0.004);
    const b = w.write(new Date('2026-11-27T10:00:01Z'), [row('b')]);
    await tick();
    calls[1].fail(new Error('refused'));
    await expect(b).rejects.toThrow('refused');
    expect(seen).toHaveLength(1);
  });
});
