import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 7: tilmelding (with stillingsbetegnelser), jobparathed history, fravær, CV state history and CV
 * status reports, and the record of recalled a-kasse medlemstilgange. Every state a rule is checked
 * against on a past date (CV-1) is kept as periods (start, optional inclusive end), like kontaktgruppe_periode.
 */
export class Migration20261127000400_tilmelding_fravaer_cv_akasse extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table tilmelding (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        start date not null,
        slut date null check (slut is null or slut >= start),
        stillingsbetegnelser jsonb not null default '[]',
        tilmeldt_af text not null,
        afmeldingsaarsag text null check (afmeldingsaarsag in ('AFMELDT', 'SYGEMELDT')),
        created_at timestamptz not null default now()
      );
      create index tilmelding_cpr_start_idx on tilmelding (cpr, start);
      -- At most one open tilmelding per borger.
      create unique index tilmelding_cpr_open_idx on tilmelding (cpr) where slut is null;

      create table jobparathed_periode (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        jobparat boolean not null,
        start date not null,
        slut date null check (slut is null or slut >= start)
      );
      create index jobparathed_periode_cpr_start_idx on jobparathed_periode (cpr, start);

      create table fravaer (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        fravaerstype integer not null,
        start date not null,
        slut date null check (slut is null or slut >= start),
        registreret_af_rolle text not null,
        registreret_af_org text not null,
        created_at timestamptz not null default now()
      );
      create index fravaer_cpr_start_idx on fravaer (cpr, start);

      create table cv_tilstand (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        status integer not null,
        soegbar boolean not null,
        kommentar text null,
        start date not null,
        slut date null check (slut is null or slut >= start)
      );
      create index cv_tilstand_cpr_start_idx on cv_tilstand (cpr, start);

      create table cv_statusindberetning (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        rolle text not null,
        org text not null,
        indberettet_status integer not null,
        haendelsesdato date not null,
        historisk boolean not null,
        kommentar text null,
        status_aendret boolean not null,
        advarsler jsonb not null default '[]',
        created_at timestamptz not null default now()
      );
      create index cv_statusindberetning_cpr_idx on cv_statusindberetning (cpr, id);

      create table akasse_medlemskab_tilbagekaldt (
        id bigserial primary key,
        medlemskab_id bigint not null,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        akasse text not null,
        start date not null,
        slut date null,
        tilbagekaldt_at timestamptz not null default now(),
        tilbagekaldt_af text not null
      );
      create index akasse_medlemskab_tilbagekaldt_cpr_idx on akasse_medlemskab_tilbagekaldt (cpr);

      insert into kode (liste, id, navn, beskrivelse, udgaaet) values
        ('FRAVAERSTYPE', 901, 'Sygdom (sygemeldt via sygedagpengesystemet)',
         'Id ikke angivet i releasenoten; valgt her. Registreres af KSD''s sygemelding og afsluttes af raskmeldingen (FR-2).', false);
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      delete from kode where liste = 'FRAVAERSTYPE' and id = 901;
      drop table akasse_medlemskab_tilbagekaldt, cv_statusindberetning, cv_tilstand, fravaer, jobparathed_periode, tilmelding;
    `);
  }
}
