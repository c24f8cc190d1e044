import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBorger } from '../helpers/fixtures';
import { startTestServer, type TestServer } from '../helpers/server';
import { collect, once } from '../helpers/ws';

let ts: TestServer;
let jc101: string;

beforeAll(async () => {
  ts = await startTestServer({ today: '2026-11-27', config: { subscriptionsPerConnection: 3 } });
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

describe('the cost of a page is the same with `first` as a literal or a variable', () => {
  // (2 + 1.5 × (2 + 1.5 × 3)) × 500 = 5875: over 5000.
  const literal = `{ borgere(first: 500) { items { cpr fornavn jobcenter } } }`;
  const variable = `query($n: Int!) { borgere(first: $n) { items { cpr fornavn jobcenter } } }`;

  it('over HTTP: refused with the code and message armor gives the literal form', async () => {
    const refused = await ts.gql(literal, {}, jc101);
    expect(refused.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(refused.errors?.[0]?.message).toMatch(/Cost limit of 5000 exceeded, found 5875/);
    const r = await ts.gql(variable, { n: 500 }, jc101);
    expect(r.data).toBeUndefined();
    expect(r.errors).toEqual(refused.errors);
    expect((await ts.gql(`query($n: Int = 500) { borgere(first: $n) { items { cpr fornavn jobcenter } } }`, {}, jc101)).errors).toEqual(refused.errors);
    // Aliases add up: 15 pages of 300 at one scalar each.
    const aliased = `query($n: Int!) { ${Array.from({ length: 15 }, (_, i) => `p${i}: borgere(first: $n) { items { cpr } }`).join(' ')} }`;
    expect((await ts.gql(aliased, { n: 300 }, jc101)).errors?.[0]?.message).toMatch(/Cost limit of 5000 exceeded/);
    expect((await ts.gql<{ borgere: { items: unknown[] } }>(variable, { n: 10 }, jc101)).data?.borgere.items).toHaveLength(1);
  });

  it('over HTTP: akasseMedlemmer likewise', async () => {
    const ak12 = await ts.token('AKASSE', '12');
    const q = `query($n: Int!) { akasseMedlemmer(first: $n) { items { cpr fornavn jobcenter } } }`;
    expect((await ts.gql(q, { n: 500 }, ak12)).errors?.[0]?.message).toMatch(/Cost limit of 5000 exceeded, found 5875/);
    expect((await ts.gql(q, { n: 5 }, ak12)).errors).toBeUndefined();
  });

  it('over graphql-ws: the same answer as HTTP', async () => {
    const http = await ts.gql(literal, {}, jc101);
    const r = await once(ts.ws(jc101), variable, { n: 500 });
    expect(r.data).toBeUndefined();
    expect(r.errors).toEqual(http.errors);
    expect(((await once(ts.ws(jc101), variable, { n: 10 })).data as { borgere: { items: unknown[] } }).borgere.items).toHaveLength(1);
  });
});

describe('subscriptions per graphql-ws connection (SUBSCRIPTIONS_PER_CONNECTION)', () => {
  const SUB = `subscription { beskeder(after: "0") { id } }`;

  it('past the cap a subscription is refused with a clear error; queries still run, and an ended one frees its place', async () => {
    const ak12 = await ts.token('AKASSE', '12');
    const client = ts.ws(ak12);
    const open = await ts.subscribed(3, () => [collect(client, SUB), collect(client, SUB), collect(client, SUB)]);
    const fourth = await once(client, SUB);
    expect(fourth.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(fourth.errors?.[0]?.message).toMatch(/Højst 3 abonnementer/);
    expect(await once(client, `{ __typename }`)).toEqual({ data: { __typename: 'Query' } });
    expect(open.every((s) => s.errors.length === 0)).toBe(true);
    open[0].dispose();
    const again = await ts.subscribed(1, () => collect(client, SUB));
    expect(again.errors).toEqual([]);
    // Another connection has places of its own.
    await ts.subscribed(1, () => collect(ts.ws(ak12), SUB));
  });
});

describe('X-1: the size of input values', () => {
  const tilmeld = `mutation($i: TilmeldBorgerInput!) { tilmeldBorger(input: $i) { start } }`;
  const stored = async () => Number((await ts.sql<{ n: string }>(`select count(*) n from tilmelding where cpr = '0101054321'`))[0].n);

  it('X-1: a text or a list over the limit in the variables is BAD_USER_INPUT and stores nothing, over HTTP and graphql-ws', async () => {
    const before = await stored();
    for (const i of [
      { cpr: '0101054321', start: '2026-11-27', stillingsbetegnelser: ['x'.repeat(10_001)] },
      { cpr: '0101054321', start: '2026-11-27', stillingsbetegnelser: Array.from({ length: 1_001 }, (_, k) => `s${k}`) },
    ]) {
      const http = await ts.gql(tilmeld, { i }, jc101);
      expect(http.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      const ws = await once(ts.ws(jc101), tilmeld, { i });
      expect(ws.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(await stored()).toBe(before);
  });

  it('X-1: a text over the limit written in the document is refused before anything runs', async () => {
    const q = `mutation { tilmeldBorger(input: { cpr: "0101054321", start: "2026-11-27", stillingsbetegnelser: ["${'x'.repeat(10_001)}"] }) { start } }`;
    expect((await ts.gql(q, {}, jc101)).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await once(ts.ws(jc101), q)).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('x-request-id is echoed and logged only when it is a plain id of at most 128 characters', async () => {
    const post = (id: string) =>
      fetch(ts.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${jc101}`, 'x-request-id': id }, body: JSON.stringify({ query: `{ borger(cpr: "0101054321") { cpr } }` }) });
    expect((await post('fagsystem-req-42')).headers.get('x-request-id')).toBe('fagsystem-req-42');
    const long = 'a'.repeat(5_000);
    const answered = (await post(long)).headers.get('x-request-id')!;
    expect(answered).not.toBe(long);
    expect(answered.length).toBeLessThanOrEqual(128);
    const [{ n }] = await ts.sql<{ n: string }>(`select count(*) n from access_log where length(request_id) > 128`);
    expect(Number(n)).toBe(0);
  });
});
