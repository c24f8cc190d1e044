import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';

// POST /graphql is served straight from node:http (src/http/graphql-post.ts); the contract is Express's.
let ts: TestServer;
beforeAll(async () => {
  ts = await startTestServer({ today: '2026-11-27' });
});
afterAll(async () => ts?.close());

describe('POST /graphql', () => {
  it('echoes x-request-id, or makes one', async () => {
    const token = await ts.token('JOBCENTER', '101');
    const post = (headers: Record<string, string>) =>
      fetch(ts.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body: JSON.stringify({ query: '{ __typename }' }) });
    const mine = await post({ 'x-request-id': 'fagsystem-42' });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('x-request-id')).toBe('fagsystem-42');
    expect(await mine.json()).toEqual({ data: { __typename: 'Query' } });
    expect((await post({})).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps an idle keep-alive connection open for 65 s, past the idle timeout of clients and proxies (Node alone: 5 s)', async () => {
    const r = await fetch(ts.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    await r.arrayBuffer();
    expect(r.headers.get('keep-alive')).toBe('timeout=65');
  });

  it('a body that is not JSON is 400; a body without a query is 400 from Apollo', async () => {
    const bad = await fetch(ts.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('BAD_REQUEST');
    const empty = await fetch(ts.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(empty.status).toBe(400);
  });

  it('X-1: a syntax error, and a document over 2000 tokens, is 400 GRAPHQL_PARSE_FAILED (not 500)', async () => {
    const token = await ts.token('JOBCENTER', '101');
    const wide = `{ ${Array.from({ length: 700 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    for (const query of ['{ __typename', wide]) {
      const r = await fetch(ts.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
      expect(r.status).toBe(400);
      expect(((await r.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    }
  });

  it('CSRF: a simple (non-JSON) POST is refused before anything runs', async () => {
    const r = await fetch(ts.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' });
    expect(r.status).toBe(400);
  });

  it('a bad token is 401 UNAUTHENTICATED', async () => {
    const r = await fetch(ts.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer nope' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(r.status).toBe(401);
    expect(((await r.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('a streamed body over the limit (no content-length) is 413', async () => {
    const big = new ReadableStream({
      start(c) {
        const chunk = new TextEncoder().encode('x'.repeat(100_000));
        for (let i = 0; i < 12; i++) c.enqueue(chunk);
        c.close();
      },
    });
    const r = await fetch(ts.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big, duplex: 'half' } as RequestInit);
    expect(r.status).toBe(413);
  });

  it('GET /graphql with a query in the URL still answers (Express path)', async () => {
    const token = await ts.token('JOBCENTER', '101');
    const r = await fetch(`${ts.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' } });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
