import { BadInputError } from '../errors/domain-errors';

/** The most rows one page of a list answers (the pull queue's limit too). */
export const PAGE_MAX = 500;

/** a page size outside 1..max is refused, as naesteBeskeder does, not quietly changed. */
export function sidestoerrelse(first: number, field = 'first', max = PAGE_MAX): number {
  if (!Number.isInteger(first) || first < 1 || first > max) throw new BadInputError(`${field} skal være mellem 1 og ${max}`, { field });
  return first;
}
