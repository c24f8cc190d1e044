import type { LocalDate } from '../scalars/local-date';

export interface BorgerFlyttetEvent {
  cpr: string;
  fraKommune: string;
  tilKommune: string;
  flyttedato: LocalDate;
}

export interface KontaktgruppeSkiftetEvent {
  cpr: string;
  fra: number | null;
  til: number;
  start: LocalDate;
  jobcenter: string;
}

export interface KontaktgruppeLukketEvent {
  cpr: string;
  kontaktgruppe: number;
  slut: LocalDate;
  jobcenter: string;
}

declare module '../events/domain-events' {
  interface DomainEventMap {
    /** CPR reported a new bopælskommune (not a jobcenter's manual move). */
    'borger.flyttet': BorgerFlyttetEvent;
    'kontaktgruppe.skiftet': KontaktgruppeSkiftetEvent;
    /** The jobcenter closed the kontaktgruppe without opening another. */
    'kontaktgruppe.lukket': KontaktgruppeLukketEvent;
  }
}
