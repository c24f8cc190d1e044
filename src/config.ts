import { DEV_JWT_SECRET } from './auth/token';

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  /** Unset: an embedded PostgreSQL under ./.data/ is started. */
  databaseUrl: string | undefined;
  embeddedPgPort: number;
  dataDir: string;
  jwtSecret: string;
  jwtSecretIsDev: boolean;
  seedDemo: boolean;
  logLevel: string;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  /**
   * How long an idle keep-alive HTTP connection stays open, ms. Node's default (5 s) is shorter than the idle
   * timeout of most clients and proxies, so a client may send on a connection the server is closing: ECONNRESET.
   */
  httpKeepAliveMs: number;
  /** Messages one subscription may have queued before it is closed as a slow consumer. */
  subscriptionBuffer: number;
  /** Under load, the outbox reads behind live subscriptions start at least this many ms apart (one read serves many commits). */
  subscriptionReadGapMs: number;
  /** Subscriptions one graphql-ws connection may have open at once; each holds a place in the hub and may replay history. */
  subscriptionsPerConnection: number;
  /** Run the scheduled daily jobs in this process. */
  runJobs: boolean;
  /** Server processes sharing the port (node:cluster); 1 = this process serves. */
  workers: number;
  /** When set, GET /metrics answers only `Authorization: Bearer <this>`. */
  metricsToken: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const secret = env.JWT_SECRET;
  if (nodeEnv === 'production' && !secret) {
    throw new Error('JWT_SECRET must be set when NODE_ENV=production');
  }
  // HS256 with a guessable key lets anyone sign a SYSTEM token: the published dev secret and short keys are refused.
  if (nodeEnv === 'production' && secret && (secret === DEV_JWT_SECRET || secret.length < 32)) {
    throw new Error('JWT_SECRET must be at least 32 characters and not the development secret when NODE_ENV=production');
  }
  return {
    env: nodeEnv,
    port: int(env.PORT, 4000),
    databaseUrl: env.DATABASE_URL || undefined,
    embeddedPgPort: int(env.EMBEDDED_PG_PORT, 54329),
    dataDir: env.DATA_DIR || '.data',
    jwtSecret: secret || DEV_JWT_SECRET,
    jwtSecretIsDev: !secret,
    seedDemo: env.SEED_DEMO !== 'false',
    logLevel: env.LOG_LEVEL || (nodeEnv === 'test' ? 'silent' : 'info'),
    bodyLimit: int(env.BODY_LIMIT, 1_000_000),
    httpKeepAliveMs: int(env.HTTP_KEEP_ALIVE_MS, 65_000),
    runJobs: env.RUN_JOBS !== 'false',
    subscriptionBuffer: int(env.SUBSCRIPTION_BUFFER, 5000),
    subscriptionReadGapMs: int(env.SUBSCRIPTION_READ_GAP_MS, 10),
    subscriptionsPerConnection: int(env.SUBSCRIPTIONS_PER_CONNECTION, 50),
    workers: workers(env.WORKERS),
    metricsToken: env.METRICS_TOKEN || undefined,
  };
}

function workers(v: string | undefined): number {
  const n = int(v, 1);
  if (n < 1 || n > 64) throw new Error(`WORKERS must be 1-64, not ${v}`);
  return n;
}

function int(v: string | undefined, dflt: number): number {
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`Not a whole number: ${v}`);
  return n;
}
