import {
  createSourceEventStream,
  execute,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';

type Result = ExecutionResult | Promise<ExecutionResult>;

/**
 * Parsed and validated documents by their text. Thousands of subscribers send the same few documents;
 * they share one AST (memory) and skip parse and validation (time).
 */
export class DocumentCache {
  private readonly docs = new Map<string, { document: DocumentNode } | { errors: readonly GraphQLError[] }>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly rules: readonly ValidationRule[],
    private readonly max = 500,
  ) {}

  get(query: string): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
    let hit = this.docs.get(query);
    if (hit) {
      // Least recently used goes first: re-insert to move to the end.
      this.docs.delete(query);
      this.docs.set(query, hit);
      return hit;
    }
    try {
      const document = parse(query);
      const errors = validate(this.schema, document, this.rules);
      hit = errors.length ? { errors } : { document };
    } catch (e) {
      hit = { errors: [e as GraphQLError] };
    }
    this.docs.set(query, hit);
    if (this.docs.size > this.max) this.docs.delete(this.docs.keys().next().value!);
    return hit;
  }
}

/** What may make two subscribers' results differ besides document and variables: who they are. */
export type ScopeOf = (contextValue: unknown) => string;

/**
 * A `subscribe` for graphql-ws that executes each event once per distinct (document, variables, scope)
 * instead of once per subscriber: subscribers of one organisation share one result object. Stock
 * graphql-js runs the selection set for every subscriber of every event, which is where the time goes
 * with thousands of subscribers. Events must be shared objects (the notification hub hands the same
 * message object to every subscriber of a recipient); results are cached per event object and freed
 * with it.
 */
export function sharedSubscribe(scopeOf: ScopeOf) {
  const results = new WeakMap<object, Map<DocumentNode, Map<string, Result>>>();

  const run = (event: unknown, args: ExecutionArgs, key: string): Result => {
    if (typeof event !== 'object' || event === null) return execute({ ...args, rootValue: event });
    let byDoc = results.get(event);
    if (!byDoc) results.set(event, (byDoc = new Map()));
    let byKey = byDoc.get(args.document);
    if (!byKey) byDoc.set(args.document, (byKey = new Map()));
    let r = byKey.get(key);
    if (!r) {
      r = execute({ ...args, rootValue: event });
      byKey.set(key, r);
    }
    return r;
  };

  return async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const stream = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in stream)) return stream as ExecutionResult;
    const source = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const key = `${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${scopeOf(args.contextValue)}`;
    // A plain iterator, not an async generator: `return()` must reach the source at once even while
    // it waits for the next event, or an unsubscribed client would stay attached until then.
    const mapped: AsyncIterableIterator<ExecutionResult> = {
      async next() {
        const n = await source.next();
        return n.done ? { value: undefined, done: true } : { value: await run(n.value, args, key), done: false };
      },
      async return() {
        await source.return?.();
        return { value: undefined, done: true };
      },
      async throw(e: unknown) {
        await source.return?.();
        throw e;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return mapped;
  };
}
