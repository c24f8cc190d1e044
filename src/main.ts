import 'reflect-metadata';
import path from 'node:path';
import { TokenService } from './auth/token';
import { systemClock } from './clock/clock';
import { loadConfig } from './config';
import { startEmbeddedPostgres, type EmbeddedDb } from './db/embedded';
import { createOrm, migrate } from './db/orm';
import { seedDemo } from './demo/seed-demo';
import { startJobRunner, type JobRunner } from './jobs/runner';
import { createDomainEventBus, entities, jobs } from './modules';
import { createLogger } from './observability/logger';
import { createServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  if (config.jwtSecretIsDev) {
    log.warn('JWT_SECRET is not set: using the built-in development secret. Never run like this in production.');
  }

  let embedded: EmbeddedDb | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'pg'), port: config.embeddedPgPort, log });
    url = embedded.url;
    log.info({ port: config.embeddedPgPort }, 'embedded PostgreSQL started (DATABASE_URL is unset)');
  }

  const orm = await createOrm({ url, entities, log });
  const applied = await migrate(orm);
  if (applied.length) log.info({ applied }, 'migrations applied');
  if (config.seedDemo) {
    const n = await seedDemo(orm.em.fork(), systemClock.today());
    if (n) log.info({ borgere: n }, 'demo data seeded');
  }

  const tokens = new TokenService(config.jwtSecret);
  const events = createDomainEventBus();
  const server = await createServer({ config, orm, clock: systemClock, log, tokens, databaseUrl: url, events });
  let jobRunner: JobRunner | undefined;
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

main().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(err);
  process.exit(1);
});
