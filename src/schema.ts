import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { authChecker } from './auth/auth-checker';
import { resolvers } from './modules';
import { CprScalar } from './scalars/cpr';
import { LocalDateScalar } from './scalars/local-date';

let cached: GraphQLSchema | undefined;

export async function createSchema(): Promise<GraphQLSchema> {
  cached ??= await buildSchema({
    resolvers,
    authChecker,
    authMode: 'error',
    validate: false,
    scalarsMap: [],
    // Subscriptions read the outbox table (events/notification-hub.ts); type-graphql's in-memory PubSub
    // would lose messages across instances and restarts, so any use of it is a bug.
    pubSub: {
      publish() {
        throw new Error('in-memory PubSub is not used: emit through the outbox');
      },
      subscribe() {
        throw new Error('in-memory PubSub is not used: subscribe through the notification hub');
      },
    },
    emitSchemaFile: false,
  });
  return cached;
}

/** The SDL as committed in schema/schema.graphql: sorted, so diffs show real changes only. */
export async function printSortedSchema(): Promise<string> {
  return printSchema(lexicographicSortSchema(await createSchema())) + '\n';
}

export { CprScalar, LocalDateScalar };
