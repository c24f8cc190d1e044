import { describe, expect, it } from 'vitest';
import { codeOf, days } from '../helpers/rules';
import { BookingArt } from '../../src/booking/booking.entity';
import { validateBooking } from '../../src/booking/booking.rules';
import { addDays, type LocalDate } from '../../src/scalars/local-date';
import {
  bookingSletningsdato,
  bookingSletningsgraense,
  dagEfter,
  dagnummer,
  erForfalden,
  fraDagnummer,
  senesteForfaldneDato,
} from '../../src/sletning/sletning.rules';

const d = (s: string) => s as LocalDate;


describe('date arithmetic of the deletion rules', () => {
  it('DL-2: N years (and months) later is the same day of the month', () => {
    expect(dagEfter(d('2020-11-27'), 6)).toBe('2026-11-27');
    expect(dagEfter(d('1954-01-15'), 65, 6)).toBe('2019-07-15');
    expect(dagEfter(d('1954-12-31'), 0, 1)).toBe('1955-01-31');
  });

  it('DL-2: a day the month lacks moves to the 1st of the next month, never to an earlier day', () => {
    expect(dagEfter(d('2020-02-29'), 6)).toBe('2026-03-01');
    expect(dagEfter(d('2020-02-29'), 4)).toBe('2024-02-29');
    expect(dagEfter(d('1954-03-31'), 65, 6)).toBe('2019-10-01');
    expect(dagEfter(d('1954-05-31'), 65, 6)).toBe('2019-12-01');
    expect(dagEfter(d('1954-06-30'), 65, 6)).toBe('2019-12-30');
  });

  it('DL-2: day numbers round-trip', () => {
    for (const day of days('1899-12-25', '1900-03-05')) expect(fraDagnummer(dagnummer(day))).toBe(day);
    expect(dagnummer(d('1970-01-01'))).toBe(0);
  });

  it('DL-2: due on the deletion day itself, not the day before', () => {
    expect(erForfalden(d('2026-11-27'), d('2026-11-26'))).toBe(false);
    expect(erForfalden(d('2026-11-27'), d('2026-11-27'))).toBe(true);
    expect(erForfalden(d('2026-11-27'), d('2026-11-28'))).toBe(true);
  });

  it('DL-2: the limit is null when nothing is due', () => {
    expect(senesteForfaldneDato(d('2026-11-27'), () => d('2100-01-01'))).toBeNull();
    expect(senesteForfaldneDato(d('2026-11-27'), (x) => x)).toBe('2026-11-27');
  });
});

describe('DL-1: booking/indkaldelse deleted 6 years after the mødedato', () => {
  it('DL-1: a mødedato of 27.11.2020 is deleted on 27.11.2026; the day before it is kept', () => {
    expect(bookingSletningsdato(d('2020-11-27'))).toBe('2026-11-27');
    expect(bookingSletningsgraense(d('2026-11-26'))).toBe('2020-11-26');
    expect(bookingSletningsgraense(d('2026-11-27'))).toBe('2020-11-27');
  });

  it('DL-1: a mødedato of 29.2.2020 is deleted on 1.3.2026, not on 28.2.2026', () => {
    expect(bookingSletningsdato(d('2020-02-29'))).toBe('2026-03-01');
    expect(bookingSletningsgraense(d('2026-02-28'))).toBe('2020-02-28');
    expect(bookingSletningsgraense(d('2026-03-01'))).toBe('2020-03-01');
  });

  it('DL-2: the deletion date never decreases with the mødedato (so one range condition is exact)', () => {
    let prev = bookingSletningsdato(d('1990-01-01'));
    for (const m of days('1990-01-02', '2035-12-31')) {
      const s = bookingSletningsdato(m);
      expect(s >= prev, m).toBe(true);
      prev = s;
    }
  });

  it('DL-2: on every day the limit is exactly the last due mødedato: it is due, the next is not', () => {
    for (const today of days('2026-01-01', '2033-12-31')) {
      const g = bookingSletningsgraense(today)!;
      expect(erForfalden(bookingSletningsdato(g), today), today).toBe(true);
      expect(erForfalden(bookingSletningsdato(addDays(g, 1)), today), today).toBe(false);
    }
  });

  it('DL-1: a booking whose 6 years have run out cannot be registered; the day after it can', () => {
    const today = d('2026-11-27');
    expect(codeOf(() => validateBooking({ cpr: 'x', art: BookingArt.INDKALDELSE, moededato: d('2020-11-27') }, today))).toEqual(['RULE_VIOLATION', 'DL-1']);
    expect(codeOf(() => validateBooking({ cpr: 'x', art: BookingArt.INDKALDELSE, moededato: d('2020-11-28') }, today))).toBeNull();
  });

  it('DL-1: a frist for selvbooking lies on or before the mødedato, and only on a selvbooking', () => {
    const today = d('2026-11-27');
    const base = { cpr: 'x', moededato: d('2026-12-10') };
    expect(codeOf(() => validateBooking({ ...base, art: BookingArt.SELVBOOKING, selvbookingsfrist: d('2026-12-10') }, today))).toBeNull();
    expect(codeOf(() => validateBooking({ ...base, art: BookingArt.SELVBOOKING, selvbookingsfrist: d('2026-12-11') }, today))).toEqual(['BAD_USER_INPUT', null]);
    expect(codeOf(() => validateBooking({ ...base, art: BookingArt.INDKALDELSE, selvbookingsfrist: d('2026-12-01') }, today))).toEqual(['BAD_USER_INPUT', null]);
  });
});
