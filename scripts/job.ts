import 'reflect-metadata';
import path from 'node:path';
import { systemClock } from '../src/clock/clock';
import { loadConfig } from '../src/config';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { createOrm } from '../src/db/orm';
import { checkJobDay, JobDayInFutureError, runJob } from '../src/jobs/job';
import { createDomainEventBus, entities, jobs } from '../src/modules';
import { createLogger } from '../src/observability/logger';
import { parseLocalDate, type LocalDate } from '../src/scalars/local-date';

const USAGE = 'usage: npm run job -- <name> [--today YYYY-MM-DD, today or earlier] [--args JSON]';

/**
 * Runs one job by hand, now, in this process, against DATABASE_URL (or the embedded database when it is
 * unset), prints its report as JSON and exits. It does not go through the queue, so it also runs when the
 * scheduled run is failing; jobs are idempotent, so running one next to the scheduled run is safe.
 * An unknown (or missing) name lists the jobs and exits 2; so does a `--today` after today (DL-2: a deletion job
 * would delete early), checked before connecting. An earlier day is allowed, to catch up. Does not apply migrations
 * (`npm run migrate`).
 */
async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let name: string | undefined;
  let today: LocalDate | undefined;
  let args: Record<string, unknown> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (flag: string) => {
      const inline = a.startsWith(`${flag}=`) ? a.slice(flag.length + 1) : undefined;
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (a === '--today' || a.startsWith('--today=')) {
      const v = value('--today');
      try {
        today = parseLocalDate(v);
      } catch {
        throw new UsageError(`--today is not a date YYYY-MM-DD: ${v}`);
      }
    }
    else if (a === '--args' || a.startsWith('--args=')) args = parseArgs(value('--args'));
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (name === undefined) name = a;
    else throw new UsageError(`unexpected argument ${a}`);
  }

  const job = jobs.find((j) => j.name === name);
  if (!job) {
    console.error(name ? `Unknown job '${name}'.` : USAGE);
    console.error(jobs.length ? 'Known jobs:' : 'No jobs are registered (src/modules.ts).');
    for (const j of jobs) console.error(`  ${j.name.padEnd(32)} ${j.schedule ? `[${j.schedule}] ` : ''}${j.description}`);
    return 2;
  }

  if (today !== undefined) {
    try {
      checkJobDay(today, systemClock.today());
    } catch (e) {
      if (e instanceof JobDayInFutureError) {
        throw new UsageError(
          `--today ${e.today} is after today (${e.clockToday}): a job runs for today or an earlier day (catching up), never a day still to come, ` +
            'as the deletion jobs would then delete data before its limit (DL-2). Nothing was run.',
        );
      }
      throw e;
    }
  }

  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'pg'), port: config.embeddedPgPort, log });
  const orm = await createOrm({ url: config.databaseUrl ?? embedded!.url, entities, log });
  const day = today ?? systemClock.today();
  try {
    const { report, ms } = await runJob(job, { orm, clock: systemClock, log, events: createDomainEventBus() }, { today: day, args }, { runId: `manual-${Date.now()}` });
    console.log(JSON.stringify({ job: job.name, today: day, report, ms }, null, 2));
    return 0;
  } finally {
    await orm.close(true);
    await embedded?.stop();
  }
}

class UsageError extends Error {}

function parseArgs(text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new UsageError(`--args is not JSON: ${text}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new UsageError('--args must be a JSON object');
  return v as Record<string, unknown>;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n${USAGE}`);
      process.exit(2);
    }
    console.error(e);
    process.exit(1);
  },
);
