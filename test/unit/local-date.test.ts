import { describe, expect, it } from 'vitest';
import { copenhagenDate, FixedClock } from '../../src/clock/clock';
import { addDays, addMonths, addYears, parseLocalDate } from '../../src/scalars/local-date';

describe('LocalDate and the clock', () => {
  it('adds days across month and year ends', () => {
    expect(addDays('2021-12-31', 1)).toBe('2022-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
  it('adds years; 29 February becomes 28 February in a common year', () => {
    expect(addYears('2004-02-29', 1)).toBe('2005-02-28');
    expect(addYears('2004-02-29', 4)).toBe('2008-02-29');
  });
  it('adds months, clamping to the month end', () => {
    expect(addMonths('2021-01-31', 1)).toBe('2021-02-28');
    expect(addMonths('2021-11-15', 2)).toBe('2022-01-15');
  });
  it('refuses impossible dates', () => {
    expect(() => parseLocalDate('2021-02-29')).toThrow();
    expect(() => parseLocalDate('2021-2-1')).toThrow();
    expect(parseLocalDate('2020-02-29')).toBe('2020-02-29');
  });
  it('X-1: refuses years before 1800 (PostgreSQL has no year 0, and Date.UTC reads years below 100 as 19xx)', () => {
    expect(() => parseLocalDate('0000-01-01')).toThrow(/tidligst/);
    expect(() => parseLocalDate('0050-06-15')).toThrow(/tidligst/);
    expect(() => parseLocalDate('1799-12-31')).toThrow(/tidligst/);
    expect(parseLocalDate('1800-01-01')).toBe('1800-01-01');
    expect(parseLocalDate('1858-01-01')).toBe('1858-01-01');
  });
  it('X rules: today is the Copenhagen date, not the UTC one', () => {
    // 23:30 UTC on 31 December is already 1 January in Copenhagen (UTC+1).
    expect(copenhagenDate(new Date('2021-12-31T23:30:00Z'))).toBe('2022-01-01');
    // Summer time: 22:30 UTC on 30 June is 00:30 on 1 July (UTC+2).
    expect(copenhagenDate(new Date('2021-06-30T22:30:00Z'))).toBe('2021-07-01');
    const clock = new FixedClock(new Date('2021-12-06T08:00:00Z'));
    expect(clock.today()).toBe('2021-12-06');
    clock.setToday('2022-02-28');
    expect(clock.today()).toBe('2022-02-28');
  });
});
