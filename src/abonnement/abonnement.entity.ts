import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

/** Code table ABONNEMENT_LUKKEAARSAG (ids from the foundation migration). */
export enum Lukkeaarsag {
  FEJLOPRETTET = 1,
  KONTAKTGRUPPE_LUKKET = 4,
  ALDER = 5,
  KONTAKTGRUPPESKIFT = 7,
  PLANTYPESKIFT = 8,
  UDDANNELSE_GENNEMFOERT = 9,
}

/**
 * A borger's abonnement på uddannelseshændelser from UDB: a period from `start` until DFDG or a jobcenter
 * closes it (`slut` and `lukkeaarsag` set together). A borger has at most one open abonnement; the closed
 * ones are its history.
 */
@ObjectType({ description: 'Abonnement på uddannelseshændelser from UDB (AB). Open while `slut` is null; the closed ones are the history.' })
@Entity({ tableName: 'abonnement' })
@Index({ properties: ['cpr', 'start'] })
export class Abonnement {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => CprScalar)
  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field(() => LocalDateScalar, { description: "First day; by default the borger's 15th birthday." })
  @Property({ type: 'date' })
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true, description: 'The day it was closed; null while open.' })
  @Property({ type: 'date', nullable: true })
  slut?: LocalDate | null;

  @Field(() => Int, { nullable: true, description: 'Code table ABONNEMENT_LUKKEAARSAG: 1 Fejloprettet, 4 Kontaktgruppe lukket, 5 Alder, 7 Kontaktgruppeskift, 8 Plantypeskift, 9 Uddannelse gennemført.' })
  @Property({ type: 'integer', nullable: true })
  lukkeaarsag?: number | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'AB-4: the start of a kontaktgruppeskift registered ahead, the day the daily job closes the abonnement; null when none was registered ahead.',
  })
  @Property({ type: 'date', nullable: true })
  planlagtLukning?: LocalDate | null;

  @Field(() => Int, { nullable: true, description: 'The lukkeårsag of `planlagtLukning` (7 Kontaktgruppeskift).' })
  @Property({ type: 'integer', nullable: true })
  planlagtLukkeaarsag?: number | null;

  @Field(() => Role, { description: 'Who opened it: role.' })
  @Property({ type: 'text' })
  oprettetAfRolle!: Role;

  @Field({ description: 'Who opened it: kommunekode or system.' })
  @Property({ type: 'text' })
  oprettetAfOrg!: string;

  @Field({ description: 'Who opened it: the user (token subject).' })
  @Property({ type: 'text' })
  oprettetAf!: string;

  @Field(() => Date)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  oprettet: Date & Opt = new Date();

  @Field(() => Role, { nullable: true, description: 'Who closed it: role (SYSTEM when DFDG closed it itself).' })
  @Property({ type: 'text', nullable: true })
  lukketAfRolle?: Role | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  lukketAfOrg?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  lukketAf?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  lukket?: Date | null;
}
