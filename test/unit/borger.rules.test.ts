import { describe, expect, it } from 'vitest';
import { cprHaendelseGaelder } from '../../src/borger/borger.rules';

describe('the CPR feed applies events in the order CPR registered them', () => {
  const t = (iso: string) => new Date(iso);
  it('KP-2: the first event for a borger (no state from CPR yet) applies', () => {
    expect(cprHaendelseGaelder(null, t('2026-11-01T08:00:00Z'))).toBe(true);
  });
  it('KP-2: an event registered after the state in force applies', () => {
    expect(cprHaendelseGaelder(t('2026-11-01T08:00:00Z'), t('2026-11-01T08:00:00.001Z'))).toBe(true);
  });
  it('KP-2: the same event again (a redelivery) changes nothing', () => {
    expect(cprHaendelseGaelder(t('2026-11-01T08:00:00Z'), t('2026-11-01T08:00:00Z'))).toBe(false);
  });
  it('KP-2: an older event arriving after a newer one changes nothing', () => {
    expect(cprHaendelseGaelder(t('2026-11-20T08:00:00Z'), t('2026-11-10T08:00:00Z'))).toBe(false);
  });
});
