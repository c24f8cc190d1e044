import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

export enum Flytningskilde {
  /** CPR reported a new bopælskommune (KP-2, PG-1 apply). */
  CPR = 'CPR',
  /** A jobcenter changed the jobcentertilknytning itself (KP-4: no contact ends; PG-2 applies). */
  MANUEL = 'MANUEL',
  /** A batch re-coding from CPR (municipal merger); KP-2 and PG-1 apply, set-based. */
  CPR_MASSE = 'CPR_MASSE',
}

registerEnumType(Flytningskilde, { name: 'Flytningskilde', description: 'CPR: a CPR move; MANUEL: a jobcenter moved the borger itself (KP-4); CPR_MASSE: a batch re-coding.' });

/** One change of a borger's bopælskommune or jobcenter, with what DFDG changed because of it. */
@ObjectType({ description: "A change of the borger's bopælskommune (CPR) or jobcentertilknytning (manual), and what it ended." })
@Entity({ tableName: 'borger_flytning' })
@Index({ properties: ['cpr', 'id'] })
export class BorgerFlytning {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => CprScalar)
  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field(() => Flytningskilde)
  @Property({ type: 'text' })
  kilde!: Flytningskilde;

  @Field(() => LocalDateScalar, { description: 'The move date (the day it was registered).' })
  @Property({ type: 'date' })
  dato!: LocalDate;

  @Field(() => String, { nullable: true, description: 'Bopælskommune before (CPR moves).' })
  @Property({ type: 'string', length: 3, nullable: true })
  fraKommune?: string | null;

  @Field(() => String, { nullable: true, description: 'Bopælskommune after (CPR moves).' })
  @Property({ type: 'string', length: 3, nullable: true })
  tilKommune?: string | null;

  @Field()
  @Property({ type: 'string', length: 3 })
  fraJobcenter!: string;

  @Field()
  @Property({ type: 'string', length: 3 })
  tilJobcenter!: string;

  @Field(() => Int, { description: 'KP-2/KP-3: kontaktpersoner DFDG ended or shortened.' })
  @Property({ type: 'integer', default: 0 })
  kontaktpersonerAfsluttet: number & Opt = 0;

  @Field(() => Int, { description: 'PG-1: persongruppemarkeringer DFDG closed.' })
  @Property({ type: 'integer', default: 0 })
  markeringerLukket: number & Opt = 0;

  @Field(() => Role)
  @Property({ type: 'text' })
  registreretAfRolle!: Role;

  @Field()
  @Property({ type: 'text' })
  registreretAfOrg!: string;

  @Property({ type: 'text' })
  registreretAf!: string;

  @Field(() => Date)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  registreret: Date & Opt = new Date();
}
