import type { Knex } from '@mikro-orm/postgresql';
import type { OutboxRow } from './besked.type';
import type { Recipient } from './recipient';

const columns = (alias = '') =>
  `${alias}id::text as id, ` +
  ['service_name', 'recipient_type', 'recipient_org', 'cpr', 'authority_role', 'authority_org', 'registered_by', 'payload', 'created_at']
    .map((c) => alias + c)
    .join(', ');

/** Plain SQL reads of the outbox; these are the hot paths of delivery, so no ORM hydration. */
export class OutboxRepository {
  constructor(private readonly knex: () => Knex) {}

  async headOf(r: Recipient): Promise<number> {
    const res = await this.knex().raw(`select coalesce(max(id), 0)::text as head from outbox_message where recipient_type = ? and recipient_org = ?`, [r.type, r.org]);
    return Number(res.rows[0].head);
  }

  /** One recipient's messages after `after`, in id order. */
  async page(r: Recipient, after: number, limit: number, serviceName?: string | null): Promise<OutboxRow[]> {
    const res = await this.knex().raw(
      `select ${columns()} from outbox_message
        where recipient_type = ? and recipient_org = ? and id > ? ${serviceName ? 'and service_name = ?' : ''}
        order by id limit ?`,
      serviceName ? [r.type, r.org, after, serviceName, limit] : [r.type, r.org, after, limit],
    );
    return res.rows;
  }

  /** Many recipients at once, each after its own cursor: one statement per wake-up, whatever the number of recipients. */
  async after(cursors: { type: string; org: string; after: number }[], limit: number): Promise<OutboxRow[]> {
    if (cursors.length === 0) return [];
    const res = await this.knex().raw(
      `select ${columns('m.')}
         from json_to_recordset(?::json) as c(type text, org text, after bigint)
         join outbox_message m on m.recipient_type = c.type and m.recipient_org = c.org and m.id > c.after
        order by m.id limit ?`,
      [JSON.stringify(cursors), limit],
    );
    return res.rows;
  }
}
