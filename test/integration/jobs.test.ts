import type { MikroORM } from '@mikro-orm/postgresql';
import { makeWorkerUtils, type WorkerEvents } from 'graphile-worker';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { copenhagenDate, FixedClock } from '../../src/clock/clock';
import type { Ctx } from '../../src/context/context';
import { Role } from '../../src/context/roles';
import { createOrm } from '../../src/db/orm';
import { transaction } from '../../src/db/transaction';
import { DomainEventBus } from '../../src/events/domain-events';
import { checkJobDay, JobDayInFutureError, runJob, validateJobs, type JobDefinition, type JobRunOptions } from '../../src/jobs/job';
import { startJobRunner, type JobRunner } from '../../src/jobs/runner';
import { copenhagenCronMatcher, occurrences } from '../../src/jobs/schedule';
import { entities, jobs as productionJobs } from '../../src/modules';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

// ---------------------------------------------------------------------------------------------------
// The test's own job: one row per run, written through the ctx the runner gives it.

const TABLE = `create table job_test_run (
  id serial primary key, job text not null, today date not null, sub text, role text, org text,
  args jsonb, clock_now timestamptz not null, written_at timestamptz not null default clock_timestamp())`;

interface RunRow {
  job: string;
  today: string;
  sub: string;
  role: string;
  org: string;
  args: Record<string, unknown> | null;
  clock_now: Date;
}

/** Every ctx a test job was given, to compare with what the runner was started with. */
const seen: { job: string; ctx: Ctx; opts: JobRunOptions }[] = [];

async function writeRun(ctx: Ctx, job: string, opts: JobRunOptions): Promise<void> {
  seen.push({ job, ctx, opts });
  await transaction(ctx, async (tx) => {
    await tx.em.execute(`insert into job_test_run (job, today, sub, role, org, args, clock_now) values (?, ?, ?, ?, ?, ?, ?)`, [
      job,
      opts.today,
      tx.principal?.sub,
      tx.principal?.role,
      tx.principal?.org,
      opts.args ? JSON.stringify(opts.args) : null,
      tx.clock.now(),
    ]);
  });
}

const recordJob: JobDefinition = {
  name: 'test-record',
  description: 'Writes one row per run (test only).',
  async run(ctx, opts) {
    await writeRun(ctx, 'test-record', opts);
    return { written: 1 };
  },
};

let flakyAttempts = 0;
const flakyJob: JobDefinition = {
  name: 'test-flaky',
  description: 'Fails its first attempt, then writes (test only).',
  async run(ctx, opts) {
    flakyAttempts++;
    if (flakyAttempts === 1) throw new Error('UDB svarer ikke');
    await writeRun(ctx, 'test-flaky', opts);
    return { written: 1 };
  },
};

const brokenJob: JobDefinition = {
  name: 'test-broken',
  description: 'Always fails (test only).',
  maxAttempts: 1,
  async run() {
    throw new Error('altid i stykker');
  },
};

// ---------------------------------------------------------------------------------------------------
// Helpers

type LogLine = Record<string, unknown> & { msg: string; level: number };

function capturingLogger() {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l.trim()) lines.push(JSON.parse(l) as LogLine);
      cb();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function sql<T = Record<string, unknown>>(orm: MikroORM, text: string, params: unknown[] = []): Promise<T[]> {
  return orm.em.getConnection().execute(text, params) as Promise<T[]>;
}

const MINUTE = 60_000;

/** A daily schedule (Copenhagen wall clock) whose occurrence is the minute starting at `t`. */
function dailyAt(t: Date): string {
  const [h, m] = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Copenhagen', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(t)
    .split(':')
    .map(Number);
  return `${m} ${h} * * *`;
}

// ---------------------------------------------------------------------------------------------------

describe('job schedules: crontab fields on the Europe/Copenhagen wall clock', () => {
  const at = (schedule: string, from: string, to: string) => occurrences(schedule, new Date(from), new Date(to)).map((d) => d.toISOString());

  it("'0 2 * * *' runs at 02:00 Danish time: 01:00 UTC in winter, 00:00 UTC in summer", () => {
    expect(at('0 2 * * *', '2026-01-10T00:00Z', '2026-01-11T00:00Z')).toEqual(['2026-01-10T01:00:00.000Z']);
    expect(at('0 2 * * *', '2026-06-10T00:00Z', '2026-06-11T00:00Z')).toEqual(['2026-06-10T00:00:00.000Z']);
  });

  it('spring forward (29 March 2026, 02:00–02:59 does not exist): a daily 02:30 job still runs once, at 03:00 CEST', () => {
    expect(at('30 2 * * *', '2026-03-28T00:00Z', '2026-03-31T00:00Z')).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('fall back (25 October 2026, 02:00–02:59 happens twice): a daily 02:30 job runs once, the first time', () => {
    expect(at('30 2 * * *', '2026-10-24T00:00Z', '2026-10-27T00:00Z')).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
    // That day has 25 real hours but 24 Danish hours: an hourly job runs 24 times, the repeated 02:00 once.
    expect(at('0 * * * *', '2026-10-24T22:00Z', '2026-10-25T23:00Z')).toHaveLength(24);
  });

  it('the matcher graphile-worker calls (UTC fields, no year) agrees, across a new year', () => {
    const now = () => Date.parse('2027-01-01T00:10:00Z');
    const match = copenhagenCronMatcher('0 0 1 1 *', now);
    const digest = (iso: string) => {
      const d = new Date(iso);
      return { min: d.getUTCMinutes(), hour: d.getUTCHours(), date: d.getUTCDate(), month: d.getUTCMonth() + 1, dow: d.getUTCDay() };
    };
    expect(match(digest('2026-12-31T23:00:00Z'))).toBe(true); // midnight in Copenhagen, the year before "now" in UTC
    expect(match(digest('2027-01-01T00:00:00Z'))).toBe(false);
  });

  it('DL-2: a job’s day may be today or earlier (catching up), never later', () => {
    expect(checkJobDay('2026-11-27', '2026-11-27')).toBe('2026-11-27');
    expect(checkJobDay('2020-01-01', '2026-11-27')).toBe('2020-01-01');
    expect(() => checkJobDay('2026-11-28', '2026-11-27')).toThrow(JobDayInFutureError);
    expect(() => checkJobDay('2027-01-01', '2026-11-27')).toThrow(/after today \(2026-11-27\)/);
  });

  it('names and schedules are checked at start', () => {
    const run = async () => ({});
    expect(() => validateJobs([{ name: 'a', description: '', schedule: '61 2 * * *', run }])).toThrow();
    expect(() => validateJobs([{ name: 'Bad Name', description: '', run }])).toThrow(/must match/);
    expect(() => validateJobs([{ name: 'a', description: '', run }, { name: 'a', description: '', run }])).toThrow(/Two jobs/);
    expect(() => validateJobs(productionJobs)).not.toThrow();
  });
});

describe('job runner on graphile-worker', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  const clock = new FixedClock(new Date('2026-11-27T11:00:00Z'));
  const events = new DomainEventBus();
  const runners: JobRunner[] = [];
  const orms: MikroORM[] = [];
  const dbs: TestDatabase[] = [];

  async function newOrm(d: TestDatabase) {
    const o = await createOrm({ url: d.url, entities });
    orms.push(o);
    return o;
  }

  /** One "server instance": its own ORM, pool, logger and runner. */
  async function instance(o: { db: TestDatabase; jobs: JobDefinition[]; workerEvents?: WorkerEvents; backfillPeriod?: number; orm?: MikroORM }) {
    const { log, lines } = capturingLogger();
    const own = o.orm ?? (await newOrm(o.db));
    const runner = await startJobRunner({
      connectionString: o.db.url,
      jobs: o.jobs,
      orm: own,
      clock,
      log,
      events,
      pollInterval: 100,
      workerEvents: o.workerEvents,
      backfillPeriod: o.backfillPeriod,
    });
    runners.push(runner);
    return { runner, lines, orm: own };
  }

  async function stop(runner: JobRunner) {
    await runner.stop();
    runners.splice(runners.indexOf(runner), 1);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    dbs.push(db);
    orm = await createOrm({ url: db.url, entities });
    orms.push(orm);
    await sql(orm, TABLE);
  });

  afterEach(() => {
    seen.length = 0;
    vi.useRealTimers();
  });

  afterAll(async () => {
    for (const r of runners.splice(0)) await r.stop();
    for (const o of orms.splice(0)) await o.close(true);
    for (const d of dbs.splice(0)) await d.drop();
  });

  it('(a) an enqueued run executes the job through a SYSTEM ctx with the injected clock and bus, and logs its report', async () => {
    const { runner, lines } = await instance({ db, jobs: [recordJob] });
    await runner.enqueue('test-record');
    await runner.enqueue('test-record', { today: '2026-01-05', args: { kommune: '101' } });

    const rows = await until('two runs written', async () => {
      const r = await sql<RunRow>(orm, `select job, to_char(today, 'YYYY-MM-DD') as today, sub, role, org, args, clock_now from job_test_run where job = 'test-record' order by id`);
      return r.length === 2 && r;
    });
    expect(rows.map((r) => ({ ...r, clock_now: new Date(r.clock_now).toISOString() }))).toEqual([
      { job: 'test-record', today: '2026-11-27', sub: 'job:test-record', role: Role.SYSTEM, org: 'dfdg', args: null, clock_now: '2026-11-27T11:00:00.000Z' },
      { job: 'test-record', today: '2026-01-05', sub: 'job:test-record', role: Role.SYSTEM, org: 'dfdg', args: { kommune: '101' }, clock_now: '2026-11-27T11:00:00.000Z' },
    ]);

    // The same clock and event bus the runner (like the server) was given; an EntityManager of its own per run.
    expect(seen).toHaveLength(2);
    for (const s of seen) {
      expect(s.ctx.principal).toEqual({ sub: 'job:test-record', role: Role.SYSTEM, org: 'dfdg' });
      expect(s.ctx.clock).toBe(clock);
      expect(s.ctx.events).toBe(events);
    }
    expect(seen[0].ctx.em).not.toBe(seen[1].ctx.em);

    const done = await until('both runs logged', async () => {
      const d = lines.filter((l) => l.msg === 'job done');
      return d.length === 2 && d;
    });
    expect(done.map((l) => ({ job: l.job, today: l.today, report: l.report, attempt: l.attempt }))).toEqual([
      { job: 'test-record', today: '2026-11-27', report: { written: 1 }, attempt: 1 },
      { job: 'test-record', today: '2026-01-05', report: { written: 1 }, attempt: 1 },
    ]);
    await expect(runner.enqueue('no-such-job')).rejects.toThrow(/Unknown job/);
    await stop(runner);
  });

  it('(b) two instances with the same schedule: an occurrence both must catch up on runs exactly once', async () => {
    const fresh = await createTestDatabase();
    dbs.push(fresh);
    const freshOrm = await createOrm({ url: fresh.url, entities });
    orms.push(freshOrm);
    await sql(freshOrm, TABLE);

    // The occurrence: today's minute 10 minutes ago, Danish time. Its next one is a day away.
    const occurrence = new Date(Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE);
    const daily: JobDefinition = {
      name: 'test-daily',
      description: 'A daily job (test only).',
      schedule: dailyAt(occurrence),
      async run(ctx, opts) {
        await writeRun(ctx, 'test-daily', opts);
        return { written: 1 };
      },
    };

    // Both instances start at once on a database without the graphile_worker schema: both migrate it
    // and learn the schedule; nothing is due (the schedule is new to them).
    const started = () => {
      const ev = new EventEmitter() as WorkerEvents;
      const cronStarted = new Promise<void>((resolve) => ev.once('cron:started', () => resolve()));
      const backfills: string[] = [];
      ev.on('cron:backfill', ({ timestamp }) => backfills.push(timestamp));
      return { ev, cronStarted, backfills };
    };
    let a = started();
    let b = started();
    let [ia, ib] = await Promise.all([instance({ db: fresh, jobs: [daily], workerEvents: a.ev }), instance({ db: fresh, jobs: [daily], workerEvents: b.ev })]);
    await Promise.all([a.cronStarted, b.cronStarted]);
    const known = await sql<{ identifier: string }>(freshOrm, `select identifier from graphile_worker._private_known_crontabs`);
    expect(known.map((k) => k.identifier)).toEqual(['job:test-daily']);
    await Promise.all([stop(ia.runner), stop(ib.runner)]);

    // They had known the schedule for an hour but were both down at the occurrence (a deploy): when
    // they come back, both see the occurrence as missed and both try to schedule it.
    await sql(freshOrm, `update graphile_worker._private_known_crontabs set known_since = now() - interval '1 hour'`);
    a = started();
    b = started();
    [ia, ib] = await Promise.all([instance({ db: fresh, jobs: [daily], workerEvents: a.ev }), instance({ db: fresh, jobs: [daily], workerEvents: b.ev })]);
    await Promise.all([a.cronStarted, b.cronStarted]);
    expect(a.backfills).toEqual([occurrence.toISOString()]);
    expect(b.backfills).toEqual([occurrence.toISOString()]);

    await until('the run finished and the queue is empty', async () => {
      const [{ n }] = await sql<{ n: number }>(freshOrm, `select count(*)::int as n from graphile_worker.jobs`);
      const runs = await sql(freshOrm, `select 1 from job_test_run`);
      return n === 0 && runs.length > 0;
    });
    const rows = await sql<RunRow>(freshOrm, `select job, to_char(today, 'YYYY-MM-DD') as today, sub, role from job_test_run`);
    expect(rows).toEqual([{ job: 'test-daily', today: copenhagenDate(occurrence), sub: 'job:test-daily', role: Role.SYSTEM }]);
    const [claim] = await sql<{ last_execution: Date }>(freshOrm, `select last_execution from graphile_worker._private_known_crontabs`);
    expect(new Date(claim.last_execution).toISOString()).toBe(occurrence.toISOString());
    const done = [...ia.lines, ...ib.lines].filter((l) => l.msg === 'job done');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ job: 'test-daily', scheduledAt: occurrence.toISOString(), backfilled: true, report: { written: 1 } });

    // Restarting both again: they look at the occurrence again, but it is claimed; it does not run twice.
    await Promise.all([stop(ia.runner), stop(ib.runner)]);
    a = started();
    b = started();
    [ia, ib] = await Promise.all([instance({ db: fresh, jobs: [daily], workerEvents: a.ev }), instance({ db: fresh, jobs: [daily], workerEvents: b.ev })]);
    await Promise.all([a.cronStarted, b.cronStarted]);
    expect(await sql(freshOrm, `select 1 from graphile_worker.jobs`)).toHaveLength(0);
    expect(await sql(freshOrm, `select 1 from job_test_run`)).toHaveLength(1);
    await Promise.all([stop(ia.runner), stop(ib.runner)]);
  });

  it('(b) two instances running when the minute comes: the live occurrence runs exactly once', async () => {
    const fresh = await createTestDatabase();
    dbs.push(fresh);
    const freshOrm = await createOrm({ url: fresh.url, entities });
    orms.push(freshOrm);
    await sql(freshOrm, TABLE);

    // Everything slow done first (ORMs, graphile-worker's schema), so the instances start within a moment.
    const [ormA, ormB] = [await newOrm(fresh), await newOrm(fresh)];
    const utils = await makeWorkerUtils({ connectionString: fresh.url });
    await utils.migrate();
    await utils.release();

    // Node's clock (only Date; timers stay real) is set 2.5 s before a minute a day ago, and runs on.
    const minute = new Date(Math.floor(Date.now() / MINUTE) * MINUTE - 24 * 60 * MINUTE);
    const daily: JobDefinition = {
      name: 'test-live',
      description: 'A daily job (test only).',
      schedule: dailyAt(minute),
      async run(ctx, opts) {
        await writeRun(ctx, 'test-live', opts);
        return { written: 1 };
      },
    };
    vi.useFakeTimers({ toFake: ['Date'], now: +minute - 2500, shouldAdvanceTime: true });

    const scheduled: string[] = [];
    const starts: Date[] = [];
    const watch = () => {
      const ev = new EventEmitter() as WorkerEvents;
      ev.on('cron:started', ({ start }) => starts.push(start));
      ev.on('cron:schedule', ({ timestamp }) => scheduled.push(new Date(timestamp).toISOString()));
      const after = new Promise<void>((resolve) => ev.on('cron:scheduled', () => resolve()));
      return { ev, after };
    };
    const a = watch();
    const b = watch();
    const [ia, ib] = await Promise.all([
      instance({ db: fresh, jobs: [daily], workerEvents: a.ev, orm: ormA }),
      instance({ db: fresh, jobs: [daily], workerEvents: b.ev, orm: ormB }),
    ]);
    await until('both crons started', async () => starts.length === 2);
    expect(starts.every((s) => s < minute), 'the instances took over 2.5 s to start').toBe(true);
    await Promise.all([a.after, b.after]);
    // Both instances reached the minute and tried to schedule it...
    expect(scheduled).toEqual([minute.toISOString(), minute.toISOString()]);

    await until('the run finished and the queue is empty', async () => {
      const [{ n }] = await sql<{ n: number }>(freshOrm, `select count(*)::int as n from graphile_worker.jobs`);
      const runs = await sql(freshOrm, `select 1 from job_test_run`);
      return n === 0 && runs.length > 0;
    });
    // ...and it ran once.
    const rows = await sql<RunRow>(freshOrm, `select job, to_char(today, 'YYYY-MM-DD') as today from job_test_run`);
    expect(rows).toEqual([{ job: 'test-live', today: copenhagenDate(minute) }]);
    expect([...ia.lines, ...ib.lines].filter((l) => l.msg === 'job done')).toHaveLength(1);
    await Promise.all([stop(ia.runner), stop(ib.runner)]);
  });

  it('DL-2: a run for a day after the clock’s today is refused, when enqueued and when queued around enqueue; an earlier day runs', async () => {
    const { runner, lines } = await instance({ db, jobs: [recordJob] });
    const utils = await makeWorkerUtils({ connectionString: db.url });
    try {
      const queued = async () => (await sql<{ n: number }>(orm, `select count(*)::int as n from graphile_worker.jobs where task_identifier = 'job:test-record'`))[0].n;
      const before = await queued();
      await expect(runner.enqueue('test-record', { today: '2026-11-28' })).rejects.toThrow(/2026-11-28.*after today \(2026-11-27\)/);
      await expect(runner.enqueue('test-record', { today: '2027-01-01' })).rejects.toThrow(JobDayInFutureError);
      expect(await queued()).toBe(before);

      // Straight into the queue, past enqueue: the run itself refuses, logs it, and writes nothing.
      const { id } = await utils.addJob('job:test-record', { today: '2026-11-28' }, { queueName: 'job:test-record', maxAttempts: 1 });
      const failed = await until('the queued run failed', async () => {
        const [j] = await sql<{ attempts: number; last_error: string; locked_at: Date | null }>(orm, `select attempts, last_error, locked_at from graphile_worker.jobs where id = ?`, [id]);
        return j && j.attempts === 1 && j.locked_at === null && j;
      });
      expect(failed.last_error).toContain('after today (2026-11-27)');
      expect(lines.find((l) => l.msg === 'job refused')).toMatchObject({ level: 50, job: 'test-record', today: '2026-11-28' });
      expect(await sql(orm, `select 1 from job_test_run where today > '2026-11-27'`)).toHaveLength(0);

      // Today and an earlier day (catching up) run.
      await runner.enqueue('test-record', { today: '2026-11-27', args: { dl2: 'today' } });
      await runner.enqueue('test-record', { today: '2026-11-20', args: { dl2: 'earlier' } });
      const rows = await until('both runs written', async () => {
        const r = await sql<{ today: string }>(orm, `select to_char(today, 'YYYY-MM-DD') as today from job_test_run where args->>'dl2' is not null order by today`);
        return r.length === 2 && r;
      });
      expect(rows.map((r) => r.today)).toEqual(['2026-11-20', '2026-11-27']);
    } finally {
      await utils.release();
      await stop(runner);
    }
  });

  it('X-4: a run that fails after reading a borger still logs the read, then rethrows', async () => {
    const readThenFail: JobDefinition = {
      name: 'test-read-then-fail',
      description: 'Reads a borger, then fails (test only).',
      async run(ctx) {
        ctx.accessLog.record('0101011231', 'test-read');
        throw new Error('midt i kørslen');
      },
    };
    const { log } = capturingLogger();
    await expect(runJob(readThenFail, { orm, clock, log, events }, { today: '2026-11-27' }, { runId: 'x4-fail' })).rejects.toThrow('midt i kørslen');
    expect(await sql(orm, `select sub, role, cpr, request_id from access_log where what = 'test-read'`)).toEqual([
      { sub: 'job:test-read-then-fail', role: 'SYSTEM', cpr: '0101011231', request_id: 'job:test-read-then-fail:x4-fail' },
    ]);
  });

  it('(c) a job that throws is logged, kept and retried by graphile-worker; out of attempts it stays as failed', async () => {
    const { runner, lines } = await instance({ db, jobs: [flakyJob, brokenJob] });
    const utils = await makeWorkerUtils({ connectionString: db.url });
    try {
      const { id } = await runner.enqueue('test-flaky', { today: '2026-11-27' });

      // First attempt fails: reported in the log, the job is still queued with the error and a later run_at.
      const failed = await until('first attempt failed', async () => {
        const [j] = await sql<{ attempts: number; max_attempts: number; last_error: string; run_at: Date; locked_at: Date | null }>(
          orm,
          `select attempts, max_attempts, last_error, run_at, locked_at from graphile_worker.jobs where id = ?`,
          [id],
        );
        return j && j.attempts === 1 && j.locked_at === null && j;
      });
      expect(failed.max_attempts).toBe(10);
      expect(failed.last_error).toContain('UDB svarer ikke');
      expect(new Date(failed.run_at).getTime()).toBeGreaterThan(Date.now());
      const report = lines.find((l) => l.msg === 'job failed' && l.job === 'test-flaky');
      expect(report).toMatchObject({ level: 50, attempt: 1, maxAttempts: 10, willRetry: true, today: '2026-11-27', err: { message: 'UDB svarer ikke' } });
      expect(await sql(orm, `select 1 from job_test_run where job = 'test-flaky'`)).toHaveLength(0);

      // The backoff elapses (brought forward rather than waited for); the retry succeeds and the job leaves the queue.
      await utils.rescheduleJobs([id], { runAt: new Date() });
      await until('retry succeeded', async () => {
        const left = await sql(orm, `select 1 from graphile_worker.jobs where id = ?`, [id]);
        return left.length === 0;
      });
      expect(await sql(orm, `select to_char(today, 'YYYY-MM-DD') as today from job_test_run where job = 'test-flaky'`)).toEqual([{ today: '2026-11-27' }]);
      expect(lines.find((l) => l.msg === 'job done' && l.job === 'test-flaky')).toMatchObject({ attempt: 2, report: { written: 1 } });

      // A job out of attempts is not dropped: it stays in graphile_worker.jobs, failed, with its error.
      const broken = await runner.enqueue('test-broken');
      const kept = await until('broken job failed', async () => {
        const [j] = await sql<{ attempts: number; max_attempts: number; last_error: string; locked_at: Date | null }>(
          orm,
          `select attempts, max_attempts, last_error, locked_at from graphile_worker.jobs where id = ?`,
          [broken.id],
        );
        return j && j.attempts === 1 && j.locked_at === null && j;
      });
      expect(kept).toMatchObject({ attempts: 1, max_attempts: 1 });
      expect(kept.last_error).toContain('altid i stykker');
      expect(lines.find((l) => l.job === 'test-broken' && l.level === 50)).toMatchObject({ msg: 'job failed; no attempts left', willRetry: false });
    } finally {
      await utils.release();
      await stop(runner);
    }
  });
});
