import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Principal } from '../context/context';
import { PUSH_SINK, type PushSink, type PushSource } from '../http/ws-execution';
import { toBesked, type Besked, type OutboxRow } from './besked.type';
import { OUTBOX_CHANNEL } from './outbox';
import { parseOutboxNotify, recipientHint } from './outbox-notify';
import type { HubReader, OutboxRepository } from './outbox.repository';
import { recipientKey, type Recipient } from './recipient';

export interface HubOptions {
  /** A dedicated connection for LISTEN; the outbox table stays the truth, NOTIFY only wakes. */
  listenUrl: string;
  repo: OutboxRepository;
  log: Logger;
  /** The access log's time for the rows the hub's read writes. */
  now: () => Date;
  /** called with deliveries about a borger the hub's read did not log, before they are pushed; must be durable when it resolves. */
  recordAccess: (reads: { principal: Principal; cpr: string; what: string }[]) => Promise<void>;
  /** Messages a subscriber may have queued before it counts as a slow consumer. */
  bufferSize?: number;
  /** Safety net: read the table this often even without a NOTIFY. */
  pollMs?: number;
  /**
   * Under load, reads start at least this far apart, so the NOTIFYs of many commits are served by one
   * read (and one access-log commit) instead of one each; the first wake-up after a quiet spell reads at once.
   */
  minReadGapMs: number;
  pageSize?: number;
  onCountChange?: (open: number) => void;
  /** Called when a subscription has joined its recipient's group (from then on nothing is missed). */
  onSubscribed?: () => void;
  /** Monotonic milliseconds for the read gap and the push slices; performance.now unless a test drives time itself. */
  clock?: () => number;
}

export const SLOW_CONSUMER_CLOSE_CODE = 4008;

/** Batches read but not yet pushed, at most (reads wait for the oldest beyond this). */
const PIPELINE_DEPTH = 4;
/** The longest a batch's pushes hold the event loop before letting other work in. */
const PUSH_SLICE_MS = 5;

interface Batch {
  /** Per recipient group: its messages, and the subscribers that were live when they were read. */
  deliveries: { subscribers: Subscriber[]; messages: Besked[] }[];
  /** The batch's X-4 access-log insert. */
  logged: Promise<void>;
  /** The push sinks' preparations, settled; each with the subscribers it failed for, if it failed. */
  ready: Promise<Subscriber[] | null>[];
}

interface Group {
  recipient: Recipient;
  key: string;
  /** What a NOTIFY calls this recipient (src/events/outbox-notify.ts). */
  hint: string;
  /** Highest id this instance has read for the recipient. */
  head: number;
  ready: Promise<void>;
  isReady: boolean;
  subscribers: Set<Subscriber>;
  /** The live ones (they get the hub's reads). */
  live: Set<Subscriber>;
  /**
   * The live ones by reader for X-4: the subscriptions of one user with one service filter read the same
   * messages, so they are logged as one reader (per subscriber it would be one row per delivery). Kept up
   * to date as subscribers come and go, so a read costs per reader, not per subscriber.
   */
  readers: Map<string, Set<Subscriber>>;
  /** Live subscribers whose replay took them past `head` (until the hub's reads catch up with them). */
  ahead: Set<Subscriber>;
}

/** The lowest cursor among a reader's subscriptions (it has read everything up to it), for a read after `head`. */
function readFrom(g: Group, subs: Set<Subscriber>, head: number): number {
  // A live subscriber is never past `head` unless it is in `ahead`; the rows of a read are all past `head`.
  if (g.ahead.size === 0) return head;
  let after = Infinity;
  for (const s of subs) after = Math.min(after, s.cursor);
  return after;
}

/**
 * One per instance. Every subscription of a recipient joins that recipient's group; a NOTIFY wakes one
 * read, in one statement, of the groups it names (every group for a NOTIFY that names none, the poll, a
 * reconnect or after a failed read), and the rows go to each subscriber after its own cursor. A subscriber
 * that resumes with `after` first pages through the table itself, then goes live; ids are compared at the
 * seam, so no message is lost or doubled.
 */
export class NotificationHub {
  private readonly groups = new Map<string, Group>();
  private listener: pg.Client | null = null;
  private stopped = false;
  /**
   * Ends a read loop's wait for the read gap: stop() awaits the loop, and the gap (a setting, with no upper bound)
   * would otherwise hold the shutdown, with a timer keeping the process alive, until it ran out.
   */
  private readonly stopping = new AbortController();
  private wakeRequested = false;
  /** What the next read covers: every group, or those whose hints the NOTIFYs since the last read named. */
  private readAll = false;
  private hinted = new Set<string>();
  /** The read loop runs (cleared by the loop itself as it ends, so no wake-up falls between). */
  private looping = false;
  private reading: Promise<void> | null = null;
  /** The last batch's delivery; the next batch is pushed after it. */
  private delivered: Promise<void> = Promise.resolve();
  /** Deliveries of batches read, oldest first (some may be done). */
  private inFlight: Promise<void>[] = [];
  private pollTimer: NodeJS.Timeout | null = null;
  private reconnectDelay = 250;
  private openCount = 0;
  private lastReadAt = -Infinity;
  readonly bufferSize: number;
  readonly pageSize: number;
  private readonly clock: () => number;

  constructor(private readonly o: HubOptions) {
    this.bufferSize = o.bufferSize ?? 5000;
    this.pageSize = o.pageSize ?? 500;
    this.clock = o.clock ?? (() => performance.now());
  }

  async start(): Promise<void> {
    await this.connect();
    this.pollTimer = setInterval(() => this.wake(), this.o.pollMs ?? 5000);
    this.pollTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    if (this.pollTimer) clearInterval(this.pollTimer);
    for (const g of this.groups.values()) for (const s of g.subscribers) s.end();
    this.groups.clear();
    const l = this.listener;
    this.listener = null;
    await l?.end().catch(() => undefined);
    await this.reading;
    await this.delivered;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.o.listenUrl, application_name: 'dfdg-outbox-listener' });
    client.on('notification', (n) => this.wake(parseOutboxNotify(n.payload)));
    client.on('error', (err) => {
      this.o.log.warn({ err }, 'outbox listener connection error');
      this.reconnect(client);
    });
    client.on('end', () => this.reconnect(client));
    await client.connect();
    await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.listener = client;
    this.reconnectDelay = 250;
    // Whatever committed while we were not listening is in the table: read it now.
    this.wake();
  }

  private reconnect(client: pg.Client): void {
    if (this.stopped || this.listener !== client) return;
    this.listener = null;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(delay * 2, 5000);
    this.o.log.warn({ delay }, 'outbox listener lost; reconnecting');
    setTimeout(() => {
      if (this.stopped) return;
      this.connect().catch((err) => {
        this.o.log.warn({ err }, 'outbox listener reconnect failed');
        const dummy = new pg.Client();
        this.listener = dummy;
        this.reconnect(dummy);
      });
    }, delay).unref();
  }

  /**
   * Asks for one more read of the table, of the groups with these hints or (without) of every group; reads
   * never overlap, and requests made during one are merged into the next.
   */
  wake(hints?: Iterable<string>): void {
    if (!hints) this.readAll = true;
    else if (!this.readAll) for (const h of hints) this.hinted.add(h);
    this.wakeRequested = true;
    if (this.looping) return;
    this.looping = true;
    this.reading = this.readLoop();
  }

  /**
   * Reads run ahead of deliveries by up to PIPELINE_DEPTH batches: while earlier batches' access-log inserts are
   * written and their messages pushed, the next rows are read, so a batch covers only the moments since the read
   * before it. Each batch is pushed only after the one before it, so every subscriber still gets its messages in
   * id order. (With one batch of overlap, a large batch's pushes held back the next read, which then found the
   * rows of that whole while and made the next batch as large: under load the batches fed themselves.)
   */
  private async readLoop(): Promise<void> {
    try {
      while (this.wakeRequested && !this.stopped) {
        const wait = this.lastReadAt + this.o.minReadGapMs - this.clock();
        if (wait > 0) await sleep(wait, undefined, { signal: this.stopping.signal }).catch(() => undefined);
        if (this.stopped) break;
        this.wakeRequested = false;
        this.lastReadAt = this.clock();
        let batch: Batch | null;
        try {
          batch = await this.read();
        } catch (err) {
          // The hints the failed read took are gone: the next read covers every group.
          this.readAll = true;
          this.o.log.error({ err }, 'outbox read failed; will retry on the next wake-up');
          return;
        }
        if (!batch) continue;
        this.delivered = this.deliver(batch, this.delivered).catch((err) => this.o.log.error({ err }, 'delivering an outbox batch failed'));
        this.inFlight.push(this.delivered);
        while (this.inFlight.length >= PIPELINE_DEPTH) await this.inFlight.shift();
      }
    } finally {
      // Runs in the same turn as the loop's last look at wakeRequested (no await between): a wake-up after it
      // starts a new loop, none can fall in between.
      this.looping = false;
    }
  }

  /**
   * One statement for every group's new rows, which also writes X-4's access-log rows for the readers
   * live when it was sent; starts the executions the push sinks need. A reader (user and service filter)
   * that went live while the statement ran has its rows written by a second insert that the batch waits
   * for too; another subscription of a reader that was sent is that user's read, already logged. A
   * reader that leaves while the statement runs is logged all the same: the log may say a little more
   * than was sent, never less. If the statement fails (e.g. the log refuses the
   * insert), the rows are read alone and logged on their own, so a log failure still makes the batch's
   * subscribers relapse rather than stall until the next poll.
   */
  private async read(): Promise<Batch | null> {
    const all = this.readAll;
    const hinted = this.hinted;
    this.readAll = false;
    this.hinted = new Set();
    const groups = [...this.groups.values()].filter((g) => g.isReady && g.subscribers.size > 0 && (all || hinted.has(g.hint)));
    if (groups.length === 0) return null;
    const limit = this.pageSize * 4;
    const cursors = groups.map((g) => ({ type: g.recipient.type, org: g.recipient.org, after: g.head }));
    // The readers the statement logs for, per group.
    const sent = new Map<string, Set<string>>();
    const readers: HubReader[] = [];
    for (const g of groups) {
      for (const s of g.ahead) if (!s.live || s.cursor <= g.head) g.ahead.delete(s);
      sent.set(g.key, new Set(g.readers.keys()));
      for (const subs of g.readers.values()) {
        const { principal: p, serviceName } = subs.values().next().value as Subscriber;
        readers.push({ type: g.recipient.type, to: g.recipient.org, sub: p.sub, role: p.role, org: p.org, service: serviceName, after: readFrom(g, subs, g.head) });
      }
    }
    let rows: OutboxRow[];
    let loggedInRead = true;
    try {
      rows = await this.o.repo.afterLogged(cursors, readers, limit, this.o.now());
    } catch (err) {
      this.o.log.warn({ err }, 'outbox read with its access log failed; reading and logging apart');
      rows = await this.o.repo.after(cursors, limit);
      loggedInRead = false;
    }
    // More than a page: the same groups again (rows past the page may belong to any of them).
    if (rows.length === limit) this.wake(all ? undefined : groups.map((g) => g.hint));
    const byKey = new Map<string, OutboxRow[]>();
    for (const r of rows) {
      const key = `${r.recipient_type}:${r.recipient_org}`;
      let list = byKey.get(key);
      if (!list) byKey.set(key, (list = []));
      list.push(r);
    }
    const deliveries: Batch['deliveries'] = [];
    // one access-log row per (user, borger, message type), however many subscriptions the user has;
    // here only the rows the statement above did not write.
    const accessRows: { principal: Principal; cpr: string; what: string }[] = [];
    const seen = new Set<string>();
    // Executions the subscribers' push sinks need (one per group of document, variables and scope), with the
    // subscribers that wait for each.
    const ready = new Map<Promise<void>, Subscriber[]>();
    for (const [key, list] of byKey) {
      const g = this.groups.get(key);
      if (!g) continue;
      const from = g.head;
      g.head = Math.max(g.head, Number(list[list.length - 1].id));
      const messages = list.map(toBesked);
      const live = [...g.live];
      for (const s of live) s.prepare(messages, ready);
      if (live.length === 0) continue;
      deliveries.push({ subscribers: live, messages });
      if (!messages.some((m) => m.cpr)) continue;
      const logged = loggedInRead ? sent.get(key) : undefined;
      for (const [readerKey, subs] of g.readers) {
        // The statement wrote this reader's rows, unless it went live while the statement ran.
        if (logged?.has(readerKey)) continue;
        const s = subs.values().next().value as Subscriber;
        const after = readFrom(g, subs, from);
        for (const m of messages) {
          if (!m.cpr || Number(m.id) <= after || !s.wantsService(m)) continue;
          const what = `besked:${m.serviceName}`;
          const k = `${s.principalKey}\u0000${m.cpr}\u0000${what}`;
          if (seen.has(k)) continue;
          seen.add(k);
          accessRows.push({ principal: s.principal, cpr: m.cpr, what });
        }
      }
    }
    if (deliveries.length === 0) return null;
    const logged = accessRows.length ? this.o.recordAccess(accessRows) : Promise.resolve();
    logged.catch(() => undefined); // observed in deliver()
    // Handled here, as they are made: deliver() looks at them only once the batches before this one are pushed,
    // and a rejection nobody handles until then would crash the process (Node's default) and drop the batch.
    const prepared = [...ready].map(([p, subs]) =>
      p.then(
        () => null,
        (err) => {
          this.o.log.error({ err }, 'a push sink could not prepare a message; its subscribers are closed with where to resume');
          return subs;
        },
      ),
    );
    return { deliveries, logged, ready: prepared };
  }

  /**
   * a batch leaves only once its access-log rows are durable. If they cannot be written, its
   * subscribers fall back to reading the table from their own cursors (which logs again, or fails the
   * subscription), so nothing is skipped.
   */
  private async deliver(batch: Batch, previous: Promise<void>): Promise<void> {
    await previous;
    let ok = true;
    try {
      await batch.logged;
    } catch (err) {
      ok = false;
      this.o.log.error({ err }, 'access log write failed; the batch\'s subscribers read from the table again');
    }
    // A sink that could not prepare the batch's messages (its contract says it settles; this is the net under it)
    // must not cost the batch's other subscribers their messages: the hub's head has moved past them. Its own
    // subscribers are closed with where to resume, as after a failed write, not made to relapse: the fault is in
    // the subscription's own sink, not in the log or the table, and it would meet the same sink again once live;
    // the client's new subscription replays from the table, so nothing is skipped.
    let unprepared: Set<Subscriber> | null = null;
    for (const subs of await Promise.all(batch.ready)) if (subs) for (const s of subs) (unprepared ??= new Set()).add(s);
    // A large batch is written in slices of PUSH_SLICE_MS, so reads, acknowledgements and new subscribers are served
    // in between; a subscriber's messages of the batch go in one push, and the next batch waits for this one.
    let sliceStart = this.clock();
    let n = 0;
    for (const { subscribers, messages } of batch.deliveries) {
      for (const s of subscribers) {
        try {
          if (!ok) s.relapse();
          // One that left the hub's reads meanwhile reads these rows from the table, with its sink as it is then.
          else if (unprepared?.has(s) && s.live) s.abort();
          else s.push(messages);
        } catch (err) {
          // One subscriber's failed write must not cost the others the batch (the hub's head has moved past it):
          // this one is closed with where to resume, as a slow consumer is, and nothing is skipped.
          this.o.log.error({ err }, 'pushing to a subscriber failed; it is closed with where to resume');
          s.abort();
        }
        if (++n % 64 === 0 && this.clock() - sliceStart > PUSH_SLICE_MS) {
          await new Promise((r) => setImmediate(r));
          sliceStart = this.clock();
        }
      }
    }
  }

  /**
   * A live stream of a recipient's messages. `after` = the last id the client has seen (replay from
   * there); without it the stream starts with the next message.
   */
  async subscribe(opts: {
    recipient: Recipient;
    principal: Principal;
    after: number | null;
    serviceName?: string | null;
    onOverflow: (resumeAfter: string) => void;
  }): Promise<AsyncIterableIterator<Besked>> {
    const group = await this.group(opts.recipient);
    const sub = new Subscriber(this, group, opts.principal, opts.after ?? group.head, opts.serviceName ?? null, opts.onOverflow);
    if (this.stopped) {
      // stop() ended the subscriptions it could see; this one waited for its group's head meanwhile (or came
      // after), and its group is one the hub no longer reads. Left open, it would get nothing and never be
      // closed, so its client would wait instead of reconnecting to an instance that runs: it ends now.
      if (group.subscribers.size === 0 && this.groups.get(group.key) === group) this.groups.delete(group.key);
      sub.end();
      return sub;
    }
    group.subscribers.add(sub);
    this.openCount++;
    this.o.onCountChange?.(this.openCount);
    this.o.onSubscribed?.();
    return sub;
  }

  /** @internal */
  detach(sub: Subscriber): void {
    const g = sub.group;
    this.setLive(sub, false);
    if (!g.subscribers.delete(sub)) return;
    this.openCount--;
    this.o.onCountChange?.(this.openCount);
    if (g.subscribers.size === 0) this.groups.delete(g.key);
  }

  /** @internal A subscriber goes live (gets the hub's reads) or leaves them (catches up from the table). */
  setLive(sub: Subscriber, live: boolean): void {
    const g = sub.group;
    if (sub.live === live) return;
    sub.live = live;
    let readers = g.readers.get(sub.readerKey);
    if (live) {
      g.live.add(sub);
      if (!readers) g.readers.set(sub.readerKey, (readers = new Set()));
      readers.add(sub);
      if (sub.cursor > g.head) g.ahead.add(sub);
    } else {
      g.live.delete(sub);
      g.ahead.delete(sub);
      readers?.delete(sub);
      if (readers?.size === 0) g.readers.delete(sub.readerKey);
    }
  }

  /** @internal */
  async readPage(sub: Subscriber): Promise<OutboxRow[]> {
    return this.o.repo.page(sub.group.recipient, sub.cursor, this.pageSize);
  }

  /** @internal */
  recordAccess(reads: { principal: Principal; cpr: string; what: string }[]): Promise<void> {
    return reads.length ? this.o.recordAccess(reads) : Promise.resolve();
  }

  private async group(recipient: Recipient): Promise<Group> {
    const key = recipientKey(recipient);
    let g = this.groups.get(key);
    if (!g) {
      const created: Group = {
        recipient,
        key,
        hint: recipientHint(key),
        head: 0,
        isReady: false,
        ready: Promise.resolve(),
        subscribers: new Set(),
        live: new Set(),
        readers: new Map(),
        ahead: new Set(),
      };
      created.ready = this.o.repo.headOf(recipient).then((head) => {
        created.head = head;
        created.isReady = true;
      });
      this.groups.set(key, created);
      g = created;
    }
    try {
      await g.ready;
    } catch (e) {
      if (this.groups.get(key) === g) this.groups.delete(key);
      throw e;
    }
    return g;
  }

  get open(): number {
    return this.openCount;
  }
}

/**
 * One subscription: a bounded queue between the hub and graphql-ws, which pulls as fast as its socket
 * sends. When graphql-ws's side offers a push sink (src/http/ws-execution.ts), a live message is offered
 * to it first, but only while graphql-ws is idle waiting in `next()` and nothing is queued, so a message
 * written straight to the socket can never overtake one still on the ordinary path.
 */
class Subscriber implements AsyncIterableIterator<Besked>, PushSource<Besked> {
  /** Highest id taken from the table (queued or skipped by the filter). */
  cursor: number;
  /** Highest id written to the client; where it resumes after an overflow. */
  private delivered: number;
  /**
   * The id graphql-ws pulled last and may not have written yet (null once it pulls again: it writes each event
   * before it pulls the next). A socket closed before that write drops the event silently.
   */
  private pulled: number | null = null;
  /** Closed while graphql-ws held `pulled`: the close, with its resume id, waits for graphql-ws to come back. */
  private closeWhenBack = false;
  /** Gets the hub's reads; changed only through `hub.setLive`, which keeps the group's sets in step. */
  live = false;
  private readonly queue: Besked[] = [];
  /** graphql-ws waiting in `next()`; called with null to make it look again (after a relapse). */
  private waiting: ((r: IteratorResult<Besked> | null) => void) | null = null;
  private done = false;
  private sink: PushSink<Besked> | null = null;
  /** Who reads, for the access log: subscriptions with the same key are one reader. */
  readonly principalKey: string;
  /** Subscriptions with the same reader key read the same messages of a group (user and service filter). */
  readonly readerKey: string;

  constructor(
    private readonly hub: NotificationHub,
    readonly group: Group,
    readonly principal: Principal,
    after: number,
    readonly serviceName: string | null,
    private readonly onOverflow: (resumeAfter: string) => void,
  ) {
    this.cursor = after;
    this.delivered = after;
    this.principalKey = `${principal.sub}\u0000${principal.role}\u0000${principal.org}`;
    this.readerKey = `${this.principalKey}\u0000${serviceName ?? ''}`;
  }

  /** Starts what the push sink needs to take `messages` synchronously; adds what to await, and who waits, to `into`. */
  prepare(messages: Besked[], into: Map<Promise<void>, Subscriber[]>): void {
    const sink = this.sink;
    if (!sink) return;
    for (const m of messages) {
      if (!this.wants(m)) continue;
      let p: Promise<void> | undefined;
      try {
        p = sink.prepare(m);
      } catch (err) {
        // Thrown in the middle of the hub's read, it would fail the read after the head moved past these rows:
        // the batch would be lost for every subscriber. As a rejection, it closes this one alone.
        p = Promise.reject(err);
      }
      if (!p) continue;
      const waiting = into.get(p);
      if (!waiting) into.set(p, [this]);
      else if (waiting[waiting.length - 1] !== this) waiting.push(this);
    }
  }

  wants(m: Besked): boolean {
    return Number(m.id) > this.cursor && this.wantsService(m);
  }

  wantsService(m: Besked): boolean {
    return !this.serviceName || m.serviceName === this.serviceName;
  }

  /** Live rows from the hub, already access-logged. */
  push(messages: Besked[]): void {
    if (this.done || !this.live) return;
    for (const m of messages) {
      const id = Number(m.id);
      if (id <= this.cursor) continue;
      this.cursor = id;
      if (this.serviceName && m.serviceName !== this.serviceName) continue;
      if (this.waiting && this.sink && this.queue.length === 0 && this.sink.offer(m)) {
        this.delivered = id;
        continue;
      }
      if (this.queue.length >= this.hub.bufferSize) {
        this.overflow();
        return;
      }
      this.enqueue(m);
    }
  }

  private enqueue(m: Besked): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      this.pulled = Number(m.id);
      w({ value: m, done: false });
    } else {
      this.queue.push(m);
    }
  }

  /** Ends the subscription with where the client resumes (`after` = the last id it was handed). */
  abort(): void {
    if (!this.done) this.overflow();
  }

  private overflow(): void {
    this.end();
    // Closed now, graphql-ws would drop the event it holds, and a resume id past it would skip it; one before it
    // would double it if the write came first. graphql-ws writes it and then pulls again: the close waits for
    // that (this subscription holds nothing meanwhile), so the resume id is exact either way.
    if (this.pulled === null) this.onOverflow(String(this.delivered));
    else this.closeWhenBack = true;
  }

  async next(): Promise<IteratorResult<Besked>> {
    if (this.pulled !== null) {
      this.delivered = this.pulled;
      this.pulled = null;
      if (this.closeWhenBack) {
        this.closeWhenBack = false;
        this.onOverflow(String(this.delivered));
      }
    }
    while (!this.done) {
      const m = this.queue.shift();
      if (m) {
        this.pulled = Number(m.id);
        return { value: m, done: false };
      }
      if (this.live) {
        const r = await new Promise<IteratorResult<Besked> | null>((resolve) => (this.waiting = resolve));
        if (r) return r;
        continue;
      }
      try {
        await this.catchUp();
      } catch (err) {
        // graphql-ws sends the error and forgets the subscription without calling return(): leave the group now.
        this.end();
        throw err;
      }
    }
    return { value: undefined, done: true };
  }

  /** Replays from the table until this subscriber has everything the hub has read, then goes live. */
  private async catchUp(): Promise<void> {
    // Taken before the read is sent: the hub's row `head` was committed before the read's snapshot, and a
    // recipient's ids commit in id order (outbox_write's per-recipient lock), so every row of the recipient up
    // to `head` that still exists is in that snapshot.
    const head = this.group.head;
    const rows = await this.hub.readPage(this);
    const messages = rows.map(toBesked);
    const wanted = messages.filter((m) => this.wants(m));
    await this.hub.recordAccess(
      wanted.filter((m) => m.cpr).map((m) => ({ principal: this.principal, cpr: m.cpr!, what: `besked:${m.serviceName}` })),
    );
    for (const m of messages) {
      if (Number(m.id) <= this.cursor) continue;
      this.cursor = Number(m.id);
      if (!this.serviceName || m.serviceName === this.serviceName) this.queue.push(m);
    }
    // A short page is everything after the cursor that the snapshot held. That covers what the hub has read
    // if the cursor reached its head, or if its head has not moved since `head` was taken: then the rows
    // between the cursor and the head are gone (TP-4 deletes outbox rows), and waiting for the cursor to
    // reach the head would re-read the table in a loop until the recipient's next message. If the head
    // moved, the hub read rows this snapshot may not hold, and were pushed only to the subscribers live
    // then: read again. Live, the subscriber gets only rows past the head, compared with its cursor.
    if (rows.length < this.hub.pageSize && this.group.head <= Math.max(this.cursor, head)) this.hub.setLive(this, true);
  }

  /** Live delivery failed (the access log could not be written): catch up from the table from the cursor instead. */
  relapse(): void {
    if (this.done) return;
    this.hub.setLive(this, false);
    const w = this.waiting;
    this.waiting = null;
    w?.(null);
  }

  async return(): Promise<IteratorResult<Besked>> {
    this.end();
    return { value: undefined, done: true };
  }

  async throw(err: unknown): Promise<IteratorResult<Besked>> {
    this.end();
    throw err;
  }

  end(): void {
    if (this.done) return;
    this.done = true;
    this.queue.length = 0;
    this.hub.detach(this);
    const w = this.waiting;
    this.waiting = null;
    w?.({ value: undefined, done: true });
  }

  [PUSH_SINK](sink: PushSink<Besked>): void {
    this.sink = sink;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Besked> {
    return this;
  }
}
