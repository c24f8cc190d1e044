import { Migration } from '@mikro-orm/migrations';

/**
 * a queue remembers the highest message id it has handed out (naesteBeskeder), so an acknowledgement past it
 * (a client bug, or an id taken from elsewhere) is refused instead of silently discarding messages never fetched.
 * Existing queues start from what they acknowledged.
 */
export class Migration20261127001600_outbox_udleveret extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table outbox_ack add column udleveret_id bigint not null default 0;`);
    this.addSql(`update outbox_ack set udleveret_id = acked_id;`);
  }

  override async down(): Promise<void> {
    this.addSql('alter table outbox_ack drop column udleveret_id;');
  }
}
