import { Entity, Index, ManyToOne, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { Kontakt } from './kontakt.entity';

/** KP-1: the kontaktpersontyper a rule names (code table KONTAKTPERSONTYPE). */
export enum Kontaktpersontype {
  UDSLUSNINGSKOORDINATOR = 2,
  PERSONLIG_JOBFORMIDLER = 3,
  PAAROERENDE = 8,
  BISIDDER = 9,
  PARTSREPRAESENTANT = 10,
  MENTOR = 15,
  AKASSE = 25,
  ASYLCENTER = 26,
  UDDANNELSESSTED = 31,
  JOBCENTER_UDDANNELSESPAALAEG = 32,
}

/** KP-5: a kontakt attached to a borger as a kontaktperson of a type, with role, period and visesPaaJobnet. */
@ObjectType({ description: "A borger's kontaktperson: a kontakt attached with type, role, period and visesPaaJobnet (KP-5)." })
@Entity({ tableName: 'kontaktperson' })
@Index({ properties: ['cpr', 'start'] })
export class Kontaktperson {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => CprScalar)
  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field(() => Kontakt)
  @ManyToOne({ entity: () => Kontakt, fieldName: 'kontakt_id' })
  kontakt!: Kontakt;

  @Field(() => Int, { description: 'Code table KONTAKTPERSONTYPE (KP-1).' })
  @Property({ type: 'integer' })
  kontaktpersontype!: number;

  @Field(() => String, { nullable: true, description: "The contact's role for this borger." })
  @Property({ type: 'text', nullable: true })
  rolle?: string | null;

  @Field(() => LocalDateScalar)
  @Property({ type: 'date' })
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day; null while open.' })
  @Property({ type: 'date', nullable: true })
  slut?: LocalDate | null;

  @Field(() => Boolean, { description: 'Show the contact to the borger on Jobnet, where the role allows it.' })
  @Property({ type: 'boolean', default: false })
  visesPaaJobnet: boolean & Opt = false;

  @Field(() => Role)
  @Property({ type: 'text' })
  registreretAfRolle!: Role;

  @Field()
  @Property({ type: 'text' })
  registreretAfOrg!: string;

  @Property({ type: 'text' })
  registreretAf!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  oprettet: Date & Opt = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  aendret: Date & Opt = new Date();

  @Field(() => LocalDateScalar, { nullable: true, description: 'KP-2: set when DFDG ended or shortened it on a CPR move (the move date).' })
  @Property({ type: 'date', nullable: true })
  afsluttetVedFlytning?: LocalDate | null;
}
