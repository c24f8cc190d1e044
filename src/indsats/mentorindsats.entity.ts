import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

/** Code table MENTORTYPE. */
export const MENTORTYPE_MENTOR_INDIVIDUEL = 1;
export const MENTORTYPE_PERSONLIG_JOBFORMIDLER = 6;

@ObjectType({ description: 'A mentorindsats (MT-1): mentortype 1–6, the period and the mentor’s contact data.' })
@Entity({ tableName: 'mentorindsats' })
@Index({ properties: ['cpr', 'jobcenter'] })
export class Mentorindsats {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => CprScalar)
  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field()
  @Property({ type: 'string', length: 3 })
  jobcenter!: string;

  @Field(() => Int, { description: 'Code table MENTORTYPE: 1 Mentor, individuel ... 6 Personlig jobformidler.' })
  @Property({ type: 'integer' })
  mentortype!: number;

  @Field(() => LocalDateScalar)
  @Property({ type: 'date' })
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  slut?: LocalDate | null;

  @Field({ description: 'The mentor: name of person or team.' })
  @Property({ type: 'text' })
  navn!: string;

  @Field()
  @Property({ type: 'text' })
  telefon!: string;

  @Field()
  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  oprettet: Date & Opt = new Date();
}
