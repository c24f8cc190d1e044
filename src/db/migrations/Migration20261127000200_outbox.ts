import { Migration } from '@mikro-orm/migrations';

export class Migration20261127000200_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table outbox_message (
        id bigserial primary key,
        service_name text not null,
        recipient_type text not null,
        recipient_org text not null,
        cpr varchar(10) null,
        authority_role text not null,
        authority_org text not null,
        registered_by text not null,
        payload jsonb not null,
        created_at timestamptz not null default now()
      );
      create index outbox_message_recipient_idx on outbox_message (recipient_type, recipient_org, id);
      create index outbox_message_recipient_service_idx on outbox_message (recipient_type, recipient_org, service_name, id);
      create index outbox_message_cpr_idx on outbox_message (cpr) where cpr is not null;

      create table outbox_ack (
        recipient_type text not null,
        recipient_org text not null,
        queue text not null,
        acked_id bigint not null,
        updated_at timestamptz not null default now(),
        primary key (recipient_type, recipient_org, queue)
      );
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table outbox_ack, outbox_message;');
  }
}
