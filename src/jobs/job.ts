import { randomUUID } from 'node:crypto';
import { deriveCtx, type Ctx, type Principal } from '../context/context';
import { createCtx, type CtxServices } from '../context/create-ctx';
import { Role } from '../context/roles';
import type { LocalDate } from '../scalars/local-date';
import { copenhagenCronMatcher } from './schedule';

/** What a run did, as counts (`{ closed: 15000, skipped: 3 }`): logged with the run and printed by `npm run job`. */
export type JobReport = Record<string, number>;

export interface JobRunOptions {
  /**
   * The Danish date the run is for: the day of the scheduled occurrence, `--today` by hand, else `ctx.clock.today()`.
   * Never after the clock's today when it comes from outside (`checkJobDay`).
   */
  today: LocalDate;
  /** Extra input when run by hand or enqueued with arguments; absent on scheduled runs. */
  args?: Record<string, unknown>;
  /**
   * Aborted when the process shuts down. A long job checks it between chunks and throws when it is
   * aborted; the run is then retried later (which is fine, as jobs are idempotent).
   */
  signal?: AbortSignal;
}

/**
 * A scheduled batch of a feature (the UDB contact import, closing abonnementer by age, deletions, ...),
 * listed in `jobs` in `src/modules.ts`.
 *
 * IDEMPOTENT: a run may happen more than once for the same `today` (a retry after a failure part-way, a
 * backfill after a restart, a run by hand next to the scheduled one), so running it twice must leave the
 * same state as running it once. Decide from the data what is still to do ("close every abonnement past
 * its age that is still open"), never "what happened since the last run"; commit in chunks through
 * `transaction(ctx, ...)` so a retry resumes where the failure left off.
 *
 * The job gets a `Ctx` of its own for role SYSTEM (principal `{ sub: 'job:<name>', role: SYSTEM, org: 'dfdg' }`),
 * with a forked EntityManager, the injected clock and the server's domain event bus. Throwing fails the
 * run: it is logged and graphile-worker retries it with exponential backoff (about 3 s, 7 s, 20 s, ...)
 * up to `maxAttempts`, after which it stays in `graphile_worker.jobs` as failed.
 */
export interface JobDefinition {
  /** Unique, lower case `[a-z][a-z0-9._-]*`, e.g. `abonnement-aldersafslutning`; the name for `npm run job -- <name>`. */
  name: string;
  /** One line for people: what it does and which rules (ids) it implements. */
  description: string;
  /**
   * When it runs, as the five time fields of a crontab line read on the Europe/Copenhagen wall clock,
   * e.g. `'0 2 * * *'` = every day at 02:00 Danish time. Runs once per occurrence across all instances.
   * On daylight-saving days a time skipped by the clock runs at 03:00 and a repeated one runs once.
   * Omit for a job that only runs by hand or when enqueued.
   */
  schedule?: string;
  /** How many attempts before the run is left as failed. Default `DEFAULT_MAX_ATTEMPTS` (backoff sums to ~2 h). */
  maxAttempts?: number;
  run(ctx: Ctx, opts: JobRunOptions): Promise<JobReport>;
}

export const DEFAULT_MAX_ATTEMPTS = 10;

/** A run asked for a day after the clock's today (DL-2); see `checkJobDay`. */
export class JobDayInFutureError extends Error {
  constructor(
    readonly today: LocalDate,
    readonly clockToday: LocalDate,
  ) {
    super(
      `A job cannot run for ${today}: that is after today (${clockToday}). Give today or an earlier day (catching up), or no day at all; ` +
        'a day still to come would let the deletion jobs delete data before its limit (DL-2).',
    );
    this.name = 'JobDayInFutureError';
  }
}

/**
 * DL-2: the deletion jobs delete what is past its limit as of `today`, so a `today` still to come would delete early.
 * A day given by hand or with an enqueued run may therefore not be after the clock's today; an earlier day is fine
 * (catching up on a missed run). `runJob` itself does not check, so tests can pin any day; its callers that take a
 * day from outside (`npm run job`, the runner) do.
 */
export function checkJobDay(today: LocalDate, clockToday: LocalDate): LocalDate {
  if (today > clockToday) throw new JobDayInFutureError(today, clockToday);
  return today;
}

/** The process-wide services a job's ctx is built from: the same as the server's. */
export type JobServices = CtxServices;

/** The caller a job acts as. */
export function jobPrincipal(name: string): Principal {
  return { sub: `job:${name}`, role: Role.SYSTEM, org: 'dfdg' };
}

/** A SYSTEM ctx for one run of job `name`: forked EntityManager, the injected clock, the shared event bus. */
export function createJobCtx(services: JobServices, name: string, runId: string = randomUUID()): Ctx {
  const ctx = createCtx(services, jobPrincipal(name), `job:${name}:${runId}`);
  return deriveCtx(ctx, { log: ctx.log.child({ job: name }) });
}

const NAME = /^[a-z][a-z0-9._-]*$/;

/** Checks a job list at start: names well-formed and unique, schedules parse, attempts sensible. */
export function validateJobs(jobs: readonly JobDefinition[]): void {
  const seen = new Set<string>();
  for (const job of jobs) {
    if (!NAME.test(job.name)) throw new Error(`Job name '${job.name}' must match ${NAME}`);
    if (seen.has(job.name)) throw new Error(`Two jobs are named '${job.name}'`);
    seen.add(job.name);
    if (job.schedule !== undefined) copenhagenCronMatcher(job.schedule);
    if (job.maxAttempts !== undefined && (!Number.isInteger(job.maxAttempts) || job.maxAttempts < 1 || job.maxAttempts > 32767)) {
      throw new Error(`Job '${job.name}': maxAttempts must be a whole number from 1`);
    }
  }
}

export interface JobRunMeta {
  runId?: string;
  attempt?: number;
  maxAttempts?: number;
  /** Set when the run is a scheduled occurrence (ISO instant). */
  scheduledAt?: string;
  /** The occurrence was caught up on at start (the instances were down at the time). */
  backfilled?: boolean;
}

export interface JobRunResult {
  report: JobReport;
  ms: number;
}

/**
 * Runs one job once, as the runner and `npm run job` do: builds its SYSTEM ctx, calls `run`, writes the
 * access log of what it read, and logs the outcome with its report. Rethrows a failure (after logging
 * it) so the caller can retry. A run that fails still writes the access log of what it read before failing:
 * the data was read whether or not the run committed anything.
 */
export async function runJob(job: JobDefinition, services: JobServices, opts: JobRunOptions, meta: JobRunMeta = {}): Promise<JobRunResult> {
  const ctx = createJobCtx(services, job.name, meta.runId);
  const fields = { today: opts.today, ...(opts.args ? { args: opts.args } : {}), ...meta };
  const started = process.hrtime.bigint();
  ctx.log.info(fields, 'job started');
  try {
    const report = await job.run(ctx, opts);
    await ctx.accessLog.flush(ctx, ctx.clock.now());
    const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
    ctx.log.info({ ...fields, report, ms }, 'job done');
    return { report, ms };
  } catch (err) {
    await ctx.accessLog.flush(ctx, ctx.clock.now()).catch((logErr: unknown) => ctx.log.error({ err: logErr }, 'access log of a failed job run could not be written'));
    const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e6);
    const willRetry = meta.attempt !== undefined && meta.maxAttempts !== undefined ? meta.attempt < meta.maxAttempts : undefined;
    ctx.log.error({ ...fields, err, ms, willRetry }, willRetry === false ? 'job failed; no attempts left' : 'job failed');
    throw err;
  }
}
