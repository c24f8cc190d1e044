import type { LocalDate } from '../scalars/local-date';

export interface MedlemskabEvent {
  cpr: string;
  akasse: string;
  start: LocalDate;
  slut: LocalDate | null;
}

declare module '../events/domain-events' {
  interface DomainEventMap {
    'akasse.medlemstilgang': MedlemskabEvent;
    'akasse.medlemsafgang': MedlemskabEvent;
    /** AK-1: the a-kasse recalled its latest medlemstilgang; the membership is gone. */
    'akasse.tilgangTilbagekaldt': MedlemskabEvent;
  }
}
