import type { NonEmptyArray } from 'type-graphql';
import type { EntityClass } from './db/orm';
import { AccessLogEntry } from './access-log/access-log.entity';
import { Medlemskab } from './akasse/medlemskab.entity';
import { Borger } from './borger/borger.entity';
import { BorgerResolver } from './borger/borger.resolver';
import { KontaktgruppeResolver } from './borger/kontaktgruppe.resolver';
import { DomainEventBus } from './events/domain-events';
import type { JobDefinition } from './jobs/job';
import { KontaktgruppePeriode } from './borger/kontaktgruppe-periode.entity';
import { Kode } from './reference/kode.entity';
import { ReferenceResolver } from './reference/reference.resolver';
import { BeskedResolver } from './events/besked.resolver';
import { TidligPension } from './tidlig-pension/tidlig-pension.entity';
import { TidligPensionResolver } from './tidlig-pension/tidlig-pension.resolver';
import { Abonnement } from './abonnement/abonnement.entity';
import { UdbHaendelse } from './abonnement/udb-haendelse.entity';
import { BorgerFlytning } from './kontaktperson/borger-flytning.entity';
import { Kontakt } from './kontaktperson/kontakt.entity';
import { Kontaktperson } from './kontaktperson/kontaktperson.entity';
import { Persongruppemarkering } from './persongruppe/persongruppemarkering.entity';
import { AbonnementResolver, BorgerAbonnementResolver, UdbResolver } from './abonnement/abonnement.resolver';
import { registerAbonnementHandlers } from './abonnement/abonnement.handlers';
import { abonnementLukningJob } from './abonnement/abonnement.job';
import { BorgerKontaktpersonResolver, KontaktpersonResolver, KontaktResolver } from './kontaktperson/kontaktperson.resolver';
import { registerKontaktpersonHandlers } from './kontaktperson/kontaktperson.handlers';
import { udbKontaktJob } from './kontaktperson/udb-kontakt.import';
import { BorgerPersongruppeResolver, PersongruppeResolver } from './persongruppe/persongruppe.resolver';
import { AkasseResolver } from './akasse/akasse.resolver';
import { MedlemskabTilbagekaldt } from './akasse/medlemskab-tilbagekaldt.entity';
import { CvStatusindberetning } from './cv/cv-statusindberetning.entity';
import { CvTilstand } from './cv/cv-tilstand.entity';
import { BorgerCvResolver, CvResolver } from './cv/cv.resolver';
import { Fravaer } from './fravaer/fravaer.entity';
import { BorgerFravaerResolver, FravaerResolver } from './fravaer/fravaer.resolver';
import { JobparathedPeriode } from './tilmelding/jobparathed-periode.entity';
import { Tilmelding } from './tilmelding/tilmelding.entity';
import { BorgerTilmeldingResolver, TilmeldingResolver } from './tilmelding/tilmelding.resolver';
import { Uddannelsesplan } from './uddannelsesplan/uddannelsesplan.entity';
import { PlanVersion } from './uddannelsesplan/plan-version.entity';
import { Brev } from './uddannelsesplan/brev/brev.entity';
import { Mentorindsats } from './indsats/mentorindsats.entity';
import { Kursusindsats } from './indsats/kursusindsats.entity';
import { UddannelsesplanResolver, BorgerUddannelsesplanResolver, MinPlanResolver } from './uddannelsesplan/uddannelsesplan.resolver';
import { BrevResolver } from './uddannelsesplan/brev/brev.resolver';
import { IndsatsResolver } from './indsats/indsats.resolver';
import { registerUddannelsesplanHandlers } from './uddannelsesplan/uddannelsesplan.handlers';
import { EfterloenPeriode } from './tidlig-pension/efterloen.entity';
import { EfterloenResolver } from './tidlig-pension/efterloen.resolver';
import { BorgerTidligPensionResolver, TidligPensionReadResolver } from './tidlig-pension/tidlig-pension.resolver';
import { tidligPensionSletningJob } from './tidlig-pension/tidlig-pension-sletning.job';
import { Booking } from './booking/booking.entity';
import { BookingResolver, BorgerBookingResolver } from './booking/booking.resolver';
import { bookingSletningJob } from './booking/booking-sletning.job';
import { registerBorgerPrefetch } from './borger/borger.prefetch';
import { kontaktgruppePrefetch } from './borger/borger.loaders';
import { kontaktpersonPrefetch } from './kontaktperson/kontaktperson.loaders';
import { planPrefetch } from './uddannelsesplan/uddannelsesplan.loaders';
import { abonnementPrefetch } from './abonnement/abonnement.loaders';

/** The features this service is made of: their entities and resolvers, in one list. */
export const entities: EntityClass[] = [Kode, Borger, KontaktgruppePeriode, Medlemskab, AccessLogEntry, TidligPension];
// Issue 7: tilmelding, jobparathed, fravær, CV and a-kasse membership.
entities.push(Tilmelding, JobparathedPeriode, Fravaer, CvTilstand, CvStatusindberetning, MedlemskabTilbagekaldt);

// Issue 5: uddannelsesplan with støttebehov and versions, letters, mentor- and kursusindsats.
entities.push(Uddannelsesplan, PlanVersion, Brev, Mentorindsats, Kursusindsats);
// Issues 4 and 6: kontaktpersoner, persongruppemarkering, moves; abonnement på uddannelseshændelser and UDB events.
entities.push(Abonnement, UdbHaendelse, Kontakt, Kontaktperson, BorgerFlytning, Persongruppemarkering);

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [
  ReferenceResolver,
  BorgerResolver,
  KontaktgruppeResolver,
  BeskedResolver,
  TidligPensionResolver,
  TilmeldingResolver,
  BorgerTilmeldingResolver,
  FravaerResolver,
  BorgerFravaerResolver,
  CvResolver,
  BorgerCvResolver,
  AkasseResolver,
  // Issues 4 and 6
  AbonnementResolver,
  BorgerAbonnementResolver,
  UdbResolver,
  KontaktpersonResolver,
  BorgerKontaktpersonResolver,
  KontaktResolver,
  PersongruppeResolver,
  BorgerPersongruppeResolver,
  // Issue 8
  TidligPensionReadResolver,
  BorgerTidligPensionResolver,
  EfterloenResolver,
  BookingResolver,
  BorgerBookingResolver,
  // Issue 5: uddannelsesplan, letters, Min plan, mentor- and kursusindsats.
  UddannelsesplanResolver,
  BorgerUddannelsesplanResolver,
  MinPlanResolver,
  BrevResolver,
  IndsatsResolver,
];

// Issue 8: tidlig pension reads and deletion (TP-2..TP-4), efterløn dates, booking/indkaldelse with deletion (DL-1, DL-2).
entities.push(EfterloenPeriode, Booking);

/** The scheduled daily jobs (see src/jobs/job.ts): a feature appends its `*.job.ts` definition here. */
export const jobs: JobDefinition[] = [];
// Issue 6: AB-3 (and AB-8 when switched on).
jobs.push(abonnementLukningJob);
// Issue 4: KP-7/KP-8, the daily UDB contact import (source: UDB_KONTAKT_NDJSON).
jobs.push(udbKontaktJob());
// Issue 8: TP-4 and DL-1 deletions.
jobs.push(tidligPensionSletningJob, bookingSletningJob);

/** Wires each feature's handlers for the domain events of others. */
export function createDomainEventBus(): DomainEventBus {
  const bus = new DomainEventBus();
  // Issue 6: AB-4, AB-6, AB-7.
  registerAbonnementHandlers(bus);
  // Issue 4: KP-2, KP-3, PG-1 on a CPR move.
  registerKontaktpersonHandlers(bus);
  // Issue 5: UP-8 on udb.optaget.
  registerUddannelsesplanHandlers(bus);
  return bus;
}

// Issue 9: the Borger fields that come back in the borger's own statement when a caller opens a borger.
registerBorgerPrefetch(kontaktgruppePrefetch, kontaktpersonPrefetch, planPrefetch, abonnementPrefetch);
