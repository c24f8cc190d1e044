import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../context/context';
import { mayReceive } from './message-types';
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
 * X-3: messages a transaction emits, written by `transaction()` in that same transaction, just before
 * commit. A rolled-back change leaves no message; a committed one always has its messages.
 */
export class OutboxBuffer {
  private readonly pending: OutboxMessage[] = [];

  emit<P extends object>(message: OutboxMessage<P>): void {
    if (!mayReceive(message.serviceName, message.recipient.type)) {
      throw new Error(`${message.serviceName} may not be sent to a ${message.recipient.type}`);
    }
    this.pending.push(message as unknown as OutboxMessage);
  }

  get size(): number {
    return this.pending.length;
  }

  /**
   * Ids are taken under a transaction-scoped advisory lock per recipient, so one recipient's messages
   * commit in id order and a reader that resumes after id N can never miss a smaller id committed later.
   * The lock is held only from this insert to commit. NOTIFY carries the highest id and the recipients'
   * hints (src/events/outbox-notify.ts) and fires on commit.
   * The channel name in the function is OUTBOX_CHANNEL's.
   */
  async write(em: EntityManager, by: Principal): Promise<string[]> {
    const q = this.takeStatement(by);
    if (!q) return [];
    // Lock, insert and NOTIFY in one round trip (function outbox_write, migration 1000): the lock is
    // held from here to COMMIT, and every transaction to the same recipient waits for it.
    const inserted = (await em.getConnection().execute(q.select, q.params, 'all', em.getTransactionContext())) as { id: string }[];
    return inserted.map((r) => r.id);
  }

  /**
   * The pending messages as a SELECT yielding their ids (`?` bindings), and no longer pending: for a caller that
   * writes them in its own statement (`insertRows`); the per-recipient lock is then held from that statement to COMMIT.
   */
  takeStatement(by: Principal): { select: string; params: unknown[] } | null {
    if (this.pending.length === 0) return null;
    const rows = this.pending.splice(0);
    const keys = [...new Set(rows.map((r) => recipientKey(r.recipient)))].sort();
    const json = JSON.stringify(
      rows.map((r) => ({
        service_name: r.serviceName,
        recipient_type: r.recipient.type,
        recipient_org: r.recipient.org,
        cpr: r.cpr ?? null,
        payload: r.payload,
      })),
    );
    return {
      select: `select id from outbox_write(string_to_array(?, E'\\n'), ?, ?, ?, ?::jsonb)`,
      params: [keys.join('\n'), by.role, by.org, by.sub, json],
    };
  }
}

/** A set-based emit for batch jobs: see `writeOutboxFromSql`. */
export interface OutboxSqlEmit {
  /**
   * Leading common table expressions, without the WITH keyword. They may modify data (`closed as (update ...
   * returning ...)`), so a batch change and its messages are one statement.
   */
  with?: string;
  /**
   * A SELECT (it may read the CTEs) yielding the columns `service_name, recipient_type, recipient_org, cpr,
   * payload` (jsonb) and `ord`: the messages get ids in `ord` order.
   */
  select: string;
  /** Bindings for the `?` in `with`, then in `select`. */
  params?: unknown[];
  /** Every recipient the rows can go to; locked as `OutboxBuffer.write` locks, so per-recipient order holds (X-3). */
  recipients: Recipient[];
  /** The service the rows belong to: the recipients are checked against its registered kinds of recipient, as `emit` does. */
  serviceName?: string;
  /**
   * Run `with` (its changes) before the recipients' locks are taken, staging the messages, instead of in one
   * statement under the locks. For a batch that updates rows a single change also updates: that change locks its
   * row first and takes the recipient's lock at COMMIT, so a batch holding the recipient's lock while it waits for
   * such a row would deadlock with it.
   */
  changesFirst?: boolean;
}

/**
 * X-3 for set-based batches (a daily job closing 15,000 abonnementer, an import notifying thousands of borgere):
 * the messages are written by one INSERT ... SELECT in the caller's transaction instead of passing through
 * `OutboxBuffer`, with the same transaction-scoped advisory lock per recipient (taken in the same order) and the
 * same NOTIFY (highest id, recipients' hints) on commit. `em` must be the transaction's EntityManager. Returns how many
 * messages were written.
 */
export async function writeOutboxFromSql(em: EntityManager, by: Principal, q: OutboxSqlEmit): Promise<number> {
  for (const r of q.recipients) {
    if (q.serviceName && !mayReceive(q.serviceName, r.type)) throw new Error(`${q.serviceName} may not be sent to a ${r.type}`);
  }
  const keys = [...new Set(q.recipients.map(recipientKey))].sort();
  const conn = em.getConnection();
  const ctx = em.getTransactionContext();
  if (!ctx) throw new Error('writeOutboxFromSql must run inside a transaction');
  let source = { with: q.with, select: q.select, params: q.params ?? [] };
  if (q.changesFirst) {
    await conn.execute(`create temp table if not exists outbox_staging (service_name text, recipient_type text, recipient_org text, cpr text, payload jsonb, ord bigint) on commit drop`, [], 'all', ctx);
    await conn.execute(`truncate outbox_staging`, [], 'all', ctx);
    await conn.execute(
      `with ${q.with ? `${q.with}, ` : ''} src as (${q.select})
       insert into outbox_staging (service_name, recipient_type, recipient_org, cpr, payload, ord)
       select service_name, recipient_type, recipient_org, cpr, payload, ord from src`,
      q.params ?? [],
      'all',
      ctx,
    );
    source = { with: undefined, select: `select service_name, recipient_type, recipient_org, cpr, payload, ord from outbox_staging`, params: [] };
  }
  if (keys.length > 0) {
    await conn.execute(
      `select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(string_to_array(?, E'\\n')) with ordinality as t(k, n) order by n`,
      [keys.join('\n')],
      'all',
      ctx,
    );
  }
  const res = (await conn.execute(
    `with ${source.with ? `${source.with}, ` : ''}
       outbox_src as (${source.select}),
       ins as (
         insert into outbox_message (service_name, recipient_type, recipient_org, cpr, authority_role, authority_org, registered_by, payload)
         select s.service_name, s.recipient_type, s.recipient_org, s.cpr, ?, ?, ?, s.payload
           from outbox_src s
          order by s.ord
         returning id, recipient_type, recipient_org
       ),
       -- The NOTIFY names the recipients the rows went to, whatever the caller listed to lock.
       summary as (select count(*)::int as n, max(id) as head, array_agg(distinct recipient_type || ':' || recipient_org) as keys from ins)
     select n, case when n > 0 then pg_notify('${OUTBOX_CHANNEL}', outbox_notify_payload(head, keys)) end as notified
       from summary`,
    [...source.params, by.role, by.org, by.sub],
    'all',
    ctx,
  )) as { n: number }[];
  return res[0].n;
}
