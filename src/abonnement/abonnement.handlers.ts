import '../borger/borger.events';
import type { DomainEventBus } from '../events/domain-events';
import '../uddannelsesplan/uddannelsesplan.events';
import { Lukkeaarsag } from './abonnement.entity';
import { ab4Lukning, lukkesVedKontaktgruppelukning, lukkesVedKontaktgruppeskift, lukkesVedPlantypeskift } from './abonnement.rules';
import { AbonnementService } from './abonnement.service';

/** The abonnement's reactions to other features' events; all run in the publisher's transaction. */
export function registerAbonnementHandlers(bus: DomainEventBus, service = new AbonnementService()): void {
  // AB-4: a kontaktgruppe change to one outside 1, 8, 12, 25, 28 closes the abonnement (årsag 7): now, or on the
  // change's start day when it starts later (the daily job closes it then).
  bus.on('kontaktgruppe.skiftet', async (tx, e) => {
    if (!lukkesVedKontaktgruppeskift(e.til)) return;
    const naar = ab4Lukning(e.start, tx.clock.today());
    if (naar.kind === 'NU') await service.lukAutomatisk(tx, e.cpr, Lukkeaarsag.KONTAKTGRUPPESKIFT, 'AB-4');
    else await service.planlaegLukning(tx, e.cpr, naar.dato, Lukkeaarsag.KONTAKTGRUPPESKIFT);
  });

  // AB-7: a jobcenter closing the kontaktgruppe leaves the abonnement open (årsag 4 is no longer used for that).
  bus.on('kontaktgruppe.lukket', async (tx, e) => {
    if (lukkesVedKontaktgruppelukning()) await service.lukAutomatisk(tx, e.cpr, Lukkeaarsag.KONTAKTGRUPPE_LUKKET, 'AB-7');
  });

  // AB-6: a plantype change away from uddannelsesplan closes it (årsag 8), except to "Aftale om opfølgning" for a sygedagpengemodtager.
  bus.on('uddannelsesplan.plantypeSkiftet', async (tx, e) => {
    const sygedagpengemodtager = await service.erSygedagpengemodtager(tx, e.cpr);
    if (lukkesVedPlantypeskift({ fra: e.fra, til: e.til, sygedagpengemodtager })) {
      await service.lukAutomatisk(tx, e.cpr, Lukkeaarsag.PLANTYPESKIFT, 'AB-6');
    }
  });
}
