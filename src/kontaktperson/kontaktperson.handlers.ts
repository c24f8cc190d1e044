import '../borger/borger.events';
import type { DomainEventBus } from '../events/domain-events';
import { FlytningService } from './flytning.service';

/** The kontaktperson feature's reactions to other features' events; they run in the publisher's transaction. */
export function registerKontaktpersonHandlers(bus: DomainEventBus, flytning = new FlytningService()): void {
  // KP-2, KP-3, PG-1: a CPR move to another kommune ends contacts and closes markings, in the CPR transaction.
  bus.on('borger.flyttet', async (tx, e) => {
    await flytning.vedCprFlytning(tx, e);
  });
}
