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

  it('introspection is off over graphql-ws too', async () => {
    const token = await ts.token('JOBCENTER', '101');
    for (const q of [`{ __schema { types { name } } }`, `{ __type(name: "Borger") { name } }`]) {
      const ws = await once(ts.ws(token), q);
      expect(ws.data).toBeUndefined();
      expect(ws.errors).toHaveLength(1);
    }
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
