import { Entity, Index, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

export enum UdbHaendelsestype {
  OPTAGET = 'OPTAGET',
  GENNEMFOERT = 'GENNEMFOERT',
  FRAFALD = 'FRAFALD',
  KONTAKTER = 'KONTAKTER',
}

registerEnumType(UdbHaendelsestype, {
  name: 'UdbHaendelsestype',
  description: 'OPTAGET: admitted to an education; GENNEMFOERT: completed one (AB-5); FRAFALD: risk of dropout (AB-9); KONTAKTER: type-31 contacts (KP-7).',
});

/** One event UDB reported about a borger with an abonnement, as received (kept, so a jobcenter can read it later: AB-9). */
@ObjectType({ description: 'An event UDB reported about a borger (optagelse, gennemført uddannelse, risiko for frafald, kontakter).' })
@Entity({ tableName: 'udb_haendelse' })
@Unique({ properties: ['type', 'haendelseId'] })
@Index({ properties: ['cpr', 'dato'] })
export class UdbHaendelse {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => CprScalar)
  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field(() => UdbHaendelsestype)
  @Property({ type: 'text' })
  type!: UdbHaendelsestype;

  @Field({ description: "UDB's id of the event; a re-sent event with the same id is recognised and changes nothing." })
  @Property({ type: 'text' })
  haendelseId!: string;

  @Field(() => LocalDateScalar, { description: 'The day it happened, as UDB reports it.' })
  @Property({ type: 'date' })
  dato!: LocalDate;

  @Field(() => ID)
  @Property({ type: 'bigint' })
  abonnementId!: string;

  @Field({ description: 'The jobcenter (kommunekode) that was notified.' })
  @Property({ type: 'string', length: 3 })
  jobcenter!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  institution?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  uddannelse?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'GENNEMFOERT: the education was erhvervskompetencegivende.' })
  @Property({ type: 'boolean', nullable: true })
  erhvervskompetencegivende?: boolean | null;

  /**
   * What its first delivery answered as `abonnementLukket` (AB-5 closed the abonnement with årsag 9), so that a re-sent
   * event answers the same. Not a field of the schema: the answer to UDB carries it.
   */
  @Property({ type: 'boolean', default: false })
  abonnementLukket: boolean & Opt = false;

  @Field(() => LocalDateScalar, { description: 'The day DFDG received it.' })
  @Property({ type: 'date' })
  modtagetDato!: LocalDate;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  modtaget: Date & Opt = new Date();
}
