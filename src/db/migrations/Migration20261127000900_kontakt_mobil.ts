import { Migration } from '@mikro-orm/migrations';

/** The letter of Bilag 1 shows the jobcenter contact's mobile number beside the phone. */
export class Migration20261127000900_kontakt_mobil extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table kontakt add column mobil varchar(8) null check (mobil ~ '^[0-9]{8}$');`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table kontakt drop column mobil;');
  }
}
