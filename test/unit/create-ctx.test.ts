import type { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { inTransaction, type Ctx } from '../../src/context/context';
import { createCtx } from '../../src/context/create-ctx';
import { DomainEventBus } from '../../src/events/domain-events';
import { FixedClock } from '../../src/clock/clock';
import type { OutboxBuffer } from '../../src/events/outbox';

function services() {
  let forks = 0;
  const orm = { em: { fork: () => ({ fork: ++forks }) } } as unknown as MikroORM;
  return { services: { orm, clock: new FixedClock(new Date('2026-11-27T11:00:00Z')), log: pino({ level: 'silent' }), events: new DomainEventBus() }, forks: () => forks };
}

/** What Apollo Server does with the context value of every operation. */
const apolloClone = (ctx: Ctx): Ctx => Object.assign(Object.create(Object.getPrototypeOf(ctx)), ctx);

describe('request context', () => {
  it("Apollo's per-operation copy of the context forks no EntityManager until one is used", () => {
    const s = services();
    const ctx = apolloClone(createCtx(s.services, null, 'r1'));
    expect(s.forks()).toBe(0);
    expect(ctx.requestId).toBe('r1');
    const em = ctx.em;
    expect(ctx.em).toBe(em);
    expect(s.forks()).toBe(1);
    expect(ctx.loaders).toBe(ctx.loaders);
  });

  it('a transaction ctx has its own em and outbox and keeps everything else', () => {
    const s = services();
    const ctx = createCtx(s.services, { sub: 'u', role: 'JOBCENTER' as never, org: '101' }, 'r2');
    const txEm = { tx: true } as unknown as Ctx['em'];
    const outbox = {} as OutboxBuffer;
    const tx = inTransaction(ctx, txEm, outbox);
    expect(tx.em).toBe(txEm);
    expect(tx.outbox).toBe(outbox);
    expect(tx.principal).toEqual(ctx.principal);
    expect(tx.accessLog).toBe(ctx.accessLog);
    expect(tx.clock).toBe(ctx.clock);
    expect(ctx.outbox).toBeUndefined();
    expect(s.forks()).toBe(0);
  });
});
