import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenService } from '../../src/auth/token';
import { Role } from '../../src/context/roles';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { freePort, startProcess, waitUntilReady, type Exit, type ServerProcess } from '../helpers/process';

/**
 * The real process, started exactly as `npm start` starts it (`node -r @swc-node/register src/main.ts`
 * in the repository root), configured only through its environment, and stopped with SIGTERM as a
 * container runtime or systemd would stop it.
 */

const JWT_SECRET = 'process-test-secret-0123456789abcdef0123';
const BORGER = `query($cpr: CPR!) { borger(cpr: $cpr) { cpr fornavn efternavn jobcenter } }`;

/** `npm start`'s command with `env` (JWT_SECRET always ours, so our tokens verify). */
const start = (env: Record<string, string>, port: number) => startProcess({ JWT_SECRET, ...env }, port);

/** SIGTERM, then the exit, or null if it has not exited within `ms`. */
async function terminate(p: ServerProcess, ms: number): Promise<Exit | null> {
  p.child.kill('SIGTERM');
  return Promise.race([p.exited, sleep(ms).then(() => null)]);
}

/** Last resort for afterAll: whatever state the test left it in, the process is gone afterwards. */
async function kill(p: ServerProcess | undefined): Promise<void> {
  if (!p?.alive()) return;
  if ((await terminate(p, 10_000)) === null) {
    p.child.kill('SIGKILL');
    await p.exited;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function gql(p: ServerProcess, query: string, variables: Record<string, unknown>, token?: string) {
  const r = await fetch(`${p.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: r.status, body: (await r.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] } };
}

/** True when nothing accepts a TCP connection on 127.0.0.1:port. */
async function portClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.setTimeout(2000);
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

interface Proc {
  pid: number;
  ppid: number;
  cmdline: string;
}

/** Every process on the machine, from /proc (cmdline with NULs as spaces). */
function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1] ?? 0);
      out.push({ pid: Number(name), ppid, cmdline });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** The embedded postmaster (its command line names the data directory) and every backend it forked. */
function postgresOf(dataDir: string): Proc[] {
  const all = processes();
  const masters = all.filter((p) => p.cmdline.includes(dataDir) && /postgres/.test(p.cmdline));
  const masterPids = new Set(masters.map((p) => p.pid));
  return [...masters, ...all.filter((p) => masterPids.has(p.ppid))];
}

/** Cleanup only: stops a postmaster the server left behind, by its pid from postmaster.pid. */
function killLeftoverPostgres(pgDir: string): void {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid) return;
  try {
    if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(pgDir)) process.kill(pid, 'SIGQUIT');
  } catch {
    // already gone
  }
}

async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dfdg-process-test-'));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to enter this directory.
  await chmod(dir, 0o755);
  return dir;
}

const tokens = new TokenService(JWT_SECRET);

describe('npm start with DATABASE_URL', () => {
  let db: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = start({ DATABASE_URL: db.url }, await freePort());
    await waitUntilReady(server, 60_000);
  }, 90_000);

  afterAll(async () => {
    await kill(server);
    await db?.drop();
  }, 30_000);

  it('serves GET /healthz and GET /readyz', async () => {
    const health = await fetch(`${server.base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${server.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('serves POST /graphql: migrated and seeded, a JOBCENTER 101 token reads demo borger 0101054321', async () => {
    const anonymous = await gql(server, '{ __typename }', {});
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ data: { __typename: 'Query' } });

    const token = await tokens.sign({ role: Role.JOBCENTER, org: '101' });
    const r = await gql(server, BORGER, { cpr: '0101054321' }, token);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data).toEqual({ borger: { cpr: '0101054321', fornavn: 'Anna', efternavn: 'Andersen', jobcenter: '101' } });
  });

  it('X-1: a token signed with another secret than JWT_SECRET is refused', async () => {
    const forged = await new TokenService('some-other-secret-0123456789abcdef').sign({ role: Role.JOBCENTER, org: '101' });
    const r = await gql(server, BORGER, { cpr: '0101054321' }, forged);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('GET /graphql for a browser is the GraphiQL page, every script and stylesheet a local path that answers 200', async () => {
    const page = await fetch(`${server.base}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('id="graphiql"');

    const scripts = [...html.matchAll(/<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]);
    const links = [...html.matchAll(/<link\b[^>]*\bhref\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThanOrEqual(4); // react, react-dom, graphql-ws, graphiql
    expect(links.some((l) => l.endsWith('.css'))).toBe(true);

    const fetched: string[] = [];
    for (const ref of [...scripts, ...links]) {
      if (ref.startsWith('data:')) continue; // inline (the empty favicon): no request at all
      // A path on this server: not `//cdn…`, not `https://…`.
      expect(ref, `${ref} must be a local path`).toMatch(/^\/(?!\/)/);
      const r = await fetch(new URL(ref, server.base));
      expect(r.status, `GET ${ref}`).toBe(200);
      const body = await r.text();
      expect(body.length, `GET ${ref} has a body`).toBeGreaterThan(100);
      expect(r.headers.get('content-type') ?? '', `GET ${ref} content type`).toMatch(ref.endsWith('.css') ? /text\/css/ : /javascript/);
      fetched.push(ref);
    }
    expect(fetched.length).toBe(scripts.length + 1);
  });

  it('SIGTERM: exits 0 within a few seconds and the port is closed afterwards', async () => {
    const exit = await terminate(server, 8_000);
    expect(exit, `still running 8 s after SIGTERM:\n${server.output()}`).not.toBeNull();
    expect(exit, `exit after SIGTERM; output:\n${server.output()}`).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('"msg":"stopped"');
    expect(await portClosed(server.port)).toBe(true);
  }, 15_000);
});

describe('npm start: SIGTERM while a request is in flight', () => {
  let db: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    server = start({ DATABASE_URL: db.url }, await freePort());
    await waitUntilReady(server, 60_000);
  }, 90_000);

  afterAll(async () => {
    await kill(server);
    await db?.drop();
  }, 30_000);

  it('the request is still answered, then the process exits 0 within a few seconds', async () => {
    // A POST whose body arrives in two parts, so it is in flight when SIGTERM comes.
    const body = JSON.stringify({ query: '{ __typename }' });
    const socket = net.connect({ host: '127.0.0.1', port: server.port });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    let raw = '';
    socket.on('data', (b) => (raw += b.toString('utf8')));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`,
    );
    await sleep(300); // the server has the request (headers) by now

    const exit = terminate(server, 10_000);
    await sleep(500);
    socket.end(body.slice(5));
    await Promise.race([closed, sleep(5_000)]);
    expect(raw, `the in-flight request's answer; server output:\n${server.output()}`).toMatch(/^HTTP\/1\.1 200 /);
    expect(raw).toContain('{"data":{"__typename":"Query"}}');

    const result = await exit;
    expect(result, `still running 10 s after SIGTERM:\n${server.output()}`).not.toBeNull();
    expect(result, `exit after SIGTERM; output:\n${server.output()}`).toEqual({ code: 0, signal: null });
    expect(server.output()).toContain('"msg":"stopped"');
    expect(await portClosed(server.port)).toBe(true);
  }, 30_000);
});

describe('npm start without DATABASE_URL: embedded PostgreSQL', () => {
  let dataDir: string;
  let pgPort: number;
  let server: ServerProcess;

  beforeAll(async () => {
    dataDir = await freshDataDir();
    pgPort = await freePort();
    server = start({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort) }, await freePort());
    await waitUntilReady(server, 120_000);
  }, 150_000);

  afterAll(async () => {
    await kill(server);
    if (dataDir) {
      killLeftoverPostgres(path.join(dataDir, 'pg'));
      await sleep(500);
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('starts PostgreSQL under DATA_DIR and seeds the demo data: a JOBCENTER 101 token reads borger 0101054321', async () => {
    expect(existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    expect(postgresOf(dataDir).length).toBeGreaterThan(0);
    expect(await portClosed(pgPort)).toBe(false);

    const token = await tokens.sign({ role: Role.JOBCENTER, org: '101' });
    const r = await gql(server, BORGER, { cpr: '0101054321' }, token);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data).toEqual({ borger: { cpr: '0101054321', fornavn: 'Anna', efternavn: 'Andersen', jobcenter: '101' } });
    const ready = await fetch(`${server.base}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('SIGTERM: exits 0 and leaves no PostgreSQL running', async () => {
    const before = postgresOf(dataDir);
    expect(before.length).toBeGreaterThan(0);

    const exit = await terminate(server, 10_000);
    expect(exit, `still running 10 s after SIGTERM:\n${server.output()}`).not.toBeNull();
    expect(exit, `exit after SIGTERM; output:\n${server.output()}`).toEqual({ code: 0, signal: null });

    // The server's own shutdown ran to its end, and stopped PostgreSQL only after closing its connections
    // (a PostgreSQL stopped under the draining server cuts off the requests still in flight).
    const cutOff = server
      .output()
      .split('\n')
      .filter((l) => l.includes('terminating connection due to administrator command'))
      .map((l) => l.slice(0, 240));
    expect(cutOff, 'PostgreSQL was stopped under the still-draining server').toEqual([]);
    expect(server.output()).toContain('"msg":"stopped"');

    // Checked at once: the process must have waited for PostgreSQL before exiting.
    expect(postgresOf(dataDir), 'postgres processes of this DATA_DIR after exit').toEqual([]);
    const stillThere = before.filter((p) => {
      try {
        return readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() === p.cmdline;
      } catch {
        return false;
      }
    });
    expect(stillThere, 'the postmaster or one of its backends survived').toEqual([]);
    // A clean shutdown removes postmaster.pid; a killed postmaster leaves it behind.
    expect(existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    expect(await portClosed(pgPort)).toBe(true);
    expect(await portClosed(server.port)).toBe(true);
  }, 20_000);
});

describe('npm start with SEED_DEMO=false', () => {
  let dataDir: string;
  let pgPort: number;
  let server: ServerProcess;

  beforeAll(async () => {
    dataDir = await freshDataDir();
    pgPort = await freePort();
    server = start({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), SEED_DEMO: 'false' }, await freePort());
    await waitUntilReady(server, 120_000);
  }, 150_000);

  afterAll(async () => {
    await kill(server);
    if (dataDir) {
      killLeftoverPostgres(path.join(dataDir, 'pg'));
      await sleep(500);
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);

  it('migrates but leaves the borger table empty', async () => {
    // Straight into the embedded PostgreSQL the process started.
    const c = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${pgPort}/dfdg` });
    await c.connect();
    try {
      const { rows } = await c.query<{ n: string }>('select count(*) as n from borger');
      expect(Number(rows[0].n)).toBe(0);
    } finally {
      await c.end();
    }
    const token = await tokens.sign({ role: Role.JOBCENTER, org: '101' });
    const r = await gql(server, BORGER, { cpr: '0101054321' }, token);
    expect(r.body.data?.borger ?? null).toBeNull();
    expect(r.body.errors?.length).toBeGreaterThan(0);
  });
});

describe('npm start with WORKERS=2', () => {
  let db: TestDatabase;
  let server: ServerProcess;

  /** The serving processes: the primary's node children. */
  const workers = () => processes().filter((p) => p.ppid === server.child.pid && /node/.test(p.cmdline));

  beforeAll(async () => {
    db = await createTestDatabase();
    server = start({ DATABASE_URL: db.url, WORKERS: '2' }, await freePort());
    await waitUntilReady(server, 60_000);
  }, 90_000);

  afterAll(async () => {
    const left = server ? workers().map((w) => w.pid) : [];
    await kill(server);
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
    }
    await db?.drop();
  }, 30_000);

  /** How many times a worker has logged that it listens. */
  const listened = () => server.output().split('dfdg-graphql listening').length - 1;

  it('two worker processes serve the same port; a worker that dies is replaced and requests keep being answered', async () => {
    for (let i = 0; i < 300 && listened() < 2; i++) await sleep(100);
    expect(listened(), server.output()).toBe(2);
    const before = workers();
    expect(before).toHaveLength(2);
    const token = await tokens.sign({ role: Role.JOBCENTER, org: '101' });
    const read = async () => (await gql(server, BORGER, { cpr: '0101054321' }, token)).body.data;
    for (let i = 0; i < 6; i++) expect(await read()).toEqual({ borger: { cpr: '0101054321', fornavn: 'Anna', efternavn: 'Andersen', jobcenter: '101' } });

    process.kill(before[0].pid, 'SIGKILL');
    for (let i = 0; i < 300 && listened() < 3; i++) await sleep(100);
    expect(listened(), `no replacement listened; output:\n${server.output()}`).toBe(3);
    const after = workers();
    expect(after.map((w) => w.pid)).not.toContain(before[0].pid);
    expect(after, `workers after the kill; output:\n${server.output()}`).toHaveLength(2);
    for (let i = 0; i < 6; i++) expect((await read())?.borger).toBeTruthy();
  }, 90_000);

  it('a worker that cannot start (its port is taken) stops the whole server with exit code 1 instead of looping', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen(0, r));
    const port = (taken.address() as net.AddressInfo).port;
    const broken = start({ DATABASE_URL: db.url, WORKERS: '2', SEED_DEMO: 'false' }, port);
    try {
      const exit = await Promise.race([broken.exited, sleep(60_000).then(() => null)]);
      expect(exit, broken.output()).toEqual({ code: 1, signal: null });
      expect(broken.output()).toContain('a worker failed to start');
    } finally {
      await kill(broken);
      await new Promise((r) => taken.close(r));
    }
  }, 90_000);

  it('SIGTERM: every worker stops, the primary exits 0 and the port is closed', async () => {
    const pids = workers().map((w) => w.pid);
    expect(pids).toHaveLength(2);
    const exit = await terminate(server, 10_000);
    expect(exit, `exit after SIGTERM; output:\n${server.output()}`).toEqual({ code: 0, signal: null });
    expect(processes().filter((p) => pids.includes(p.pid))).toEqual([]);
    expect(await portClosed(server.port)).toBe(true);
  }, 20_000);
});
