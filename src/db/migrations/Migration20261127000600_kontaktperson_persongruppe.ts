import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 4: kontaktpersoner (Borgerkommunikation.FagprofessionelKontaktService, KP-1..KP-8), persongruppemarkering
 * type 5 (PG-1, PG-2) and the record of a borger's moves (CPR moves and jobcenters' manual moves, KP-2..KP-4).
 *
 * A `kontakt` is a person, team or generic team (KP-5), owned by the organisation that registered it; one
 * kontakt can be attached to many borgere. A `kontaktperson` is one attachment: borger, type, role, period,
 * visesPaaJobnet. Type-31 contacts from UDB are kontakter owned by UDB, shared by content (`kilde_noegle`).
 */
export class Migration20261127000600_kontaktperson_persongruppe extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table kontakt (
        id bigserial primary key,
        navn text not null check (length(navn) between 1 and 200),
        email text null,
        telefon varchar(8) null check (telefon is null or telefon ~ '^[0-9]{8}$'),
        art text null check (art in ('PERSON', 'TEAM', 'GENERIC_TEAM')),
        cvr varchar(8) null check (cvr is null or cvr ~ '^[0-9]{8}$'),
        pnr varchar(10) null check (pnr is null or pnr ~ '^[0-9]{10}$'),
        intern_noegle text null,
        ejer_rolle text not null,
        ejer_org text not null,
        kilde_noegle text null,
        oprettet timestamptz not null default now(),
        aendret timestamptz not null default now()
      );
      create index kontakt_ejer_idx on kontakt (ejer_rolle, ejer_org);
      create unique index kontakt_kilde_noegle_idx on kontakt (ejer_org, kilde_noegle) where kilde_noegle is not null;

      create table kontaktperson (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        kontakt_id bigint not null references kontakt (id) deferrable initially deferred,
        kontaktpersontype integer not null,
        rolle text null,
        start date not null,
        slut date null check (slut is null or slut >= start),
        vises_paa_jobnet boolean not null default false,
        registreret_af_rolle text not null,
        registreret_af_org text not null,
        registreret_af text not null,
        oprettet timestamptz not null default now(),
        aendret timestamptz not null default now(),
        afsluttet_ved_flytning date null
      );
      create index kontaktperson_cpr_idx on kontaktperson (cpr, start);
      create index kontaktperson_kontakt_idx on kontaktperson (kontakt_id);
      -- The UDB import works on the open type-31 attachments only.
      create index kontaktperson_open_31_idx on kontaktperson (cpr, kontakt_id) where kontaktpersontype = 31 and slut is null;

      create table persongruppemarkering (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        type integer not null default 5 check (type = 5),
        jobcentre varchar(3)[] not null default '{}',
        akasser text[] not null default '{}',
        start date not null,
        slut date null check (slut is null or slut >= start),
        oprettet_af_rolle text not null,
        oprettet_af_org text not null,
        oprettet_af text not null,
        oprettet timestamptz not null default now(),
        lukket_af_rolle text null,
        lukket_af_org text null,
        lukket_af text null,
        lukket timestamptz null,
        lukket_ved_flytning date null
      );
      create index persongruppemarkering_cpr_idx on persongruppemarkering (cpr, start);

      create table borger_flytning (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        kilde text not null check (kilde in ('CPR', 'MANUEL', 'CPR_MASSE')),
        dato date not null,
        fra_kommune varchar(3) null,
        til_kommune varchar(3) null,
        fra_jobcenter varchar(3) not null,
        til_jobcenter varchar(3) not null,
        kontaktpersoner_afsluttet integer not null default 0,
        markeringer_lukket integer not null default 0,
        registreret_af_rolle text not null,
        registreret_af_org text not null,
        registreret_af text not null,
        registreret timestamptz not null default now()
      );
      create index borger_flytning_cpr_idx on borger_flytning (cpr, id);
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table borger_flytning, persongruppemarkering, kontaktperson, kontakt;');
  }
}
