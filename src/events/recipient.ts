import { registerEnumType } from 'type-graphql';
import type { Principal } from '../context/context';
import { Role } from '../context/roles';
import { ForbiddenError } from '../errors/domain-errors';

/** Who a message is for: the kind of organisation and its id (kommunekode, a-kasse number, CPR for a borger). */
export enum ModtagerType {
  JOBCENTER = 'JOBCENTER',
  AKASSE = 'AKASSE',
  UDB = 'UDB',
  UDK = 'UDK',
  BORGER = 'BORGER',
}

registerEnumType(ModtagerType, { name: 'ModtagerType', description: 'The kind of recipient of a message.' });

export interface Recipient {
  type: ModtagerType;
  org: string;
}

/** Organisations with a single instance have a fixed org id, whatever the token's org says. */
const SINGLE_ORG: Partial<Record<ModtagerType, string>> = { [ModtagerType.UDB]: 'UDB', [ModtagerType.UDK]: 'UDK' };

export function recipient(type: ModtagerType, org?: string): Recipient {
  const fixed = SINGLE_ORG[type];
  if (fixed) return { type, org: fixed };
  if (!org) throw new Error(`recipient ${type} needs an org`);
  return { type, org };
}

export function recipientKey(r: Recipient): string {
  return `${r.type}:${r.org}`;
}

/** The caller's own queue: a jobcenter reads its kommune's messages, an a-kasse its own, a borger theirs. */
export function recipientOf(p: Principal): Recipient {
  switch (p.role) {
    case Role.JOBCENTER:
      return recipient(ModtagerType.JOBCENTER, p.org);
    case Role.AKASSE:
      return recipient(ModtagerType.AKASSE, p.org);
    case Role.UDB:
      return recipient(ModtagerType.UDB);
    case Role.UDK:
      return recipient(ModtagerType.UDK);
    case Role.BORGER:
      return recipient(ModtagerType.BORGER, p.org);
    default:
      throw new ForbiddenError(`Rollen ${p.role} modtager ingen beskeder`);
  }
}
