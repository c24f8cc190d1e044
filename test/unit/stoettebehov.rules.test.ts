import { describe, expect, it } from 'vitest';
import { DomainError, RuleViolation } from '../../src/errors/domain-errors';
import { checkStoettebehov, normaliserStoettebehov, STOETTEBEHOV_IDS } from '../../src/uddannelsesplan/stoettebehov.rules';

/** Every subset of {1..6}, as sorted id lists: 64 of them. */
const SUBSETS: number[][] = Array.from({ length: 64 }, (_, mask) => STOETTEBEHOV_IDS.filter((_, i) => mask & (1 << i)));
const TRIN: (number | null)[] = [null, 1, 2, 3, 4];

/** The catalogue, read independently of the implementation: the first rule broken, or null. */
function oracle(s: number[], trin: number | null): string | null {
  const has = (n: number) => s.includes(n);
  if (has(1) && (has(2) || has(3))) return 'UP-2';
  if (has(4) && !(has(2) || has(3))) return 'UP-3';
  if (trin === 4 && !(has(1) || has(2) || has(3))) return 'UP-5';
  return null;
}

function outcome(s: number[], trin: number | null): string | null {
  try {
    checkStoettebehov(s, trin);
    return null;
  } catch (e) {
    if (e instanceof RuleViolation) return e.rule;
    throw e;
  }
}

describe('støttebehov combinations (UP-2..UP-5), all 64 subsets of {1..6} at each trin', () => {
  it('has 64 distinct subsets', () => {
    expect(new Set(SUBSETS.map((s) => s.join(','))).size).toBe(64);
  });

  for (const trin of TRIN) {
    it.each(SUBSETS.map((s) => [s.join(',') || '∅', s] as const))(`UP-2..UP-5: trin ${trin ?? 'none'}, støttebehov {%s}`, (_label, s) => {
      expect(outcome(s, trin)).toBe(oracle(s, trin));
    });
  }

  it('UP-2..UP-5: the table has the expected number of refusals per rule', () => {
    const count: Record<string, number> = {};
    for (const trin of TRIN) for (const s of SUBSETS) {
      const r = outcome(s, trin) ?? 'OK';
      count[r] = (count[r] ?? 0) + 1;
    }
    // UP-2: 1 with 2 and/or 3: 3 of the 4 combinations of {2,3} × 2^3 others (4,5,6) = 24 per trin.
    // UP-3: 4 without 2 and 3 and not already UP-2: 4 ∈, 2,3 ∉ → 2^3 (1,5,6) = 8 per trin.
    // UP-5 at trin 4 only: none of 1,2,3 and not UP-3 → 4 ∉ → 2^2 (5,6) = 4.
    expect(count).toEqual({ 'UP-2': 24 * 5, 'UP-3': 8 * 5, 'UP-5': 4, OK: 64 * 5 - 24 * 5 - 8 * 5 - 4 });
  });
});

describe('the rules one by one', () => {
  it('UP-1: støttebehov are ids 1–6 only; unknown ids and repeats are refused, the set comes back sorted', () => {
    expect(normaliserStoettebehov([6, 2, 4])).toEqual([2, 4, 6]);
    expect(normaliserStoettebehov([])).toEqual([]);
    for (const bad of [0, 7, -1, 2.5]) {
      expect(() => normaliserStoettebehov([bad])).toThrow(DomainError);
      try {
        normaliserStoettebehov([bad]);
      } catch (e) {
        expect((e as DomainError).code).toBe('BAD_USER_INPUT');
      }
    }
    expect(() => normaliserStoettebehov([2, 2])).toThrow(/mere end én gang/);
  });

  it('UP-2: 1 cannot be combined with 2 or 3, with a Danish message naming the ids', () => {
    for (const s of [[1, 2], [1, 3], [1, 2, 3], [1, 2, 5, 6]]) {
      expect(() => checkStoettebehov(s, 1)).toThrow(RuleViolation);
      expect(outcome(s, 2)).toBe('UP-2');
    }
    expect(() => checkStoettebehov([1, 2], null)).toThrow(/ingen støttebehov.*id 1.*id 2.*id 3/);
    expect(outcome([1, 5, 6], 3)).toBeNull();
  });

  it('UP-3: 4 requires 2 or 3', () => {
    expect(outcome([4], 1)).toBe('UP-3');
    expect(outcome([4, 5, 6], null)).toBe('UP-3');
    expect(outcome([1, 4], 3)).toBe('UP-3');
    expect(outcome([2, 4], 1)).toBeNull();
    expect(outcome([3, 4], 4)).toBeNull();
  });

  it('UP-4: 5 and 6 may stand alone (below trin 4)', () => {
    for (const trin of [null, 1, 2, 3]) {
      expect(outcome([5], trin)).toBeNull();
      expect(outcome([6], trin)).toBeNull();
      expect(outcome([5, 6], trin)).toBeNull();
    }
  });

  it('UP-5: at trin 4 at least one of 1, 2, 3 is required; below trin 4 nothing is', () => {
    expect(outcome([], 4)).toBe('UP-5');
    expect(outcome([5, 6], 4)).toBe('UP-5');
    expect(outcome([1], 4)).toBeNull();
    expect(outcome([2], 4)).toBeNull();
    expect(outcome([3], 4)).toBeNull();
    expect(outcome([], 3)).toBeNull();
    expect(() => checkStoettebehov([], 4)).toThrow(/trin 4/);
  });
});
