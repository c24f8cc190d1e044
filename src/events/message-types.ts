import { createUnionType, type ClassType } from 'type-graphql';

type ObjectTypeClass = ClassType;

/**
 * The typed payloads of outbound messages. A feature registers one GraphQL object type per
 * serviceName (e.g. GetTidligPensionVersion1); clients read it through the union `BeskedIndhold`.
 */
const types = new Map<string, ObjectTypeClass>();

export function registerMessageType(serviceName: string, type: ObjectTypeClass): void {
  const existing = types.get(serviceName);
  if (existing && existing !== type) throw new Error(`message type ${serviceName} registered twice`);
  types.set(serviceName, type);
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
