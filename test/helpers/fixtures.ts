import { parseCpr } from '../../src/scalars/cpr';
import type { TestServer } from './server';

export interface BorgerFixture {
  cpr: string;
  jobcenter?: string;
  bopaelskommune?: string;
  fornavn?: string;
  efternavn?: string;
  jobparat?: boolean;
  kontaktgruppe?: { id: number; start: string; slut?: string | null }[];
  medlemskab?: { akasse: string; start: string; slut?: string | null }[];
}

/** Test data straight into the tables, for the state a test starts from (not what it proves). */
export async function insertBorger(ts: TestServer, b: BorgerFixture): Promise<void> {
  const kommune = b.bopaelskommune ?? b.jobcenter ?? '101';
  await ts.sql(
    `insert into borger (cpr, foedselsdato, fornavn, efternavn, bopaelskommune, jobcenter, jobparat) values (?, ?, ?, ?, ?, ?, ?)`,
    [b.cpr, parseCpr(b.cpr).birthDate, b.fornavn ?? 'Test', b.efternavn ?? 'Borger', kommune, b.jobcenter ?? kommune, b.jobparat ?? false],
  );
  for (const k of b.kontaktgruppe ?? []) {
    await ts.sql(`insert into kontaktgruppe_periode (cpr, kontaktgruppe, start, slut) values (?, ?, ?, ?)`, [b.cpr, k.id, k.start, k.slut ?? null]);
  }
  for (const m of b.medlemskab ?? []) {
    await ts.sql(`insert into akasse_medlemskab (cpr, akasse, start, slut) values (?, ?, ?, ?)`, [b.cpr, m.akasse, m.start, m.slut ?? null]);
  }
}
