import { Entity, Index, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

/** What made a new version of the borger's Min plan. */
export enum PlanVersionAarsag {
  /** UP-6: the jobcenter published type-1 changes of the uddannelsesplan. */
  UDDANNELSESPLAN = 'UDDANNELSESPLAN',
  /** MT-1: a mentorindsats was registered or changed. */
  MENTORINDSATS = 'MENTORINDSATS',
}

registerEnumType(PlanVersionAarsag, { name: 'PlanVersionAarsag', description: 'What made a new version of Min plan.' });

/** The published content of an uddannelsesplan, as kept in a version. */
@ObjectType({ description: 'The published content of an uddannelsesplan.' })
export class PlanIndhold {
  @Field(() => Int)
  plantype!: number;

  @Field(() => Int, { nullable: true })
  trin!: number | null;

  @Field(() => LocalDateScalar, { nullable: true })
  frist!: LocalDate | null;

  @Field()
  planbeskrivelse!: string;

  @Field()
  maal!: string;

  @Field(() => String, { nullable: true })
  ansvarligSagsbehandler!: string | null;

  @Field(() => String, { nullable: true })
  uddannelsessted!: string | null;

  @Field(() => [Int])
  stoettebehov!: number[];

  @Field(() => [String])
  jobmaal!: string[];

  @Field(() => [String])
  kravTilJobsoegning!: string[];
}

/** A mentorindsats as it stood in a version of Min plan. */
@ObjectType({ description: 'A mentorindsats as shown in Min plan.' })
export class MentorindsatsIndhold {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'Code table MENTORTYPE, 1–6.' })
  mentortype!: number;

  @Field(() => LocalDateScalar)
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  slut!: LocalDate | null;

  @Field()
  navn!: string;

  @Field()
  telefon!: string;

  @Field()
  email!: string;
}

/**
 * One version of a borger's Min plan in one jobcenter (UP-6, MT-1). Versions are never deleted; the published
 * uddannelsesplan is `uddannelsesplan` of the newest one. Type-2 changes (jobmål, krav til jobsøgning,
 * plantype) are published into the newest version in place and make no new version.
 */
@ObjectType({ description: 'A version of Min plan (UP-6, MT-1). Type-2 changes are published into the newest version without a new one.' })
@Entity({ tableName: 'plan_version' })
@Unique({ properties: ['cpr', 'jobcenter', 'nr'] })
@Index({ properties: ['cpr', 'jobcenter'] })
export class PlanVersion {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => CprScalar)
  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field()
  @Property({ type: 'string', length: 3 })
  jobcenter!: string;

  @Field(() => Int, { description: '1, 2, 3, ... per borger and jobcenter.' })
  @Property({ type: 'integer' })
  nr!: number;

  @Field(() => PlanVersionAarsag)
  @Property({ type: 'text' })
  aarsag!: PlanVersionAarsag;

  @Field(() => PlanIndhold, { nullable: true, description: 'The published uddannelsesplan; null before one is published.' })
  @Property({ type: 'json', nullable: true })
  uddannelsesplan?: PlanIndhold | null;

  @Field(() => [MentorindsatsIndhold], { description: 'The mentorindsatser of Min plan in this version (MT-1).' })
  @Property({ type: 'json' })
  mentorindsatser: MentorindsatsIndhold[] & Opt = [];

  @Field(() => Date)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  oprettet: Date & Opt = new Date();

  @Field(() => Date, { description: 'Last time a publication changed this version (type-2 changes land here).' })
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  senestPubliceret: Date & Opt = new Date();

  @Field({ description: 'The user who made the version.' })
  @Property({ type: 'text' })
  oprettetAf!: string;
}
