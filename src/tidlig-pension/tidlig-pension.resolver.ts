import { Arg, Authorized, Ctx as GqlCtx, Field, FieldResolver, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Borger } from '../borger/borger.entity';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { TidligPension } from './tidlig-pension.entity';
import './tidlig-pension.messages';
import { TidligPensionService } from './tidlig-pension.service';
import { LogsRead } from '../access-log/logs-read';

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
  @LogsRead('tidlig_pension')
  @Mutation(() => TidligPensionKvittering, { description: 'UDK reports tidlig pension and kompensationsbeløb (TP-1).' })
  indberetTidligPension(@GqlCtx() ctx: Ctx, @Arg('input') input: TidligPensionInput): Promise<TidligPensionKvittering> {
    return this.service.indberet(ctx, input);
  }
}

/**
 * TP-2: tidlig pension data are for UDK and the borger's a-kasse only. A jobcenter (or any other role) is
 * refused with FORBIDDEN by the role check of each path: this query, the field on Borger and, for
 * messages, the allowed recipients of GetTidligPensionVersion1 (see tidlig-pension.messages.ts).
 */
const LAESERE = [Role.UDK, Role.AKASSE] as const;

@Resolver(() => TidligPension)
export class TidligPensionReadResolver {
  private readonly service = new TidligPensionService();

  @Authorized(...LAESERE)
  @Query(() => [TidligPension], { description: "The stored UDK reports of tidlig pension for a borger, oldest first: UDK, and the borger's current a-kasse (TP-2: not jobcentre)." })
  tidligPension(@GqlCtx() ctx: Ctx, @Arg('cpr', () => CprScalar) cpr: string): Promise<TidligPension[]> {
    return this.service.forCpr(ctx, cpr);
  }

  @FieldResolver(() => LocalDateScalar, { description: 'The day the report is deleted: 6 years after the borger reaches folkepensionsalder (TP-4).' })
  sletningsdato(@Root() tp: TidligPension): LocalDate {
    return this.service.sletningsdato(tp);
  }
}

@Resolver(() => Borger)
export class BorgerTidligPensionResolver {
  private readonly service = new TidligPensionService();

  @Authorized(...LAESERE)
  @FieldResolver(() => [TidligPension], { description: "UDK's reports of tidlig pension, oldest first: UDK and the borger's current a-kasse (TP-2: not jobcentre)." })
  tidligPension(@GqlCtx() ctx: Ctx, @Root() borger: Borger): Promise<TidligPension[]> {
    return this.service.forBorger(ctx, borger);
  }
}
