import type { EntityManager } from '@mikro-orm/postgresql';
import { Medlemskab } from '../akasse/medlemskab.entity';
import { Borger } from '../borger/borger.entity';
import { KontaktgruppePeriode } from '../borger/kontaktgruppe-periode.entity';
import { parseCpr } from '../scalars/cpr';
import type { LocalDate } from '../scalars/local-date';

interface DemoBorger {
  cpr: string;
  fornavn: string;
  efternavn: string;
  kommune: string;
  kontaktgruppe: number;
  jobparat?: boolean;
  akasse?: string;
}

/** A few borgere in two kommuner (København 101, Gentofte 157), for trying the API by hand. */
export const DEMO_BORGERE: DemoBorger[] = [
  { cpr: '0101054321', fornavn: 'Anna', efternavn: 'Andersen', kommune: '101', kontaktgruppe: 12 },
  { cpr: '1503084567', fornavn: 'Bo', efternavn: 'Berg', kommune: '101', kontaktgruppe: 8 },
  { cpr: '2212901234', fornavn: 'Carla', efternavn: 'Christensen', kommune: '101', kontaktgruppe: 1, jobparat: true, akasse: '12' },
  { cpr: '0507652345', fornavn: 'Dan', efternavn: 'Dahl', kommune: '157', kontaktgruppe: 1, jobparat: true, akasse: '12' },
  { cpr: '1110994123', fornavn: 'Eva', efternavn: 'Eriksen', kommune: '157', kontaktgruppe: 2, jobparat: true },
];

/** Seeds only an empty database; returns how many borgere it added. */
export async function seedDemo(em: EntityManager, today: LocalDate): Promise<number> {
  if ((await em.count(Borger, {})) > 0) return 0;
  const start = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}` as LocalDate;
  await em.transactional(async (tx) => {
    for (const d of DEMO_BORGERE) {
      const borger = tx.create(Borger, {
        cpr: d.cpr,
        foedselsdato: parseCpr(d.cpr).birthDate,
        fornavn: d.fornavn,
        efternavn: d.efternavn,
        bopaelskommune: d.kommune,
        jobcenter: d.kommune,
        jobparat: d.jobparat ?? false,
      });
      tx.create(KontaktgruppePeriode, { borger, kontaktgruppe: d.kontaktgruppe, start });
      if (d.akasse) tx.create(Medlemskab, { cpr: d.cpr, akasse: d.akasse, start });
    }
  });
  return DEMO_BORGERE.length;
}
