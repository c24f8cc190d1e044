import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** one row per read of a borger's personal data. Append-only. */
@Entity({ tableName: 'access_log' })
@Index({ properties: ['cpr', 'at'] })
export class AccessLogEntry {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'datetime' })
  at!: Date;

  @Property({ type: 'text' })
  sub!: string;

  @Property({ type: 'text' })
  role!: string;

  @Property({ type: 'text' })
  org!: string;

  @Property({ type: 'string', length: 10 })
  cpr!: string;

  /** What was read, e.g. `borger`, `kontaktpersoner`. */
  @Property({ type: 'text' })
  what!: string;

  @Property({ type: 'text' })
  requestId!: string;
}
