import { Entity, Index, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

/** Code table PLANTYPE (ids chosen by the foundation migration). */
export enum Plantype {
  UDDANNELSESPLAN = 1,
  KOMBIPLAN = 2,
  AFTALE_OM_OPFOELGNING = 3,
  PLAN_UDEN_PLANTYPE = 4,
}

/**
 * A borger's uddannelsesplan in one jobcenter, as the jobcenter is editing it (the draft). What the borger
 * and UDB see is the published state, kept in the plan versions (`PlanVersion`, UP-6).
 * One plan per borger and jobcenter: a borger who moves gets a new plan in the new jobcenter.
 */
@ObjectType({ description: "A borger's uddannelsesplan in one jobcenter: the jobcenter's working copy. The published state is in `versioner` (UP-6)." })
@Entity({ tableName: 'uddannelsesplan' })
@Unique({ properties: ['cpr', 'jobcenter'] })
@Index({ properties: ['jobcenter'] })
export class Uddannelsesplan {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => CprScalar)
  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field({ description: 'Kommunekode of the jobcenter that owns the plan.' })
  @Property({ type: 'string', length: 3 })
  jobcenter!: string;

  @Field(() => Int, { description: 'Code table PLANTYPE: 1 Uddannelsesplan, 2 Kombiplan, 3 Aftale om opfølgning, 4 Plan uden plantype.' })
  @Property({ type: 'integer' })
  plantype!: number;

  @Field(() => Int, { nullable: true, description: 'Trin 1–4 of the uddannelsespålæg; null when the borger has no pålæg.' })
  @Property({ type: 'integer', nullable: true })
  trin?: number | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Frist in the trin.' })
  @Property({ type: 'date', nullable: true })
  frist?: LocalDate | null;

  @Field(() => String)
  @Property({ type: 'text', default: '' })
  planbeskrivelse: string & Opt = '';

  @Field(() => String, { description: 'Mål.' })
  @Property({ type: 'text', default: '' })
  maal: string & Opt = '';

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  ansvarligSagsbehandler?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  uddannelsessted?: string | null;

  @Field(() => [Int], { description: 'Støttebehov ids (code table STOETTEBEHOV), ascending. No free text (UP-1).' })
  @Property({ type: 'json' })
  stoettebehov: number[] & Opt = [];

  @Field(() => [String], { description: 'Jobmål: stillingsbetegnelser/aliaser, each at most once (TM-2).' })
  @Property({ type: 'json' })
  jobmaal: string[] & Opt = [];

  @Field(() => [String], { description: 'Krav til jobsøgning: stillingsbetegnelser/aliaser, each at most once (TM-2).' })
  @Property({ type: 'json' })
  kravTilJobsoegning: string[] & Opt = [];

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  oprettet: Date & Opt = new Date();

  @Field(() => Date, { description: 'Last saved.' })
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  aendret: Date & Opt = new Date();
}
