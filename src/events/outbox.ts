import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../context/context';
import { recipientKey, type Recipient } from './recipient';

export const OUTBOX_CHANNEL = 'dfdg_outbox';

export interface OutboxMessage<P extends object = Record<string, unknown>> {
  /** The DFDG service name, e.g. `GetPersonAuthorityContactVersion1`; its payload type is registered in message-types.ts. */
  serviceName: string;
  recipient: Recipient;
  /** The borger the message concerns, if any. */
  cpr?: string | null;
  payload: P;
}

/**
 * messages a transaction emits, written by `transaction()` in that same transaction, just before
 * commit. A rolled-back change leaves no message; a committed one always has its messages.
 */
export class OutboxBuffer {
  private readonly pending: OutboxMessage[] = [];

  emit<P extends object>(message: OutboxMessage<P>): void {
    this.pending.push(message as unknown as OutboxMessage);
  }

  get size(): number {
    return this.pending.length;
  }

  /**
   * Ids are taken under a transaction-scoped advisory lock per recipient, so one recipient's messages
   * commit in id order and a reader that resumes after id N can never miss a smaller id committed later.
   * The lock is held only from this insert to commit. NOTIFY carries the highest id and fires on commit.
   */
  async write(em: EntityManager, by: Principal): Promise<string[]> {
    if (this.pending.length === 0) return [];
    const rows = this.pending.splice(0);
    const keys = [...new Set(rows.map((r) => recipientKey(r.recipient)))].sort();
    const conn = em.getConnection();
    const ctx = em.getTransactionContext();
    await conn.execute(
      `select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(string_to_array(?, E'\\n')) with ordinality as t(k, n) order by n`,
      [keys.join('\n')],
      'all',
      ctx,
    );
    const json = JSON.stringify(
      rows.map((r) => ({
        service_name: r.serviceName,
        recipient_type: r.recipient.type,
        recipient_org: r.recipient.org,
        cpr: r.cpr ?? null,
        payload: r.payload,
      })),
    );
    const inserted = (await conn.execute(
      `with ins as (
         insert into outbox_message (service_name, recipient_type, recipient_org, cpr, authority_role, authority_org, registered_by, payload)
         select e.v->>'service_name', e.v->>'recipient_type', e.v->>'recipient_org', e.v->>'cpr', ?, ?, ?, (e.v->'payload')::jsonb
           from jsonb_array_elements(?::jsonb) with ordinality as e(v, n)
          order by e.n
         returning id
       )
       select id::text as id, pg_notify('${OUTBOX_CHANNEL}', (select max(id) from ins)::text) from ins order by id`,
      [by.role, by.org, by.sub, json],
      'all',
      ctx,
    )) as { id: string }[];
    return inserted.map((r) => r.id);
  }
}
