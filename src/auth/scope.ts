import type { Principal } from '../context/context';
import { Role } from '../context/roles';
import type { LocalDate } from '../scalars/local-date';

/** What decides whether a caller may see a borger; gathered by the service, judged here without I/O. */
export interface BorgerScopeFacts {
  cpr: string;
  jobcenter: string;
  /** A-kasser the borger is a member of on `today`. */
  akasser: string[];
}

/**
 * Org scoping: a jobcenter sees the borgere attached to it, an a-kasse its current members, a borger
 * only themself. UDK and SYSTEM read across organisations; the feed roles (CPR, UDB, KSD) only write.
 */
export function mayReadBorger(p: Principal, f: BorgerScopeFacts, _today: LocalDate): boolean {
  switch (p.role) {
    case Role.JOBCENTER:
      return f.jobcenter === p.org;
    case Role.AKASSE:
      return f.akasser.includes(p.org);
    case Role.BORGER:
      return f.cpr === p.org;
    case Role.UDK:
    case Role.SYSTEM:
      return true;
    default:
      return false;
  }
}

/**
 * `mayReadBorger` as an SQL condition, for a statement that writes the access-log rows of the borgere it reads
 * (BorgerService.get): over `b` (the borger row), `org` and `today` (SQL expressions for the caller's org and day;
 * an a-kasse's membership is `covers` in SQL). Null for the roles that read no borger. Kept beside `mayReadBorger`:
 * the two must say the same for every role (test/integration/borger-read.test.ts runs each role through both).
 */
export function mayReadBorgerSql(role: Principal['role'], org: string, today: string): string | null {
  switch (role) {
    case Role.JOBCENTER:
      return `b.jobcenter = ${org}`;
    case Role.AKASSE:
      return `exists (select 1 from akasse_medlemskab m where m.cpr = b.cpr and m.akasse = ${org} and m.start <= ${today} and (m.slut is null or m.slut >= ${today}))`;
    case Role.BORGER:
      return `b.cpr = ${org}`;
    case Role.UDK:
    case Role.SYSTEM:
      return 'true';
    default:
      return null;
  }
}

/** Only an a-kasse's access depends on memberships; others are decided without reading them. */
export function scopeNeedsMemberships(p: Principal): boolean {
  return p.role === Role.AKASSE;
}

/** Roles that read every borger and so may be told a CPR is unknown; others get FORBIDDEN either way. */
export function readsAcrossOrgs(p: Principal): boolean {
  return p.role === Role.UDK || p.role === Role.SYSTEM;
}

/**
 * For a jobcenter's own case work on a borger (plans, indsatser): the caller must be the jobcenter the
 * borger is attached to; returns its kommunekode, or null when it is not.
 */
export function ownJobcenter(p: Principal, borgerJobcenter: string): string | null {
  return p.role === Role.JOBCENTER && p.org === borgerJobcenter ? p.org : null;
}

/** The jobcenter a caller acts for, or null for every other role. */
export function callerJobcenter(p: Principal | null): string | null {
  return p?.role === Role.JOBCENTER ? p.org : null;
}
