import type { LocalDate } from '../scalars/local-date';

/** UDB reported that the borger was admitted (optaget) to an education (UP-8 sends the støttebehov then). */
export interface UdbOptagetEvent {
  cpr: string;
  /** The borger's jobcenter (kommunekode) when the message arrived. */
  jobcenter: string;
  /** The admission date UDB reports. */
  dato: LocalDate;
  institution: string;
  uddannelse: string;
  /** UDB's id of the event. */
  haendelseId: string;
  abonnementId: string;
}

declare module '../events/domain-events' {
  interface DomainEventMap {
    /** Published once per UDB admission message (a re-sent message with the same id publishes nothing). */
    'udb.optaget': UdbOptagetEvent;
  }
}
