/**
 * npm run bench:all -- [--only name,name] [--skip name,name] [-- extra args are not passed on]
 *
 * Runs the benchmark scripts one after the other (never in parallel: they would measure each other), each as
 * its own process with its own defaults; each writes its own section of docs/BENCHMARKS.md. Stops at the first
 * failure. Names: ab-age-job, deletion-jobs, kp-mass-move, udb-contact-import, hub-read, subscriptions, case-worker-read,
 * writes-national-day (writes at 50 connections, then the 1,000,000-call national day: the longest, last).
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ROOT } from './bench-process';

const ALL = ['ab-age-job', 'deletion-jobs', 'kp-mass-move', 'udb-contact-import', 'hub-read', 'subscriptions', 'case-worker-read', 'writes-national-day'];

/**
 * Every script on the same PostgreSQL server: the machine's (127.0.0.1:5432) unless BENCH_DATABASE_URL names
 * another. Each batch benchmark makes a database of its own shape there and drops it; the read, writes and day
 * benchmarks share the seeded dfdg_bench_read.
 */
const env = { ...process.env, BENCH_DATABASE_URL: process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres' };

function main(): void {
  const { values } = parseArgs({ options: { only: { type: 'string' }, skip: { type: 'string' } } });
  const only = values.only ? values.only.split(',') : ALL;
  const skip = new Set(values.skip ? values.skip.split(',') : []);
  for (const name of only.filter((n) => !skip.has(n))) {
    if (!ALL.includes(name)) throw new Error(`unknown benchmark ${name}; known: ${ALL.join(', ')}`);
    const t0 = Date.now();
    console.log(`=== ${name} (load average ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')})`);
    const r = spawnSync(process.execPath, ['-r', '@swc-node/register', `scripts/bench/${name}.ts`], { cwd: ROOT, stdio: 'inherit', env });
    console.log(`=== ${name}: exit ${r.status ?? r.signal} after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

main();
