import { ArrayType, Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

export const PERSONGRUPPE_TYPE_5 = 5;

/**
 * Persongruppemarkering type 5: a marking on a borger that only the listed jobcentre and a-kasser may use
 * (PG-1). Closed by its creator (PG-2), by DFDG on a CPR move out of the listed kommuner (PG-1), or after a
 * manual move by the new jobcenter when the previous one created it (PG-2).
 */
@ObjectType({ description: 'Persongruppemarkering type 5: usable by the listed jobcentre and a-kasser only (PG-1, PG-2).' })
@Entity({ tableName: 'persongruppemarkering' })
@Index({ properties: ['cpr', 'start'] })
export class Persongruppemarkering {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => CprScalar)
  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field(() => Int)
  @Property({ type: 'integer', default: PERSONGRUPPE_TYPE_5 })
  type: number & Opt = PERSONGRUPPE_TYPE_5;

  @Field(() => [String], { description: 'Kommunekoder of the jobcentre that may use it.' })
  @Property({ type: ArrayType, columnType: 'varchar(3)[]' })
  jobcentre!: string[];

  @Field(() => [String], { description: 'A-kasse numbers that may use it.' })
  @Property({ type: ArrayType, columnType: 'text[]' })
  akasser!: string[];

  @Field(() => LocalDateScalar)
  @Property({ type: 'date' })
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  slut?: LocalDate | null;

  @Field(() => Role)
  @Property({ type: 'text' })
  oprettetAfRolle!: Role;

  @Field()
  @Property({ type: 'text' })
  oprettetAfOrg!: string;

  @Property({ type: 'text' })
  oprettetAf!: string;

  @Field(() => Date)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  oprettet: Date & Opt = new Date();

  @Field(() => Role, { nullable: true })
  @Property({ type: 'text', nullable: true })
  lukketAfRolle?: Role | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  lukketAfOrg?: string | null;

  @Property({ type: 'text', nullable: true })
  lukketAf?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  lukket?: Date | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'PG-1: set when DFDG closed it on a CPR move (the move date).' })
  @Property({ type: 'date', nullable: true })
  lukketVedFlytning?: LocalDate | null;
}
