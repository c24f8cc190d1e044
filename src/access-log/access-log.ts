import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';

export interface AccessRead {
  cpr: string;
  what: string;
}

export interface AccessLogRow extends AccessRead {
  sub: string;
  role: string;
  org: string;
  requestId: string;
}

/**
 * what a client gets instead of an answer whose access-log rows could not be written, over HTTP and
 * graphql-ws alike: no data, and an error that says no more than an internal one.
 */
export function answerWithheld(): GraphQLError {
  return new GraphQLError('Intern fejl', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/** many reads at one time, one statement. */
export async function writeAccessLog(db: Knex, at: Date, rows: AccessLogRow[]): Promise<void> {
  if (rows.length === 0) return;
  await writeTimedAccessLog(db, rows.map((r) => timedRow(r, at)));
}

/**
 * A row with its time, its properties written out: object spread here made V8 keep the row objects of a steady
 * read load past the young generation (41 MB promoted per 23 s at 500 req/s against 11 MB without them, measured
 * with --trace-gc-nvp), and their major collections were the paced read's tail.
 */
function timedRow(r: AccessLogRow, at: Date): AccessLogRow & { at: Date } {
  return { at, sub: r.sub, role: r.role, org: r.org, cpr: r.cpr, what: r.what, requestId: r.requestId };
}

/** Rows that each carry their own time (the reads of several requests), one statement, parameters bound. */
async function writeTimedAccessLog(db: Knex, rows: (AccessLogRow & { at: Date })[]): Promise<void> {
  await db.raw(
    `insert into access_log (at, sub, role, org, cpr, what, request_id)
     select r.at, r.sub, r.role, r.org, r.cpr, r.what, r."requestId"
       from json_to_recordset(?::json) as r(at timestamptz, sub text, role text, org text, cpr text, what text, "requestId" text)`,
    [JSON.stringify(rows)],
  );
}

/**
 * X-4 with group commit. The rows of requests that finish while an insert is in flight wait for it and
 * then go together in the next single insert, as PostgreSQL groups commits: under load a read costs a
 * fraction of an insert instead of a round trip and a WAL flush of its own. Each caller's promise
 * settles only when the insert holding its rows has committed (or failed), so an answer still never
 * leaves before its log rows are durable.
 */
export class AccessLogWriter {
  private queue: { rows: (AccessLogRow & { at: Date })[]; done: (err?: unknown) => void }[] = [];
  private busy = false;

  constructor(
    private readonly db: () => Knex,
    private readonly maxRows = 5000,
    /** Told how long each insert took to commit and how many rows it held (metrics). */
    private readonly observe?: (seconds: number, rows: number) => void,
  ) {}

  write(at: Date, rows: AccessLogRow[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rows: rows.map((r) => timedRow(r, at)), done: (err) => (err === undefined ? resolve() : reject(err)) });
      if (!this.busy) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.busy = true;
    while (this.queue.length > 0) {
      let n = 0;
      let take = 0;
      while (take < this.queue.length && (take === 0 || n + this.queue[take].rows.length <= this.maxRows)) n += this.queue[take++].rows.length;
      const batch = this.queue.splice(0, take);
      try {
        const started = process.hrtime.bigint();
        await writeTimedAccessLog(this.db(), batch.flatMap((b) => b.rows));
        this.observe?.(Number(process.hrtime.bigint() - started) / 1e9, n);
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.done(err ?? new Error('access log write failed'));
      }
    }
    this.busy = false;
  }
}

/** One read of a request (a borger and what of it): recorded reads and claimed ones must use the same key. */
function readKey(cpr: string, what: string): string {
  return `${cpr}\u0000${what}`;
}

/**
 * reads are collected during a request and written as one multi-row insert before the answer
 * leaves, so the log is durable when the client sees the data, and a list of 100 borgere costs one statement.
 */
export class AccessLogBuffer {
  private readonly reads = new Map<string, AccessRead>();
  /** Rows a read statement writes itself (`claim`): recorded, they are not inserted a second time. */
  private readonly claimed = new Set<string>();

  constructor(
    private readonly who: { sub: string; role: string; org: string } | null,
    private readonly requestId: string,
    /** The server's group-commit writer; without one (jobs, tests) the rows go in an insert of their own. */
    private readonly writer?: AccessLogWriter,
  ) {}

  record(cpr: string, what: string): void {
    this.reads.set(readKey(cpr, what), { cpr, what });
  }

  /**
   * Who reads, for a statement that writes its own access-log rows (see BorgerService.get): null when there is no
   * caller (such reads are not logged).
   */
  get caller(): { sub: string; role: string; org: string; requestId: string } | null {
    return this.who && { sub: this.who.sub, role: this.who.role, org: this.who.org, requestId: this.requestId };
  }

  /**
   * The reads of `whats` that a statement about to be sent will log itself, leaving out those another statement of
   * this request has claimed (one row per read and request, as `record` keeps it). `flush` leaves the claimed ones
   * out; a statement that fails gives its claims back (`release`), and those recorded are then inserted as any read.
   */
  claim(cpr: string, whats: readonly string[]): string[] {
    const out: string[] = [];
    for (const what of whats) {
      const key = readKey(cpr, what);
      if (this.claimed.has(key)) continue;
      this.claimed.add(key);
      out.push(what);
    }
    return out;
  }

  release(cpr: string, whats: readonly string[]): void {
    for (const what of whats) this.claimed.delete(readKey(cpr, what));
  }

  /** `db.em` is read only when there is no group-commit writer (it forks an EntityManager on first use). */
  async flush(db: { em: EntityManager }, at: Date): Promise<number> {
    const who = this.who;
    if (this.reads.size === 0 || !who) return 0;
    const rows: AccessLogRow[] = [];
    for (const [key, r] of this.reads) {
      if (!this.claimed.has(key)) rows.push({ cpr: r.cpr, what: r.what, sub: who.sub, role: who.role, org: who.org, requestId: this.requestId });
    }
    this.reads.clear();
    if (rows.length === 0) return 0;
    if (this.writer) await this.writer.write(at, rows);
    else await writeAccessLog(db.em.getKnex(), at, rows);
    return rows.length;
  }
}
