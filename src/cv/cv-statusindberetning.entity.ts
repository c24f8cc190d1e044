import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import type { LocalDate } from '../scalars/local-date';

/** Every CV status report as it was received (JobSearch.CvWorkflowService), whatever its effect. */
@Entity({ tableName: 'cv_statusindberetning' })
@Index({ properties: ['cpr', 'id'] })
export class CvStatusindberetning {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Property({ type: 'text' })
  rolle!: string;

  @Property({ type: 'text' })
  org!: string;

  @Property({ type: 'integer' })
  indberettetStatus!: number;

  @Property({ type: 'date' })
  haendelsesdato!: LocalDate;

  @Property({ type: 'boolean' })
  historisk!: boolean;

  @Property({ type: 'text', nullable: true })
  kommentar?: string | null;

  @Property({ type: 'boolean' })
  statusAendret!: boolean;

  @Property({ type: 'json' })
  advarsler!: string[];

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
