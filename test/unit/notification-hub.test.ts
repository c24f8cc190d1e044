import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/context/context';
import { Role } from '../../src/context/roles';
import type { Besked, OutboxRow } from '../../src/events/besked.type';
import { NotificationHub, type HubOptions } from '../../src/events/notification-hub';
import type { HubReader, OutboxRepository } from '../../src/events/outbox.repository';
import { parseOutboxNotify, recipientHint } from '../../src/events/outbox-notify';
import { ModtagerType, recipient } from '../../src/events/recipient';
import { PUSH_SINK, type PushSource } from '../../src/http/ws-execution';

/**
 * The hub's read writes X-4's access-log rows in its own statement for the readers live when it was sent
 * (src/events/outbox.repository.ts `afterLogged`); these cases drive the hub against a repository whose
 * answers the test releases, to prove the seams: who is logged by the statement, who by a second insert.
 */
const AK = recipient(ModtagerType.AKASSE, '12');
const CPR = '0101701234';
const who = (sub: string): Principal => ({ sub, role: Role.AKASSE, org: '12' });

function row(id: number): OutboxRow {
  return {
    id: String(id),
    service_name: 'GetTidligPensionVersion1',
    recipient_type: ModtagerType.AKASSE,
    recipient_org: '12',
    cpr: CPR,
    authority_role: Role.UDK,
    authority_org: 'UDK',
    registered_by: 'udk',
    payload: {},
    created_at: new Date(0),
  };
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => ((resolve = a), (reject = b)));
  return { promise, resolve, reject };
}

/** Unhandled rejections while `run` runs (vitest would report one, but not which test caused it). */
async function unhandledDuring(run: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const on = (e: unknown) => seen.push(e);
  process.on('unhandledRejection', on);
  try {
    await run();
    // Node reports a rejection without a handler once the microtasks after it have run.
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off('unhandledRejection', on);
  }
  return seen;
}

/** A hub on a fake repository that never listens (the tests call `wake` for the NOTIFYs). */
function hubOn(repo: OutboxRepository, o: Partial<HubOptions> = {}): NotificationHub {
  return new NotificationHub({ listenUrl: 'unused', repo, log: pino({ level: 'silent' }), now: () => new Date(0), minReadGapMs: 0, recordAccess: async () => undefined, ...o });
}

function setup(replay: OutboxRow[] = []) {
  const calls = { logged: [] as HubReader[][], plain: 0, recorded: [] as { sub: string; cpr: string; what: string }[][] };
  // The answers of the reads, in the order they are asked for; the test settles each.
  const answers = [deferred<OutboxRow[]>(), deferred<OutboxRow[]>()];
  let asked = 0;
  const repo = {
    headOf: async () => 0,
    // The first page a subscriber reads when it starts (replay); empty after that.
    page: async () => replay.splice(0),
    after: async () => {
      calls.plain++;
      return answers[asked++].promise;
    },
    afterLogged: async (_c: unknown, readers: HubReader[]) => {
      calls.logged.push(readers);
      return answers[asked++].promise;
    },
  } as unknown as OutboxRepository;
  const hub = hubOn(repo, {
    recordAccess: async (reads) => {
      calls.recorded.push(reads.map((r) => ({ sub: r.principal.sub, cpr: r.cpr, what: r.what })));
    },
  });
  const subscribe = async (sub: string) => {
    const it = await hub.subscribe({ recipient: AK, principal: who(sub), after: null, onOverflow: () => undefined });
    const first = it.next();
    // catchUp (an empty page) makes it live; let that settle.
    await new Promise((r) => setImmediate(r));
    // Wrapped: an async function returning the promise itself would wait for the message.
    return { first };
  };
  return { hub, calls, subscribe, answers };
}

describe('notification hub: X-4 rows written with the read', () => {
  it('X-4: readers live when the read is sent are logged by the read itself; one that goes live during it gets its own insert before the push', async () => {
    const t = setup();
    const { first: anna } = await t.subscribe('anna');
    t.hub.wake();
    await new Promise((r) => setImmediate(r));
    expect(t.calls.logged).toHaveLength(1);
    expect(t.calls.logged[0].map((r) => [r.sub, r.after])).toEqual([['anna', 0]]);
    const { first: bo } = await t.subscribe('bo');
    t.answers[0].resolve([row(1)]);
    const [a, b] = await Promise.all([anna, bo]);
    expect(a.value.id).toBe('1');
    expect(b.value.id).toBe('1');
    // anna was logged by the read's statement; only bo needed the second insert.
    expect(t.calls.recorded).toEqual([[{ sub: 'bo', cpr: CPR, what: 'besked:GetTidligPensionVersion1' }]]);
    expect(t.calls.plain).toBe(0);
    await t.hub.stop();
  });

  it('X-4: when the read with its log fails, the rows are read alone and every live reader is logged apart before the push', async () => {
    const t = setup();
    const { first: anna } = await t.subscribe('anna');
    t.hub.wake();
    await new Promise((r) => setImmediate(r));
    t.answers[0].reject(new Error('access log unavailable'));
    await new Promise((r) => setImmediate(r));
    t.answers[1].resolve([row(1)]);
    expect((await anna).value.id).toBe('1');
    expect(t.calls.logged).toHaveLength(1);
    expect(t.calls.plain).toBe(1);
    expect(t.calls.recorded).toEqual([[{ sub: 'anna', cpr: CPR, what: 'besked:GetTidligPensionVersion1' }]]);
    await t.hub.stop();
  });

  it('X-4: a reader whose replay took it past the hub\'s head is logged by the read only after its own cursor (no second row for what the replay logged)', async () => {
    const t = setup([row(1), row(2)]);
    const { first: anna } = await t.subscribe('anna');
    expect((await anna).value.id).toBe('1');
    // The replay logged rows 1 and 2 itself.
    expect(t.calls.recorded).toEqual([[1, 2].map(() => ({ sub: 'anna', cpr: CPR, what: 'besked:GetTidligPensionVersion1' }))]);
    t.hub.wake();
    await new Promise((r) => setImmediate(r));
    expect(t.calls.logged[0].map((r) => [r.sub, r.after])).toEqual([['anna', 2]]);
    t.answers[0].resolve([row(3)]);
    await t.hub.stop();
  });
});

describe('notification hub: a NOTIFY names the recipients to read', () => {
  const AK13 = recipient(ModtagerType.AKASSE, '13');
  const h12 = recipientHint('AKASSE:12');
  const h13 = recipientHint('AKASSE:13');

  /** A hub whose reads record the recipients they cover and answer from `rows` (then nothing). */
  function hinted(rows: OutboxRow[][] = []) {
    const reads: string[][] = [];
    let release: () => void = () => undefined;
    let gate: Promise<void> | null = null;
    const repo = {
      headOf: async () => 0,
      page: async () => [],
      afterLogged: async (cursors: { type: string; org: string }[]) => {
        reads.push(cursors.map((c) => `${c.type}:${c.org}`).sort());
        if (gate) await gate;
        return rows.shift() ?? [];
      },
    } as unknown as OutboxRepository;
    const hub = hubOn(repo, { pageSize: 1 });
    const settle = async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    };
    const hold = () => (gate = new Promise<void>((r) => (release = () => ((gate = null), r()))));
    return { hub, reads, settle, hold, release: () => release() };
  }

  async function subscribeBoth(hub: NotificationHub) {
    for (const [r, org] of [[AK, '12'], [AK13, '13']] as const) {
      const it = await hub.subscribe({ recipient: r, principal: { sub: `u${org}`, role: Role.AKASSE, org }, after: null, onOverflow: () => undefined });
      void it.next();
    }
  }

  it('X-3: a NOTIFY with hints reads only the named recipients; one without, the poll and a reconnect read all', async () => {
    const t = hinted();
    await subscribeBoth(t.hub);
    await t.settle();
    t.hub.wake([h13]);
    await t.settle();
    t.hub.wake();
    await t.settle();
    t.hub.wake([recipientHint('AKASSE:99')]);
    await t.settle();
    expect(t.reads).toEqual([['AKASSE:13'], ['AKASSE:12', 'AKASSE:13']]);
    await t.hub.stop();
  });

  it('X-3: hints that arrive during a read are all read by the next one, none dropped', async () => {
    const t = hinted();
    await subscribeBoth(t.hub);
    await t.settle();
    t.hold();
    t.hub.wake([h12]);
    await t.settle();
    t.hub.wake([h13]);
    t.hub.wake([h12]);
    t.release();
    await t.settle();
    expect(t.reads).toEqual([['AKASSE:12'], ['AKASSE:12', 'AKASSE:13']]);
    await t.hub.stop();
  });

  it('X-3: a read that fills its page reads the same recipients again, however the NOTIFYs named them', async () => {
    // pageSize 1 → a read takes at most 4 rows.
    const t = hinted([[1, 2, 3, 4].map(row)]);
    await subscribeBoth(t.hub);
    await t.settle();
    t.hub.wake([h12]);
    await t.settle();
    expect(t.reads).toEqual([['AKASSE:12'], ['AKASSE:12']]);
    await t.hub.stop();
  });

  it('X-3: the NOTIFY payload: hints after the id, anything else reads everything', () => {
    expect(parseOutboxNotify(`42:${h12},${h13}`)).toEqual([h12, h13]);
    expect(parseOutboxNotify('42')).toBeUndefined();
    expect(parseOutboxNotify('')).toBeUndefined();
    expect(parseOutboxNotify(undefined)).toBeUndefined();
    expect(parseOutboxNotify(`42:${h12},zz`)).toBeUndefined();
    expect(h12).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('notification hub: a replay after outbox rows were deleted', () => {
  /**
   * A hub on a fake outbox table of a-kasse 12: `page` and the hub's read answer from it as they are asked
   * (a held page answers from the table as it was when asked, like a statement's snapshot).
   */
  function onTable(ids: number[]) {
    const table = ids.map(row);
    const byId = (after: number, limit: number) => table.filter((r) => Number(r.id) > after).sort((a, b) => Number(a.id) - Number(b.id)).slice(0, limit);
    let pages = 0;
    let hold: Promise<void> | null = null;
    const repo = {
      headOf: async () => Math.max(0, ...table.map((r) => Number(r.id))),
      page: async (_r: unknown, after: number, limit: number) => {
        pages++;
        const snapshot = byId(after, limit);
        // A round trip, as a statement takes: a replay that re-reads in a loop then shows in the count instead of starving the test.
        await new Promise((r) => setImmediate(r));
        if (hold) await hold;
        return snapshot;
      },
      afterLogged: async (cursors: { after: number }[], _readers: unknown, limit: number) => byId(cursors[0].after, limit),
    } as unknown as OutboxRepository;
    const hub = hubOn(repo);
    const settle = async () => {
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    };
    const subscribe = (sub: string, after: number | null) => hub.subscribe({ recipient: AK, principal: who(sub), after, onOverflow: () => undefined });
    /** Resolves with the message, or 'nothing' if none is there once the hub has settled. */
    const nextOrNothing = async (p: Promise<IteratorResult<{ id: string }>>) => Promise.race([p.then((r) => r.value.id), settle().then(() => 'nothing')]);
    return {
      hub,
      settle,
      subscribe,
      nextOrNothing,
      insert: (id: number) => table.push(row(id)),
      /** As the TP-4 job deletes: the rows go, the hub's head stays where its read left it. */
      delete: (id: number) => table.splice(table.findIndex((r) => Number(r.id) === id), 1),
      pages: () => pages,
      holdPages: () => {
        let release!: () => void;
        hold = new Promise<void>((r) => (release = () => ((hold = null), r())));
        return release;
      },
    };
  }

  it('X-3: a replay whose page comes back short below the head (the newest rows were deleted) goes live after one page instead of re-reading the table, and the next message arrives exactly once', async () => {
    const t = onTable([990]);
    const anna = await t.subscribe('anna', null);
    const annaFirst = anna.next();
    await t.settle();
    // The hub reads a-kasse 12's newest message, then the deletion job deletes it.
    t.insert(1000);
    t.hub.wake();
    expect((await annaFirst).value.id).toBe('1000');
    t.delete(1000);

    const pagesBefore = t.pages();
    const bo = await t.subscribe('bo', 990);
    const boFirst = bo.next();
    await t.settle();
    expect(t.pages() - pagesBefore).toBe(1);

    t.insert(1001);
    t.hub.wake();
    expect(await t.nextOrNothing(boFirst)).toBe('1001');
    expect((await anna.next()).value.id).toBe('1001');
    t.hub.wake();
    expect(await t.nextOrNothing(bo.next())).toBe('nothing');
    expect(t.pages() - pagesBefore).toBe(1);
    await t.hub.stop();
  });

  it('X-3: a replay whose short page was read while the hub read a newer row reads again before it goes live, so that row is neither lost nor doubled', async () => {
    const t = onTable([990]);
    const anna = await t.subscribe('anna', null);
    const annaFirst = anna.next();
    await t.settle();

    const release = t.holdPages();
    const bo = await t.subscribe('bo', 990);
    const boFirst = bo.next();
    await t.settle();
    // The page's snapshot is taken; row 1000 commits after it and the hub reads it while bo is not yet live.
    t.insert(1000);
    t.hub.wake();
    expect((await annaFirst).value.id).toBe('1000');
    release();
    expect(await t.nextOrNothing(boFirst)).toBe('1000');
    t.hub.wake();
    expect(await t.nextOrNothing(bo.next())).toBe('nothing');
    await t.hub.stop();
  });
});

describe('notification hub: reads run ahead of a slow batch', () => {
  it('X-3: while a batch waits for its access-log insert, the next reads go ahead; every subscriber still gets the ids in order', async () => {
    const answers = [1, 2, 3, 4].map(() => deferred<OutboxRow[]>());
    let asked = 0;
    const repo = {
      headOf: async () => 0,
      page: async () => [],
      afterLogged: async () => answers[asked++].promise,
    } as unknown as OutboxRepository;
    const insert = deferred<void>();
    const hub = hubOn(repo, { recordAccess: () => insert.promise });
    const settle = async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    };
    const got: Record<string, string[]> = { anna: [], bo: [] };
    const follow = async (sub: string) => {
      const it = await hub.subscribe({ recipient: AK, principal: who(sub), after: null, onOverflow: () => undefined });
      void (async () => {
        for (let n = await it.next(); !n.done; n = await it.next()) got[sub].push(n.value.id);
      })();
    };
    await follow('anna');
    await settle();
    hub.wake();
    await settle();
    // bo goes live while the first read runs: the first batch waits for bo's own access-log insert.
    await follow('bo');
    await settle();
    answers[0].resolve([row(1)]);
    await settle();
    for (const [i, id] of [[1, 2], [2, 3]] as const) {
      hub.wake();
      await settle();
      expect(asked).toBe(i + 1);
      answers[i].resolve([row(id)]);
      await settle();
    }
    // Three reads done, nothing pushed: batch 1 still waits for its insert, and the later ones wait for batch 1.
    expect(asked).toBe(3);
    expect(got).toEqual({ anna: [], bo: [] });
    insert.resolve();
    await settle();
    expect(got).toEqual({ anna: ['1', '2', '3'], bo: ['1', '2', '3'] });
    await hub.stop();
    answers[3].resolve([]);
  });
});

describe('notification hub: one subscriber\'s failed write', () => {
  it('X-3: a subscriber whose write throws is closed with where to resume; the others of the batch still get it', async () => {
    let answered = false;
    const repo = {
      headOf: async () => 0,
      page: async () => [],
      afterLogged: async () => (answered ? [] : ((answered = true), [row(1), row(2)])),
    } as unknown as OutboxRepository;
    const hub = hubOn(repo);
    const settle = async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    };
    const resumed: string[] = [];
    const broken = await hub.subscribe({ recipient: AK, principal: who('anna'), after: null, onOverflow: (after) => resumed.push(after) });
    // A push sink whose write fails (a bug or a dead socket below it): offered only while graphql-ws waits in next().
    (broken as unknown as PushSource<Besked>)[PUSH_SINK]({ prepare: () => undefined, offer: () => { throw new Error('write failed'); } });
    const brokenNext = broken.next();
    const ok = await hub.subscribe({ recipient: AK, principal: who('bo'), after: null, onOverflow: () => undefined });
    const first = ok.next();
    await settle();
    hub.wake();
    await settle();
    expect((await first).value.id).toBe('1');
    expect((await ok.next()).value.id).toBe('2');
    expect(resumed).toEqual(['0']);
    expect((await brokenNext).done).toBe(true);
    await hub.stop();
  });
});

describe('notification hub: subscribe() and stop()', () => {
  it('X-3: a subscribe() still waiting for its recipient\'s head when stop() runs ends (done), so the client reconnects instead of waiting for messages that never come', async () => {
    const head = deferred<number>();
    const counts: number[] = [];
    let subscribed = 0;
    const repo = {
      headOf: () => head.promise,
      page: async () => [],
      afterLogged: async () => [],
    } as unknown as OutboxRepository;
    const hub = hubOn(repo, { onCountChange: (n) => counts.push(n), onSubscribed: () => subscribed++ });
    const pending = hub.subscribe({ recipient: AK, principal: who('anna'), after: null, onOverflow: () => undefined });
    await new Promise((r) => setImmediate(r));
    await hub.stop();
    head.resolve(0);
    const it = await pending;
    const settle = async () => {
      for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    };
    const next = await Promise.race([it.next(), settle().then(() => 'still waiting' as const)]);
    expect(next).toEqual({ value: undefined, done: true });
    expect(hub.open).toBe(0);
    expect(counts).toEqual([]);
    expect(subscribed).toBe(0);
  });

  it('X-3: a subscribe() after stop() ends at once', async () => {
    const repo = { headOf: async () => 0, page: async () => [], afterLogged: async () => [] } as unknown as OutboxRepository;
    const hub = hubOn(repo);
    await hub.stop();
    const it = await hub.subscribe({ recipient: AK, principal: who('anna'), after: null, onOverflow: () => undefined });
    const settle = async () => {
      for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    };
    expect(await Promise.race([it.next(), settle().then(() => 'still waiting' as const)])).toEqual({ value: undefined, done: true });
    expect(hub.open).toBe(0);
  });
});

describe('notification hub: a push sink whose prepare() fails', () => {
  /**
   * Two subscribers with push sinks (graphql-ws waits in next()); batch 1 (id 1) waits for its executions
   * behind `executed`, so batch 2 (id 2) is read meanwhile and waits behind it. `annaPrepare` is anna's sink's
   * answer for id 2; bo's sink is sound.
   */
  async function twoBatches(annaPrepare: () => Promise<void> | undefined) {
    const answers = [[row(1)], [row(2)]];
    const repo = {
      headOf: async () => 0,
      page: async () => [],
      afterLogged: async () => answers.shift() ?? [],
    } as unknown as OutboxRepository;
    const hub = hubOn(repo);
    const settle = async () => {
      for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    };
    let open!: () => void;
    const executed = new Promise<void>((r) => (open = r));
    const got: Record<string, string[]> = { anna: [], bo: [] };
    const resumed: Record<string, string[]> = { anna: [], bo: [] };
    const ends: Record<string, Promise<IteratorResult<Besked>>> = {};
    for (const sub of ['anna', 'bo']) {
      const it = await hub.subscribe({ recipient: AK, principal: who(sub), after: null, onOverflow: (after) => resumed[sub].push(after) });
      (it as unknown as PushSource<Besked>)[PUSH_SINK]({
        prepare: (m) => (m.id === '1' ? executed : sub === 'anna' ? annaPrepare() : undefined),
        offer: (m) => (got[sub].push(m.id), true),
      });
      ends[sub] = it.next();
    }
    await settle();
    return { hub, settle, open, got, resumed, ends };
  }

  it('X-3: a prepare() that rejects while its batch waits behind an earlier one is no unhandled rejection; that subscriber is closed with where to resume, the others get the batch', async () => {
    const failed = deferred<void>();
    const t = await twoBatches(() => failed.promise);
    const unhandled = await unhandledDuring(async () => {
      t.hub.wake();
      await t.settle();
      t.hub.wake();
      await t.settle();
      // Nobody awaits batch 2's executions yet: batch 1 is still waiting for its own.
      failed.reject(new Error('execution failed'));
      await t.settle();
      t.open();
      await t.settle();
    });
    expect(unhandled).toEqual([]);
    expect(t.got).toEqual({ anna: ['1'], bo: ['1', '2'] });
    expect(t.resumed).toEqual({ anna: ['1'], bo: [] });
    expect((await t.ends.anna).done).toBe(true);
    await t.hub.stop();
  });

  it('X-3: a prepare() that throws closes that subscriber with where to resume; the others get the batch, and the next batch still comes', async () => {
    const t = await twoBatches(() => {
      throw new Error('execution failed');
    });
    t.open();
    t.hub.wake();
    await t.settle();
    t.hub.wake();
    await t.settle();
    expect(t.got).toEqual({ anna: ['1'], bo: ['1', '2'] });
    expect(t.resumed).toEqual({ anna: ['1'], bo: [] });
    expect((await t.ends.anna).done).toBe(true);
    await t.hub.stop();
  });
});

describe('notification hub: a large batch is pushed in slices, and stop() in the middle of it', () => {
  /** More subscribers than the hub pushes between two looks at its clock (64), so a batch can take several slices. */
  const SUBSCRIBERS = 200;

  /**
   * A hub on a clock the test drives: each write to a subscriber's socket takes 1 ms, so a batch to every
   * subscriber takes more than one 5 ms slice. Every subscriber has a push sink (graphql-ws waits in next()),
   * so each message reaches `writes` synchronously, in the turn the hub pushes it.
   */
  async function sliced(o: { answers?: OutboxRow[][]; gate?: (m: Besked) => Promise<void> | undefined; hub?: Partial<HubOptions> } = {}) {
    let ms = 0;
    const answers = o.answers ?? [];
    let reads = 0;
    const repo = {
      headOf: async () => 0,
      page: async () => [],
      afterLogged: async () => {
        reads++;
        return answers.shift() ?? [];
      },
    } as unknown as OutboxRepository;
    const hub = hubOn(repo, { clock: () => ms, ...o.hub });
    const writes: { sub: string; id: string }[] = [];
    const got = new Map<string, string[]>();
    let onWrite: (() => void) | null = null;
    const ends: Promise<IteratorResult<Besked>>[] = [];
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const sub = `u${i}`;
      got.set(sub, []);
      const it = await hub.subscribe({ recipient: AK, principal: who(sub), after: null, onOverflow: () => undefined });
      (it as unknown as PushSource<Besked>)[PUSH_SINK]({
        prepare: (m) => o.gate?.(m),
        offer: (m) => {
          ms += 1;
          writes.push({ sub, id: m.id });
          got.get(sub)!.push(m.id);
          const w = onWrite;
          onWrite = null;
          w?.();
          return true;
        },
      });
      // Never settles while the subscriber is live (every message goes to the sink); done when it ends.
      ends.push(it.next());
    }
    const settle = async (turns = 20) => {
      for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
    };
    await settle();
    return {
      hub,
      writes,
      got,
      ends,
      settle,
      reads: () => reads,
      /** Runs `f` in a macrotask queued at the next write: after the hub's current slice, before its next. */
      betweenSlices: (f: () => void) => (onWrite = () => setImmediate(f)),
    };
  }

  /** Timers and immediates that keep the process alive (unref'd ones do not count). */
  const liveTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'Immediate').length;

  /**
   * `p`, or a failure if it is still pending after `ms`; awaited without the test's own turns, so the timers
   * counted right after it are the hub's.
   */
  const within = async <T>(p: Promise<T>, ms = 2000): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([p, new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`still pending after ${ms} ms`)), ms)))]);
    } finally {
      clearTimeout(timer);
    }
  };

  it('X-3: a batch that takes several slices lets other macrotasks run between them; each subscriber gets every id once and in order, and the next batch only after it', async () => {
    const t = await sliced({ answers: [[1, 2, 3].map(row), [4, 5].map(row)] });
    let writtenBefore = -1;
    // A NOTIFY between two slices: its read runs then, and its batch must wait for the sliced one.
    t.betweenSlices(() => {
      writtenBefore = t.writes.length;
      t.hub.wake();
    });
    t.hub.wake();
    await t.settle();

    expect(t.reads()).toBe(2);
    // The test's macrotask ran after some of batch 1's writes, not after all of them…
    expect(writtenBefore).toBeGreaterThan(0);
    expect(writtenBefore).toBeLessThan(SUBSCRIBERS * 3);
    // …and between subscribers: a subscriber's messages of a batch go in one push.
    expect(writtenBefore % 3).toBe(0);
    for (const [sub, ids] of t.got) expect([sub, ids]).toEqual([sub, ['1', '2', '3', '4', '5']]);
    const lastOfFirst = t.writes.reduce((last, w, i) => (Number(w.id) <= 3 ? i : last), -1);
    const firstOfSecond = t.writes.findIndex((w) => Number(w.id) >= 4);
    expect(lastOfFirst).toBe(SUBSCRIBERS * 3 - 1);
    expect(firstOfSecond).toBe(SUBSCRIBERS * 3);
    expect(t.writes).toHaveLength(SUBSCRIBERS * 5);
    await t.hub.stop();
    expect(await within(Promise.all(t.ends))).toEqual(t.ends.map(() => ({ value: undefined, done: true })));
  });

  it('X-3: stop() while a batch is read ahead and another is being pushed in slices: nothing is written after stop(), it resolves, no rejection goes unhandled and no timer is left', async () => {
    const timersBefore = liveTimers();
    let open!: () => void;
    const executed = new Promise<void>((r) => (open = r));
    // Batch 1's executions are slow to start: batch 2 is read meanwhile and waits behind it.
    const t = await sliced({ answers: [[1, 2, 3].map(row), [4, 5].map(row)], gate: (m) => (Number(m.id) <= 3 ? executed : undefined) });
    let writtenAtStop = -1;
    let timersAfterStop = -1;
    const unhandled = await unhandledDuring(async () => {
      t.hub.wake();
      await t.settle();
      t.hub.wake();
      await t.settle();
      expect(t.reads()).toBe(2);
      expect(t.writes).toHaveLength(0);
      const stopCalled = deferred<Promise<void>>();
      t.betweenSlices(() => {
        writtenAtStop = t.writes.length;
        stopCalled.resolve(t.hub.stop());
      });
      open();
      // Settles as stop() does (a promise resolved with a promise follows it).
      await within(stopCalled.promise);
      timersAfterStop = liveTimers();
    });
    // The stop came between slices of batch 1.
    expect(writtenAtStop).toBeGreaterThan(0);
    expect(writtenAtStop).toBeLessThan(SUBSCRIBERS * 3);
    // Its subscribers were ended by stop(): the rest of batch 1 and all of batch 2 went nowhere.
    expect(t.writes).toHaveLength(writtenAtStop);
    expect(t.writes.every((w) => Number(w.id) <= 3)).toBe(true);
    expect(await within(Promise.all(t.ends))).toEqual(t.ends.map(() => ({ value: undefined, done: true })));
    expect(unhandled).toEqual([]);
    expect(timersAfterStop).toBeLessThanOrEqual(timersBefore);
    // A NOTIFY after stop() reads nothing.
    t.hub.wake();
    await t.settle();
    expect(t.reads()).toBe(2);
  });

  it('X-3: stop() while read-ahead batches wait for their access-log inserts: it waits for the insert in flight (the pool closes after it), a failed insert is no unhandled rejection, and nothing is delivered', async () => {
    const timersBefore = liveTimers();
    // The read with its log fails, so every batch logs its readers with its own insert; the test settles each.
    const inserts: ReturnType<typeof deferred<void>>[] = [];
    const answers = [[1, 2].map(row), [row(3)], [row(4)]];
    const repo = {
      headOf: async () => 0,
      page: async () => [],
      afterLogged: async () => {
        throw new Error('access log unavailable');
      },
      after: async () => answers.shift() ?? [],
    } as unknown as OutboxRepository;
    const hub = hubOn(repo, {
      recordAccess: (reads) => {
        // The subscribers' own replays log nothing (empty pages); these are the batches' inserts.
        const d = deferred<void>();
        inserts.push(d);
        return reads.length ? d.promise : Promise.resolve();
      },
    });
    const settle = async () => {
      for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    };
    const got: string[] = [];
    const it = await hub.subscribe({ recipient: AK, principal: who('anna'), after: null, onOverflow: () => undefined });
    const end = (async () => {
      for (let n = await it.next(); !n.done; n = await it.next()) got.push(n.value.id);
    })();
    await settle();
    let stopped = 'pending';
    const unhandled = await unhandledDuring(async () => {
      for (let i = 0; i < 3; i++) {
        hub.wake();
        await settle();
      }
      expect(inserts).toHaveLength(3);
      // A later batch's insert fails while it waits behind the first: nobody awaits it yet.
      inserts[2].reject(new Error('insert failed'));
      await settle();
      const stop = hub.stop().then(() => void (stopped = 'resolved'));
      await settle();
      expect(stopped).toBe('pending');
      inserts[0].reject(new Error('insert failed'));
      inserts[1].resolve();
      await stop;
    });
    expect(stopped).toBe('resolved');
    expect(got).toEqual([]);
    await within(end);
    expect(unhandled).toEqual([]);
    expect(liveTimers()).toBeLessThanOrEqual(timersBefore);
  });

  it('X-3: stop() while the read loop waits out the read gap resolves at once and leaves no timer behind', async () => {
    const timersBefore = liveTimers();
    let reads = 0;
    const repo = {
      headOf: async () => 0,
      page: async () => [],
      afterLogged: async () => {
        reads++;
        return [];
      },
    } as unknown as OutboxRepository;
    // The clock stands still: the second read would wait the whole gap.
    const hub = hubOn(repo, { clock: () => 0, minReadGapMs: 60_000 });
    const it = await hub.subscribe({ recipient: AK, principal: who('anna'), after: null, onOverflow: () => undefined });
    const end = it.next();
    const settle = async () => {
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    };
    await settle();
    hub.wake();
    await settle();
    hub.wake();
    await settle();
    expect(reads).toBe(1);
    await within(hub.stop());
    expect(liveTimers()).toBeLessThanOrEqual(timersBefore);
    expect(reads).toBe(1);
    expect((await within(end)).done).toBe(true);
  });
});

describe('notification hub: the resume id of a closed subscriber', () => {
  it('X-3: a subscriber closed while graphql-ws still holds a message it pulled (not yet written) names a resume id that message is counted in only once it is written', async () => {
    let answered = false;
    const repo = {
      headOf: async () => 0,
      page: async () => [],
      afterLogged: async () => (answered ? [] : ((answered = true), [1, 2, 3, 4].map(row))),
    } as unknown as OutboxRepository;
    // A buffer smaller than the batch: the push that hands graphql-ws id 1 overflows on id 4.
    const hub = hubOn(repo, { bufferSize: 2 });
    const settle = async () => {
      for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    };
    let closedWith: string | null = null;
    const written: string[] = [];
    const it = await hub.subscribe({ recipient: AK, principal: who('anna'), after: null, onOverflow: (after) => (closedWith ??= after) });
    // As graphql-ws does: execute the pulled event, then write it unless the socket is closing (ws drops it
    // silently then), and only after that pull the next one.
    const consumer = (async () => {
      for (let n = await it.next(); !n.done; n = await it.next()) {
        await new Promise((r) => setImmediate(r));
        if (closedWith === null) written.push(n.value.id);
      }
    })();
    await settle();
    hub.wake();
    await settle();
    await consumer;
    expect(closedWith).not.toBeNull();
    // Everything up to the resume id reached the client, and nothing after it.
    expect(written).toEqual(['1', '2', '3', '4'].filter((id) => Number(id) <= Number(closedWith)));
    await hub.stop();
  });
});
