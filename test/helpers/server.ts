import type { MikroORM } from '@mikro-orm/postgresql';
import { createClient, type Client as WsClient } from 'graphql-ws';
import pino from 'pino';
import WebSocket from 'ws';
import { TokenService } from '../../src/auth/token';
import { FixedClock } from '../../src/clock/clock';
import { loadConfig, type Config } from '../../src/config';
import type { Role } from '../../src/context/roles';
import { createOrm } from '../../src/db/orm';
import { entities } from '../../src/modules';
import { createServer, type RunningServer } from '../../src/server';
import { createTestDatabase, type TestDatabase } from './db';

export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789';

export interface GqlResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

export interface TestServer {
  url: string;
  wsUrl: string;
  clock: FixedClock;
  orm: MikroORM;
  db: TestDatabase;
  server: RunningServer;
  tokens: TokenService;
  token(role: Role | `${Role}`, org: string, sub?: string): Promise<string>;
  /** POST /graphql; `auth` is a token, or omitted for an anonymous call. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, auth?: string): Promise<GqlResult<T>>;
  ws(auth?: string): WsClient;
  /**
   * Runs `subscribe` (which opens subscriptions) and resolves once `n` more of them have joined the
   * server's notification hub: from then on they miss nothing. Replaces guessing with sleeps.
   */
  subscribed<T>(n: number, subscribe: () => T, ms?: number): Promise<T>;
  /** Runs `fn` and returns how many SQL statements the server's ORM sent meanwhile. */
  countQueries(fn: () => Promise<unknown>): Promise<number>;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** A real server on a random port with its own database, as a client would meet it. */
export async function startTestServer(opts: { today?: string; config?: Partial<Config> } = {}): Promise<TestServer> {
  const db = await createTestDatabase();
  const config: Config = { ...loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_SECRET }), databaseUrl: db.url, runJobs: false, ...opts.config };
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const orm = await createOrm({ url: db.url, entities, log });
  const clock = new FixedClock(new Date('2026-11-27T11:00:00Z'));
  if (opts.today) clock.setToday(opts.today);
  const tokens = new TokenService(TEST_SECRET);
  const server = await createServer({ config, orm, clock, log, tokens, databaseUrl: db.url });
  const port = await server.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}/graphql`;
  const wsUrl = `ws://127.0.0.1:${port}/graphql`;
  const clients: WsClient[] = [];
  let queries = 0;
  server.onStatement(() => {
    queries++;
  });

  return {
    url,
    wsUrl,
    clock,
    orm,
    db,
    server,
    tokens,
    token: (role, org, sub) => tokens.sign({ role: role as Role, org, sub }),
    async gql(query, variables, auth) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return (await res.json()) as GqlResult<never>;
    },
    ws(auth) {
      const c = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        lazy: true,
        retryAttempts: 0,
        connectionParams: auth ? { Authorization: `Bearer ${auth}` } : {},
      });
      clients.push(c);
      return c;
    },
    async subscribed(n, subscribe, ms = 10_000) {
      const started = async () => (await server.metrics.subscriptionsStarted.get()).values[0]?.value ?? 0;
      const before = await started();
      const result = subscribe();
      const deadline = Date.now() + ms;
      while ((await started()) < before + n) {
        if (Date.now() > deadline) throw new Error(`${n} subscription(s) did not start within ${ms} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return result;
    },
    async countQueries(fn) {
      const before = queries;
      await fn();
      return queries - before;
    },
    async sql(text, params) {
      return (await orm.em.getConnection().execute(text, params ?? [])) as never;
    },
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await server.close();
      await orm.close(true);
      await db.drop();
    },
  };
}

/** Reads the first error's code, for assertions. */
export function errorCode(r: GqlResult): unknown {
  return r.errors?.[0]?.extensions?.code;
}
