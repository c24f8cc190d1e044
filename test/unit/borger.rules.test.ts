import { describe, expect, it } from 'vitest';
import { cprHaendelseGaelder, kommuneEfterSammenlaegninger, validerCprHaendelse } from '../../src/borger/borger.rules';

describe('the CPR feed applies events in the order CPR registered them', () => {
  const t = (iso: string) => new Date(iso);
  it('KP-2: the first event for a borger (no state from CPR yet) applies', () => {
    expect(cprHaendelseGaelder(null, t('2026-11-01T08:00:00Z'), false)).toBe(true);
  });
  it('KP-2: an event registered after the state in force applies', () => {
    expect(cprHaendelseGaelder(t('2026-11-01T08:00:00Z'), t('2026-11-01T08:00:00.001Z'), true)).toBe(true);
  });
  it('KP-2: the same event again (a redelivery) changes nothing', () => {
    expect(cprHaendelseGaelder(t('2026-11-01T08:00:00Z'), t('2026-11-01T08:00:00Z'), true)).toBe(false);
  });
  it('KP-2: a different event registered at the same instant cannot be ordered: CONFLICT, not applied and not dropped unseen', () => {
    expect(() => cprHaendelseGaelder(t('2026-11-01T08:00:00Z'), t('2026-11-01T08:00:00Z'), false)).toThrow(/samme tidspunkt/);
  });
  it('KP-2: an older event arriving after a newer one changes nothing, whatever it holds', () => {
    expect(cprHaendelseGaelder(t('2026-11-20T08:00:00Z'), t('2026-11-10T08:00:00Z'), false)).toBe(false);
    expect(cprHaendelseGaelder(t('2026-11-20T08:00:00Z'), t('2026-11-10T08:00:00Z'), true)).toBe(false);
  });
});

describe("a CPR event's bopælskommune after the mergers registered at or after it", () => {
  const t = (iso: string) => new Date(iso);
  // Each merger gets the next id: the order the mergers were recorded in (kommunesammenlaegning.id).
  let id = 0;
  const m = (fraKommune: string, tilKommune: string, registreret: string) => ({ id: ++id, fraKommune, tilKommune, registreret: t(registreret) });
  const M330 = m('330', '326', '2026-11-15T00:00:00Z');
  const table: [string, string, string, ReturnType<typeof m>[], string][] = [
    ['no merger: as sent', '330', '2026-11-10T08:00:00Z', [], '330'],
    ['registered before the merger of its kommune: the merged kommune', '330', '2026-11-10T08:00:00Z', [M330], '326'],
    ['registered at the merger\'s instant: the merged kommune (the merger re-codes a borger registered at it)', '330', '2026-11-15T00:00:00Z', [M330], '326'],
    ['registered after the merger: as sent', '330', '2026-11-16T08:00:00Z', [M330], '330'],
    ['a merger of another kommune: as sent', '340', '2026-11-10T08:00:00Z', [M330], '340'],
    ['a chain of mergers, both after the event: the last kommune', '330', '2026-11-10T08:00:00Z', [m('326', '316', '2026-11-20T00:00:00Z'), M330], '316'],
    ['a chain whose second merger was registered before the first: one step', '330', '2026-11-10T08:00:00Z', [M330, m('326', '316', '2026-11-12T00:00:00Z')], '326'],
    ['an event between the two mergers of a chain: only the later one', '326', '2026-11-16T08:00:00Z', [M330, m('326', '316', '2026-11-20T00:00:00Z')], '316'],
    ['a kommune merged away and back: each merger once, in order', '330', '2026-11-10T08:00:00Z', [M330, m('326', '330', '2026-11-20T00:00:00Z')], '330'],
    ['two mergers of the same kommune: the first after the event', '330', '2026-11-10T08:00:00Z', [m('330', '340', '2026-12-01T00:00:00Z'), M330], '326'],
  ];
  for (const [name, kommune, registreret, sammenlaegninger, expected] of table) {
    it(`KP-2: ${name}`, () => {
      expect(kommuneEfterSammenlaegninger(kommune, t(registreret), sammenlaegninger)).toBe(expected);
    });
  }

  it('KP-2: two mergers of the same kommune registered at the same instant: the one recorded first, in whatever order they are given', () => {
    const foerst = m('430', '440', '2026-11-15T00:00:00Z');
    const senere = m('430', '450', '2026-11-15T00:00:00Z');
    expect(kommuneEfterSammenlaegninger('430', t('2026-11-10T08:00:00Z'), [foerst, senere])).toBe('440');
    expect(kommuneEfterSammenlaegninger('430', t('2026-11-10T08:00:00Z'), [senere, foerst])).toBe('440');
    // Along a chain too: the step out of 440 at the instant it was reached.
    const videre = [m('440', '479', '2026-11-15T00:00:00Z'), m('440', '480', '2026-11-15T00:00:00Z')];
    expect(kommuneEfterSammenlaegninger('430', t('2026-11-10T08:00:00Z'), [...videre].reverse().concat(senere, foerst))).toBe('479');
  });
});

describe('X-1: what the CPR feed may send', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  const ok = { fornavn: 'Anna', efternavn: 'Hansen', bopaelskommune: '101', registreret: new Date('2026-11-27T11:59:00Z') };
  const field = (i: typeof ok) => {
    try {
      validerCprHaendelse(i, now);
      return null;
    } catch (e) {
      return (e as { details?: { field?: string } }).details?.field ?? 'thrown';
    }
  };
  it('X-1: a well-formed event passes, also one registered a minute ahead of our clock', () => {
    expect(field(ok)).toBeNull();
    expect(field({ ...ok, registreret: new Date('2026-11-27T12:01:00Z') })).toBeNull();
  });
  it('X-1: a registration time in the future is refused (it would freeze the borger)', () => {
    expect(field({ ...ok, registreret: new Date('2026-11-27T12:06:00Z') })).toBe('registreret');
    expect(field({ ...ok, registreret: new Date('9999-01-01T00:00:00Z') })).toBe('registreret');
    expect(field({ ...ok, registreret: new Date('x') })).toBe('registreret');
  });
  it('X-1: names must be present and of a size CPR sends', () => {
    expect(field({ ...ok, fornavn: '  ' })).toBe('fornavn');
    expect(field({ ...ok, efternavn: 'x'.repeat(101) })).toBe('efternavn');
    expect(field({ ...ok, efternavn: 'x'.repeat(100) })).toBeNull();
  });
  it('X-1: bopælskommune is three digits', () => {
    expect(field({ ...ok, bopaelskommune: '15' })).toBe('bopaelskommune');
  });
});
