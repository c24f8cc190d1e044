import { GraphQLError, type ValidationRule } from 'graphql';

/** Tokens a document may have (graphql-js's `parse(text, { maxTokens })`), over HTTP and graphql-ws alike. */
export const MAX_TOKENS = 2000;

/**
 * Apollo's own rule behind `introspection: false` (not exported by @apollo/server), same message and
 * extensions, for the documents graphql-ws runs outside Apollo: a client sees one answer on both transports.
 */
export const NoIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(
        new GraphQLError(
          'GraphQL introspection is not allowed by Apollo Server, but the query contained __schema or __type. To enable introspection, pass introspection: true to ApolloServer in production',
          { nodes: [node], extensions: { validationErrorCode: 'INTROSPECTION_DISABLED' } },
        ),
      );
    }
  },
});
