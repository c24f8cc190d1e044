import type { LocalDate } from '../scalars/local-date';

export interface CvStatusIndberettetEvent {
  cpr: string;
  rolle: 'AKASSE' | 'JOBCENTER';
  org: string;
  indberettetStatus: number;
  haendelsesdato: LocalDate;
  /** The status the CV has from the event date (unchanged in CV-4's case). */
  status: number;
  statusAendret: boolean;
}

declare module '../events/domain-events' {
  interface DomainEventMap {
    'cv.statusIndberettet': CvStatusIndberettetEvent;
  }
}
