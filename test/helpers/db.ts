import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { withDatabase } from './pg-url';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database per test file, cloned from the migrated template, so files run in parallel. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminUrl');
  const name = `dfdg_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `create database ${name} template ${inject('templateDb')}`);
  return {
    url: withDatabase(adminUrl, name),
    name,
    drop: () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`),
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/**
 * Waits (at most about 2 s) until `n` other sessions of `client`'s database wait for a lock: a concurrency test
 * holds a lock, starts the requests that must queue behind it, and goes on once they do.
 */
export async function lockWaiters(client: pg.Client, n = 1): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const [w] = (
      await client.query(`select count(*)::int n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`)
    ).rows as { n: number }[];
    if (w.n >= n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
