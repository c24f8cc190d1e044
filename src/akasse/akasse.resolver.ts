import { Arg, Args, ArgsType, Authorized, Ctx as GqlCtx, Field, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Borger } from '../borger/borger.entity';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { AkasseService } from './akasse.service';
import { Medlemskab } from './medlemskab.entity';
import { LogsRead } from '../access-log/logs-read';
import { sidestoerrelse } from '../scalars/paging';

@InputType()
class MedlemstilgangInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => LocalDateScalar, { description: 'First day as member.' })
  start!: LocalDate;
}

@InputType()
class MedlemsafgangInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => LocalDateScalar, { description: 'Last day as member.' })
  slut!: LocalDate;
}

@InputType()
class TilbagekaldMedlemstilgangInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => LocalDateScalar, { description: "Start of the tilgang recalled: the a-kasse's latest. A recall sent again after it went through is refused (CONFLICT, or FORBIDDEN when the borger is no longer the a-kasse's member), never taken as a recall of the one before." })
  start!: LocalDate;
}

@ObjectType()
class MedlemPage {
  @Field(() => [Borger])
  items!: Borger[];

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page; null on the last page.' })
  nextCursor!: string | null;
}

@ArgsType()
class MedlemPageArgs {
  @Field(() => Int, { defaultValue: 50 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@Resolver()
export class AkasseResolver {
  private readonly service = new AkasseService();

  @Authorized(Role.AKASSE)
  @LogsRead('akasse_medlemskab')
  @Mutation(() => Medlemskab, { description: 'The a-kasse registers a medlemstilgang for an existing borger: a membership from `start`.' })
  registrerMedlemstilgang(@GqlCtx() ctx: Ctx, @Arg('input') input: MedlemstilgangInput): Promise<Medlemskab> {
    return this.service.tilgang(ctx, input.cpr, input.start);
  }

  @Authorized(Role.AKASSE)
  @LogsRead('akasse_medlemskab')
  @Mutation(() => Medlemskab, { description: "The a-kasse registers its member's medlemsafgang: the open membership ends on `slut`." })
  registrerMedlemsafgang(@GqlCtx() ctx: Ctx, @Arg('input') input: MedlemsafgangInput): Promise<Medlemskab> {
    return this.service.afgang(ctx, input.cpr, input.slut);
  }

  @Authorized(Role.AKASSE)
  @LogsRead('akasse_medlemskab')
  @Mutation(() => Medlemskab, { description: 'The a-kasse recalls its latest medlemstilgang (AK-1: also when an earlier membership of the same a-kasse precedes it). Returns the membership removed.' })
  tilbagekaldMedlemstilgang(@GqlCtx() ctx: Ctx, @Arg('input') input: TilbagekaldMedlemstilgangInput): Promise<Medlemskab> {
    return this.service.tilbagekald(ctx, input.cpr, input.start);
  }

  @Authorized(Role.AKASSE, Role.JOBCENTER, Role.SYSTEM)
  @Query(() => [Medlemskab], { description: "The borger's a-kasse membership periods, oldest first (an a-kasse sees its own)." })
  akasseMedlemskabshistorik(@GqlCtx() ctx: Ctx, @Arg('cpr', () => CprScalar) cpr: string): Promise<Medlemskab[]> {
    return this.service.historik(ctx, cpr);
  }

  @Authorized(Role.AKASSE)
  @Query(() => MedlemPage, { description: "The calling a-kasse's current members, in CPR order." })
  akasseMedlemmer(@GqlCtx() ctx: Ctx, @Args() { first, after }: MedlemPageArgs): Promise<MedlemPage> {
    return this.service.medlemmer(ctx, sidestoerrelse(first), after ?? null);
  }
}
