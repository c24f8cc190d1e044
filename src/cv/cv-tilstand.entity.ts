import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

/** The borger's CV as it was in a period: status (code table CV_STATUS), searchable or not, and the comment. */
@ObjectType({ description: "A period of the borger's CV state. Open while `slut` is null." })
@Entity({ tableName: 'cv_tilstand' })
@Index({ properties: ['cpr', 'start'] })
export class CvTilstand {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'string', length: 10 })
  cpr!: string;

  @Field(() => Int, { description: 'CV status id (code table CV_STATUS): 0 CV påbegyndt, 1 Klar til godkendelse, 2 CV godkendt, 3 CV ej godkendt, 5 ikke længere fyldestgørende.' })
  @Property({ type: 'integer' })
  status!: number;

  @Field(() => Boolean, { description: 'The CV is searchable (søgbart) on Jobnet.' })
  @Property({ type: 'boolean' })
  soegbar!: boolean;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  kommentar?: string | null;

  @Field(() => LocalDateScalar)
  @Property({ type: 'date' })
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  slut?: LocalDate | null;
}
