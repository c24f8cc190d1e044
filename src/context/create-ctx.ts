import type { MikroORM } from '@mikro-orm/postgresql';
import { AccessLogBuffer, type AccessLogWriter } from '../access-log/access-log';
import { LoaderRegistry, type Ctx, type Principal } from './context';

/**
 * The process-wide services every `Ctx` is built from: the ORM (each ctx gets its own fork), the clock,
 * the root logger, the domain event bus, and whatever else `Ctx` carries that is not per request.
 * Built once at start and shared by the server (HTTP and WebSocket) and the job runner.
 */
export type CtxServices = Omit<Ctx, 'requestId' | 'principal' | 'em' | 'loaders' | 'log' | 'accessLog' | 'outbox' | 'closeConnection'> & {
  orm: MikroORM;
  log: Ctx['log'];
  /** The server's group-commit access-log writer; jobs write their own. */
  accessLogWriter?: AccessLogWriter;
};

/** A fresh per-request (or per job run) context: forked EntityManager, own loaders and access log. */
export function createCtx(services: CtxServices, principal: Principal | null, requestId: string): Ctx {
  const { orm, log, accessLogWriter, ...shared } = services;
  let em: Ctx['em'] | undefined;
  let loaders: LoaderRegistry | undefined;
  let childLog: Ctx['log'] | undefined;
  // The fork, loaders and logger are made on first use: a subscription that only waits for messages
  // (thousands of them on one instance) then costs a few hundred bytes, not a whole unit of work.
  return {
    ...shared,
    requestId,
    principal,
    get em() {
      return (em ??= orm.em.fork());
    },
    get loaders() {
      return (loaders ??= new LoaderRegistry());
    },
    get log() {
      return (childLog ??= log.child({ requestId }));
    },
    accessLog: new AccessLogBuffer(principal, requestId, accessLogWriter),
  };
}
