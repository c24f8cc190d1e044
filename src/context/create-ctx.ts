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

/**
 * The fork, loaders and logger are made on first use: a subscription that only waits for messages
 * (thousands of them on one instance) then costs a few hundred bytes, not a whole unit of work, and
 * `{ __typename }` forks nothing. They are accessors on the prototype, not own properties, because
 * Apollo copies the context object per operation (`Object.assign(Object.create(proto), ctx)`): own
 * getters would be called by that copy and fork an EntityManager for every request.
 */
class RequestCtx {
  private _em: Ctx['em'] | undefined;
  private _loaders: LoaderRegistry | undefined;
  private _log: Ctx['log'] | undefined;

  constructor(
    private readonly _orm: MikroORM,
    private readonly _rootLog: Ctx['log'],
    readonly requestId: string,
  ) {}

  get em(): Ctx['em'] {
    return (this._em ??= this._orm.em.fork());
  }

  set em(em: Ctx['em']) {
    this._em = em;
  }

  get loaders(): LoaderRegistry {
    return (this._loaders ??= new LoaderRegistry());
  }

  get log(): Ctx['log'] {
    return (this._log ??= this._rootLog.child({ requestId: this.requestId }));
  }

  set log(log: Ctx['log']) {
    this._log = log;
  }
}

/** A fresh per-request (or per job run) context: forked EntityManager, own loaders and access log. */
export function createCtx(services: CtxServices, principal: Principal | null, requestId: string): Ctx {
  const { orm, log, accessLogWriter, ...shared } = services;
  const ctx = new RequestCtx(orm, log, requestId) as unknown as Ctx;
  return Object.assign(ctx, shared, { principal, accessLog: new AccessLogBuffer(principal, requestId, accessLogWriter) });
}
