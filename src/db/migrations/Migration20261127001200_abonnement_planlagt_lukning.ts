import { Migration } from '@mikro-orm/migrations';

/**
 * AB-4 for a kontaktgruppeskift that starts later than the day it is registered: the abonnement stays open until the
 * new kontaktgruppe starts (UDB's events keep coming meanwhile), and the daily job closes it on that day. The day and
 * the årsag are kept on the abonnement until then.
 */
export class Migration20261127001200_abonnement_planlagt_lukning extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table abonnement add column planlagt_lukning date null, add column planlagt_lukkeaarsag integer null;`);
    this.addSql(`create index abonnement_planlagt_lukning_idx on abonnement (planlagt_lukning) where slut is null and planlagt_lukning is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table abonnement drop column planlagt_lukning, drop column planlagt_lukkeaarsag;');
  }
}
