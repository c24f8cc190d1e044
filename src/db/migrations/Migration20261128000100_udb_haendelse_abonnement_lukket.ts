import { Migration } from '@mikro-orm/migrations';

/**
 * AB-5: a re-sent UDB event answered `abonnementLukket: false` even when its first delivery closed the abonnement.
 * Each event now keeps what its first delivery answered, and a re-sent one answers the same.
 *
 * Events received before this column are filled from the abonnement they name: true for an erhvervskompetencegivende
 * GENNEMFOERT event whose abonnement DFDG closed with årsag 9 under AB-5 (`lukket_af = 'dfdg:AB-5'`; a jobcenter
 * closing with årsag 9 itself does not count). Such a closing happens in the transaction that stores the event, and
 * an abonnement takes no further events once closed, so at most one event names it; should several, the first
 * received gets it. All other events closed nothing.
 */
export class Migration20261128000100_udb_haendelse_abonnement_lukket extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table udb_haendelse add column abonnement_lukket boolean not null default false;
      update udb_haendelse h set abonnement_lukket = true
        from (select distinct on (h.abonnement_id) h.id
                from udb_haendelse h join abonnement a on a.id = h.abonnement_id
               where h.type = 'GENNEMFOERT' and h.erhvervskompetencegivende
                 and a.lukkeaarsag = 9 and a.lukket_af_rolle = 'SYSTEM' and a.lukket_af = 'dfdg:AB-5'
               order by h.abonnement_id, h.id) f
       where h.id = f.id;
    `);
  }

  override async down(): Promise<void> {
    this.addSql('alter table udb_haendelse drop column abonnement_lukket;');
  }
}
