import { Migration } from '@mikro-orm/migrations';

/**
 * The CPR feed's events carry when CPR registered the state they report; the one in force is kept per borger, so a
 * redelivered or late event (a move acknowledged late and sent again after a newer one) cannot move the borger back.
 */
export class Migration20261127001500_borger_cpr_registreret extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table borger add column cpr_registreret timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table borger drop column cpr_registreret;');
  }
}
