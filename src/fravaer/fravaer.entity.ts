import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

@ObjectType({ description: 'A registered fravær (absence/exemption) with its type and period. Open while `slut` is null.' })
@Entity({ tableName: 'fravaer' })
@Index({ properties: ['cpr', 'start'] })
export class Fravaer {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => CprScalar)
  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field(() => Int, { description: 'Fraværstype id (code table FRAVAERSTYPE).' })
  @Property({ type: 'integer' })
  fravaerstype!: number;

  @Field(() => LocalDateScalar)
  @Property({ type: 'date' })
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day of the fravær; null while open.' })
  @Property({ type: 'date', nullable: true })
  slut?: LocalDate | null;

  @Property({ type: 'text' })
  registreretAfRolle!: string;

  @Property({ type: 'text' })
  registreretAfOrg!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
