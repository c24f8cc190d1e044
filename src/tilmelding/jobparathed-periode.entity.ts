import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

/**
 * Jobparathed as history, so rules can ask how it was on a past date (FR-3, CV-1). While a borger has no
 * period at all, `borger.jobparat` (the flag from before history was kept) answers for every date.
 */
@ObjectType({ description: 'A period in which the borger was jobparat (true) or aktivitetsparat (false).' })
@Entity({ tableName: 'jobparathed_periode' })
@Index({ properties: ['cpr', 'start'] })
export class JobparathedPeriode {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  jobparat!: boolean;

  @Field(() => LocalDateScalar)
  @Property({ type: 'date' })
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  slut?: LocalDate | null;
}
