import { Migration } from '@mikro-orm/migrations';

export class Migration20261127000300_tidlig_pension extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table tidlig_pension (
        id bigserial primary key,
        cpr varchar(10) not null references borger (cpr) on delete cascade deferrable initially deferred,
        afgoerelsesdato date not null,
        start date not null,
        slut date null check (slut is null or slut >= start),
        beloeb_oere bigint not null check (beloeb_oere >= 0),
        kompensationsbeloeb_oere bigint null check (kompensationsbeloeb_oere >= 0),
        indhold_hash text not null,
        modtaget timestamptz not null default now(),
        unique (cpr, indhold_hash)
      );
      create index tidlig_pension_cpr_idx on tidlig_pension (cpr);
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table tidlig_pension;');
  }
}
