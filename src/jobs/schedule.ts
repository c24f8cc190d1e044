import { parseCronItem, type CronMatcher } from 'graphile-worker';

/** The zone job schedules are written in: the Danish wall clock, the same as `Clock.today()`. */
export const JOB_TIME_ZONE = 'Europe/Copenhagen';

type Digest = Parameters<CronMatcher>[0];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const wallClock = new Intl.DateTimeFormat('en-US', {
  timeZone: JOB_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
});

/** The Copenhagen wall-clock time at `t`, written as if it were a UTC instant (so `getUTC*` reads the local fields). */
function wallAsUtc(t: number): number {
  const p: Record<string, number> = {};
  for (const { type, value } of wallClock.formatToParts(new Date(t))) if (type !== 'literal') p[type] = Number(value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
}

/** Minutes Copenhagen is ahead of UTC at `t` (60 in winter, 120 in summer). */
function offsetMinutes(t: number): number {
  const minuteStart = t - (((t % MINUTE) + MINUTE) % MINUTE);
  return Math.round((wallAsUtc(minuteStart) - minuteStart) / MINUTE);
}

function digestOf(wall: number): Digest {
  const d = new Date(wall);
  return { min: d.getUTCMinutes(), hour: d.getUTCHours(), date: d.getUTCDate(), month: d.getUTCMonth() + 1, dow: d.getUTCDay() };
}

/**
 * graphile-worker hands a matcher the UTC fields of the minute without its year. The year is the one
 * around now (within a year either side) whose calendar puts that date on that weekday: the weekday of
 * a date moves by one or two each year, so among three consecutive years it is unique.
 */
function instantOfUtcDigest(d: Digest, now: number): number | null {
  const year = new Date(now).getUTCFullYear();
  for (const y of [year, year - 1, year + 1]) {
    const t = Date.UTC(y, d.month - 1, d.date, d.hour, d.min);
    const back = new Date(t);
    if (back.getUTCMonth() === d.month - 1 && back.getUTCDate() === d.date && back.getUTCDay() === d.dow) return t;
  }
  return null;
}

/**
 * Whether the minute starting at UTC instant `t` is an occurrence of `fields` read on the Copenhagen wall
 * clock. Daylight saving time is handled as cron daemons do, so a daily job runs once every day:
 * - a wall-clock time skipped when clocks go forward (02:00–02:59 on the last Sunday of March) counts
 *   as occurring at the first minute after the jump (03:00 CEST);
 * - a wall-clock time repeated when clocks go back (02:00–02:59 on the last Sunday of October) counts
 *   only the first time.
 */
export function matchesCopenhagen(fields: CronMatcher, t: number): boolean {
  const offset = offsetMinutes(t);
  const wall = t + offset * MINUTE;

  // Clocks went back within the last hours: is this wall time a repeat of one already seen?
  const earlier = offsetMinutes(t - 3 * HOUR) - offset;
  if (earlier > 0 && offsetMinutes(t - earlier * MINUTE) === offset + earlier) return false;

  if (fields(digestOf(wall))) return true;

  // Clocks jumped forward at exactly this minute: the skipped wall times happen now.
  const skipped = offset - offsetMinutes(t - MINUTE);
  for (let k = 1; k <= skipped; k++) if (fields(digestOf(wall - k * MINUTE))) return true;
  return false;
}

/**
 * Turns a crontab time spec (`minute hour day-of-month month day-of-week`, e.g. `'0 2 * * *'`) read in
 * Europe/Copenhagen into the matcher graphile-worker calls with UTC fields. Throws on an invalid spec.
 */
export function copenhagenCronMatcher(schedule: string, now: () => number = Date.now): CronMatcher {
  const fields = parseCronItem({ task: 'schedule', match: schedule.trim() }, `schedule '${schedule}'`).match;
  return (digest) => {
    const t = instantOfUtcDigest(digest, now());
    return t !== null && matchesCopenhagen(fields, t);
  };
}

/** The occurrences of a schedule between two instants (inclusive of `from`, exclusive of `to`), for tests and tooling. */
export function occurrences(schedule: string, from: Date, to: Date): Date[] {
  const fields = parseCronItem({ task: 'schedule', match: schedule.trim() }, `schedule '${schedule}'`).match;
  const out: Date[] = [];
  const start = Math.ceil(+from / MINUTE) * MINUTE;
  for (let t = start; t < +to; t += MINUTE) if (matchesCopenhagen(fields, t)) out.push(new Date(t));
  return out;
}
