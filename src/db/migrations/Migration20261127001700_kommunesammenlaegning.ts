import { Migration } from '@mikro-orm/migrations';

/**
 * KP-2: each municipal merger from CPR (`cprMasseflytning`) is kept with CPR's registration time. A borger's own CPR
 * event registered before a merger that names the merged-away kommune, delivered after the merger, is re-coded to the
 * kommune the merger made (`kommuneEfterSammenlaegninger`): the merger re-codes only the borgere it finds, and such an
 * event would otherwise put a borger in a kommune that no longer exists. Mergers already run before this table are
 * not known to it.
 */
export class Migration20261127001700_kommunesammenlaegning extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table kommunesammenlaegning (
        id bigserial primary key,
        fra_kommune varchar(3) not null,
        til_kommune varchar(3) not null check (til_kommune <> fra_kommune),
        registreret timestamptz not null,
        registreret_af_rolle text not null,
        registreret_af_org text not null,
        registreret_af text not null,
        modtaget timestamptz not null default now()
      );
      create index kommunesammenlaegning_registreret_idx on kommunesammenlaegning (registreret);
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table kommunesammenlaegning;');
  }
}
