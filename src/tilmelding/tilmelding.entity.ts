import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

/** Why a tilmelding ended. */
export enum Afmeldingsaarsag {
  /** The jobcenter afmeldte the borger. */
  AFMELDT = 'AFMELDT',
  /** KSD reported the borger sick; the raskmelding gentilmelder (FR-2). */
  SYGEMELDT = 'SYGEMELDT',
}

registerEnumType(Afmeldingsaarsag, { name: 'Afmeldingsaarsag', description: 'Why a tilmelding ended.' });

@ObjectType({ description: 'A period in which the borger was tilmeldt as jobsøgende. Open while `slut` is null; `slut` is the last day tilmeldt.' })
@Entity({ tableName: 'tilmelding' })
@Index({ properties: ['cpr', 'start'] })
export class Tilmelding {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => CprScalar)
  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field(() => LocalDateScalar)
  @Property({ type: 'date' })
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  slut?: LocalDate | null;

  @Field(() => [String], { description: 'Stillingsbetegnelser/aliaser the borger seeks work as; each at most once (TM-1).' })
  @Property({ type: 'json' })
  stillingsbetegnelser!: string[];

  @Field({ description: 'Who tilmeldte: the kommunekode of the jobcenter, or KSD for a gentilmelding after raskmelding.' })
  @Property({ type: 'text' })
  tilmeldtAf!: string;

  @Field(() => Afmeldingsaarsag, { nullable: true })
  @Property({ type: 'text', nullable: true })
  afmeldingsaarsag?: Afmeldingsaarsag | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
