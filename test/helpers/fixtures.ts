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

/** A tilmelding period (issue 7). */
export async function insertTilmelding(
  ts: TestServer,
  t: { cpr: string; start: string; slut?: string | null; stillingsbetegnelser?: string[]; tilmeldtAf?: string; afmeldingsaarsag?: 'AFMELDT' | 'SYGEMELDT' | null },
): Promise<void> {
  await ts.sql(`insert into tilmelding (cpr, start, slut, stillingsbetegnelser, tilmeldt_af, afmeldingsaarsag) values (?, ?, ?, ?::jsonb, ?, ?)`, [
    t.cpr,
    t.start,
    t.slut ?? null,
    JSON.stringify(t.stillingsbetegnelser ?? []),
    t.tilmeldtAf ?? '101',
    t.afmeldingsaarsag ?? (t.slut ? 'AFMELDT' : null),
  ]);
}

/** A fravær registration (issue 7); returns its id. */
export async function insertFravaer(ts: TestServer, f: { cpr: string; fravaerstype: number; start: string; slut?: string | null }): Promise<string> {
  const rows = await ts.sql<{ id: string }>(
    `insert into fravaer (cpr, fravaerstype, start, slut, registreret_af_rolle, registreret_af_org) values (?, ?, ?, ?, 'JOBCENTER', 'fixture') returning id`,
    [f.cpr, f.fravaerstype, f.start, f.slut ?? null],
  );
  return String(rows[0].id);
}

/** A jobparathed period (issue 7). */
export async function insertJobparathed(ts: TestServer, j: { cpr: string; jobparat: boolean; start: string; slut?: string | null }): Promise<void> {
  await ts.sql(`insert into jobparathed_periode (cpr, jobparat, start, slut) values (?, ?, ?, ?)`, [j.cpr, j.jobparat, j.start, j.slut ?? null]);
}

/** A CV state period (issue 7): status from code table CV_STATUS. */
export async function insertCvTilstand(
  ts: TestServer,
  c: { cpr: string; status: number; soegbar?: boolean; kommentar?: string | null; start: string; slut?: string | null },
): Promise<void> {
  await ts.sql(`insert into cv_tilstand (cpr, status, soegbar, kommentar, start, slut) values (?, ?, ?, ?, ?, ?)`, [
    c.cpr,
    c.status,
    c.soegbar ?? true,
    c.kommentar ?? null,
    c.start,
    c.slut ?? null,
  ]);
}

/** An abonnement på uddannelseshændelser (issue 6); returns its id. */
export async function insertAbonnement(
  ts: TestServer,
  a: { cpr: string; start: string; slut?: string | null; lukkeaarsag?: number | null; org?: string; oprettet?: string },
): Promise<string> {
  // Opened on its start day unless told otherwise (a fixture stands for an abonnement that has been there all along).
  const rows = await ts.sql<{ id: string }>(
    `insert into abonnement (cpr, start, slut, lukkeaarsag, oprettet_af_rolle, oprettet_af_org, oprettet_af, oprettet)
     values (?, ?, ?, ?, 'JOBCENTER', ?, 'fixture', (?::date + time '12:00') at time zone 'Europe/Copenhagen') returning id`,
    [a.cpr, a.start, a.slut ?? null, a.slut ? (a.lukkeaarsag ?? 1) : null, a.org ?? '101', a.oprettet ?? a.start],
  );
  return String(rows[0].id);
}

/** A kontaktperson (issue 4): a kontakt (new, or `kontaktId`) attached to a borger; returns both ids. */
export async function insertKontaktperson(
  ts: TestServer,
  k: {
    cpr: string;
    type: number;
    start: string;
    slut?: string | null;
    kontaktId?: string;
    navn?: string;
    email?: string | null;
    telefon?: string | null;
    art?: 'PERSON' | 'TEAM' | 'GENERIC_TEAM' | null;
    org?: string;
    rolle?: string | null;
  },
): Promise<{ id: string; kontaktId: string }> {
  const org = k.org ?? '101';
  let kontaktId = k.kontaktId;
  if (!kontaktId) {
    const rows = await ts.sql<{ id: string }>(
      `insert into kontakt (navn, email, telefon, art, ejer_rolle, ejer_org) values (?, ?, ?, ?, 'JOBCENTER', ?) returning id`,
      [k.navn ?? 'Karl Kontaktsen', k.email === undefined ? 'kk@jobcenter.dk' : k.email, k.telefon === undefined ? '12345678' : k.telefon, k.art === undefined ? 'PERSON' : k.art, org],
    );
    kontaktId = String(rows[0].id);
  }
  const rows = await ts.sql<{ id: string }>(
    `insert into kontaktperson (cpr, kontakt_id, kontaktpersontype, rolle, start, slut, registreret_af_rolle, registreret_af_org, registreret_af)
     values (?, ?, ?, ?, ?, ?, 'JOBCENTER', ?, 'fixture') returning id`,
    [k.cpr, kontaktId, k.type, k.rolle ?? null, k.start, k.slut ?? null, org],
  );
  return { id: String(rows[0].id), kontaktId };
}

/** A persongruppemarkering type 5 (issue 4); returns its id. */
export async function insertPersongruppemarkering(
  ts: TestServer,
  m: { cpr: string; jobcentre: string[]; akasser?: string[]; start: string; slut?: string | null; rolle?: 'JOBCENTER' | 'AKASSE'; org?: string },
): Promise<string> {
  const rows = await ts.sql<{ id: string }>(
    `insert into persongruppemarkering (cpr, jobcentre, akasser, start, slut, oprettet_af_rolle, oprettet_af_org, oprettet_af)
     values (?, string_to_array(?, ',')::varchar(3)[], string_to_array(?, ',')::text[], ?, ?, ?, ?, 'fixture') returning id`,
    [m.cpr, m.jobcentre.join(','), (m.akasser ?? []).join(','), m.start, m.slut ?? null, m.rolle ?? 'JOBCENTER', m.org ?? m.jobcentre[0] ?? '101'],
  );
  return String(rows[0].id);
}

/** A stored UDK report of tidlig pension (issue 8), with an optional GetTidligPensionVersion1 in the outbox; returns its id. */
export async function insertTidligPension(ts: TestServer, t: { cpr: string; beloebOere?: number; akasse?: string | null }): Promise<string> {
  const rows = await ts.sql<{ id: string }>(
    `insert into tidlig_pension (cpr, foedselsdato, afgoerelsesdato, start, beloeb_oere, indhold_hash) values (?, ?, '2020-01-01', '2020-02-01', ?, md5(random()::text)) returning id`,
    [t.cpr, parseCpr(t.cpr).birthDate, t.beloebOere ?? 100_00],
  );
  if (t.akasse) {
    await ts.sql(
      `insert into outbox_message (service_name, recipient_type, recipient_org, cpr, authority_role, authority_org, registered_by, payload)
       values ('GetTidligPensionVersion1', 'AKASSE', ?, ?, 'UDK', 'udk', 'fixture', ?::jsonb)`,
      [t.akasse, t.cpr, JSON.stringify({ tidligPensionId: String(rows[0].id), afgoerelsesdato: '2020-01-01', start: '2020-02-01', slut: null, beloebOere: t.beloebOere ?? 100_00, kompensationsbeloebOere: null })],
    );
  }
  return String(rows[0].id);
}

/** A kursusindsats (issue 5), e.g. one that already has an expired afholdelseskategori (MT-3); returns its id. */
export async function insertKursusindsats(
  ts: TestServer,
  k: { cpr: string; jobcenter?: string; afholdelseskategori: number; start: string; slut?: string | null; resultat?: string | null },
): Promise<string> {
  const rows = await ts.sql<{ id: string }>(
    `insert into kursusindsats (cpr, jobcenter, afholdelseskategori, start, slut, resultat) values (?, ?, ?, ?, ?, ?) returning id`,
    [k.cpr, k.jobcenter ?? '101', k.afholdelseskategori, k.start, k.slut ?? null, k.resultat ?? null],
  );
  return String(rows[0].id);
}

/** A mentorindsats (issue 5) straight into the table (no Min plan version); returns its id. */
export async function insertMentorindsats(
  ts: TestServer,
  m: { cpr: string; jobcenter?: string; mentortype: number; start: string; slut?: string | null; navn?: string },
): Promise<string> {
  const rows = await ts.sql<{ id: string }>(
    `insert into mentorindsats (cpr, jobcenter, mentortype, start, slut, navn, telefon, email) values (?, ?, ?, ?, ?, ?, '12345678', 'mentor@jobcenter.dk') returning id`,
    [m.cpr, m.jobcenter ?? '101', m.mentortype, m.start, m.slut ?? null, m.navn ?? 'Mette Mentor'],
  );
  return String(rows[0].id);
}

/** CPR's registration time for the next CPR feed event of a test: later than every earlier one, as CPR's own clock. */
export const cprRegistreret = (() => {
  let n = 0;
  return () => new Date(Date.UTC(2026, 0, 1) + ++n * 1000).toISOString();
})();
