import 'reflect-metadata';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { createOrm, migrate } from '../src/db/orm';
import { entities } from '../src/modules';
import { createLogger } from '../src/observability/logger';

/** Applies pending migrations to DATABASE_URL, or to the embedded database when it is unset. */
async function main() {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'pg'), port: config.embeddedPgPort, log });
  const orm = await createOrm({ url: config.databaseUrl ?? embedded!.url, entities, log });
  try {
    const applied = await migrate(orm);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
  } finally {
    await orm.close(true);
    await embedded?.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
