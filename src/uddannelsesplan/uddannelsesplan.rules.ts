import { BadInputError } from '../errors/domain-errors';
import type { LocalDate } from '../scalars/local-date';
import { unikkeStillingsbetegnelser } from '../tilmelding/stillingsbetegnelse';
import { checkStoettebehov, normaliserStoettebehov } from './stoettebehov.rules';

/** Code table PLANTYPE (1 Uddannelsesplan, 2 Kombiplan, 3 Aftale om opfølgning, 4 Plan uden plantype). */
export const PLANTYPE_IDS: readonly number[] = [1, 2, 3, 4];

/** Everything a jobcenter registers on an uddannelsesplan; also the shape kept in a plan version. */
export interface PlanFelter {
  plantype: number;
  trin: number | null;
  frist: LocalDate | null;
  planbeskrivelse: string;
  maal: string;
  ansvarligSagsbehandler: string | null;
  uddannelsessted: string | null;
  stoettebehov: number[];
  jobmaal: string[];
  kravTilJobsoegning: string[];
}

/** A change: a field left out (undefined) keeps its value; null clears a field that may be empty. */
export type PlanAendring = { [K in keyof PlanFelter]?: PlanFelter[K] | null };

const MAX_TEKST = 4000;

function tekst(v: string | null | undefined, field: string, required = false): string | null {
  if (v == null) {
    if (required) throw new BadInputError(`${field} skal udfyldes`, { field });
    return null;
  }
  const t = v.trim();
  if (t.length > MAX_TEKST) throw new BadInputError(`${field} må højst være ${MAX_TEKST} tegn`, { field });
  if (!t && required) throw new BadInputError(`${field} skal udfyldes`, { field });
  return t || null;
}

/**
 * TM-2: jobmål and "krav til jobsøgning" each name a stillingsbetegnelse/alias at most once (compared as TM-1 compares
 * them: without regard to case, blanks and Unicode encoding). A duplicate is a validation error naming it. Returns the
 * list trimmed, in order.
 */
export function checkUnikkeStillingsbetegnelser(list: readonly string[], field: 'jobmaal' | 'kravTilJobsoegning'): string[] {
  const label = field === 'jobmaal' ? 'jobmål' : 'krav til jobsøgning';
  return unikkeStillingsbetegnelser(list, {
    tom: () => new BadInputError(`En stillingsbetegnelse/alias i ${label} kan ikke være tom`, { field }),
    dublet: (navn, first) =>
      new BadInputError(
        `Stillingsbetegnelsen/aliaset "${navn}" er angivet mere end én gang i ${label} (også som "${first}"). Angiv hver stillingsbetegnelse/alias kun én gang.`,
        { field, duplicate: navn, rule: 'TM-2' },
      ),
  });
}

/**
 * A jobcenter creates (`current` null) or changes its borger's uddannelsesplan. Returns the plan as it will be
 * saved, or throws: bad input (BAD_USER_INPUT), TM-2 duplicates, or the støttebehov rules UP-1 .. UP-5
 * (RULE_VIOLATION naming the rule). Nothing is saved when it throws.
 */
export function decidePlan(current: PlanFelter | null, change: PlanAendring): PlanFelter {
  const pick = <K extends keyof PlanFelter>(k: K): PlanFelter[K] | null | undefined => (change[k] === undefined ? current?.[k] : change[k]);

  const plantype = pick('plantype');
  if (plantype == null) throw new BadInputError('Plantype skal angives', { field: 'plantype' });
  if (!PLANTYPE_IDS.includes(plantype)) throw new BadInputError(`Ukendt plantype: ${plantype}`, { field: 'plantype', value: plantype });

  const trin = pick('trin') ?? null;
  if (trin !== null && (!Number.isInteger(trin) || trin < 1 || trin > 4)) {
    throw new BadInputError(`Trin i uddannelsespålægget skal være 1, 2, 3 eller 4 (fik ${trin})`, { field: 'trin', value: trin });
  }
  const frist = pick('frist') ?? null;
  if (frist !== null && trin === null) throw new BadInputError('En frist hører til et trin i uddannelsespålægget: angiv trin', { field: 'frist' });

  const stoettebehov = normaliserStoettebehov(pick('stoettebehov') ?? []);
  checkStoettebehov(stoettebehov, trin);

  return {
    plantype,
    trin,
    frist,
    planbeskrivelse: tekst(pick('planbeskrivelse'), 'planbeskrivelse') ?? '',
    maal: tekst(pick('maal'), 'maal') ?? '',
    ansvarligSagsbehandler: tekst(pick('ansvarligSagsbehandler'), 'ansvarligSagsbehandler'),
    uddannelsessted: tekst(pick('uddannelsessted'), 'uddannelsessted'),
    stoettebehov,
    jobmaal: checkUnikkeStillingsbetegnelser(pick('jobmaal') ?? [], 'jobmaal'),
    kravTilJobsoegning: checkUnikkeStillingsbetegnelser(pick('kravTilJobsoegning') ?? [], 'kravTilJobsoegning'),
  };
}

/** UP-6: the type-1 fields. A published change to one of these makes a new plan version. */
export const TYPE1_FELTER = ['planbeskrivelse', 'maal', 'ansvarligSagsbehandler', 'trin', 'frist', 'uddannelsessted', 'stoettebehov'] as const;
export type Type1Felt = (typeof TYPE1_FELTER)[number];

const ALLE_FELTER: (keyof PlanFelter)[] = [
  'plantype',
  'trin',
  'frist',
  'planbeskrivelse',
  'maal',
  'ansvarligSagsbehandler',
  'uddannelsessted',
  'stoettebehov',
  'jobmaal',
  'kravTilJobsoegning',
];

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

/** The fields whose value differs between two states of a plan. */
export function aendredeFelter(fra: PlanFelter, til: PlanFelter): (keyof PlanFelter)[] {
  return ALLE_FELTER.filter((f) => !same(fra[f], til[f]));
}

export type PubliceringDecision =
  /** Type-1 changes (or the first publication): a new version holding the plan. */
  | { kind: 'NY_VERSION'; type1: Type1Felt[] }
  /** Only other changes: they are published into the newest version, which keeps its number. */
  | { kind: 'OPDATER_VERSION'; aendret: (keyof PlanFelter)[] }
  /** The published plan already says this. */
  | { kind: 'UAENDRET' };

/**
 * UP-6: publishing the plan. `publiceret` is the plan as the newest version holds it (null: never published).
 * Type-1 changes (planbeskrivelse, mål, ansvarlig sagsbehandler, trin, frist, uddannelsessted, støttebehov)
 * make a new version; other changes (plantype, jobmål, krav til jobsøgning) do not.
 */
export function decidePublicering(publiceret: PlanFelter | null, udkast: PlanFelter): PubliceringDecision {
  if (!publiceret) return { kind: 'NY_VERSION', type1: [...TYPE1_FELTER] };
  const aendret = aendredeFelter(publiceret, udkast);
  const type1 = aendret.filter((f): f is Type1Felt => (TYPE1_FELTER as readonly string[]).includes(f));
  if (type1.length) return { kind: 'NY_VERSION', type1 };
  if (aendret.length) return { kind: 'OPDATER_VERSION', aendret };
  return { kind: 'UAENDRET' };
}

/** The fields of a plan in the canonical shape (versions, comparisons); absent fields become empty. */
export function planFelter(p: { plantype: number } & { [K in keyof PlanFelter]?: PlanFelter[K] | null }): PlanFelter {
  return {
    plantype: p.plantype,
    trin: p.trin ?? null,
    frist: p.frist ?? null,
    planbeskrivelse: p.planbeskrivelse ?? '',
    maal: p.maal ?? '',
    ansvarligSagsbehandler: p.ansvarligSagsbehandler ?? null,
    uddannelsessted: p.uddannelsessted ?? null,
    stoettebehov: [...(p.stoettebehov ?? [])],
    jobmaal: [...(p.jobmaal ?? [])],
    kravTilJobsoegning: [...(p.kravTilJobsoegning ?? [])],
  };
}
