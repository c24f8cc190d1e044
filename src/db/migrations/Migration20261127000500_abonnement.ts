import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 6: abonnement på uddannelseshændelser from UDB (AB-1..AB-9) and the events UDB sends about a borger
 * (optagelse, gennemført uddannelse, risiko for frafald, kontakter). An abonnement is a period; its history is
 * the borger's rows in order. Closing sets `slut` and `lukkeaarsag` (code table ABONNEMENT_LUKKEAARSAG) together.
 */
export class Migration20261127000500_abonnement extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table abonnement (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        start date not null,
        slut date null check (slut is null or slut >= start),
        lukkeaarsag integer null,
        oprettet_af_rolle text not null,
        oprettet_af_org text not null,
        oprettet_af text not null,
        oprettet timestamptz not null default now(),
        lukket_af_rolle text null,
        lukket_af_org text null,
        lukket_af text null,
        lukket timestamptz null,
        check ((slut is null) = (lukkeaarsag is null))
      );
      -- At most one open abonnement per borger; the partial index is also the daily job's working set.
      create unique index abonnement_cpr_open_idx on abonnement (cpr) where slut is null;
      create index abonnement_cpr_start_idx on abonnement (cpr, start);

      -- AB-3 reads birth dates by range.
      create index if not exists borger_foedselsdato_idx on borger (foedselsdato);

      create table udb_haendelse (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        type text not null check (type in ('OPTAGET', 'GENNEMFOERT', 'FRAFALD', 'KONTAKTER')),
        haendelse_id text not null,
        dato date not null,
        abonnement_id bigint not null references abonnement (id) on delete cascade,
        jobcenter varchar(3) not null,
        institution text null,
        uddannelse text null,
        erhvervskompetencegivende boolean null,
        modtaget_dato date not null,
        modtaget timestamptz not null default now(),
        unique (type, haendelse_id)
      );
      create index udb_haendelse_cpr_idx on udb_haendelse (cpr, dato);

      -- Inbound UDB events that were refused (unknown CPR, no abonnement, bad input): kept so none is lost silently.
      create table udb_haendelse_afvist (
        id bigserial primary key,
        type text not null,
        cpr text null,
        haendelse_id text null,
        fejlkode text not null,
        fejl text not null,
        input jsonb not null,
        modtaget timestamptz not null default now()
      );
      create index udb_haendelse_afvist_modtaget_idx on udb_haendelse_afvist (modtaget);
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table udb_haendelse_afvist, udb_haendelse, abonnement; drop index if exists borger_foedselsdato_idx;');
  }
}
