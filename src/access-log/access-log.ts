import type { EntityManager, Knex } from '@mikro-orm/postgresql';

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

/** many reads, one statement (parameters bound, not pasted into the SQL text). */
export async function writeAccessLog(db: Knex, at: Date, rows: AccessLogRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.raw(
    `insert into access_log (at, sub, role, org, cpr, what, request_id)
     select ?, r.sub, r.role, r.org, r.cpr, r.what, r."requestId"
       from json_to_recordset(?::json) as r(sub text, role text, org text, cpr text, what text, "requestId" text)`,
    [at, JSON.stringify(rows)],
  );
}

/**
 * reads are collected during a request and written as one multi-row insert before the answer
 * leaves, so the log is durable when the client sees the data, and a list of 100 borgere costs one statement.
 */
export class AccessLogBuffer {
  private readonly reads = new Map<string, AccessRead>();

  constructor(
    private readonly who: { sub: string; role: string; org: string } | null,
    private readonly requestId: string,
  ) {}

  record(cpr: string, what: string): void {
    this.reads.set(`${cpr}\u0000${what}`, { cpr, what });
  }

  get size(): number {
    return this.reads.size;
  }

  async flush(em: EntityManager, at: Date): Promise<number> {
    const who = this.who;
    if (this.reads.size === 0 || !who) return 0;
    const rows = [...this.reads.values()].map((r) => ({ ...r, ...who, requestId: this.requestId }));
    this.reads.clear();
    await writeAccessLog(em.getKnex(), at, rows);
    return rows.length;
  }
}
