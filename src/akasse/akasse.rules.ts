import { covers, type Periode } from '../borger/borger.rules';
import { BadInputError, ConflictError } from '../errors/domain-errors';
import type { LocalDate } from '../scalars/local-date';

export interface MedlemskabPeriode extends Periode {
  id?: string;
  akasse: string;
}

function latestByStart<T extends Periode>(periods: T[]): T | undefined {
  let found: T | undefined;
  for (const p of periods) if (!found || p.start > found.start) found = p;
  return found;
}

/**
 * Whether the a-kasse counts as the borger's a-kasse for its operations other than a medlemstilgang: it
 * has a membership covering today, or a registered tilgang that starts later (so it can still end or recall it).
 */
export function erMedlem(own: MedlemskabPeriode[], today: LocalDate): boolean {
  return own.some((m) => covers(m, today) || m.start > today);
}

/**
 * A medlemstilgang from `start`: the borger may not already be a member of this a-kasse, and the new
 * membership starts after the previous one of the same a-kasse ended (history stays separate periods).
 * A membership of another a-kasse does not stop it (an overflytning: the other a-kasse reports its afgang).
 */
export function decideMedlemstilgang(own: MedlemskabPeriode[], start: LocalDate): { start: LocalDate } {
  const open = own.find((m) => m.slut == null);
  if (open) throw new BadInputError(`Borgeren er allerede medlem af a-kassen fra ${open.start}`, { field: 'cpr' });
  const lastSlut = own.reduce<LocalDate | null>((m, p) => (p.slut && (!m || p.slut > m) ? p.slut : m), null);
  if (lastSlut && start <= lastSlut) {
    throw new BadInputError(`Medlemstilgangen skal ligge efter det tidligere medlemskabs afgangsdato (${lastSlut})`, { field: 'start' });
  }
  return { start };
}

/** A medlemsafgang: the open membership of this a-kasse ends on `slut` (the last day as member). */
export function decideMedlemsafgang<T extends MedlemskabPeriode>(own: T[], slut: LocalDate): T {
  const open = own.find((m) => m.slut == null);
  if (!open) throw new BadInputError('Borgeren har intet åbent medlemskab af a-kassen');
  if (slut < open.start) throw new BadInputError(`Afgangsdatoen kan ikke ligge før medlemskabets start (${open.start})`, { field: 'slut' });
  return open;
}

/**
 * AK-1: a recall (tilbagekaldelse) of a medlemstilgang takes back the a-kasse's latest tilgang, named by its start. It is
 * allowed even when an earlier membership of the same a-kasse precedes the latest one: the check that
 * refused that is gone, and nothing here looks at earlier memberships.
 */
export function decideTilbagekaldelse<T extends MedlemskabPeriode>(own: T[], start: LocalDate): T {
  const latest = latestByStart(own);
  if (!latest) throw new BadInputError('Der er ingen medlemstilgang at tilbagekalde');
  // The caller names the tilgang it recalls: a recall sent again (its answer lost) would otherwise take the one before.
  if (latest.start !== start) {
    throw new ConflictError(`A-kassens seneste medlemstilgang starter ${latest.start}, ikke ${start}; en tilbagekaldelse sendt igen tilbagekalder ikke den forrige`);
  }
  return latest;
}
