import { GraphQLObjectType, GraphQLSchema, GraphQLString, parse, specifiedRules, type ExecutionResult } from 'graphql';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { DocumentCache, executeWithAccessLog, rawFrameWriter, sharedSubscribe, textFrame, type FrameSocket } from '../../src/http/ws-execution';

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
    const cache = new DocumentCache(f.schema, specifiedRules, { maxTokens: 2000 });
    const a = cache.get('subscription { events { text } }');
    const b = cache.get('subscription { events { text } }');
    expect('document' in a && 'document' in b && a.document === b.document).toBe(true);
    expect('errors' in cache.get('subscription { nope }')).toBe(true); // validation error
    expect('errors' in cache.get('subscription {')).toBe(true);
  });

  it('keeps neither failed documents nor long texts, and stops parsing at the token limit', () => {
    const f = fixture();
    const cache = new DocumentCache(f.schema, specifiedRules, { maxTokens: 20, maxCachedLength: 100 });
    const code = (r: ReturnType<typeof cache.get>) => ('errors' in r ? r.errors[0].extensions.code : undefined);
    expect(code(cache.get('subscription { nope }'))).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(code(cache.get('subscription {'))).toBe('GRAPHQL_PARSE_FAILED');
    expect(cache.size).toBe(0);
    // Valid, but long: answered, not kept.
    expect('document' in cache.get(`# ${'x'.repeat(200)}\nsubscription { events { text } }`)).toBe(true);
    expect(cache.size).toBe(0);
    expect('document' in cache.get('subscription { events { text } }')).toBe(true);
    expect(cache.size).toBe(1);
    const many = cache.get(`{ ${Array.from({ length: 20 }, (_, i) => `a${i}: x`).join(' ')} }`);
    expect('errors' in many && many.errors[0].message).toMatch(/more that 20 tokens/);
  });
});

describe('prebuilt frames written straight to the socket', () => {
  /** A ws server (as ours: no compression) with one client connected; messages the client receives. */
  async function pair(options: { perMessageDeflate?: boolean } = {}) {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', ...options });
    await new Promise((r) => wss.once('listening', r));
    const server = new Promise<WebSocket>((r) => wss.once('connection', r));
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate: options.perMessageDeflate ?? false });
    const received: string[] = [];
    client.on('message', (data, isBinary) => received.push(isBinary ? '<binary>' : data.toString()));
    await new Promise((r) => client.once('open', r));
    const close = async () => {
      client.terminate();
      await new Promise((r) => wss.close(r));
    };
    return { socket: await server, received, close };
  }

  it('a text frame of every length class (7-bit, 16-bit, 64-bit) arrives as the same text ws would send', async () => {
    const { socket, received, close } = await pair();
    try {
      const write = rawFrameWriter(socket as unknown as FrameSocket);
      expect(write).not.toBeNull(); // the pinned ws: the direct path is taken, not silently skipped
      const texts = ['{"id":"1"}', 'æ'.repeat(100) + 'x'.repeat(50), 'y'.repeat(70_000)];
      for (const t of texts) expect(write!(textFrame(Buffer.from(t)))).toBe(true);
      socket.send('after'); // ws's own frames still follow in order
      for (let i = 0; i < 100 && received.length < 4; i++) await new Promise((r) => setTimeout(r, 10));
      expect(received).toEqual([...texts, 'after']);
    } finally {
      await close();
    }
  });

  it('declines while ws is inside a fragmented message, so bytes never interleave with its frames', async () => {
    const { socket, received, close } = await pair();
    try {
      const write = rawFrameWriter(socket as unknown as FrameSocket)!;
      socket.send('first half ', { fin: false });
      expect(write(textFrame(Buffer.from('intruder')))).toBe(false);
      socket.send('second half', { fin: true });
      expect(write(textFrame(Buffer.from('next')))).toBe(true);
      for (let i = 0; i < 100 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(received).toEqual(['first half second half', 'next']);
    } finally {
      await close();
    }
  });

  it('is not offered on a connection with compression negotiated', async () => {
    const { socket, close } = await pair({ perMessageDeflate: true });
    try {
      expect(rawFrameWriter(socket as unknown as FrameSocket)).toBeNull();
    } finally {
      await close();
    }
  });
});

describe('executeWithAccessLog (queries and mutations over graphql-ws)', () => {
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { x: { type: GraphQLString, resolve: () => 'personal data' } } }),
  });
  const document = parse('{ x }');

  it('X-4: the result leaves only after the access log was written', async () => {
    const order: string[] = [];
    const run = executeWithAccessLog(
      async () => void order.push('flushed'),
      () => order.push('failure'),
    );
    const r = await run({ schema, document, contextValue: {} });
    order.push('answered');
    expect(r).toEqual({ data: { x: 'personal data' } });
    expect(order).toEqual(['flushed', 'answered']);
  });

  it('X-4: when the access log cannot be written, no data leaves', async () => {
    const failures: unknown[] = [];
    const run = executeWithAccessLog(
      () => Promise.reject(new Error('db down')),
      (e) => failures.push(e),
    );
    const r = await run({ schema, document, contextValue: {} });
    expect(r.data).toBeNull();
    expect(r.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(r)).not.toContain('personal data');
    expect(failures).toHaveLength(1);
  });
});
