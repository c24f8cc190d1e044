import { Arg, Authorized, Ctx as GqlCtx, Field, InputType, Int, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { TidligPension } from './tidlig-pension.entity';
import './tidlig-pension.messages';
import { TidligPensionService } from './tidlig-pension.service';

@InputType({ description: 'A report from UDK. Amounts in øre, as whole numbers.' })
class TidligPensionInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => LocalDateScalar)
  afgoerelsesdato!: LocalDate;

  @Field(() => LocalDateScalar)
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  slut?: LocalDate | null;

  @Field(() => Int)
  beloebOere!: number;

  @Field(() => Int, { nullable: true })
  kompensationsbeloebOere?: number | null;
}

@ObjectType()
class TidligPensionKvittering {
  @Field(() => TidligPension)
  tidligPension!: TidligPension;

  @Field({ description: 'False when the same report had been received before: nothing changed, nothing was sent.' })
  ny!: boolean;

  @Field(() => String, { nullable: true, description: 'The a-kasse that was sent GetTidligPensionVersion1.' })
  sendtTilAkasse!: string | null;
}

@Resolver()
export class TidligPensionResolver {
  private readonly service = new TidligPensionService();

  @Authorized(Role.UDK)
  @Mutation(() => TidligPensionKvittering, { description: 'UDK reports tidlig pension and kompensationsbeløb (TP-1).' })
  indberetTidligPension(@GqlCtx() ctx: Ctx, @Arg('input') input: TidligPensionInput): Promise<TidligPensionKvittering> {
    return this.service.indberet(ctx, input);
  }
}
