import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeWhenExpired } from '../../src/auth/token';

describe('X-1: a graphql-ws connection ends when its token expires', () => {
  afterEach(() => vi.useRealTimers());

  it('closes at the expiry, not before', () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T10:00:00Z') });
    const close = vi.fn();
    closeWhenExpired(Date.now() + 60_000, close);
    vi.advanceTimersByTime(59_999);
    expect(close).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('a token valid longer than a timer can wait (24.8 days) is checked again, and closes on its day', () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T10:00:00Z') });
    const close = vi.fn();
    const days = 30;
    closeWhenExpired(Date.now() + days * 86_400_000, close);
    vi.advanceTimersByTime(25 * 86_400_000);
    expect(close).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5 * 86_400_000);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('an expiry already past closes at once; a cancelled one never closes', () => {
    vi.useFakeTimers({ now: new Date('2026-11-27T10:00:00Z') });
    const past = vi.fn();
    closeWhenExpired(Date.now() - 1, past);
    expect(past).toHaveBeenCalledTimes(1);
    const cancelled = vi.fn();
    const cancel = closeWhenExpired(Date.now() + 1_000, cancelled);
    cancel();
    vi.advanceTimersByTime(10_000);
    expect(cancelled).not.toHaveBeenCalled();
  });
});
