/** What the benchmark scripts share: starting, stopping and measuring processes, logging, writing docs/BENCHMARKS.md. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../test/helpers/process';

// The process tests' helpers (plain Node, no test framework): one free-port finder and one repository root.
export { freePort, ROOT } from '../../test/helpers/process';
// The machine canary each benchmark measures at its start and prints in its report.
export { canaryLine, machineCanary } from './machine-canary';

export interface Proc {
  name: string;
  child: ChildProcess;
  port: number;
  out: () => string;
  exited: Promise<void>;
}

/** A node process from the repository root, its output kept (first 200 kB) for error messages. */
export function spawnNode(name: string, args: string[], env: Record<string, string>, port: number): Proc {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const collect = (b: Buffer) => {
    if (out.length < 200_000) out += b.toString('utf8');
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return { name, child, port, out: () => out, exited };
}

/** Our server as production runs it (no jobs, no demo data, warnings only); `workers` > 1 sets WORKERS. */
export function startOurs(dbUrl: string, port: number, jwtSecret: string, nodeArgs: string[] = [], workers = 1): Proc {
  const env: Record<string, string> = { DATABASE_URL: dbUrl, NODE_ENV: 'production', JWT_SECRET: jwtSecret, SEED_DEMO: 'false', RUN_JOBS: 'false', LOG_LEVEL: 'warn', PORT: String(port), WORKERS: String(workers) };
  return spawnNode('ours', [...nodeArgs, buildServer()], env, port);
}

let built: string | null = null;

/**
 * The server as production runs it: compiled by `npm run build` (dist/src/main.js), not transpiled at start-up
 * by @swc-node/register as `npm start` does for development (which holds every source and its source map in
 * memory: 205 MB resident when idle against 141 MB compiled). Built once per benchmark process from the
 * current sources, so a run never measures a stale build.
 */
export function buildServer(): string {
  if (built) return built;
  // An A/B against another build (e.g. a worktree of an earlier commit, built there with `npm run build`).
  if (process.env.BENCH_SERVER_MAIN) return (built = path.resolve(process.env.BENCH_SERVER_MAIN));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}${r.stderr}`);
  built = path.join(ROOT, 'dist/src/main.js');
  return built;
}

export async function stop(p: Proc): Promise<void> {
  if (p.child.exitCode === null) p.child.kill('SIGTERM');
  await Promise.race([p.exited, new Promise((r) => setTimeout(r, 20_000))]);
  if (p.child.exitCode === null) p.child.kill('SIGKILL');
}

/** A process and its direct children (a server started with WORKERS > 1 serves from its children). */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === pid) out.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** CPU time (user + system) so far of a process and its live children, ms. */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      total += ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, USER_HZ = 100
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

export function log(msg: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
}

/**
 * Replaces the section between `<!-- marker -->` and `<!-- /marker -->` of docs/BENCHMARKS.md, read just
 * before writing (other benchmarks write theirs). A new section goes after `<!-- /after -->` when that
 * exists, else at the end.
 */
export function writeSection(marker: string, body: string, after?: string): void {
  const file = path.join(ROOT, 'docs', 'BENCHMARKS.md');
  const open = `<!-- ${marker} -->`;
  const close = `<!-- /${marker} -->`;
  const block = `${open}\n${body.trim()}\n${close}`;
  let text = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmarks\n\nMeasured numbers of this service. Each section is written by its own script; rerun the script to refresh it.\n';
  const a = text.indexOf(open);
  const z = text.indexOf(close);
  const anchor = after ? text.indexOf(`<!-- /${after} -->`) : -1;
  if (a >= 0 && z > a) {
    text = text.slice(0, a) + block + text.slice(z + close.length);
  } else if (anchor >= 0) {
    const end = anchor + `<!-- /${after} -->`.length;
    text = text.slice(0, end) + '\n\n' + block + text.slice(end);
  } else {
    text = text.replace(/\s*$/, '\n\n') + block + '\n';
  }
  writeFileSync(file, text);
  log(`docs/BENCHMARKS.md: section ${marker} written`);
}

/**
 * A benchmark's entry point: runs `main` when `mod` is the file node was started with (not when another script
 * imports it for its helpers), then exits 0, or prints the error and exits 1 (pools and servers left open would
 * otherwise keep the process alive).
 */
export function runMain(mod: NodeModule, main: () => Promise<unknown>): void {
  if (require.main !== mod) return;
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
