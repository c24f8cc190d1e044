import type { DomainEventBus } from '../events/domain-events';
import '../abonnement/abonnement.events';
import { UdbOverdragelseService } from './udb.service';

/** This feature's handlers of other features' events. */
export function registerUddannelsesplanHandlers(bus: DomainEventBus): void {
  const udb = new UdbOverdragelseService();
  // UP-8: UDB reported the borger admitted: send UDB the støttebehov, LSR test and mentor, in the same transaction.
  bus.on('udb.optaget', async (tx, e) => {
    await udb.vedOptagelse(tx, { cpr: e.cpr, jobcenter: e.jobcenter });
  });
}
