import type { Knex } from '@mikro-orm/postgresql';
import type { OutboxRow } from './besked.type';
import type { Recipient } from './recipient';

const columns = (alias = '') =>
  `${alias}id::text as id, ` +
  ['service_name', 'recipient_type', 'recipient_org', 'cpr', 'authority_role', 'authority_org', 'registered_by', 'payload', 'created_at']
    .map((c) => alias + c)
    .join(', ');

/** The rows of every recipient after its own cursor, `?` = the cursors as JSON: what the hub reads, alone or with its log rows. */
const AFTER_CURSORS = `json_to_recordset(?::json) as c(type text, org text, after bigint)
  join outbox_message m on m.recipient_type = c.type and m.recipient_org = c.org and m.id > c.after`;

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
      `select ${columns('m.')} from ${AFTER_CURSORS} order by m.id limit ?`,
      [JSON.stringify(cursors), limit],
    );
    return res.rows;
  }

  /**
   * `after`, and in the same statement (one round trip, one commit) X-4's access-log rows for the readers
   * the caller names: one row per (reader's user, borger, message type) for each message about a borger
   * that is past the reader's own cursor and passes its service filter. The rows come back only once
   * their log rows are committed, so a caller that pushes them after this resolves never sends an unlogged read.
   */
  async afterLogged(
    cursors: { type: string; org: string; after: number }[],
    readers: HubReader[],
    limit: number,
    at: Date,
  ): Promise<OutboxRow[]> {
    if (cursors.length === 0) return [];
    if (readers.length === 0) return this.after(cursors, limit);
    const res = await this.knex().raw(
      `with m as (
         select m.* from ${AFTER_CURSORS} order by m.id limit ?
       ), logged as (
         insert into access_log (at, sub, role, org, cpr, what, request_id)
         select distinct ?::timestamptz, r.sub, r.role, r.org, m.cpr, 'besked:' || m.service_name, 'subscription'
           from m join json_to_recordset(?::json) as r(type text, "to" text, sub text, role text, org text, service text, after bigint)
             on m.recipient_type = r.type and m.recipient_org = r."to" and m.id > r.after
            and (r.service is null or m.service_name = r.service)
          where m.cpr is not null
       )
       select ${columns('m.')} from m order by m.id`,
      [JSON.stringify(cursors), limit, at.toISOString(), JSON.stringify(readers)],
    );
    return res.rows;
  }
}

/** A reader of a recipient group for X-4: one user with one service filter, from the lowest cursor among its subscriptions. */
export interface HubReader {
  /** The recipient group. */
  type: string;
  to: string;
  /** The user. */
  sub: string;
  role: string;
  org: string;
  service: string | null;
  after: number;
}
