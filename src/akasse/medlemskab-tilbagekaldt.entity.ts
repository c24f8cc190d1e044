import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import type { LocalDate } from '../scalars/local-date';

/**
 * A recalled medlemstilgang (AK-1). The membership row itself is deleted, so that every reader of
 * akasse_medlemskab (scoping, FR-1, current a-kasse) sees it as never registered; this keeps the record.
 */
@Entity({ tableName: 'akasse_medlemskab_tilbagekaldt' })
@Index({ properties: ['cpr'] })
export class MedlemskabTilbagekaldt {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'bigint' })
  medlemskabId!: string;

  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Property({ type: 'text' })
  akasse!: string;

  @Property({ type: 'date' })
  start!: LocalDate;

  @Property({ type: 'date', nullable: true })
  slut?: LocalDate | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  tilbagekaldtAt: Date & Opt = new Date();

  @Property({ type: 'text' })
  tilbagekaldtAf!: string;
}
