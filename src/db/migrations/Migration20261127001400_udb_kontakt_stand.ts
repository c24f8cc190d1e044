import { Migration } from '@mikro-orm/migrations';

/**
 * KP-7, two defects in UDB's type-31 contacts.
 *
 * 1. The daily import and the `udbKontaktpersoner` mutation could both open the same contact for a borger (the
 *    import did not lock the borger), leaving two open attachments and two GetPersonAuthorityContactVersion1. The
 *    import now locks; the index on open type-31 attachments becomes unique so that no writer can do it again. An
 *    open attachment here is one without an end date: the import ends a contact with a date no later than
 *    today, and a jobcenter cannot set one on type 31 (KP-7). Duplicates the defect already made are ended on their
 *    own start date, keeping the earliest attachment of each contact, so the index can be built; no message is
 *    sent for them (the next change of the borger's contacts sends the list without them).
 *
 * 2. An older snapshot of a borger's contacts arriving later replaced a newer one. `udb_kontakt_stand` holds, per
 *    borger, the date and source of the snapshot in force (see `erstatter`). It starts from the events UDB has
 *    already sent; the batch's dates were not kept, so until a borger's next batch only events count.
 */
export const UNIKKE_AABNE_31_SQL = `
  with dubletter as (
    select id, row_number() over (partition by cpr, kontakt_id order by start, id) as n
      from kontaktperson
     where kontaktpersontype = 31 and slut is null)
  update kontaktperson kp set slut = kp.start, aendret = now()
    from dubletter d
   where kp.id = d.id and d.n > 1;
  drop index kontaktperson_open_31_idx;
  create unique index kontaktperson_open_31_idx on kontaktperson (cpr, kontakt_id) where kontaktpersontype = 31 and slut is null;`;

export class Migration20261127001400_udb_kontakt_stand extends Migration {
  override async up(): Promise<void> {
    this.addSql(UNIKKE_AABNE_31_SQL);
    this.addSql(`
      create table udb_kontakt_stand (
        cpr varchar(10) primary key references borger (cpr) on delete cascade deferrable initially deferred,
        dato date not null,
        kilde text not null check (kilde in ('BATCH', 'HAENDELSE')),
        haendelse_id text null check ((kilde = 'HAENDELSE') = (haendelse_id is not null)),
        aendret timestamptz not null default now()
      );
      insert into udb_kontakt_stand (cpr, dato, kilde, haendelse_id)
      select distinct on (h.cpr) h.cpr, h.dato, 'HAENDELSE', h.haendelse_id
        from udb_haendelse h join borger b on b.cpr = h.cpr
       where h.type = 'KONTAKTER'
       order by h.cpr, h.dato desc, h.id desc;
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop table udb_kontakt_stand;
      drop index kontaktperson_open_31_idx;
      create index kontaktperson_open_31_idx on kontaktperson (cpr, kontakt_id) where kontaktpersontype = 31 and slut is null;
    `);
  }
}
