import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

export enum BookingArt {
  /** The borger books the meeting themself, before a frist (selvbooking). */
  SELVBOOKING = 'SELVBOOKING',
  /** The jobcenter calls the borger in (indkaldelse). */
  INDKALDELSE = 'INDKALDELSE',
}

registerEnumType(BookingArt, { name: 'BookingArt', description: 'Selvbooking (the borger books, before a frist) or indkaldelse (the jobcenter calls in).' });

/** A booking of or indkaldelse to a meeting; deleted 6 years after its mødedato (DL-1). */
@ObjectType({ description: 'A booking or indkaldelse to a meeting with its mødedato. Deleted 6 years after the mødedato (DL-1).' })
@Entity({ tableName: 'booking' })
@Index({ properties: ['cpr', 'moededato'] })
@Index({ properties: ['moededato'] })
export class Booking {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => CprScalar)
  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field(() => BookingArt)
  @Property({ type: 'text' })
  art!: BookingArt;

  @Field(() => LocalDateScalar, { description: 'The day of the meeting; the cut-off date of the deletion rule (DL-1).' })
  @Property({ type: 'date' })
  moededato!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Frist for selvbooking: the last day the borger can book.' })
  @Property({ type: 'date', nullable: true })
  selvbookingsfrist?: LocalDate | null;

  @Field({ description: 'Kommunekode of the jobcenter that registered it.' })
  @Property({ type: 'string', length: 3 })
  jobcenter!: string;

  @Property({ type: 'text' })
  registreretAf!: string;

  @Field(() => Date)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  oprettet: Date & Opt = new Date();
}
