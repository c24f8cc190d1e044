import { Migration } from '@mikro-orm/migrations';
import { OUTBOX_WRITE_V1 } from './Migration20261127001000_outbox_write_function';

/**
 * The outbox NOTIFY names the recipients it woke for, so an instance reads only those recipients' rows
 * instead of probing every recipient it has subscribers for on each wake-up. A recipient is named by a short
 * digest of its key (never the key: a borger's key holds the CPR, and any role that may LISTEN would see it);
 * a digest shared by two recipients only costs a read. Past 700 recipients the payload stays within
 * NOTIFY's 8,000 bytes by carrying the id alone, which every instance takes as "read everything".
 * Format: `<highest id>` or `<highest id>:<hint>,<hint>,...` (src/events/outbox-notify.ts reads it).
 */
export class Migration20261127001100_outbox_notify_hints extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
create function outbox_notify_payload(head bigint, recipient_keys text[]) returns text
language sql immutable as $$
  select head::text || case when cardinality(recipient_keys) between 1 and 700 then
    ':' || array_to_string(array(select left(encode(sha256(convert_to(k, 'UTF8')), 'hex'), 8) from unnest(recipient_keys) as k), ',')
  else '' end
$$;`);
    const notify = `pg_notify('dfdg_outbox', (select max(ins.id) from ins)::text)`;
    if (!OUTBOX_WRITE_V1.includes(notify)) throw new Error('outbox_write no longer has the NOTIFY this migration replaces');
    this.addSql(`create or replace ${OUTBOX_WRITE_V1.replace(notify, `pg_notify('dfdg_outbox', outbox_notify_payload((select max(ins.id) from ins), lock_keys))`)}`);
  }

  override async down(): Promise<void> {
    this.addSql(`create or replace ${OUTBOX_WRITE_V1}`);
    this.addSql('drop function outbox_notify_payload(bigint, text[]);');
  }
}
