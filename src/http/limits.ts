import {
  BREAK,
  GraphQLError,
  Kind,
  validate,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
  type VariableNode,
} from 'graphql';

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

/** A syntax error as Apollo answers it (its SyntaxError): the code GRAPHQL_PARSE_FAILED. */
export function parseFailed(e: GraphQLError): GraphQLError {
  return new GraphQLError(e.message, {
    source: e.source,
    positions: e.positions,
    originalError: e,
    extensions: { ...e.extensions, code: 'GRAPHQL_PARSE_FAILED' },
  });
}

/**
 * Why a document names no operation to run, in graphql-js's words, with Apollo's code for it
 * (OPERATION_RESOLUTION_FAILURE); graphql-ws's own "Unable to identify operation" has no code.
 */
export function operationNotFound(document: DocumentNode, operationName: string | null | undefined): GraphQLError {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
  const message = operationName
    ? `Unknown operation named "${operationName}".`
    : operations > 1
      ? 'Must provide operation name if query contains multiple operations.'
      : 'Must provide an operation.';
  return new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
}

/** A validation error as Apollo answers it (its ValidationError): the code GRAPHQL_VALIDATION_FAILED, whatever the rule set. */
export function validationFailed(e: GraphQLError): GraphQLError {
  return new GraphQLError(e.message, {
    nodes: e.nodes,
    source: e.source,
    positions: e.positions,
    originalError: e.originalError ?? e,
    extensions: { ...e.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
  });
}

const PAGE_ARGS = new Set(['first', 'last']);

const isPageVariable = (node: ArgumentNode): boolean => PAGE_ARGS.has(node.name.value) && node.value.kind === Kind.VARIABLE;

/**
 * armor's cost limit multiplies a list's cost by `first`/`last` only when that is a literal: with
 * `borgere(first: $n)` and n = 500 a request read 500 borgere at the cost of one. Once the variables are
 * known this runs armor's own rules again on the operation with those variables' values written in, so the
 * variable form costs what the literal form costs; documents without such a variable are not looked at again.
 */
export class PageCost {
  private readonly paged = new WeakMap<DocumentNode, boolean>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly rules: readonly ValidationRule[],
  ) {}

  /** The limits' errors, as GRAPHQL_VALIDATION_FAILED; none when the operation is within them. */
  errors(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined): GraphQLError[] {
    if (!this.pagedByVariable(document)) return [];
    const values = new Map<string, string>();
    for (const def of operation.variableDefinitions ?? []) {
      const name = def.variable.name.value;
      const v = variables?.[name];
      if (typeof v === 'number' && Number.isSafeInteger(v)) values.set(name, String(v));
      else if (v === undefined && def.defaultValue?.kind === Kind.INT) values.set(name, def.defaultValue.value);
    }
    if (values.size === 0) return [];
    const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
    const written = visit(
      { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] },
      {
        Argument(node): ArgumentNode | undefined {
          const value = isPageVariable(node) ? values.get((node.value as VariableNode).name.value) : undefined;
          return value === undefined ? undefined : { ...node, value: { kind: Kind.INT, value } };
        },
      },
    );
    return validate(this.schema, written, this.rules).map(validationFailed);
  }

  private pagedByVariable(document: DocumentNode): boolean {
    let paged = this.paged.get(document);
    if (paged === undefined) {
      paged = false;
      visit(document, {
        Argument(node) {
          if (isPageVariable(node)) {
            paged = true;
            return BREAK;
          }
          return undefined;
        },
      });
      this.paged.set(document, paged);
    }
    return paged;
  }
}

/** What armor's blockFieldSuggestion leaves of a "Did you mean …" over HTTP; graphql-ws answers must not name more of the schema. */
export function hideSuggestions(message: string): string {
  return message.replace(/Did you mean ".+"/g, '[Suggestion hidden]');
}

/** The longest text one input value may hold, and the most items one input list may hold. */
export const MAX_INPUT_STRING = 10_000;
export const MAX_INPUT_LIST = 1_000;

const tooLong = (n: number) => `En tekst i input er ${n} tegn; højst ${MAX_INPUT_STRING}`;
const tooMany = (n: number) => `En liste i input har ${n} elementer; højst ${MAX_INPUT_LIST}`;

/**
 * no free-text field or list is meant to be large, and every stored one is copied onwards (plan versions,
 * letters, messages): a literal over the limits is a validation error, before anything runs.
 */
export const InputSize: ValidationRule = (context) => ({
  StringValue(node) {
    if (node.value.length > MAX_INPUT_STRING) context.reportError(new GraphQLError(tooLong(node.value.length), { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } }));
  },
  ListValue(node) {
    if (node.values.length > MAX_INPUT_LIST) context.reportError(new GraphQLError(tooMany(node.values.length), { nodes: [node], extensions: { code: 'BAD_USER_INPUT' } }));
  },
});

/** The same limits for variables (known only at run time): the first value over them, as BAD_USER_INPUT. */
export function oversizedVariable(variables: Record<string, unknown> | null | undefined): GraphQLError | null {
  let found: string | null = null;
  const walk = (v: unknown): void => {
    if (found) return;
    if (typeof v === 'string') {
      if (v.length > MAX_INPUT_STRING) found = tooLong(v.length);
    } else if (Array.isArray(v)) {
      if (v.length > MAX_INPUT_LIST) found = tooMany(v.length);
      else for (const e of v) walk(e);
    } else if (v && typeof v === 'object') {
      for (const e of Object.values(v)) walk(e);
    }
  };
  walk(variables);
  return found ? new GraphQLError(found, { extensions: { code: 'BAD_USER_INPUT' } }) : null;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The caller's x-request-id when it is a plain id, else one of ours: it is echoed in a header and written to every
 * access-log row of the request, so 16 KB of anything (or a header-breaking character) must not pass.
 */
export function requestIdFrom(header: string | string[] | undefined, fresh: () => string): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : fresh();
}
