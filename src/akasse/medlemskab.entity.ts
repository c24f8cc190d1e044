import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

@ObjectType({ description: 'A period of a-kasse membership (medlemstilgang to medlemsafgang).' })
@Entity({ tableName: 'akasse_medlemskab' })
@Index({ properties: ['cpr', 'start'] })
@Index({ properties: ['akasse', 'cpr'] })
export class Medlemskab {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => CprScalar)
  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field({ description: 'A-kasse number.' })
  @Property({ type: 'string' })
  akasse!: string;

  @Field(() => LocalDateScalar)
  @Property({ type: 'date' })
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  slut?: LocalDate | null;
}
