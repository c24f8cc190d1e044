import { registerEnumType } from 'type-graphql';

/** The `role` claim of a caller (see the rule catalogue's actors). */
export enum Role {
  JOBCENTER = 'JOBCENTER',
  AKASSE = 'AKASSE',
  UDK = 'UDK',
  UDB = 'UDB',
  KSD = 'KSD',
  CPR = 'CPR',
  BORGER = 'BORGER',
  SYSTEM = 'SYSTEM',
}

registerEnumType(Role, { name: 'Role', description: 'The kind of organisation (or the citizen) behind a token.' });

export const ROLES = Object.values(Role);

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as string[]).includes(v);
}
