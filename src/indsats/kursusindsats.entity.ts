import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

/** Code table AFHOLDELSESKATEGORI: 37 Læse-, skrive- og regnetest (UP-8). */
export const AFHOLDELSESKATEGORI_LSR_TEST = 37;

@ObjectType({ description: 'A kursusindsats (aktivitet) with its afholdelseskategori (MT-3).' })
@Entity({ tableName: 'kursusindsats' })
@Index({ properties: ['cpr', 'jobcenter'] })
export class Kursusindsats {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => CprScalar)
  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field()
  @Property({ type: 'string', length: 3 })
  jobcenter!: string;

  @Field(() => Int, { description: 'Code table AFHOLDELSESKATEGORI; 42 and 43 are udgået (MT-3).' })
  @Property({ type: 'integer' })
  afholdelseskategori!: number;

  @Field(() => LocalDateScalar)
  @Property({ type: 'date' })
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  slut?: LocalDate | null;

  @Field(() => String, { nullable: true, description: 'The result, e.g. of a læse-, skrive- og regnetest. Never sent to UDB (UP-8).' })
  @Property({ type: 'text', nullable: true })
  resultat?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  oprettet: Date & Opt = new Date();
}
