import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import type { Borger } from './borger.entity';

@ObjectType({ description: 'A period in which the borger belonged to a kontaktgruppe. Open-ended while `slut` is null.' })
@Entity({ tableName: 'kontaktgruppe_periode' })
@Index({ properties: ['borger', 'start'] })
export class KontaktgruppePeriode {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne({ entity: 'Borger', fieldName: 'cpr', deleteRule: 'cascade' })
  borger!: Borger;

  @Field(() => Int, { description: 'Kontaktgruppe id (code table KONTAKTGRUPPE).' })
  @Property({ type: 'integer' })
  kontaktgruppe!: number;

  @Field(() => LocalDateScalar)
  @Property({ type: 'date' })
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  slut?: LocalDate | null;
}
