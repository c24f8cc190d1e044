import type { Ctx } from '../context/context';
import { requirePrincipal } from '../auth/auth-checker';
import { BadInputError, ForbiddenError } from '../errors/domain-errors';
import { toBesked, type Besked } from './besked.type';
import { mayReceive } from './message-types';
import { SLOW_CONSUMER_CLOSE_CODE } from './notification-hub';
import { OutboxRepository } from './outbox.repository';
import { recipientOf, type Recipient } from './recipient';
import { sidestoerrelse } from '../scalars/paging';

export const PULL_MAX = 500;

export interface BeskedPage {
  beskeder: Besked[];
  /** The acknowledged position the page was read after. */
  kvitteretTil: string;
}

function parseId(v: string | null | undefined, field: string): number | null {
  if (v == null) return null;
  if (!/^\d{1,15}$/.test(v)) throw new BadInputError(`${field} skal være et besked-id`, { field });
  return Number(v);
}

/** a recipient's messages, pulled as a WSRM queue or pushed live; one table behind both. */
export class BeskedService {
  private repo(ctx: Ctx) {
    return new OutboxRepository(() => ctx.em.getKnex());
  }

  private queueName(serviceName: string | null | undefined): string {
    return serviceName ?? '';
  }

  /** The caller's queue, refused with FORBIDDEN when it names a service its kind of recipient may not receive (TP-2). */
  private queueOf(ctx: Ctx, serviceName: string | null): Recipient {
    const r = recipientOf(requirePrincipal(ctx));
    if (serviceName && !mayReceive(serviceName, r.type)) {
      throw new ForbiddenError(`Modtagertypen ${r.type} har ikke adgang til beskeder af typen ${serviceName}`);
    }
    return r;
  }

  /** the next messages after the caller's last acknowledged one (at most 500). */
  async naeste(ctx: Ctx, max: number, serviceName: string | null): Promise<BeskedPage> {
    const r = this.queueOf(ctx, serviceName);
    sidestoerrelse(max, 'max', PULL_MAX);
    const queue = this.queueName(serviceName);
    const acked = await this.acked(ctx, r.type, r.org, queue);
    const rows = await this.repo(ctx).page(r, acked, max, serviceName);
    if (rows.length) {
      // What may be acknowledged later: no id past the last one handed out.
      await ctx.em.getConnection().execute(
        `insert into outbox_ack (recipient_type, recipient_org, queue, acked_id, udleveret_id, updated_at) values (?, ?, ?, 0, ?, now())
         on conflict (recipient_type, recipient_org, queue) do update set udleveret_id = greatest(outbox_ack.udleveret_id, excluded.udleveret_id)`,
        [r.type, r.org, queue, rows[rows.length - 1].id],
      );
    }
    const beskeder = rows.map(toBesked);
    for (const b of beskeder) if (b.cpr) ctx.accessLog.record(b.cpr, `besked:${b.serviceName}`);
    return { beskeder, kvitteretTil: String(acked) };
  }

  /** acknowledges every message of the queue up to and including `tilOgMed`; what is not acknowledged comes again. */
  async kvitter(ctx: Ctx, tilOgMed: string, serviceName: string | null): Promise<string> {
    const r = this.queueOf(ctx, serviceName);
    const upTo = parseId(tilOgMed, 'tilOgMed')!;
    const queue = this.queueName(serviceName);
    // Only what naesteBeskeder has handed out may be acknowledged: acknowledging past it would drop messages the
    // caller never fetched. The check and the update are one statement, so a concurrent pull cannot slip between.
    const res = (await ctx.em.getConnection().execute(
      `update outbox_ack set acked_id = greatest(acked_id, ?), updated_at = now()
        where recipient_type = ? and recipient_org = ? and queue = ? and udleveret_id >= ?
        returning acked_id::text as acked`,
      [upTo, r.type, r.org, queue, upTo],
    )) as { acked: string }[];
    if (!res.length) {
      const [q] = (await ctx.em.getConnection().execute(
        `select udleveret_id::text as udleveret from outbox_ack where recipient_type = ? and recipient_org = ? and queue = ?`,
        [r.type, r.org, queue],
      )) as { udleveret: string }[];
      throw new BadInputError(`Besked ${upTo} er ikke hentet fra køen; seneste hentede er ${q?.udleveret ?? 0}`, { field: 'tilOgMed' });
    }
    return res[0].acked;
  }

  /** replay after `after`, then live, for the caller's own organisation only. */
  async subscribe(ctx: Ctx, after: string | null, serviceName: string | null): Promise<AsyncIterable<Besked>> {
    const p = requirePrincipal(ctx);
    const recipient = this.queueOf(ctx, serviceName);
    if (!ctx.notifications) throw new Error('subscriptions need a notification hub');
    return ctx.notifications.subscribe({
      recipient,
      principal: p,
      after: parseId(after, 'after'),
      serviceName,
      onOverflow: (resume) =>
        ctx.closeConnection?.(SLOW_CONSUMER_CLOSE_CODE, `slow consumer: buffer full; resubscribe with after=${resume}`),
    });
  }

  private async acked(ctx: Ctx, type: string, org: string, queue: string): Promise<number> {
    const res = (await ctx.em.getConnection().execute(
      `select acked_id::text as acked from outbox_ack where recipient_type = ? and recipient_org = ? and queue = ?`,
      [type, org, queue],
    )) as { acked: string }[];
    return res.length ? Number(res[0].acked) : 0;
  }
}
