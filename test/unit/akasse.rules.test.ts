import { describe, expect, it } from 'vitest';
import { BadInputError, ConflictError } from '../../src/errors/domain-errors';
import { decideMedlemsafgang, decideMedlemstilgang, decideTilbagekaldelse, erMedlem, type MedlemskabPeriode } from '../../src/akasse/akasse.rules';

const TODAY = '2026-11-27';

describe('AK-1: recall of a medlemstilgang', () => {
  it('AK-1: allowed when an earlier membership of the same a-kasse precedes the latest; the latest is recalled', () => {
    const earlier: MedlemskabPeriode = { id: '1', akasse: '12', start: '2015-01-01', slut: '2019-12-31' };
    const latest: MedlemskabPeriode = { id: '2', akasse: '12', start: '2026-11-01', slut: null };
    expect(decideTilbagekaldelse([earlier, latest], '2026-11-01')).toBe(latest);
    expect(decideTilbagekaldelse([latest, earlier], '2026-11-01')).toBe(latest);
  });
  it('AK-1: also with several earlier memberships, and a closed latest one', () => {
    const ms: MedlemskabPeriode[] = [
      { id: '1', akasse: '12', start: '2010-01-01', slut: '2011-12-31' },
      { id: '2', akasse: '12', start: '2015-01-01', slut: '2019-12-31' },
      { id: '3', akasse: '12', start: '2026-01-01', slut: '2026-12-31' },
    ];
    expect(decideTilbagekaldelse(ms, '2026-01-01').id).toBe('3');
  });
  it('AK-1: the recall names the tilgang by its start; one naming another (a recall sent again, after the latest went) is CONFLICT', () => {
    const earlier: MedlemskabPeriode = { id: '1', akasse: '12', start: '2026-01-01', slut: '2026-11-30' };
    expect(() => decideTilbagekaldelse([earlier], '2026-12-15')).toThrow(ConflictError);
    expect(decideTilbagekaldelse([earlier], '2026-01-01')).toBe(earlier);
  });
  it('a single membership can be recalled; none cannot', () => {
    const only: MedlemskabPeriode = { id: '9', akasse: '12', start: '2026-11-01', slut: null };
    expect(decideTilbagekaldelse([only], '2026-11-01')).toBe(only);
    expect(() => decideTilbagekaldelse([], '2026-11-01')).toThrow(BadInputError);
  });
});

describe('medlemstilgang and medlemsafgang', () => {
  const closed: MedlemskabPeriode = { akasse: '12', start: '2015-01-01', slut: '2019-12-31' };
  const open: MedlemskabPeriode = { akasse: '12', start: '2026-01-01', slut: null };

  it('a tilgang needs no open membership and starts after the last afgang', () => {
    expect(decideMedlemstilgang([closed], '2020-01-01')).toEqual({ start: '2020-01-01' });
    expect(() => decideMedlemstilgang([closed], '2019-12-31')).toThrow(BadInputError);
    expect(() => decideMedlemstilgang([closed, open], TODAY)).toThrow(/allerede medlem/);
  });
  it('an afgang ends the open membership, not before its start', () => {
    expect(decideMedlemsafgang([closed, open], TODAY)).toBe(open);
    expect(() => decideMedlemsafgang([closed, open], '2025-12-31')).toThrow(BadInputError);
    expect(() => decideMedlemsafgang([closed], TODAY)).toThrow(/intet åbent medlemskab/);
  });
  it('the a-kasse counts as the borger’s while a membership covers today or one is yet to start', () => {
    expect(erMedlem([open], TODAY)).toBe(true);
    expect(erMedlem([closed], TODAY)).toBe(false);
    expect(erMedlem([{ akasse: '12', start: '2026-12-01', slut: null }], TODAY)).toBe(true);
    expect(erMedlem([{ akasse: '12', start: '2026-01-01', slut: TODAY }], TODAY)).toBe(true);
    expect(erMedlem([], TODAY)).toBe(false);
  });
});
