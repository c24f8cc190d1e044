import type { LocalDate } from '../scalars/local-date';

/** "Today" is a Danish calendar date; rules receive it as an argument and never read a clock themselves. */
export interface Clock {
  now(): Date;
  today(): LocalDate;
}

const copenhagen = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Copenhagen',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

export function copenhagenDate(instant: Date): LocalDate {
  return copenhagen.format(instant) as LocalDate;
}

// Intl formatting costs ~10 µs and every request asks for today; Copenhagen's day starts on a whole UTC
// minute (its offsets are whole hours), so the date found for a minute holds for all of it.
let cachedMinute = NaN;
let cachedToday = '' as LocalDate;

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => {
    const ms = Date.now();
    const minute = Math.floor(ms / 60_000);
    if (minute !== cachedMinute) {
      cachedToday = copenhagenDate(new Date(ms));
      cachedMinute = minute;
    }
    return cachedToday;
  },
};

/** A clock tests can set; `today` follows the instant unless pinned. */
export class FixedClock implements Clock {
  constructor(private instant: Date) {}
  now(): Date {
    return new Date(this.instant);
  }
  today(): LocalDate {
    return copenhagenDate(this.instant);
  }
  set(instant: Date | string): void {
    this.instant = typeof instant === 'string' ? new Date(instant) : instant;
  }
  /** Pins the clock to noon Copenhagen time on the given date. */
  setToday(date: LocalDate): void {
    this.instant = new Date(`${date}T12:00:00+01:00`);
  }
}
