import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 8: TP-4 and DL-1 deletions, efterløn dates (TP-3) and booking/indkaldelse.
 * - tidlig_pension gets the borger's birth date (from the CPR number, X-2), indexed, so the TP-4 job deletes
 *   by one range condition. Existing rows take it from borger.foedselsdato, which is derived from the CPR too.
 * - efterloen_periode: overgang til / afgang fra efterløn as a-kasser report them; at most one open period.
 * - booking: bookinger/indkaldelser with mødedato, indexed on it for the DL-1 job.
 */
export class Migration20261127000800_tidlig_pension_sletning extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table tidlig_pension add column foedselsdato date null;
      update tidlig_pension t set foedselsdato = b.foedselsdato from borger b where b.cpr = t.cpr;
      alter table tidlig_pension alter column foedselsdato set not null;
      create index tidlig_pension_foedselsdato_idx on tidlig_pension (foedselsdato);

      create table efterloen_periode (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        akasse text not null,
        overgang date not null,
        afgang date null check (afgang is null or afgang >= overgang),
        indberettet_af text not null,
        indberettet timestamptz not null default now()
      );
      create index efterloen_periode_cpr_overgang_idx on efterloen_periode (cpr, overgang);
      create unique index efterloen_periode_cpr_open_idx on efterloen_periode (cpr) where afgang is null;

      create table booking (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        art text not null check (art in ('SELVBOOKING', 'INDKALDELSE')),
        moededato date not null,
        selvbookingsfrist date null check (selvbookingsfrist is null or selvbookingsfrist <= moededato),
        jobcenter varchar(3) not null,
        registreret_af text not null,
        oprettet timestamptz not null default now()
      );
      create index booking_cpr_moededato_idx on booking (cpr, moededato);
      create index booking_moededato_idx on booking (moededato);
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop table booking;
      drop table efterloen_periode;
      drop index tidlig_pension_foedselsdato_idx;
      alter table tidlig_pension drop column foedselsdato;
    `);
  }
}
