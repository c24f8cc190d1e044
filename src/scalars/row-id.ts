import { BadInputError } from '../errors/domain-errors';

/**
 * A row id from the caller (GraphQL's ID takes any text): checked before it reaches SQL, where a cast of "abc" to
 * bigint would fail as an internal error instead of BAD_USER_INPUT.
 */
export function kraevRaekkeId(id: string, field = 'id'): string {
  if (!/^\d{1,18}$/.test(id)) throw new BadInputError('Ugyldigt id', { field });
  return id;
}
