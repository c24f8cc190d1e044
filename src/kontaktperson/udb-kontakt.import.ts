import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { requirePrincipal } from '../auth/auth-checker';
import type { Ctx } from '../context/context';
import { transaction } from '../db/transaction';
import { DomainError } from '../errors/domain-errors';
import { writeOutboxFromSql } from '../events/outbox';
import { ModtagerType, recipient } from '../events/recipient';
import type { JobDefinition, JobReport } from '../jobs/job';
import { parseCpr } from '../scalars/cpr';
import type { LocalDate } from '../scalars/local-date';
import { Kontaktpersontype } from './kontaktperson.entity';
import { GET_PERSON_AUTHORITY_CONTACT } from './kontaktperson.messages';
import { udbKontaktNoegle, validateUdbKontakt, type UdbKontakt } from './kontaktperson.rules';
import { KILDER_SVAGEST_FOERST, UdbKontaktKildetype, type UdbKontaktStand } from './udb-kontakt.rules';

/** One borger's complete current set of type-31 contacts, as UDB has them (KP-7). */
export interface UdbKontaktRecord {
  cpr: string;
  kontakter: Partial<UdbKontakt>[];
}

/**
 * Where the daily batch comes from (KP-7). `laes` yields the batch for `today`; a source that cannot deliver
 * (UDB's file has not arrived) throws, and the job is retried later.
 */
export interface UdbKontaktKilde {
  readonly beskrivelse: string;
  laes(today: LocalDate, signal?: AbortSignal): AsyncIterable<UdbKontaktRecord>;
}

/**
 * A batch as an NDJSON file: one line per borger, `{"cpr":"0101051234","kontakter":[{"navn":…,"email":…,"telefon":…,
 * "cvr":…,"pnr":…}]}`. The path may hold `{dato}`, replaced by the run's date (YYYY-MM-DD). Lines that are not
 * JSON objects are yielded as records without a CPR, so the import counts and logs them.
 */
export class NdjsonUdbKontaktKilde implements UdbKontaktKilde {
  constructor(private readonly sti: string) {}

  get beskrivelse(): string {
    return `NDJSON ${this.sti}`;
  }

  fil(today: LocalDate): string {
    return this.sti.replace(/\{dato\}/g, today);
  }

  async *laes(today: LocalDate, signal?: AbortSignal): AsyncIterable<UdbKontaktRecord> {
    const fil = this.fil(today);
    if (!existsSync(fil)) throw new Error(`UDB-kontaktfilen ${fil} findes ikke (endnu)`);
    const lines = createInterface({ input: createReadStream(fil, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      if (signal?.aborted) throw new Error('afbrudt');
      if (line.trim() === '') continue;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        v = null;
      }
      yield v && typeof v === 'object' && !Array.isArray(v) ? (v as UdbKontaktRecord) : ({ cpr: '', kontakter: [] } as UdbKontaktRecord);
    }
  }
}

/** A batch held in memory (tests, and the UDB mutation for one borger). */
export class ArrayUdbKontaktKilde implements UdbKontaktKilde {
  readonly beskrivelse = 'i hukommelsen';
  constructor(private readonly records: UdbKontaktRecord[]) {}
  async *laes(): AsyncIterable<UdbKontaktRecord> {
    yield* this.records;
  }
}

interface ValidKontakt extends UdbKontakt {
  noegle: string;
}

export interface ValidRecord {
  cpr: string;
  kontakter: ValidKontakt[];
}

/** KP-7: checks one record: a CPR and every contact complete and valid (KP-5); duplicates collapse. Throws BAD_USER_INPUT. */
export function validateRecord(r: UdbKontaktRecord): ValidRecord {
  const cpr = parseCpr(String(r.cpr ?? '')).cpr as string;
  if (!Array.isArray(r.kontakter)) throw new DomainError('BAD_USER_INPUT', 'kontakter skal være en liste', { field: 'kontakter' });
  const byKey = new Map<string, ValidKontakt>();
  for (const k of r.kontakter) {
    const v = validateUdbKontakt(k ?? {});
    const noegle = createHash('sha256').update(udbKontaktNoegle(v)).digest('hex');
    byKey.set(noegle, { ...v, noegle });
  }
  return { cpr, kontakter: [...byKey.values()] };
}

export interface ImportResultat {
  /** Borgere in the batch (after validation). */
  borgere: number;
  /** Borgere skipped: unknown CPR. */
  ukendteCpr: number;
  /** Borgere skipped: no active abonnement (KP-7). */
  udenAbonnement: number;
  /** Borgere skipped: a newer snapshot of their contacts is in force (`erstatter`). */
  nyereIKraft: number;
  tilfoejet: number;
  afsluttet: number;
  /** Borgere whose type-31 contacts changed: each got GetPersonAuthorityContactVersion1 (KP-8). */
  aendredeBorgere: number;
}

const CHUNK_ROWS = 20_000;

/**
 * KP-7 + KP-8 for a set of borgere, set-based, in the caller's transaction: for each borger with an active
 * abonnement, the batch is the complete set of type-31 contacts; open ones not in it end (yesterday, or their
 * start if later), new ones open today, the rest are untouched — so the same batch again changes nothing. Each
 * borger whose contacts changed gets one GetPersonAuthorityContactVersion1 to its jobcenter, written by SQL in
 * the same transaction. Borgere with an unknown CPR or no active abonnement are skipped and counted, and so are
 * borgere for whom a newer snapshot than `stand` is in force (`erstatter`); for the rest `stand` becomes the one
 * in force.
 */
export async function anvendUdbKontakter(tx: Ctx, records: ValidRecord[], today: LocalDate, stand: UdbKontaktStand): Promise<ImportResultat> {
  const p = requirePrincipal(tx);
  const x = (sql: string, params: unknown[] = []) => tx.em.execute(sql, params) as Promise<Record<string, unknown>[]>;
  await x(`create temp table udb_import_borger (cpr varchar(10) primary key) on commit drop`);
  await x(`create temp table udb_import_kontakt (cpr varchar(10), noegle text, navn text, email text, telefon varchar(8), cvr varchar(8), pnr varchar(10)) on commit drop`);
  await x(`create temp table udb_import_ok (cpr varchar(10) primary key) on commit drop`);
  await x(`create temp table udb_import_aendret (cpr varchar(10) primary key, jobcenter varchar(3)) on commit drop`);
  await x(`create temp table udb_import_oensket (cpr varchar(10), kontakt_id bigint) on commit drop`);
  await x(`create temp table udb_import_aabne (id bigint, cpr varchar(10), kontakt_id bigint) on commit drop`);

  const cprs = [...new Set(records.map((r) => r.cpr))];
  for (let i = 0; i < cprs.length; i += CHUNK_ROWS) {
    await x(`insert into udb_import_borger (cpr) select value from json_array_elements_text(?::json) on conflict do nothing`, [JSON.stringify(cprs.slice(i, i + CHUNK_ROWS))]);
  }
  const rows = records.flatMap((r) => r.kontakter.map((k) => ({ cpr: r.cpr, ...k })));
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) {
    await x(
      `insert into udb_import_kontakt (cpr, noegle, navn, email, telefon, cvr, pnr)
       select cpr, noegle, navn, email, telefon, cvr, pnr
         from json_to_recordset(?::json) as r(cpr text, noegle text, navn text, email text, telefon text, cvr text, pnr text)`,
      [JSON.stringify(rows.slice(i, i + CHUNK_ROWS))],
    );
  }
  await x(`analyze udb_import_borger`);
  await x(`analyze udb_import_kontakt`);

  // The UDB mutation locks its borger before it reads; so does every other change of a borger. Without the same
  // lock here, a mutation (or a second run of this job) could add a contact between the read of the open contacts
  // below and the insert, and the contact would be opened and announced twice. All borgere of the run are locked,
  // not only those whose contacts change, because each gets its snapshot date (`udb_kontakt_stand`) written, and
  // that date must describe what was read. Ordered by CPR, so two runs over the same borgere cannot deadlock.
  // Everything below reads after the lock, in later statements, so it sees what a transaction it waited for committed.
  await x(`select count(*) from (select 1 from borger b join udb_import_borger s on s.cpr = b.cpr order by b.cpr for update of b) l`);

  // KP-7: only borgere with an active abonnement (open and started), whether or not admitted or at trin 4, and not
  // already at a newer snapshot than this one (`erstatter`, here as a row comparison on (dato, source rank)).
  // array_position counts from 1.
  const rang = (kilde: UdbKontaktKildetype) => KILDER_SVAGEST_FOERST.indexOf(kilde) + 1;
  const [counts] = await x(
    `with s as (
       select s.cpr, b.cpr is not null as kendt,
              exists (select 1 from abonnement a where a.cpr = s.cpr and a.slut is null and a.start <= ?::date) as aktiv,
              exists (select 1 from udb_kontakt_stand st
                       where st.cpr = s.cpr and (st.dato, array_position(string_to_array(?, ','), st.kilde)) > (?::date, ?::int)) as nyere
         from udb_import_borger s left join borger b on b.cpr = s.cpr),
     ok as (insert into udb_import_ok (cpr) select cpr from s where kendt and aktiv and not nyere returning cpr)
     select (select count(*) from s)::int as borgere,
            (select count(*) from s where not kendt)::int as ukendte,
            (select count(*) from s where kendt and not aktiv)::int as uden,
            (select count(*) from s where kendt and aktiv and nyere)::int as nyere,
            (select count(*) from ok)::int as ok`,
    [today, KILDER_SVAGEST_FOERST.join(','), stand.dato, rang(stand.kilde)],
  );
  await x(`analyze udb_import_ok`);

  // The same contact from UDB is one kontakt, owned by UDB, found by its content key.
  const udb = recipient(ModtagerType.UDB);
  await x(
    `insert into kontakt (navn, email, telefon, cvr, pnr, ejer_rolle, ejer_org, kilde_noegle)
     select distinct on (k.noegle) k.navn, k.email, k.telefon, k.cvr, k.pnr, ?, ?, k.noegle
       from udb_import_kontakt k join udb_import_ok o on o.cpr = k.cpr
      order by k.noegle
     on conflict (ejer_org, kilde_noegle) where kilde_noegle is not null do nothing`,
    [udb.type, udb.org],
  );

  // The wanted and the open attachments of the borgere in this run, as small analysed tables, so the diff below is
  // two hash anti-joins whatever the statistics of the big tables say.
  await x(
    `insert into udb_import_oensket (cpr, kontakt_id)
     select distinct k.cpr, kt.id
       from udb_import_kontakt k
       join udb_import_ok o on o.cpr = k.cpr
       join kontakt kt on kt.ejer_org = ? and kt.kilde_noegle = k.noegle`,
    [udb.org],
  );
  await x(
    `insert into udb_import_aabne (id, cpr, kontakt_id)
     select kp.id, kp.cpr, kp.kontakt_id
       from kontaktperson kp join udb_import_ok o on o.cpr = kp.cpr
      where kp.kontaktpersontype = ? and kp.slut is null`,
    [Kontaktpersontype.UDDANNELSESSTED],
  );
  await x(`analyze udb_import_oensket`);
  await x(`analyze udb_import_aabne`);

  // The unique index on open type-31 attachments holds the rule even against a writer that skips the lock; a row
  // it refuses is not counted, so no borger is announced for a contact it already had.
  const [changes] = await x(
    `with ended as (
       update kontaktperson kp
          set slut = greatest(kp.start, ?::date - 1), aendret = now()
         from udb_import_aabne a
        where kp.id = a.id and kp.slut is null
          and not exists (select 1 from udb_import_oensket d where d.cpr = a.cpr and d.kontakt_id = a.kontakt_id)
       returning kp.cpr),
     added as (
       insert into kontaktperson (cpr, kontakt_id, kontaktpersontype, start, vises_paa_jobnet, registreret_af_rolle, registreret_af_org, registreret_af)
       select d.cpr, d.kontakt_id, ?, ?::date, false, ?, ?, ?
         from udb_import_oensket d
        where not exists (select 1 from udb_import_aabne a where a.cpr = d.cpr and a.kontakt_id = d.kontakt_id)
       on conflict (cpr, kontakt_id) where kontaktpersontype = ${Kontaktpersontype.UDDANNELSESSTED} and slut is null do nothing
       returning cpr),
     changed as (insert into udb_import_aendret (cpr) select cpr from ended union select cpr from added returning cpr)
     select (select count(*) from ended)::int as afsluttet, (select count(*) from added)::int as tilfoejet, (select count(*) from changed)::int as aendrede`,
    [today, Kontaktpersontype.UDDANNELSESSTED, today, udb.type, udb.org, p.sub],
  );

  // Written only where it differs, so the same batch again writes nothing.
  await x(
    `insert into udb_kontakt_stand (cpr, dato, kilde, haendelse_id)
     select cpr, ?::date, ?, ? from udb_import_ok
     on conflict (cpr) do update set dato = excluded.dato, kilde = excluded.kilde, haendelse_id = excluded.haendelse_id, aendret = now()
      where (udb_kontakt_stand.dato, udb_kontakt_stand.kilde, udb_kontakt_stand.haendelse_id)
            is distinct from (excluded.dato, excluded.kilde, excluded.haendelse_id)`,
    [stand.dato, stand.kilde, stand.haendelseId ?? null],
  );

  // KP-8: one GetPersonAuthorityContactVersion1 per changed borger to its jobcenter, with the borger's open type-31 contacts.
  if (Number(changes.aendrede) > 0) {
    // The recipients are fixed once, so the rows below go exactly to the jobcentre locked for them.
    await x(`update udb_import_aendret c set jobcenter = b.jobcenter from borger b where b.cpr = c.cpr`);
    const jobcentre = (await x(`select distinct jobcenter from udb_import_aendret where jobcenter is not null`)).map((r) =>
      recipient(ModtagerType.JOBCENTER, String(r.jobcenter)),
    );
    await writeOutboxFromSql(tx.em, p, {
      select: `
        select ?::text as service_name, ?::text as recipient_type, c.jobcenter as recipient_org, c.cpr,
               jsonb_build_object(
                 'kontaktpersontype', ?::int,
                 'kontakter', coalesce((
                   select jsonb_agg(jsonb_build_object('kontaktpersonId', kp.id::text, 'navn', kt.navn, 'email', kt.email, 'telefon', kt.telefon,
                                                       'cvr', kt.cvr, 'pnr', kt.pnr, 'start', kp.start) order by kp.start, kp.id)
                     from kontaktperson kp join kontakt kt on kt.id = kp.kontakt_id
                    where kp.cpr = c.cpr and kp.kontaktpersontype = ? and kp.slut is null), '[]'::jsonb)) as payload,
               row_number() over (order by c.cpr) as ord
          from udb_import_aendret c where c.jobcenter is not null`,
      params: [GET_PERSON_AUTHORITY_CONTACT, ModtagerType.JOBCENTER, Kontaktpersontype.UDDANNELSESSTED, Kontaktpersontype.UDDANNELSESSTED],
      recipients: jobcentre,
      serviceName: GET_PERSON_AUTHORITY_CONTACT,
    });
  }
  await x(`drop table udb_import_borger, udb_import_kontakt, udb_import_ok, udb_import_aendret, udb_import_oensket, udb_import_aabne`);
  return {
    borgere: Number(counts.borgere),
    ukendteCpr: Number(counts.ukendte),
    udenAbonnement: Number(counts.uden),
    nyereIKraft: Number(counts.nyere),
    tilfoejet: Number(changes.tilfoejet),
    afsluttet: Number(changes.afsluttet),
    aendredeBorgere: Number(changes.aendrede),
  };
}

const BORGERE_PER_TRANSAKTION = 10_000;

/**
 * KP-7 as a job: reads the day's batch from `kilde`, validates each record (a bad one is skipped, counted and
 * logged; it does not stop the others), merges repeated CPRs, and applies the batch in transactions of
 * 10,000 borgere. Idempotent: the same batch again changes nothing and sends nothing.
 */
export async function importerUdbKontakter(ctx: Ctx, kilde: UdbKontaktKilde, today: LocalDate, signal?: AbortSignal): Promise<JobReport> {
  const byCpr = new Map<string, ValidRecord>();
  let afvisteLinjer = 0;
  let linje = 0;
  for await (const r of kilde.laes(today, signal)) {
    linje++;
    try {
      const v = validateRecord(r);
      const prev = byCpr.get(v.cpr);
      if (prev) {
        const merged = new Map(prev.kontakter.map((k) => [k.noegle, k]));
        for (const k of v.kontakter) merged.set(k.noegle, k);
        prev.kontakter = [...merged.values()];
      } else byCpr.set(v.cpr, v);
    } catch (e) {
      afvisteLinjer++;
      ctx.log.warn({ linje, cpr: typeof r?.cpr === 'string' ? r.cpr : undefined, err: e instanceof Error ? e.message : String(e) }, 'UDB-kontakt afvist');
    }
  }
  // The batch is UDB's state on the day of the run (the day in the file's name); see KILDER_SVAGEST_FOERST for a
  // mutation of the same day.
  const batchStand: UdbKontaktStand = { dato: today, kilde: UdbKontaktKildetype.BATCH };
  const total: ImportResultat = { borgere: 0, ukendteCpr: 0, udenAbonnement: 0, nyereIKraft: 0, tilfoejet: 0, afsluttet: 0, aendredeBorgere: 0 };
  const all = [...byCpr.values()];
  for (let i = 0; i < all.length; i += BORGERE_PER_TRANSAKTION) {
    if (signal?.aborted) throw new Error('afbrudt');
    const r = await transaction(ctx, (tx) => anvendUdbKontakter(tx, all.slice(i, i + BORGERE_PER_TRANSAKTION), today, batchStand));
    for (const k of Object.keys(total) as (keyof ImportResultat)[]) total[k] += r[k];
  }
  if (total.ukendteCpr + total.udenAbonnement > 0) {
    ctx.log.info({ ukendteCpr: total.ukendteCpr, udenAbonnement: total.udenAbonnement }, 'UDB-kontakter for borgere uden aktivt abonnement er sprunget over (KP-7)');
  }
  if (total.nyereIKraft > 0) {
    ctx.log.info({ nyereIKraft: total.nyereIKraft }, 'UDB-kontakter sprunget over: borgerens kontakter er allerede fra en nyere indberetning fra UDB');
  }
  return { linjer: linje, afvisteLinjer, ...total };
}

/** The configured source: `UDB_KONTAKT_NDJSON` (a path, `{dato}` replaced by the day); job args `{ "fil": path }` override it. */
export function udbKontaktJob(defaultKilde: () => UdbKontaktKilde | null = () => (process.env.UDB_KONTAKT_NDJSON ? new NdjsonUdbKontaktKilde(process.env.UDB_KONTAKT_NDJSON) : null)): JobDefinition {
  return {
    name: 'udb-kontaktimport',
    description: 'Henter kontaktpersoner på uddannelsesstedet (type 31) fra UDB for borgere med aktivt abonnement (KP-7) og adviserer jobcentret (KP-8).',
    schedule: '0 3 * * *',
    async run(ctx, { today, args, signal }) {
      const fil = typeof args?.fil === 'string' ? args.fil : null;
      const kilde = fil ? new NdjsonUdbKontaktKilde(fil) : defaultKilde();
      if (!kilde) {
        ctx.log.warn('udb-kontaktimport: ingen kilde (sæt UDB_KONTAKT_NDJSON); intet hentet');
        return { ikkeKonfigureret: 1 };
      }
      return importerUdbKontakter(ctx, kilde, today, signal);
    },
  };
}
