import { Migration } from '@mikro-orm/migrations';

/**
 * the per-recipient lock and the insert of a transaction's messages in one round trip. Every
 * KP-6 and abonnement message goes to UDB, so those transactions queue on UDB's lock: it is held from
 * here to COMMIT, and each round trip less while holding it is throughput for all of them.
 */
export class Migration20261127001000_outbox_write_function extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create ${OUTBOX_WRITE_V1}`);
  }

  override async down(): Promise<void> {
    this.addSql('drop function outbox_write(text[], text, text, text, jsonb);');
  }
}

/** The function as this migration made it (a later one replaces it and restores it on the way down). */
export const OUTBOX_WRITE_V1 = `function outbox_write(lock_keys text[], by_role text, by_org text, by_sub text, messages jsonb)
returns table (id text) language plpgsql as $$
declare
  k text;
begin
  -- Sorted keys, taken in order: two transactions for the same recipients cannot deadlock.
  foreach k in array lock_keys loop
    perform pg_advisory_xact_lock(hashtextextended(k, 0));
  end loop;
  return query
    with ins as (
      insert into outbox_message (service_name, recipient_type, recipient_org, cpr, authority_role, authority_org, registered_by, payload)
      select e.v->>'service_name', e.v->>'recipient_type', e.v->>'recipient_org', e.v->>'cpr', by_role, by_org, by_sub, (e.v->'payload')::jsonb
        from jsonb_array_elements(messages) with ordinality as e(v, n)
       order by e.n
      returning outbox_message.id
    ), notified as (
      select pg_notify('dfdg_outbox', (select max(ins.id) from ins)::text)
    )
    select ins.id::text from ins, notified order by ins.id;
end
$$;`;
