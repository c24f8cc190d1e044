import { Arg, Authorized, Ctx as GqlCtx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Borger } from '../borger/borger.entity';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { Fravaer } from './fravaer.entity';
import { FravaerService } from './fravaer.service';
import { LogsRead } from '../access-log/logs-read';

@InputType()
class RegistrerFravaerInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => Int, { description: 'Fraværstype id (code table FRAVAERSTYPE).' })
  fravaerstype!: number;

  @Field(() => LocalDateScalar)
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day; leave out for an open fravær.' })
  slut?: LocalDate | null;
}

@InputType()
class AfslutFravaerInput {
  @Field(() => ID)
  id!: string;

  @Field(() => LocalDateScalar, { description: 'Last day of the fravær.' })
  slut!: LocalDate;
}

@ObjectType({ description: 'Whether the borger has the joblog duty today, and why.' })
class Joblogpligt {
  @Field(() => LocalDateScalar)
  dato!: LocalDate;

  @Field()
  pligt!: boolean;

  @Field({ description: 'The reason, in Danish, for the case worker.' })
  begrundelse!: string;
}

@Resolver()
export class FravaerResolver {
  private readonly service = new FravaerService();

  @Authorized(Role.JOBCENTER)
  @LogsRead('fravaershistorik')
  @Mutation(() => Fravaer, { description: 'The jobcenter registers a fravær for its borger (FR-3: type 74 for dagpengemodtagere and jobparate in kontaktgruppe 2 and 26).' })
  registrerFravaer(@GqlCtx() ctx: Ctx, @Arg('input') input: RegistrerFravaerInput): Promise<Fravaer> {
    return this.service.registrer(ctx, input);
  }

  @Authorized(Role.JOBCENTER)
  @LogsRead('fravaershistorik')
  @Mutation(() => Fravaer, { description: 'The jobcenter ends a fravær of its borger on `slut`.' })
  afslutFravaer(@GqlCtx() ctx: Ctx, @Arg('input') input: AfslutFravaerInput): Promise<Fravaer> {
    return this.service.afslut(ctx, input.id, input.slut);
  }

  @Authorized(Role.JOBCENTER, Role.AKASSE, Role.BORGER, Role.SYSTEM)
  @Query(() => [Fravaer], { description: "The borger's fraværshistorik (PersonHistoryService), oldest first; an a-kasse sees what FR-1 allows." })
  fravaershistorik(@GqlCtx() ctx: Ctx, @Arg('cpr', () => CprScalar) cpr: string): Promise<Fravaer[]> {
    return this.service.historikForCpr(ctx, cpr);
  }

  @Authorized(Role.JOBCENTER, Role.AKASSE, Role.BORGER, Role.SYSTEM)
  @Query(() => Joblogpligt, { description: 'Does the borger have the joblog duty today? (FR-3: fravær 74 exempts jobparate in kontaktgruppe 2 and 26.)' })
  joblogpligt(@GqlCtx() ctx: Ctx, @Arg('cpr', () => CprScalar) cpr: string): Promise<Joblogpligt> {
    return this.service.joblogpligt(ctx, cpr);
  }
}

@Resolver(() => Borger)
export class BorgerFravaerResolver {
  private readonly service = new FravaerService();

  @Authorized(Role.JOBCENTER, Role.AKASSE, Role.BORGER, Role.SYSTEM)
  @FieldResolver(() => [Fravaer], { description: 'The fraværshistorik, oldest first; an a-kasse sees what FR-1 allows.' })
  fravaershistorik(@GqlCtx() ctx: Ctx, @Root() borger: Borger): Promise<Fravaer[]> {
    return this.service.historik(ctx, borger);
  }
}
