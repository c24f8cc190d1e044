import type { EntityManager } from '@mikro-orm/postgresql';
import { queryPrepared } from './prepared';

type Row = Record<string, unknown>;

interface Waiting {
  em: EntityManager;
  sql: string;
  params: unknown[];
  keyColumn: string;
  byKey: Map<string, { resolve: (row: Row | undefined) => void; reject: (err: unknown) => void }[]>;
  /**
   * Each load's caller values, for the arrays bound first: one entry per load, never merged, even when two loads'
   * values are equal (two graphql-ws operations of one connection share its request id): each writes its own rows.
   */
  callers: (readonly unknown[])[];
}

const MAX_KEYS = 200;

/**
 * Rows by key for concurrent requests, one statement for all of them: the reads of one event-loop turn
 * that share a statement and its other parameters (the same prefetches for the same caller's org) go
 * together as `key = any(?)`, as the access log groups its inserts. Under load a case-worker read then
 * costs a fraction of a PostgreSQL round trip (each wakes a backend process and, on a busy machine,
 * trades the CPU with it); alone it waits for nothing but the end of the turn (setImmediate).
 * `sqlAny` must end with `= any(?)` and select `keyColumn`; `params` bind the `?` before it. A statement that also
 * writes per caller (the access-log rows of the read, see BorgerService.get) takes `caller`: its values are bound
 * first, each as one array over the statement's callers (one per load) (`?::text[]` in the SQL, in `caller`'s order), then
 * `params`, then the keys.
 */
export class BatchedRead {
  private readonly waiting = new Map<string, Waiting>();

  load(em: EntityManager, sqlAny: string, params: unknown[], keyColumn: string, key: string, caller: readonly unknown[] = []): Promise<Row | undefined> {
    // Inside a transaction the read must see the transaction's own writes: no batching there.
    if (em.getTransactionContext()) {
      return queryPrepared<Row>(em, sqlAny, [...caller.map((v) => [v]), ...params, [key]]).then((rows) => rows[0]);
    }
    const group = `${sqlAny}\u0000${JSON.stringify(params)}`;
    let w = this.waiting.get(group);
    if (!w) {
      w = { em, sql: sqlAny, params, keyColumn, byKey: new Map(), callers: [] };
      this.waiting.set(group, w);
      setImmediate(() => this.run(group));
    }
    const waiter = w;
    if (caller.length > 0) waiter.callers.push(caller);
    return new Promise<Row | undefined>((resolve, reject) => {
      const list = waiter.byKey.get(key);
      if (list) list.push({ resolve, reject });
      else waiter.byKey.set(key, [{ resolve, reject }]);
      if (waiter.byKey.size >= MAX_KEYS) this.run(group);
    });
  }

  private run(group: string): void {
    const w = this.waiting.get(group);
    if (!w) return;
    this.waiting.delete(group);
    const keys = [...w.byKey.keys()];
    const callers = w.callers;
    const columns = callers.length === 0 ? [] : callers[0].map((_, i) => callers.map((c) => c[i]));
    queryPrepared<Row>(w.em, w.sql, [...columns, ...w.params, keys]).then(
      (rows) => {
        const found = new Map(rows.map((r) => [String(r[w.keyColumn]), r]));
        for (const [key, list] of w.byKey) {
          const row = found.get(key);
          // Each caller gets its own copy: callers take the prefetched columns off the row they are given.
          for (const { resolve } of list) resolve(row && { ...row });
        }
      },
      (err: unknown) => {
        for (const list of w.byKey.values()) for (const { reject } of list) reject(err);
      },
    );
  }
}
