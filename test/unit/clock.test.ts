import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock/clock';

describe('systemClock.today', () => {
  afterEach(() => vi.useRealTimers());

  it('is the Copenhagen date, and turns at Copenhagen midnight although it is reused within a minute', () => {
    vi.useFakeTimers();
    // Winter: CET = UTC+1, so Copenhagen midnight is 23:00 UTC.
    vi.setSystemTime(new Date('2026-01-14T22:59:00.000Z'));
    expect(systemClock.today()).toBe('2026-01-14');
    vi.setSystemTime(new Date('2026-01-14T22:59:59.999Z'));
    expect(systemClock.today()).toBe('2026-01-14');
    vi.setSystemTime(new Date('2026-01-14T23:00:00.000Z'));
    expect(systemClock.today()).toBe('2026-01-15');
    // Summer: CEST = UTC+2.
    vi.setSystemTime(new Date('2026-07-01T21:59:59.999Z'));
    expect(systemClock.today()).toBe('2026-07-01');
    vi.setSystemTime(new Date('2026-07-01T22:00:00.000Z'));
    expect(systemClock.today()).toBe('2026-07-02');
  });
});
