export interface PlantypeSkiftetEvent {
  cpr: string;
  /** Kommunekode of the jobcenter that owns the plan. */
  jobcenter: string;
  /** Code table PLANTYPE. */
  fra: number;
  til: number;
}

declare module '../events/domain-events' {
  interface DomainEventMap {
    /** A saved change of an existing uddannelsesplan's plantype (AB-6 listens). Not published when a plan is created. */
    'uddannelsesplan.plantypeSkiftet': PlantypeSkiftetEvent;
  }
}
