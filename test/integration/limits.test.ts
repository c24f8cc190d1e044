import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBorger } from '../helpers/fixtures';
import { startTestServer, type TestServer } from '../helpers/server';
import { once } from '../helpers/ws';

let ts: TestServer;
let jc101: string;

beforeAll(async () => {
  ts = await startTestServer({ today: '2026-11-27' });
  jc101 = await ts.token('JOBCENTER', '101');
  await insertBorger(ts, { cpr: '0101054321', jobcenter: '101' });
});
afterAll(async () => ts?.close());

/** A query of `n` aliased fields: 3n + 2 tokens. */
const wide = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;

describe('the limits of HTTP hold over graphql-ws', () => {
  it('a document over 2000 tokens is refused before it runs, however long the text', async () => {
    expect((await once(ts.ws(jc101), wide(600))).data).toMatchObject({ a599: 'Query' });
    const r = await once(ts.ws(jc101), wide(700));
    expect(r.data).toBeUndefined();
    expect(r.errors?.[0]?.message).toMatch(/2000 tokens/);
    // About 400 KB: parsing stops at the limit instead of holding the event loop.
    const started = Date.now();
    expect((await once(ts.ws(jc101), wide(30_000))).errors?.[0]?.message).toMatch(/2000 tokens/);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
