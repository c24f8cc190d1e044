import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, Kind, type GraphQLFormattedError } from 'graphql';
import { DomainError } from './domain-errors';
import { InvalidInputError } from '../scalars/local-date';

export interface FormatOptions {
  /** In production unexpected errors are masked: no message, no stack. */
  maskInternal: boolean;
}

/** The one mapper from thrown errors to what a client sees. */
export function formatError(formatted: GraphQLFormattedError, error: unknown, opts: FormatOptions): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { ...original.details, code: original.code },
    };
  }
  // Scalar parse errors (bad CPR, bad date) arrive wrapped as validation or variable errors.
  const scalarError = findCause(error, InvalidInputError);
  if (scalarError) {
    return { ...formatted, extensions: { code: 'BAD_USER_INPUT' } };
  }
  // Apollo codes these before they reach here; graphql-ws runs graphql-js directly and does not.
  if (formatted.extensions?.code === undefined && isVariableValueError(error)) {
    return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
    // GraphQL-level errors (syntax, validation, limits) are safe to show as they are.
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  if (opts.maskInternal) {
    return { message: 'Intern fejl', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  return formatted;
}

/** graphql-js's error for a variable that is missing or cannot be coerced: the test Apollo uses for BAD_USER_INPUT. */
function isVariableValueError(error: unknown): boolean {
  if (!(error instanceof GraphQLError) || error.nodes?.length !== 1) return false;
  const node = error.nodes[0];
  if (node.kind !== Kind.VARIABLE_DEFINITION) return false;
  const v = `Variable "$${node.variable.name.value}" `;
  return ['has invalid value', 'got invalid value ', 'of required type ', 'of non-null type '].some((rest) => error.message.startsWith(v + rest));
}

function findCause<T>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  let e: unknown = error;
  for (let i = 0; i < 5 && e; i++) {
    if (e instanceof type) return e;
    e = e instanceof GraphQLError ? e.originalError : e instanceof Error ? (e as Error & { cause?: unknown }).cause : undefined;
  }
  return undefined;
}
