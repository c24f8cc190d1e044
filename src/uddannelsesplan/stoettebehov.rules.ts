import { BadInputError, RuleViolation } from '../errors/domain-errors';

/** UP-1: code table STOETTEBEHOV, ids 1–6. A registration is a set of these ids and nothing else (no free text, GDPR). */
export const Stoettebehov = {
  INGEN: 1,
  FAGLIGE: 2,
  SOCIALE_PERSONLIGE_HELBRED: 3,
  DOKUMENTERET: 4,
  STOETTEPERSONER: 5,
  KONTAKT_OENSKES: 6,
} as const;

export const STOETTEBEHOV_IDS: readonly number[] = [1, 2, 3, 4, 5, 6];

/**
 * UP-1: støttebehov are registered by id only. Unknown ids and repeats are refused; the set is returned
 * ascending, so two registrations of the same set compare equal.
 */
export function normaliserStoettebehov(ids: readonly number[]): number[] {
  const seen = new Set<number>();
  for (const id of ids) {
    if (!Number.isInteger(id) || !STOETTEBEHOV_IDS.includes(id)) {
      throw new BadInputError(`Ukendt støttebehov: ${id}. Vælg blandt id 1–6.`, { field: 'stoettebehov', value: id, rule: 'UP-1' });
    }
    if (seen.has(id)) throw new BadInputError(`Støttebehov ${id} er angivet mere end én gang`, { field: 'stoettebehov', value: id, rule: 'UP-1' });
    seen.add(id);
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * UP-2 .. UP-5: the combinations the release note allows (3.2). `trin` is the trin of the uddannelsespålæg the
 * plan is saved with (null: no pålæg). Checked in rule order; the first broken rule is reported.
 *  - UP-2: 1 "ingen støttebehov" cannot be combined with 2 or 3.
 *  - UP-3: 4 "dokumenteret" requires 2 or 3.
 *  - UP-4: 5 and 6 may stand alone (nothing to refuse: they need no other id).
 *  - UP-5: a plan saved at trin 4 has at least one of 1, 2, 3.
 */
export function checkStoettebehov(ids: readonly number[], trin: number | null): void {
  const has = (id: number) => ids.includes(id);
  // UP-2
  if (has(Stoettebehov.INGEN) && (has(Stoettebehov.FAGLIGE) || has(Stoettebehov.SOCIALE_PERSONLIGE_HELBRED))) {
    throw new RuleViolation(
      'UP-2',
      "'Der vurderes ingen støttebehov' (id 1) kan ikke angives sammen med faglige (id 2) eller sociale, personlige eller helbredsmæssige støttebehov (id 3)",
      { field: 'stoettebehov' },
    );
  }
  // UP-3
  if (has(Stoettebehov.DOKUMENTERET) && !has(Stoettebehov.FAGLIGE) && !has(Stoettebehov.SOCIALE_PERSONLIGE_HELBRED)) {
    throw new RuleViolation(
      'UP-3',
      "'Støttebehov (-ene) er dokumenteret' (id 4) kan kun angives, når der også er registreret et støttebehov (id 2 og/eller id 3)",
      { field: 'stoettebehov' },
    );
  }
  // UP-4: ids 5 and 6 need nothing else; no check.
  // UP-5
  if (trin === 4 && !has(Stoettebehov.INGEN) && !has(Stoettebehov.FAGLIGE) && !has(Stoettebehov.SOCIALE_PERSONLIGE_HELBRED)) {
    throw new RuleViolation(
      'UP-5',
      'En uddannelsesplan på trin 4 kan kun gemmes, når der er registreret støttebehov: mindst én af id 1 (ingen støttebehov), id 2 (faglige) eller id 3 (sociale, personlige eller helbredsmæssige)',
      { field: 'stoettebehov' },
    );
  }
}
