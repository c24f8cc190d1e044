import type { Ctx } from '../context/context';

/**
 * In-process domain events, published inside the transaction of the change that causes them, so a
 * handler in another feature (a kontaktgruppe change closing an abonnement, a CPR move ending
 * contacts) commits or rolls back with it. Features add their events to this map by declaration merging.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface DomainEventMap {}

export type DomainEventName = keyof DomainEventMap;
export type DomainEventHandler<K extends DomainEventName> = (ctx: Ctx, event: DomainEventMap[K]) => Promise<void>;

export class DomainEventBus {
  private readonly handlers = new Map<DomainEventName, DomainEventHandler<never>[]>();

  on<K extends DomainEventName>(name: K, handler: DomainEventHandler<K>): void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as DomainEventHandler<never>);
    this.handlers.set(name, list);
  }

  /** Runs every handler in order, in the caller's transaction (`ctx.em` must be the transactional one). */
  async publish<K extends DomainEventName>(ctx: Ctx, name: K, event: DomainEventMap[K]): Promise<void> {
    for (const h of this.handlers.get(name) ?? []) await (h as DomainEventHandler<K>)(ctx, event);
  }
}
