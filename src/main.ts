import 'reflect-metadata';
import cluster from 'node:cluster';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { TokenService } from './auth/token';
import { systemClock } from './clock/clock';
import { loadConfig, type Config } from './config';
import type { EmbeddedDb } from './db/embedded';
import { createLogger } from './observability/logger';

// The API, the ORM and the job runner are required where they are used, not imported at the top: with
// WORKERS > 1 the primary only supervises, and loading them into it would add ~100 MB of resident memory
// to the instance for nothing. (The token service comes with the config anyway; the clock weighs nothing.)
const lazy = {
  orm: () => require('./db/orm') as typeof import('./db/orm'),
  modules: () => require('./modules') as typeof import('./modules'),
};

async function main(): Promise<void> {
  const config = loadConfig();
  if (cluster.isWorker) {
    // The primary has started the database and passed its URL as DATABASE_URL.
    const log = createLogger(config.logLevel).child({ worker: cluster.worker!.id });
    const url = config.databaseUrl!;
    if (process.env.DFDG_WORKER_ROLE === 'prepare') {
      const orm = await prepare(config, log, url);
      await orm.close(true);
      process.exit(0);
    }
    const { entities } = lazy.modules();
    return serve(config, log, url, await lazy.orm().createOrm({ url, entities, log }));
  }
  const log = createLogger(config.logLevel);
  if (config.jwtSecretIsDev) {
    log.warn('JWT_SECRET is not set: using the built-in development secret. Never run like this in production.');
  }

  let embedded: EmbeddedDb | undefined;
  let url = config.databaseUrl;
  if (!url) {
    const { startEmbeddedPostgres } = require('./db/embedded') as typeof import('./db/embedded');
    embedded = await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'pg'), port: config.embeddedPgPort, log });
    url = embedded.url;
    log.info({ port: config.embeddedPgPort }, 'embedded PostgreSQL started (DATABASE_URL is unset)');
  }

  if (config.workers > 1) {
    // Migrations and demo data once, in a worker of their own that then exits, before any worker serves.
    const code = await new Promise<number>((resolve) => {
      cluster.fork({ DATABASE_URL: url, DFDG_WORKER_ROLE: 'prepare', RUN_JOBS: 'false' }).once('exit', (c) => resolve(c ?? 1));
    });
    if (code !== 0) {
      log.error({ code }, 'migrating the database failed; not starting');
      await embedded?.stop().catch(() => undefined);
      process.exit(1);
    }
    return supervise(config, log, url, embedded);
  }
  return serve(config, log, url, await prepare(config, log, url), embedded);
}

/** The database brought up to date (migrations, and the demo data when asked for). */
async function prepare(config: Config, log: Logger, url: string): Promise<MikroORM> {
  const { createOrm, migrate } = lazy.orm();
  const orm = await createOrm({ url, entities: lazy.modules().entities, log });
  const applied = await migrate(orm);
  if (applied.length) log.info({ applied }, 'migrations applied');
  if (config.seedDemo) {
    const { seedDemo } = require('./demo/seed-demo') as typeof import('./demo/seed-demo');
    const n = await seedDemo(orm.em.fork(), systemClock.today());
    if (n) log.info({ borgere: n }, 'demo data seeded');
  }
  return orm;
}

/** One serving process: the API on the port, the job runner if asked, and an orderly stop on SIGTERM/SIGINT. */
async function serve(config: Config, log: Logger, url: string, orm: MikroORM, embedded?: EmbeddedDb): Promise<void> {
  const { createServer } = require('./server') as typeof import('./server');
  const { startJobRunner } = require('./jobs/runner') as typeof import('./jobs/runner');
  const { createDomainEventBus, jobs } = lazy.modules();
  const tokens = new TokenService(config.jwtSecret);
  const events = createDomainEventBus();
  const server = await createServer({ config, orm, clock: systemClock, log, tokens, databaseUrl: url, events });
  let jobRunner: import('./jobs/runner').JobRunner | undefined;
  if (config.runJobs) {
    jobRunner = await startJobRunner({ connectionString: url, jobs, orm, clock: systemClock, log, events });
  }
  const port = await server.listen(config.port);
  log.info(`dfdg-graphql listening: http://localhost:${port}/graphql (GraphiQL in a browser), ws://localhost:${port}/graphql`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    try {
      await server.close();
      await jobRunner?.stop();
      await orm.close(true);
      await embedded?.stop();
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * WORKERS > 1: that many serving processes share the port (node:cluster hands out the connections), so one
 * instance uses more than one core. They are instances like any other (LISTEN/NOTIFY wakes each one's
 * subscribers, graphile-worker runs each job once); only the first runs the job runner. A worker that dies is
 * replaced; one that exits with an error before it listens stops the whole server (a broken start would only
 * loop). On SIGTERM/SIGINT every worker stops in order, then the embedded database.
 */
function supervise(config: Config, log: Logger, url: string, embedded?: EmbeddedDb): void {
  const index = new Map<number, number>();
  const listening = new Set<number>();
  let stopping = false;
  let exitCode = 0;
  const fork = (i: number) => {
    const w = cluster.fork({ DATABASE_URL: url, RUN_JOBS: i === 0 && config.runJobs ? 'true' : 'false', SEED_DEMO: 'false' });
    index.set(w.id, i);
  };
  const finish = async (code: number) => {
    await embedded?.stop().catch((err: unknown) => log.error({ err }, 'stopping the embedded database failed'));
    log.info('stopped');
    process.exit(code);
  };
  const stop = (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, workers: index.size }, 'shutting down');
    const force = setTimeout(() => {
      log.error('workers took too long to stop; killing them');
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
    }, 20_000);
    force.unref();
    exitCode = code;
    if (index.size === 0) void finish(code);
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
  };
  cluster.on('listening', (w) => listening.add(w.id));
  cluster.on('exit', (w, code, signal) => {
    const i = index.get(w.id);
    index.delete(w.id);
    if (stopping) {
      if (index.size === 0) void finish(exitCode);
      return;
    }
    if (!listening.has(w.id) && signal === null && code !== 0) {
      // It gave up on its own before it listened (no database, a bad setting): another would too.
      log.error({ worker: w.id, code }, 'a worker failed to start; stopping');
      stop('worker-failed', 1);
      return;
    }
    log.error({ worker: w.id, code, signal }, 'a worker died; starting another');
    setTimeout(() => {
      if (!stopping) fork(i ?? 0);
    }, 500).unref();
  });
  for (let i = 0; i < config.workers; i++) fork(i);
  log.info({ workers: config.workers, port: config.port }, 'starting workers');
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(err);
  process.exit(1);
});
