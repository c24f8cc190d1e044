import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

/** TP-3: a period on efterløn as the borger's a-kasse reports it: the day of overgang and, later, of afgang. */
@ObjectType({ description: 'A period on efterløn, as the a-kasse reported it: overgang til efterløn and afgang fra efterløn (TP-3).' })
@Entity({ tableName: 'efterloen_periode' })
@Index({ properties: ['cpr', 'overgang'] })
export class EfterloenPeriode {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => CprScalar)
  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field({ description: 'The a-kasse that reported the overgang.' })
  @Property({ type: 'text' })
  akasse!: string;

  @Field(() => LocalDateScalar, { description: 'Dato for overgang til efterløn: the first day on efterløn.' })
  @Property({ type: 'date' })
  overgang!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Dato for afgang fra efterløn: the last day on efterløn; null while on efterløn.' })
  @Property({ type: 'date', nullable: true })
  afgang?: LocalDate | null;

  @Property({ type: 'text' })
  indberettetAf!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  indberettet: Date & Opt = new Date();
}
