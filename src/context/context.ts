import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Clock } from '../clock/clock';
import type { Role } from './roles';
import { LoaderRegistry } from './loaders';
import type { AccessLogBuffer } from '../access-log/access-log';
import type { DomainEventBus } from '../events/domain-events';
import type { OutboxBuffer } from '../events/outbox';
import type { NotificationHub } from '../events/notification-hub';

/** Who is calling, as a verified token says. `org` is a kommunekode, an a-kasse number or, for BORGER, the own CPR. */
export interface Principal {
  sub: string;
  role: Role;
  org: string;
}

/** Per request (or per subscription event): everything a service needs, nothing global. */
export interface Ctx {
  requestId: string;
  principal: Principal | null;
  /** Forked for this request; never the global EntityManager. */
  em: EntityManager;
  clock: Clock;
  loaders: LoaderRegistry;
  log: Logger;
  accessLog: AccessLogBuffer;
  /** In-process domain events; handlers run in the publisher's transaction. */
  events: DomainEventBus;
  /** Set inside `transaction()` only: messages emitted here commit with the change. */
  outbox?: OutboxBuffer;
  /** Live delivery of outbox messages to subscribers on this instance (servers only, not jobs). */
  notifications?: NotificationHub;
  /** Over graphql-ws: closes the caller's socket (slow consumers). */
  closeConnection?: (code: number, reason: string) => void;
}

/**
 * The same context with some of its parts replaced; the rest is shared with `ctx`. A child of ctx, not a
 * spread copy: ctx's lazy parts (em, loaders, log) are prototype accessors that a spread would not carry.
 */
export function deriveCtx(ctx: Ctx, parts: Partial<Ctx>): Ctx {
  return Object.assign(Object.create(ctx) as Ctx, parts);
}

/** The same context, with `em` bound to a transaction. */
export function inTransaction(ctx: Ctx, em: EntityManager, outbox: OutboxBuffer): Ctx {
  return deriveCtx(ctx, { em, outbox });
}

export { LoaderRegistry };
