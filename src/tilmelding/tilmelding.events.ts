import type { LocalDate } from '../scalars/local-date';

export interface TilmeldtEvent {
  cpr: string;
  start: LocalDate;
  /** Kommunekode of the jobcenter, or KSD for a gentilmelding (FR-2). */
  tilmeldtAf: string;
}

export interface AfmeldtEvent {
  cpr: string;
  slut: LocalDate;
  aarsag: 'AFMELDT' | 'SYGEMELDT';
}

declare module '../events/domain-events' {
  interface DomainEventMap {
    'tilmelding.tilmeldt': TilmeldtEvent;
    'tilmelding.afmeldt': AfmeldtEvent;
  }
}
