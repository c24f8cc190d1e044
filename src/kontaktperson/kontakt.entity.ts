import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Role } from '../context/roles';

/** KP-5: what a type-32 contact is. */
export enum KontaktArt {
  PERSON = 'PERSON',
  TEAM = 'TEAM',
  GENERIC_TEAM = 'GENERIC_TEAM',
}

registerEnumType(KontaktArt, { name: 'KontaktArt', description: 'A contact is a person, a team or a generic team (KP-5).' });

/**
 * A fagprofessionel kontakt (person, team or generic team): KP-5's contact data. Owned by the organisation
 * that registered it (a jobcenter, or UDB for type-31 contacts); one kontakt can be attached to many borgere.
 */
@ObjectType({ description: 'A fagprofessionel kontakt (KP-5): a person, team or generic team, attachable to many borgere.' })
@Entity({ tableName: 'kontakt' })
@Index({ properties: ['ejerRolle', 'ejerOrg'] })
export class Kontakt {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field({ description: 'Name of the person or team.' })
  @Property({ type: 'text' })
  navn!: string;

  @Field(() => String, { nullable: true, description: 'E-mail (required for types 31 and 32).' })
  @Property({ type: 'text', nullable: true })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Danish phone number, 8 digits (required for types 31 and 32).' })
  @Property({ type: 'string', length: 8, nullable: true })
  telefon?: string | null;

  @Field(() => String, { nullable: true, description: 'Danish mobile number, 8 digits (optional; shown in the letter to the borger).' })
  @Property({ type: 'string', length: 8, nullable: true })
  mobil?: string | null;

  @Field(() => KontaktArt, { nullable: true, description: 'Person, team or generic team (required for type 32; UDB does not send it).' })
  @Property({ type: 'text', nullable: true })
  art?: KontaktArt | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 8, nullable: true })
  cvr?: string | null;

  @Field(() => String, { nullable: true, description: 'P-nummer.' })
  @Property({ type: 'string', length: 10, nullable: true })
  pnr?: string | null;

  @Field(() => String, { nullable: true, description: "The owner's own key, e.g. from AD; null for anyone but the owner." })
  @Property({ type: 'text', nullable: true })
  internNoegle?: string | null;

  @Field(() => Role, { description: 'Owner: JOBCENTER, or UDB for type-31 contacts.' })
  @Property({ type: 'text' })
  ejerRolle!: Role;

  @Field({ description: 'Owner: kommunekode, or UDB.' })
  @Property({ type: 'text' })
  ejerOrg!: string;

  /** UDB contacts: a hash of the content, so the same contact from UDB is stored once. */
  @Property({ type: 'text', nullable: true })
  kildeNoegle?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  oprettet: Date & Opt = new Date();

  @Field(() => Date)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  aendret: Date & Opt = new Date();
}
