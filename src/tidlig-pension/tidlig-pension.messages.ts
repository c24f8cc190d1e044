import { Field, ID, Int, ObjectType } from 'type-graphql';
import { registerMessageType } from '../events/message-types';
import { ModtagerType } from '../events/recipient';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

export const GET_TIDLIG_PENSION = 'GetTidligPensionVersion1';

/** TP-1: what the borger's current a-kasse receives when UDK reports tidlig pension. */
@ObjectType({ description: 'GetTidligPensionVersion1: tidlig pension and kompensationsbeløb reported by UDK. Amounts in øre.' })
export class GetTidligPensionVersion1 {
  @Field(() => ID)
  tidligPensionId!: string;

  @Field(() => LocalDateScalar)
  afgoerelsesdato!: LocalDate;

  @Field(() => LocalDateScalar)
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  slut!: LocalDate | null;

  @Field(() => Int)
  beloebOere!: number;

  @Field(() => Int, { nullable: true })
  kompensationsbeloebOere!: number | null;
}

/** TP-1 / TP-2: only a-kasser receive it; a jobcenter asking for these messages gets FORBIDDEN. */
registerMessageType(GET_TIDLIG_PENSION, GetTidligPensionVersion1, { modtagere: [ModtagerType.AKASSE] });
