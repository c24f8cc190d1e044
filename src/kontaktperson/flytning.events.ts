import type { LocalDate } from '../scalars/local-date';

/** A batch from CPR re-coded every borger of one kommune to another (municipal merger); KP-2/KP-3 and PG-1 applied. */
export interface BorgerMasseflyttetEvent {
  fraKommune: string;
  tilKommune: string;
  flyttedato: LocalDate;
  antal: number;
}

declare module '../events/domain-events' {
  interface DomainEventMap {
    /** Published once per batch move, in its transaction (no `borger.flyttet` per borger). */
    'borger.masseflyttet': BorgerMasseflyttetEvent;
  }
}
