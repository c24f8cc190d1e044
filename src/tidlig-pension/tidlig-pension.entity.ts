import { BigIntType, Entity, Index, PrimaryKey, Property, Unique, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

/** TP-1: one report from Udbetaling Danmark of tidlig pension and kompensationsbeløb. Amounts in øre. */
@ObjectType({ description: 'A report from UDK of tidlig pension and kompensationsbeløb. Amounts are in øre.' })
@Entity({ tableName: 'tidlig_pension' })
@Unique({ properties: ['cpr', 'indholdHash'] })
@Index({ properties: ['cpr'] })
@Index({ properties: ['foedselsdato'] })
export class TidligPension {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Field(() => CprScalar)
  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field(() => LocalDateScalar, { description: 'Date of UDK’s decision.' })
  @Property({ type: 'date' })
  afgoerelsesdato!: LocalDate;

  @Field(() => LocalDateScalar)
  @Property({ type: 'date' })
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  slut?: LocalDate | null;

  @Field(() => Int, { description: 'Tidlig pension per month, in øre.' })
  @Property({ type: new BigIntType('number') })
  beloebOere!: number;

  @Field(() => Int, { nullable: true, description: 'Kompensationsbeløb, in øre.' })
  @Property({ type: new BigIntType('number'), nullable: true })
  kompensationsbeloebOere?: number | null;

  /** TP-4: the borger's birth date, from the CPR number; the deletion job selects on it. */
  @Property({ type: 'date' })
  foedselsdato!: LocalDate;

  /** Makes a re-sent report a no-op: the same content for the same borger is stored once. */
  @Property({ type: 'text' })
  indholdHash!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  modtaget: Date & Opt = new Date();
}
