import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertBorger } from '../helpers/fixtures';
import { errorCode, startTestServer, type TestServer } from '../helpers/server';
import { once } from '../helpers/ws';

let ts: TestServer;

beforeAll(async () => {
  ts = await startTestServer({ config: { env: 'production' } });
  await insertBorger(ts, { cpr: '0101054321', jobcenter: '101' });
});
afterAll(async () => ts?.close());

describe('production settings', () => {
  it('introspection is off', async () => {
    const r = await ts.gql(`{ __schema { types { name } } }`, {}, await ts.token('JOBCENTER', '101'));
    expect(r.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('introspection is off over graphql-ws too, with the answer HTTP gives', async () => {
    const token = await ts.token('JOBCENTER', '101');
    for (const q of [`{ __schema { types { name } } }`, `{ __type(name: "Borger") { name } }`]) {
      const ws = await once(ts.ws(token), q);
      expect(ws.data).toBeUndefined();
      expect(ws.errors).toEqual((await ts.gql(q, {}, token)).errors);
      expect(ws.errors?.[0]?.message).toMatch(/introspection/i);
    }
  });

  it('X-1: over graphql-ws, bad documents and variables get the code and message HTTP gives, not a masked internal error', async () => {
    const token = await ts.token('JOBCENTER', '101');
    const internal = async () => (await ts.server.metrics.errors.get()).values.find((v) => v.labels.code === 'INTERNAL_SERVER_ERROR')?.value ?? 0;
    const before = await internal();
    const BORGER = `query($cpr: CPR!) { borger(cpr: $cpr) { cpr } }`;
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['a CPR given as a number', `{ borger(cpr: 5) { cpr } }`, {}, 'BAD_USER_INPUT'],
      ['a missing variable', BORGER, {}, 'BAD_USER_INPUT'],
      ['a variable that is no CPR', BORGER, { cpr: 'abc' }, 'BAD_USER_INPUT'],
      ['a variable of the wrong type', `query($n: Int!) { borgere(first: $n) { items { cpr } } }`, { n: 'x' }, 'BAD_USER_INPUT'],
      ['a syntax error', `{ borger(cpr: "0101054321") { cpr }`, {}, 'GRAPHQL_PARSE_FAILED'],
      ['more than 2000 tokens', `{ ${Array.from({ length: 700 }, (_, i) => `a${i}: __typename`).join(' ')} }`, {}, 'GRAPHQL_PARSE_FAILED'],
      ['an unknown field (its suggestion hidden)', `{ borgr(cpr: "0101054321") { cpr } }`, {}, 'GRAPHQL_VALIDATION_FAILED'],
      ['two operations and no name', `query A { __typename } query B { __typename }`, {}, 'OPERATION_RESOLUTION_FAILURE'],
    ];
    for (const [what, query, variables, code] of cases) {
      const http = await ts.gql(query, variables, token);
      const ws = await once(ts.ws(token), query, variables);
      expect(http.errors?.[0]?.extensions?.code, what).toBe(code);
      expect(ws.errors, what).toEqual(http.errors);
      expect(ws.data ?? null, what).toBeNull();
    }
    expect(JSON.stringify(await once(ts.ws(token), `{ borgr(cpr: "0101054321") { cpr } }`))).not.toMatch(/Did you mean/);
    expect(await internal()).toBe(before);
  });

  it('internal errors are masked: no message from inside, no stack trace', async () => {
    await ts.sql('alter table kontaktgruppe_periode rename to kontaktgruppe_periode_gone');
    try {
      const r = await ts.gql(`{ borger(cpr: "0101054321") { kontaktgruppe { kontaktgruppe } } }`, {}, await ts.token('JOBCENTER', '101'));
      expect(errorCode(r)).toBe('INTERNAL_SERVER_ERROR');
      expect(r.errors?.[0]?.message).toBe('Intern fejl');
      expect(JSON.stringify(r)).not.toMatch(/kontaktgruppe_periode|stack|at /);
    } finally {
      await ts.sql('alter table kontaktgruppe_periode_gone rename to kontaktgruppe_periode');
    }
  });

  it('CSRF prevention: a GET query without a preflight-forcing header is refused', async () => {
    const res = await fetch(`${ts.url}?query=${encodeURIComponent('{ koder(liste: KOMMUNE) { id } }')}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/i);
  });
});
