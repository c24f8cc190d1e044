import { Arg, Authorized, Ctx as GqlCtx, Field, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Medlemskab } from '../akasse/medlemskab.entity';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { EfterloenPeriode } from './efterloen.entity';
import { EfterloenService } from './efterloen.service';
import { LogsRead } from '../access-log/logs-read';

@InputType({ description: "The a-kasse reports its member's overgang til efterløn (TP-3)." })
class OvergangTilEfterloenInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => LocalDateScalar, { description: 'The first day on efterløn.' })
  overgang!: LocalDate;
}

@InputType({ description: "The a-kasse reports its member's afgang fra efterløn (TP-3)." })
class AfgangFraEfterloenInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => LocalDateScalar, { description: 'The last day on efterløn.' })
  afgang!: LocalDate;
}

@ObjectType({ description: 'What UDK reads about a borger for efterløn and tidlig pension (TP-3).' })
class Efterloensoplysninger {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => [Medlemskab], { description: "DFDG's history of the borger's a-kasse memberships, oldest first." })
  akasseMedlemskaber!: Medlemskab[];

  @Field(() => [EfterloenPeriode], { description: 'Overgang til and afgang fra efterløn as the a-kasser reported them, oldest first.' })
  efterloensperioder!: EfterloenPeriode[];
}

@Resolver()
export class EfterloenResolver {
  private readonly service = new EfterloenService();

  @Authorized(Role.AKASSE)
  @LogsRead('efterloen')
  @Mutation(() => EfterloenPeriode, { description: "The borger's a-kasse reports the day of overgang til efterløn (TP-3). The same day again changes nothing." })
  indberetOvergangTilEfterloen(@GqlCtx() ctx: Ctx, @Arg('input') input: OvergangTilEfterloenInput): Promise<EfterloenPeriode> {
    return this.service.overgang(ctx, input.cpr, input.overgang);
  }

  @Authorized(Role.AKASSE)
  @LogsRead('efterloen')
  @Mutation(() => EfterloenPeriode, { description: 'The a-kasse reports the day of afgang fra efterløn, ending the open period (TP-3). The same day again changes nothing.' })
  indberetAfgangFraEfterloen(@GqlCtx() ctx: Ctx, @Arg('input') input: AfgangFraEfterloenInput): Promise<EfterloenPeriode> {
    return this.service.afgang(ctx, input.cpr, input.afgang);
  }

  @Authorized(Role.UDK)
  @Query(() => Efterloensoplysninger, { description: "UDK reads the borger's a-kasse membership history and the efterløn dates reported by a-kasser (TP-3)." })
  efterloensoplysninger(@GqlCtx() ctx: Ctx, @Arg('cpr', () => CprScalar) cpr: string): Promise<Efterloensoplysninger> {
    return this.service.oplysninger(ctx, cpr);
  }
}
