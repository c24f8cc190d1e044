import { BadInputError } from '../errors/domain-errors';
import type { LocalDate } from '../scalars/local-date';

export interface EfterloenPeriodeFakta {
  overgang: LocalDate;
  afgang?: LocalDate | null;
}

/**
 * TP-3: the a-kasse reports the day its member goes on efterløn (overgang). A borger has at most one
 * open period; a new one starts after the last afgang. The same overgang reported again changes nothing.
 */
export function decideOvergang<T extends EfterloenPeriodeFakta>(perioder: T[], overgang: LocalDate): { allerede: T | null } {
  const open = perioder.find((p) => p.afgang == null);
  if (open) {
    if (open.overgang === overgang) return { allerede: open };
    throw new BadInputError(`Borgeren er allerede overgået til efterløn fra ${open.overgang}; indberet afgang fra efterløn først`, { field: 'overgang' });
  }
  const sidsteAfgang = perioder.reduce<LocalDate | null>((m, p) => (p.afgang && (!m || p.afgang > m) ? p.afgang : m), null);
  if (sidsteAfgang && overgang <= sidsteAfgang) {
    throw new BadInputError(`Overgangen til efterløn skal ligge efter seneste afgang fra efterløn (${sidsteAfgang})`, { field: 'overgang' });
  }
  return { allerede: null };
}

/**
 * TP-3: the a-kasse reports the last day on efterløn (afgang): it ends the open period, not before its
 * overgang. The same afgang reported again for the latest period changes nothing.
 */
export function decideAfgang<T extends EfterloenPeriodeFakta>(perioder: T[], afgang: LocalDate): { periode: T; aendres: boolean } {
  const open = perioder.find((p) => p.afgang == null);
  if (!open) {
    const seneste = perioder.reduce<T | undefined>((m, p) => (!m || p.overgang > m.overgang ? p : m), undefined);
    if (seneste && seneste.afgang === afgang) return { periode: seneste, aendres: false };
    throw new BadInputError('Borgeren er ikke registreret med overgang til efterløn', { field: 'afgang' });
  }
  if (afgang < open.overgang) {
    throw new BadInputError(`Afgangen fra efterløn kan ikke ligge før overgangen (${open.overgang})`, { field: 'afgang' });
  }
  return { periode: open, aendres: true };
}

/**
 * TP-3: who may report for the borger: the borger's current a-kasse, or (for an afgang) the a-kasse that
 * reported the open period's overgang, also when the membership has ended since.
 */
export function akasseMaaIndberette(org: string, nuvaerendeAkasser: string[], aabenPeriodeAkasse: string | null): boolean {
  return nuvaerendeAkasser.includes(org) || aabenPeriodeAkasse === org;
}
