import { Entity, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CprScalar } from '../../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../../scalars/local-date';
import type { BrevIndhold } from './brev.rules';

/**
 * UP-7: a letter to the borger about støttebehov (Bilag 1), made when a plan is published. The PDF is kept
 * as made; `indhold` is what it says, and `indholdHash` lets the next publication see whether it would say
 * the same again.
 */
@ObjectType({ description: 'A letter to the borger about støttebehov (UP-7, Bilag 1). Download the PDF at `pdfSti` or read `pdfBase64`.' })
@Entity({ tableName: 'brev' })
@Index({ properties: ['cpr'] })
@Index({ properties: ['uddannelsesplanId'] })
export class Brev {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'bigint' })
  uddannelsesplanId!: string;

  @Field(() => CprScalar)
  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field({ description: 'Kommunekode of the jobcenter on whose behalf the letter was made.' })
  @Property({ type: 'string', length: 3 })
  jobcenter!: string;

  @Field(() => Int, { description: 'The plan version the letter was made from.' })
  @Property({ type: 'integer' })
  planVersionNr!: number;

  @Field(() => LocalDateScalar)
  @Property({ type: 'date' })
  dato!: LocalDate;

  @Property({ type: 'json' })
  indhold!: BrevIndhold;

  @Property({ type: 'text' })
  indholdHash!: string;

  @Property({ type: 'blob', lazy: true })
  pdf!: Buffer;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  oprettet: Date & Opt = new Date();
}
