import type { Principal } from '../context/context';
import { Role } from '../context/roles';
import { BadInputError, RuleViolation } from '../errors/domain-errors';
import { addDays, type LocalDate } from '../scalars/local-date';

export interface MarkeringState {
  jobcentre: readonly string[];
  akasser: readonly string[];
  start: LocalDate;
  slut?: LocalDate | null;
  oprettetAfRolle: Role;
  oprettetAfOrg: string;
  /** When someone closed it (a closing may set an end still to come); null while nobody has. */
  lukket?: Date | null;
}

/** Input checks of a new type-5 marking: kommunekoder of 3 digits, a-kasse numbers, at least one organisation, the creator among them. */
export function validateMarkering(p: Principal, m: { jobcentre: string[]; akasser: string[]; start: LocalDate; slut?: LocalDate | null }): { jobcentre: string[]; akasser: string[] } {
  const jobcentre = [...new Set(m.jobcentre.map((j) => j.trim()))].sort();
  const akasser = [...new Set(m.akasser.map((a) => a.trim()))].sort();
  for (const j of jobcentre) if (!/^\d{3}$/.test(j)) throw new BadInputError(`"${j}" er ikke en kommunekode på 3 cifre`, { field: 'jobcentre' });
  for (const a of akasser) if (!/^\d{1,4}$/.test(a)) throw new BadInputError(`"${a}" er ikke et a-kassenummer`, { field: 'akasser' });
  if (jobcentre.length + akasser.length === 0) throw new BadInputError('Markeringen skal angive mindst ét jobcenter eller én a-kasse, der må bruge den', { field: 'jobcentre' });
  if (m.slut != null && m.slut < m.start) throw new BadInputError(`Slutdatoen ${m.slut} ligger før startdatoen ${m.start}`, { field: 'slut' });
  if (!maaBruge(p, { jobcentre, akasser })) {
    throw new BadInputError('Den organisation, der opretter markeringen, skal selv være blandt dem, der må bruge den', { field: p.role === Role.AKASSE ? 'akasser' : 'jobcentre' });
  }
  return { jobcentre, akasser };
}

/** PG-1: the organisations a type-5 marking lists may use (and read) it. */
export function maaBruge(p: Principal, m: { jobcentre: readonly string[]; akasser: readonly string[] }): boolean {
  if (p.role === Role.SYSTEM) return true;
  if (p.role === Role.JOBCENTER) return m.jobcentre.includes(p.org);
  if (p.role === Role.AKASSE) return m.akasser.includes(p.org);
  return false;
}

/**
 * PG-1: when CPR moves the borger to a kommune whose jobcenter is not in the marking's list, DFDG closes the
 * open marking with end = move date (decision for a marking that starts after the move date: start = end = move
 * date − 1, as KP-3 does for contacts). Returns the new period, or null when the marking stays.
 */
export function pg1VedFlytning(m: { jobcentre: readonly string[]; start: LocalDate; slut?: LocalDate | null }, tilKommune: string, flyttedato: LocalDate): { start: LocalDate; slut: LocalDate } | null {
  if (m.jobcentre.includes(tilKommune)) return null;
  if (m.slut != null && m.slut <= flyttedato) return null;
  if (m.start > flyttedato) {
    const d = addDays(flyttedato, -1);
    return { start: d, slut: d };
  }
  return { start: m.start, slut: flyttedato };
}

export interface LukFacts {
  /** The borger's jobcenter now. */
  borgersJobcenter: string;
  /** The borger's latest change of jobcenter (CPR or manual), if any. */
  senesteFlytning: { kilde: 'CPR' | 'MANUEL' | 'CPR_MASSE'; fraJobcenter: string; tilJobcenter: string } | null;
}

/**
 * PG-2: only the creating organisation may close a marking, except: after a manual move (KP-4) the new jobcenter
 * may close type-5 markings created by the borger's previous jobcenter. Interpretation: "after a manual move" =
 * the borger's latest change of jobcenter was that manual move (a later CPR move to another jobcenter ends the
 * exception; CPR reporting a move the manual one anticipated changes no jobcenter and does not).
 */
/** PG-2: the organisation that created the marking. */
export function erOpretter(p: Principal, m: Pick<MarkeringState, 'oprettetAfRolle' | 'oprettetAfOrg'>): boolean {
  return p.role === m.oprettetAfRolle && p.org === m.oprettetAfOrg;
}

export function maaLukke(p: Principal, m: MarkeringState, f: LukFacts): boolean {
  if (erOpretter(p, m)) return true;
  const fl = f.senesteFlytning;
  return (
    p.role === Role.JOBCENTER &&
    f.borgersJobcenter === p.org &&
    fl != null &&
    fl.kilde === 'MANUEL' &&
    fl.tilJobcenter === p.org &&
    m.oprettetAfRolle === Role.JOBCENTER &&
    m.oprettetAfOrg === fl.fraJobcenter
  );
}

/** PG-2 as a refusal, with the end date checked. */
export function decideLukning(p: Principal, m: MarkeringState, f: LukFacts, slut: LocalDate, today: LocalDate): { slut: LocalDate } {
  // Who may close it is decided first: a refusal tells nothing of the marking.
  if (!maaLukke(p, m, f)) {
    throw new RuleViolation(
      'PG-2',
      'Markeringen kan kun lukkes af den organisation, der oprettede den – eller af det nye jobcenter, når det selv har flyttet borgeren fra det jobcenter, der oprettede den',
    );
  }
  // A marking created with a later end is open until then, and may be closed earlier (PG-1 reads it the same way);
  // one somebody closed stays closed as they closed it.
  if (m.lukket != null || (m.slut != null && m.slut <= today)) throw new BadInputError('Markeringen er allerede lukket');
  if (m.slut != null && slut > m.slut) throw new BadInputError(`Markeringen slutter allerede ${m.slut}`, { field: 'slut' });
  if (slut < m.start) throw new BadInputError(`Slutdatoen ${slut} ligger før markeringens start ${m.start}`, { field: 'slut' });
  return { slut };
}
