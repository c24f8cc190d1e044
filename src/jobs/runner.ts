import { EventEmitter } from 'node:events';
import { Logger as WorkerLogger, makeWorkerUtils, parseCronItems, run, type Runner, type Task, type TaskList, type WorkerEvents, type WorkerUtils } from 'graphile-worker';
import pg from 'pg';
import type { Logger } from 'pino';
import { copenhagenDate } from '../clock/clock';
import { parseLocalDate, type LocalDate } from '../scalars/local-date';
import { checkJobDay, DEFAULT_MAX_ATTEMPTS, runJob, validateJobs, type JobDefinition, type JobServices } from './job';
import { copenhagenCronMatcher } from './schedule';

/**
 * The scheduled jobs run on graphile-worker, a job queue inside PostgreSQL (schema `graphile_worker`,
 * created and migrated by graphile-worker itself). Every instance runs the same crontab; a scheduled
 * occurrence is turned into one queued job by whichever instance claims it first in
 * `graphile_worker._private_known_crontabs`, so with N instances it still runs once. Failures are retried
 * with exponential backoff; an instance that was down at the scheduled time catches up (backfill) when it starts.
 */
export interface JobRunnerOptions extends JobServices {
  jobs: readonly JobDefinition[];
  /** The job queue's database (the service's own). Give this or `pgPool`. */
  connectionString?: string;
  /** A pool to use instead of `connectionString`; the runner does not end it. */
  pgPool?: pg.Pool;
  /** Jobs run at the same time on this instance. Default 1. */
  concurrency?: number;
  /** How often (ms) to look for jobs that became due (retries); new jobs arrive by LISTEN/NOTIFY at once. Default 2000. */
  pollInterval?: number;
  /** How far back (ms) an instance that starts catches up on missed occurrences. Default 12 h. */
  backfillPeriod?: number;
  /** Run the crontab on this instance. Default true; false runs only enqueued jobs. */
  schedule?: boolean;
  /** graphile-worker's event emitter to use, so a caller can listen from the very start. Default: a new one. */
  workerEvents?: WorkerEvents;
  /** Wait (ms) before restarting after graphile-worker stopped on an error (e.g. the database went away). Default 5000. */
  restartDelay?: number;
}

export interface EnqueueOptions {
  /**
   * The date the run is for: today or an earlier day, never a later one (DL-2, refused); default: the runner's clock
   * today at run time (so a run for a later day is enqueued with `runAt` and no `today`).
   */
  today?: LocalDate;
  args?: Record<string, unknown>;
  runAt?: Date;
  /** graphile-worker's job key: a second enqueue with the same key replaces a still-pending one. */
  jobKey?: string;
}

export interface JobRunner {
  /** Queues one run of a job now (or at `runAt`); it runs once, on whichever instance picks it up. */
  enqueue(name: string, opts?: EnqueueOptions): Promise<{ id: string }>;
  /** graphile-worker's events (`job:success`, `job:failed`, `cron:scheduled`, ...), across restarts. */
  events: WorkerEvents;
  /** Stops scheduling, waits for running jobs (graphile-worker's graceful shutdown), releases connections. */
  stop(): Promise<void>;
}

/** What graphile-worker stores as a job's payload. `_cron` is added by its crontab. */
interface JobPayload {
  today?: string;
  args?: Record<string, unknown>;
  _cron?: { ts: string; backfilled?: boolean };
}

export const JOB_QUEUE_SCHEMA = 'graphile_worker';

/** graphile-worker's task identifier (and queue name) for a job; the prefix keeps room for other tasks in the same schema. */
export function taskIdentifier(name: string): string {
  return `job:${name}`;
}

export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const {
    jobs,
    connectionString,
    pgPool,
    concurrency = 1,
    pollInterval = 2000,
    backfillPeriod = 12 * 60 * 60 * 1000,
    schedule = true,
    restartDelay = 5000,
    workerEvents,
    ...services
  } = options;
  validateJobs(jobs);
  const log = services.log.child({ component: 'jobs' });
  const byName = new Map(jobs.map((j) => [j.name, j]));
  if (!pgPool && !connectionString) throw new Error('startJobRunner needs connectionString or pgPool');
  const pool = pgPool ?? new pg.Pool({ connectionString, max: concurrency + 4 });
  if (!pgPool) pool.on('error', (err) => log.warn({ err }, 'job queue connection error'));
  const logger = workerLogger(log);
  const events = workerEvents ?? (new EventEmitter() as WorkerEvents);

  const taskList: TaskList = {};
  for (const job of jobs) taskList[taskIdentifier(job.name)] = taskFor(job, services);

  let utils: WorkerUtils | undefined;
  let current: Runner | undefined;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;

  const start = async (): Promise<void> => {
    // makeWorkerUtils migrates graphile-worker's schema (and so does run(), a no-op by then).
    utils ??= await withMigrationLock(pool, () => makeWorkerUtils({ pgPool: pool, logger, schema: JOB_QUEUE_SCHEMA }));
    const cronItems = schedule
      ? parseCronItems(
          jobs
            .filter((j) => j.schedule !== undefined)
            .map((j) => ({
              task: taskIdentifier(j.name),
              identifier: taskIdentifier(j.name),
              match: copenhagenCronMatcher(j.schedule!),
              options: { backfillPeriod, maxAttempts: j.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, queueName: taskIdentifier(j.name) },
            })),
        )
      : [];
    const runner = await run({
      pgPool: pool,
      schema: JOB_QUEUE_SCHEMA,
      taskList,
      parsedCronItems: cronItems,
      concurrency,
      pollInterval,
      noHandleSignals: true,
      logger,
      events,
    });
    if (stopping) {
      await runner.stop(); // stop() was called while a restart was starting
      return;
    }
    current = runner;
    runner.promise.catch((err: unknown) => {
      if (stopping || current !== runner) return;
      current = undefined;
      log.error({ err, restartInMs: restartDelay }, 'job runner stopped on an error; restarting');
      scheduleRestart();
    });
    log.info({ jobs: jobs.map((j) => (j.schedule ? `${j.name} (${j.schedule})` : j.name)), concurrency, schedule }, 'job runner started');
  };

  const scheduleRestart = () => {
    if (stopping) return;
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      start().catch((err: unknown) => {
        log.error({ err, restartInMs: restartDelay }, 'job runner did not restart; trying again');
        scheduleRestart();
      });
    }, restartDelay);
    restartTimer.unref();
  };

  try {
    await start();
  } catch (err) {
    await utils?.release();
    if (!pgPool) await pool.end();
    throw err;
  }

  return {
    events,
    async enqueue(name, opts = {}) {
      const job = byName.get(name);
      if (!job) throw new Error(`Unknown job '${name}'`);
      if (opts.today !== undefined) checkJobDay(parseLocalDate(opts.today), services.clock.today());
      const payload: JobPayload = { today: opts.today, args: opts.args };
      const added = await utils!.addJob(taskIdentifier(name), payload, {
        queueName: taskIdentifier(name),
        maxAttempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        runAt: opts.runAt,
        jobKey: opts.jobKey,
      });
      return { id: added.id };
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const runner = current;
      current = undefined;
      try {
        await runner?.stop();
      } finally {
        await utils?.release();
        if (!pgPool) await pool.end();
        log.info('job runner stopped');
      }
    },
  };
}

/** The graphile-worker task that runs one job: the date it is for, a SYSTEM ctx, the report logged; a throw is retried. */
function taskFor(job: JobDefinition, services: JobServices): Task {
  return async (raw, helpers) => {
    const payload = (raw ?? {}) as JobPayload;
    let today: LocalDate;
    try {
      // Checked again when it runs: a payload may have been queued around `enqueue` (graphile_worker.add_job). A
      // refused run fails like any other (so it is retried, and runs only once its day has come). The occurrence's
      // day needs no check: graphile-worker schedules it when its time has come.
      today = payload.today
        ? checkJobDay(parseLocalDate(payload.today), services.clock.today())
        : payload._cron
          ? copenhagenDate(new Date(payload._cron.ts)) // the day of the occurrence, even when run late or retried
          : services.clock.today();
    } catch (err) {
      // runJob, which logs runs, is not reached, and graphile-worker's own failure lines go to debug.
      services.log.error({ component: 'jobs', job: job.name, today: payload.today, err, attempt: helpers.job.attempts }, 'job refused');
      throw err;
    }
    await runJob(
      job,
      services,
      { today, args: payload.args, signal: helpers.abortSignal },
      {
        runId: `${helpers.job.id}.${helpers.job.attempts}`,
        attempt: helpers.job.attempts,
        maxAttempts: helpers.job.max_attempts,
        ...(payload._cron ? { scheduledAt: payload._cron.ts, ...(payload._cron.backfilled ? { backfilled: true } : {}) } : {}),
      },
    );
  };
}

/**
 * graphile-worker migrates its schema itself; two instances starting at once on a fresh database
 * collide in its `create schema` (duplicate key in pg_namespace), so its migration runs under a session
 * advisory lock, held on a connection of its own while `fn` migrates on another.
 */
async function withMigrationLock<T>(pool: pg.Pool, fn: () => Promise<T>): Promise<T> {
  const lock = await pool.connect();
  try {
    await lock.query(`select pg_advisory_lock(hashtextextended('graphile_worker:migrate', 0))`);
    try {
      return await fn();
    } finally {
      await lock.query(`select pg_advisory_unlock(hashtextextended('graphile_worker:migrate', 0))`);
    }
  } finally {
    lock.release();
  }
}

/**
 * graphile-worker's log lines into pino. Its per-job lines ("Completed task", "Failed task") go to debug:
 * `runJob` logs every run with its report. Only the error is kept of its metadata (which holds payloads).
 */
function workerLogger(log: Logger): WorkerLogger {
  const base = log.child({ component: 'graphile-worker' });
  return new WorkerLogger((scope) => {
    const l = scope.workerId ? base.child({ workerId: scope.workerId }) : base;
    return (lv, message, meta) => {
      const level = lv as string;
      const err = (meta?.error ?? meta?.fatalError) as unknown;
      const fields = err ? { err } : {};
      if (meta?.failure || level === 'info' || level === 'debug') l.debug(fields, message);
      else if (level === 'warning') l.warn(fields, message);
      else l.error(fields, message);
    };
  });
}
