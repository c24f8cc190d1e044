import type { EntityManager } from '@mikro-orm/postgresql';

export interface AccessRead {
  cpr: string;
  what: string;
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
    if (this.reads.size === 0 || !this.who) return 0;
    const rows = [...this.reads.values()];
    this.reads.clear();
    await em.getConnection().execute(
      `insert into access_log (at, sub, role, org, cpr, what, request_id)
       select ?, ?, ?, ?, r.cpr, r.what, ? from json_to_recordset(?::json) as r(cpr text, what text)`,
      [at, this.who.sub, this.who.role, this.who.org, this.requestId, JSON.stringify(rows)],
    );
    return rows.length;
  }
}
