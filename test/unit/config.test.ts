import { describe, expect, it } from 'vitest';
import { DEV_JWT_SECRET, TokenService } from '../../src/auth/token';
import { loadConfig } from '../../src/config';

describe('configuration', () => {
  it('refuses to start in production without JWT_SECRET', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 's3cret-s3cret-s3cret-s3cret-s3cret' }).jwtSecretIsDev).toBe(false);
  });

  it('refuses, in production, the published development secret and a key shorter than 32 characters', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 's3cret-s3cret-s3cret' })).toThrow(/32/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).jwtSecret).toBe('x'.repeat(32));
  });

  it('uses the dev secret, and says so, outside production', () => {
    const c = loadConfig({});
    expect(c.jwtSecret).toBe(DEV_JWT_SECRET);
    expect(c.jwtSecretIsDev).toBe(true);
    expect(c.port).toBe(4000);
    expect(c.databaseUrl).toBeUndefined();
  });

  it('reads the port, the database and SEED_DEMO=false', () => {
    const c = loadConfig({ PORT: '4100', DATABASE_URL: 'postgres://x@h/db', SEED_DEMO: 'false' });
    expect([c.port, c.databaseUrl, c.seedDemo]).toEqual([4100, 'postgres://x@h/db', false]);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow();
  });
});

describe('WORKERS', () => {
  it('defaults to one serving process, takes 1-64, refuses anything else', () => {
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ WORKERS: '2' }).workers).toBe(2);
    expect(() => loadConfig({ WORKERS: '0' })).toThrow(/WORKERS/);
    expect(() => loadConfig({ WORKERS: '65' })).toThrow(/WORKERS/);
    expect(() => loadConfig({ WORKERS: 'two' })).toThrow();
  });
});

describe('tokens', () => {
  it('a verified token is reused until it expires; an expired one is refused', async () => {
    const tokens = new TokenService('unit-secret-0123456789abcdef0123456789');
    const t = await tokens.sign({ role: 'JOBCENTER' as never, org: '101' }, '2s');
    const a = await tokens.verify(t);
    expect(await tokens.verify(t)).toBe(a); // the same verified principal, no second signature check
    await new Promise((r) => setTimeout(r, 2100));
    await expect(tokens.verify(t)).rejects.toThrow(/udløbet|Ugyldigt/);
    await expect(tokens.verify(t.slice(0, -2) + 'xx')).rejects.toThrow(/Ugyldigt/);
  });
});

describe('HTTP_KEEP_ALIVE_MS', () => {
  it('defaults to 65 s, above the usual client and proxy idle timeouts; takes a whole number of ms', () => {
    expect(loadConfig({}).httpKeepAliveMs).toBe(65_000);
    expect(loadConfig({ HTTP_KEEP_ALIVE_MS: '120000' }).httpKeepAliveMs).toBe(120_000);
    expect(() => loadConfig({ HTTP_KEEP_ALIVE_MS: '5s' })).toThrow();
  });
});

describe('SUBSCRIPTIONS_PER_CONNECTION', () => {
  it('defaults to 50 subscriptions per graphql-ws connection; takes a whole number', () => {
    expect(loadConfig({}).subscriptionsPerConnection).toBe(50);
    expect(loadConfig({ SUBSCRIPTIONS_PER_CONNECTION: '200' }).subscriptionsPerConnection).toBe(200);
    expect(() => loadConfig({ SUBSCRIPTIONS_PER_CONNECTION: 'many' })).toThrow();
  });
});
