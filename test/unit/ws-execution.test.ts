import { GraphQLObjectType, GraphQLSchema, GraphQLString, parse, specifiedRules, type ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DocumentCache, sharedSubscribe } from '../../src/http/ws-execution';

/** A subscription whose events come from a hand-fed source, and whose field resolver counts its calls. */
function fixture() {
  let calls = 0;
  const sources: { push(v: object): void; returned: boolean }[] = [];
  const Event = new GraphQLObjectType({
    name: 'Event',
    fields: { text: { type: GraphQLString, resolve: (e: { text: string }) => (calls++, e.text) } },
  });
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { x: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        events: {
          type: Event,
          subscribe: () => {
            const queue: object[] = [];
            let wake: ((r: IteratorResult<object>) => void) | null = null;
            const s = {
              returned: false,
              push(v: object) {
                if (wake) wake({ value: v, done: false }), (wake = null);
                else queue.push(v);
              },
            };
            sources.push(s);
            return {
              next: () => (queue.length ? Promise.resolve({ value: queue.shift()!, done: false }) : new Promise((r) => (wake = r))),
              return: async () => {
                s.returned = true;
                wake?.({ value: undefined, done: true });
                return { value: undefined, done: true };
              },
              [Symbol.asyncIterator]() {
                return this;
              },
            };
          },
          resolve: (e: unknown) => e,
        },
      },
    }),
  });
  return { schema, sources, calls: () => calls };
}

describe('shared subscription execution', () => {
  it('executes an event once for subscribers sharing document, variables and scope', async () => {
    const f = fixture();
    const subscribe = sharedSubscribe((c) => (c as { org: string }).org);
    const document = parse('subscription { events { text } }');
    const streams = await Promise.all(
      ['101', '101', '101', '157'].map((org) => subscribe({ schema: f.schema, document, contextValue: { org } }) as Promise<AsyncIterableIterator<ExecutionResult>>),
    );
    const event = { text: 'hej' };
    for (const s of f.sources) s.push(event);
    const results = await Promise.all(streams.map((s) => s.next()));
    expect(results.map((r) => r.value)).toEqual(Array(4).fill({ data: { events: { text: 'hej' } } }));
    expect(results[0].value).toBe(results[1].value); // one object for the whole scope
    expect(f.calls()).toBe(2); // once for org 101, once for org 157
  });

  it('a client that unsubscribes while waiting is detached from its source at once', async () => {
    const f = fixture();
    const stream = (await sharedSubscribe(() => '')({ schema: f.schema, document: parse('subscription { events { text } }'), contextValue: {} })) as AsyncIterableIterator<ExecutionResult>;
    const pending = stream.next();
    await stream.return!();
    expect(f.sources[0].returned).toBe(true);
    expect((await pending).done).toBe(true);
  });

  it('documents are parsed and validated once per text', () => {
    const f = fixture();
    const cache = new DocumentCache(f.schema, specifiedRules);
    const a = cache.get('subscription { events { text } }');
    const b = cache.get('subscription { events { text } }');
    expect('document' in a && 'document' in b && a.document === b.document).toBe(true);
    expect('errors' in cache.get('subscription { nope }')).toBe(true); // validation error
    expect('errors' in cache.get('subscription {')).toBe(true);
  });
});
