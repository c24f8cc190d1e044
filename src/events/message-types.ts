import { createUnionType, type ClassType } from 'type-graphql';
import type { ModtagerType } from './recipient';

type ObjectTypeClass = ClassType;

/**
 * The typed payloads of outbound messages. A feature registers one GraphQL object type per
 * serviceName (e.g. GetTidligPensionVersion1); clients read it through the union `BeskedIndhold`.
 */
const types = new Map<string, ObjectTypeClass>();
/** The kinds of recipient a service's messages may go to; a service without an entry may go to any. */
const allowedRecipients = new Map<string, readonly ModtagerType[]>();

export interface MessageTypeOptions {
  /**
   * Only these kinds of recipient may receive (and so subscribe to or pull) the service's messages; any
   * other gets FORBIDDEN when it names the service (e.g. TP-2: no jobcenter gets GetTidligPensionVersion1).
   */
  modtagere?: readonly ModtagerType[];
}

export function registerMessageType(serviceName: string, type: ObjectTypeClass, options: MessageTypeOptions = {}): void {
  const existing = types.get(serviceName);
  if (existing && existing !== type) throw new Error(`message type ${serviceName} registered twice`);
  types.set(serviceName, type);
  if (options.modtagere) allowedRecipients.set(serviceName, options.modtagere);
}

/** Whether a kind of recipient may receive the messages of `serviceName` (unrestricted and unknown services: yes). */
export function mayReceive(serviceName: string, type: ModtagerType): boolean {
  const allowed = allowedRecipients.get(serviceName);
  return !allowed || allowed.includes(type);
}

export function messageTypeFor(serviceName: string): ObjectTypeClass | undefined {
  return types.get(serviceName);
}

/** Marks a payload object with its service name so the union can resolve its GraphQL type. */
export const SERVICE_NAME = Symbol('serviceName');

export const BeskedIndhold = createUnionType({
  name: 'BeskedIndhold',
  description: 'The typed content of a message; the concrete type follows its serviceName.',
  types: () => [...types.values()] as [ObjectTypeClass, ...ObjectTypeClass[]],
  resolveType: (value) => {
    const name = (value as { [SERVICE_NAME]?: string })[SERVICE_NAME];
    const t = name ? types.get(name) : undefined;
    if (!t) throw new Error(`no GraphQL type registered for message ${String(name)}`);
    return t.name;
  },
});
