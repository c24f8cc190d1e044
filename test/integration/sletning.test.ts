import { spawn } from 'node:child_process';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock/clock';
import { DomainEventBus } from '../../src/events/domain-events';
import { runJob, validateJobs } from '../../src/jobs/job';
import { jobs } from '../../src/modules';
import { addDays, addYears, type LocalDate } from '../../src/scalars/local-date';
import { insertBorger } from '../helpers/fixtures';
import { ROOT } from '../helpers/process';
import { errorCode, startTestServer, type TestServer } from '../helpers/server';

let ts: TestServer;
let jc157: string;
let jc101: string;

const CPR = '0507652345';
const TODAY = '2026-11-26';

beforeAll(async () => {
  ts = await startTestServer({ today: TODAY });
  jc157 = await ts.token('JOBCENTER', '157');
  jc101 = await ts.token('JOBCENTER', '101');
  await insertBorger(ts, { cpr: CPR, jobcenter: '157' });
});
afterAll(async () => ts?.close());

const REGISTRER = `mutation($i: BookingInput!) { registrerBooking(input: $i) { id cpr art moededato selvbookingsfrist jobcenter } }`;
const LAES = `query($c: CPR!) { bookinger(cpr: $c) { id art moededato selvbookingsfrist } }`;
type Booking = { id: string; cpr: string; art: string; moededato: string; selvbookingsfrist: string | null; jobcenter: string };

async function registrer(moededato: string, extra: Record<string, unknown> = {}, token = jc157) {
  return ts.gql<{ registrerBooking: Booking }>(REGISTRER, { i: { cpr: CPR, art: 'INDKALDELSE', moededato, ...extra } }, token);
}

const job = jobs.find((j) => j.name === 'booking-sletning')!;
const run = async (today: string) => (await runJob(job, { orm: ts.orm, clock: ts.clock, log: pino({ level: 'silent' }), events: new DomainEventBus() }, { today: today as LocalDate })).report;
const moededatoer = async () => (await ts.sql<{ d: string }>(`select to_char(moededato, 'YYYY-MM-DD') d from booking where cpr = ? order by moededato`, [CPR])).map((r) => r.d);

describe('booking/indkaldelse with mødedato', () => {
  it('DL-1: the borger’s jobcenter registers a booking/indkaldelse and reads it back, logged (X-4)', async () => {
    const r = await registrer('2026-12-10', { art: 'SELVBOOKING', selvbookingsfrist: '2026-12-03' });
    expect(r.errors).toBeUndefined();
    expect(r.data!.registrerBooking).toMatchObject({ cpr: CPR, art: 'SELVBOOKING', moededato: '2026-12-10', selvbookingsfrist: '2026-12-03', jobcenter: '157' });
    const read = await ts.gql<{ bookinger: Booking[] }>(LAES, { c: CPR }, jc157);
    expect(read.data!.bookinger.map((b) => b.id)).toEqual([r.data!.registrerBooking.id]);
    const field = await ts.gql<{ borger: { bookinger: Booking[] } }>(`query($c: CPR!) { borger(cpr: $c) { bookinger { id } } }`, { c: CPR }, jc157);
    expect(field.data!.borger.bookinger).toHaveLength(1);
    const borger = await ts.gql<{ bookinger: Booking[] }>(LAES, { c: CPR }, await ts.token('BORGER', CPR));
    expect(borger.data!.bookinger).toHaveLength(1);
    const [log] = await ts.sql<{ n: string }>(`select count(*) n from access_log where org = '157' and cpr = ? and what = 'booking'`, [CPR]);
    expect(Number(log.n)).toBeGreaterThan(0);
  });

  it('DL-1: another jobcenter can neither register nor read; an a-kasse cannot register', async () => {
    expect(errorCode(await registrer('2026-12-11', {}, jc101))).toBe('FORBIDDEN');
    expect(errorCode(await ts.gql(LAES, { c: CPR }, jc101))).toBe('FORBIDDEN');
    expect(errorCode(await registrer('2026-12-11', {}, await ts.token('AKASSE', '12')))).toBe('FORBIDDEN');
  });

  it('DL-1: bad input is refused with a clear code and changes nothing', async () => {
    const before = await moededatoer();
    expect(errorCode(await registrer('2026-12-10', { art: 'SELVBOOKING', selvbookingsfrist: '2026-12-11' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await registrer('2026-12-10', { selvbookingsfrist: '2026-12-01' }))).toBe('BAD_USER_INPUT');
    const old = await registrer('2020-11-26');
    expect(errorCode(old)).toBe('RULE_VIOLATION');
    expect(old.errors![0].extensions!.rule).toBe('DL-1');
    expect(await moededatoer()).toEqual(before);
  });
});

describe('DL-1 / DL-2: the daily booking deletion', () => {
  it('DL-2: the job is listed with a daily schedule, and the job list is valid', () => {
    expect(job.schedule).toBe('30 2 * * *');
    expect(() => validateJobs(jobs)).not.toThrow();
    expect(jobs.map((j) => j.name)).toEqual(expect.arrayContaining(['booking-sletning', 'tidlig-pension-sletning']));
  });

  it('DL-1: a mødedato of 27.11.2020 is kept on 26.11.2026 and deleted on 27.11.2026; 28.11.2020 a day later', async () => {
    for (const d of ['2020-11-27', '2020-11-28']) expect((await registrer(d)).errors).toBeUndefined();
    expect(await run('2026-11-26')).toEqual({ bookinger: 0 });
    expect(await moededatoer()).toEqual(['2020-11-27', '2020-11-28', '2026-12-10']);

    expect(await run('2026-11-27')).toEqual({ bookinger: 1 });
    expect(await moededatoer()).toEqual(['2020-11-28', '2026-12-10']);

    expect(await run('2026-11-28')).toEqual({ bookinger: 1 });
    expect(await moededatoer()).toEqual(['2026-12-10']);
  });

  it('DL-2: running again the same day deletes nothing more and reports 0 (idempotent)', async () => {
    expect(await run('2026-11-28')).toEqual({ bookinger: 0 });
    expect(await moededatoer()).toEqual(['2026-12-10']);
  });

  it('DL-1: a mødedato of 29.2.2020 is kept on 28.2.2026 and deleted on 1.3.2026 (never a day early)', async () => {
    ts.clock.setToday('2026-02-01' as LocalDate);
    try {
      expect((await registrer('2020-02-29')).errors).toBeUndefined();
    } finally {
      ts.clock.setToday(TODAY as LocalDate);
    }
    expect(await run('2026-02-28')).toEqual({ bookinger: 0 });
    expect(await moededatoer()).toContain('2020-02-29');
    expect(await run('2026-03-01')).toEqual({ bookinger: 1 });
    expect(await moededatoer()).not.toContain('2020-02-29');
  });

  it('DL-2: deletion works in chunks: more due rows than one chunk are all deleted, and counted', async () => {
    await ts.sql(
      `insert into booking (cpr, art, moededato, jobcenter, registreret_af)
       select ?, 'INDKALDELSE', date '2019-01-01' + (g % 300), '157', 'fixture' from generate_series(1, 45000) g`,
      [CPR],
    );
    expect(await run('2026-11-28')).toEqual({ bookinger: 45000 });
    expect(await moededatoer()).toEqual(['2026-12-10']);
    expect(await run('2026-11-28')).toEqual({ bookinger: 0 });
  });
});

/** `npm run job -- <args>` as a process against the test database, on the machine's real clock. */
function npmRunJob(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: ts.db.url, LOG_LEVEL: 'silent' };
  delete env.NODE_ENV;
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'scripts/job.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('DL-2: a deletion job never runs for a day still to come', () => {
  // `npm run job` reads the real clock. Two days ahead, so a midnight during the test still leaves the day to come.
  const realToday = systemClock.today();
  const ahead = addDays(realToday, 2);
  const dueAhead = addYears(ahead, -6); // deleted on `ahead`, kept until then
  const dueYesterday = addYears(addDays(realToday, -1), -6);
  const insert = (moededato: string) =>
    ts.sql(`insert into booking (cpr, art, moededato, jobcenter, registreret_af) values (?, 'INDKALDELSE', ?, '157', 'fixture')`, [CPR, moededato]);

  it('DL-2: npm run job -- booking-sletning --today <a later day> is refused with a clear message, exits non-zero and deletes nothing', async () => {
    await insert(dueAhead);
    const r = await npmRunJob(['booking-sletning', '--today', ahead]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`--today ${ahead} is after today`);
    expect(r.stderr).toContain('DL-2');
    expect(r.stdout).toBe('');
    expect(await moededatoer()).toContain(dueAhead);
  }, 60_000);

  it('DL-2: an earlier day is allowed (catching up): it deletes what was due by then, and nothing younger', async () => {
    await insert(dueYesterday);
    const r = await npmRunJob(['booking-sletning', `--today=${addDays(realToday, -1)}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ job: 'booking-sletning', today: addDays(realToday, -1), report: { bookinger: 1 } });
    const left = await moededatoer();
    expect(left).not.toContain(dueYesterday);
    expect(left).toContain(dueAhead);
  }, 60_000);
});
