import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  /** http://127.0.0.1:<port> */
  base: string;
  exited: Promise<Exit>;
  alive(): boolean;
  /** Everything the process wrote, for failure messages. */
  output(): string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The real server, started as `npm start` starts it (`node -r @swc-node/register src/main.ts`), configured
 * only through `env` on top of a clean environment (nothing leaks in from the test runner).
 */
export function startProcess(env: Record<string, string>, port: number): ServerProcess {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['DATABASE_URL', 'NODE_ENV', 'PORT', 'DATA_DIR', 'EMBEDDED_PG_PORT', 'SEED_DEMO', 'JWT_SECRET', 'LOG_LEVEL', 'RUN_JOBS']) delete base[k];
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...base, LOG_LEVEL: 'info', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const collect = (b: Buffer) => {
    if (out.length < 500_000) out += b.toString('utf8');
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let done = false;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });
  return { child, port, base: `http://127.0.0.1:${port}`, exited, alive: () => !done, output: () => out };
}

/** Polls /readyz until the server and its database answer; fails early, with the output, if it exits. */
export async function waitUntilReady(p: ServerProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!p.alive()) throw new Error(`the server exited before it was up (${JSON.stringify(await p.exited)}):\n${p.output()}`);
    try {
      const r = await fetch(`${p.base}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not come up within ${timeoutMs} ms:\n${p.output()}`);
}

export async function killAndWait(p: ServerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
  if (p.alive()) p.child.kill(signal);
  return p.exited;
}
