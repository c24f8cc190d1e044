import { Arg, Authorized, Ctx as GqlCtx, Field, FieldResolver, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { PLAN_LAESERE } from './uddannelsesplan.loaders';
import { Borger } from '../borger/borger.entity';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { Brev } from './brev/brev.entity';
import { MentorindsatsIndhold, PlanIndhold, PlanVersion } from './plan-version.entity';
import { Uddannelsesplan } from './uddannelsesplan.entity';
import './uddannelsesplan.messages';
import { UddannelsesplanService, type PubliceringResultat } from './uddannelsesplan.service';
import { MinPlanService, type MinPlan } from './min-plan.service';
import { LogsRead } from '../access-log/logs-read';

const NO_FREE_TEXT = 'Støttebehov ids from code table STOETTEBEHOV (1–6); there is no free text for støttebehov (UP-1). UP-2..UP-5 apply.';

@InputType({ description: 'A new uddannelsesplan. UP-1..UP-5 check støttebehov, TM-2 the lists.' })
class OpretUddannelsesplanInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => Int, { description: 'Code table PLANTYPE.' })
  plantype!: number;

  @Field(() => Int, { nullable: true, description: 'Trin 1–4 of the uddannelsespålæg.' })
  trin?: number | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Frist in the trin.' })
  frist?: LocalDate | null;

  @Field(() => String, { nullable: true })
  planbeskrivelse?: string | null;

  @Field(() => String, { nullable: true, description: 'Mål.' })
  maal?: string | null;

  @Field(() => String, { nullable: true })
  ansvarligSagsbehandler?: string | null;

  @Field(() => String, { nullable: true })
  uddannelsessted?: string | null;

  @Field(() => [Int], { nullable: true, description: NO_FREE_TEXT })
  stoettebehov?: number[] | null;

  @Field(() => [String], { nullable: true, description: 'Jobmål: stillingsbetegnelser/aliaser, each at most once (TM-2).' })
  jobmaal?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Krav til jobsøgning: stillingsbetegnelser/aliaser, each at most once (TM-2).' })
  kravTilJobsoegning?: string[] | null;
}

@InputType({ description: 'A change of the plan: a field left out keeps its value; null clears it.' })
class OpdaterUddannelsesplanInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => Int, { nullable: true, description: 'Code table PLANTYPE. A change publishes uddannelsesplan.plantypeSkiftet.' })
  plantype?: number | null;

  @Field(() => Int, { nullable: true })
  trin?: number | null;

  @Field(() => LocalDateScalar, { nullable: true })
  frist?: LocalDate | null;

  @Field(() => String, { nullable: true })
  planbeskrivelse?: string | null;

  @Field(() => String, { nullable: true })
  maal?: string | null;

  @Field(() => String, { nullable: true })
  ansvarligSagsbehandler?: string | null;

  @Field(() => String, { nullable: true })
  uddannelsessted?: string | null;

  @Field(() => [Int], { nullable: true, description: NO_FREE_TEXT })
  stoettebehov?: number[] | null;

  @Field(() => [String], { nullable: true })
  jobmaal?: string[] | null;

  @Field(() => [String], { nullable: true })
  kravTilJobsoegning?: string[] | null;
}

@ObjectType({ description: 'What publishing did (UP-6, UP-7).' })
class PubliceringResultatType implements PubliceringResultat {
  @Field(() => Uddannelsesplan)
  uddannelsesplan!: Uddannelsesplan;

  @Field(() => PlanVersion, { description: 'The newest version after publishing.' })
  version!: PlanVersion;

  @Field({ description: 'UP-6: a new version was made (type-1 changes or the first publication).' })
  nyVersion!: boolean;

  @Field(() => [String], { description: 'The type-1 fields that made the new version.' })
  type1Aendringer!: PubliceringResultat['type1Aendringer'];

  @Field(() => Brev, { nullable: true, description: 'UP-7: the letter this publication made, if any.' })
  brev!: Brev | null;
}

@ObjectType({ description: "The borger's own Min plan as published (MT-2)." })
class MinPlanType implements MinPlan {
  @Field(() => Int)
  versionNr!: number;

  @Field(() => Date)
  oprettet!: Date;

  @Field({ description: 'Kommunekode of the jobcenter.' })
  jobcenter!: string;

  @Field(() => PlanIndhold, { nullable: true })
  uddannelsesplan!: PlanIndhold | null;

  @Field(() => [MentorindsatsIndhold], { description: 'Every mentorindsats of Min plan, mentortype 6 (Personlig jobformidler) included.' })
  mentorindsatser!: MentorindsatsIndhold[];

  @Field(() => [MentorindsatsIndhold], { description: '"Kontakt din mentor": current and future mentors; never mentortype 6 (MT-2).' })
  kontaktDinMentor!: MentorindsatsIndhold[];
}

@Resolver(() => Uddannelsesplan)
export class UddannelsesplanResolver {
  private readonly service = new UddannelsesplanService();

  @Authorized(Role.JOBCENTER)
  @Query(() => Uddannelsesplan, { nullable: true, description: "The calling jobcenter's uddannelsesplan for its borger (working copy), or null." })
  uddannelsesplan(@GqlCtx() ctx: Ctx, @Arg('cpr', () => CprScalar) cpr: string): Promise<Uddannelsesplan | null> {
    return this.service.hent(ctx, cpr);
  }

  @Authorized(Role.JOBCENTER)
  @LogsRead('uddannelsesplan')
  @Mutation(() => Uddannelsesplan, { description: 'Creates the uddannelsesplan of the jobcenter’s borger (UP-1..UP-5, TM-2). Publish it to make a version.' })
  opretUddannelsesplan(@GqlCtx() ctx: Ctx, @Arg('input') { cpr, ...felter }: OpretUddannelsesplanInput): Promise<Uddannelsesplan> {
    return this.service.opret(ctx, cpr, felter);
  }

  @Authorized(Role.JOBCENTER)
  @LogsRead('uddannelsesplan')
  @Mutation(() => Uddannelsesplan, { description: 'Changes the uddannelsesplan (UP-1..UP-5, TM-2). Fields left out keep their value.' })
  opdaterUddannelsesplan(@GqlCtx() ctx: Ctx, @Arg('input') { cpr, ...aendring }: OpdaterUddannelsesplanInput): Promise<Uddannelsesplan> {
    return this.service.opdater(ctx, cpr, aendring);
  }

  @Authorized(Role.JOBCENTER)
  @LogsRead('uddannelsesplan')
  @Mutation(() => PubliceringResultatType, { description: 'Publishes the plan: a new version for type-1 changes (UP-6), the letter when due (UP-7).' })
  publicerUddannelsesplan(@GqlCtx() ctx: Ctx, @Arg('cpr', () => CprScalar) cpr: string): Promise<PubliceringResultat> {
    return this.service.publicer(ctx, cpr);
  }

  @FieldResolver(() => [PlanVersion], { description: 'Every version of Min plan in this jobcenter, oldest first (UP-6).' })
  versioner(@GqlCtx() ctx: Ctx, @Root() plan: Uddannelsesplan): Promise<PlanVersion[]> {
    return this.service.versionerAf(ctx, plan);
  }

  @FieldResolver(() => PlanIndhold, { nullable: true, description: 'The plan as published (the newest version), or null before the first publication.' })
  publiceret(@GqlCtx() ctx: Ctx, @Root() plan: Uddannelsesplan): Promise<PlanIndhold | null> {
    return this.service.publiceret(ctx, plan);
  }

  @FieldResolver(() => Boolean, { description: 'The working copy differs from what is published.' })
  harUpubliceredeAendringer(@GqlCtx() ctx: Ctx, @Root() plan: Uddannelsesplan): Promise<boolean> {
    return this.service.harUpubliceredeAendringer(ctx, plan);
  }

  @FieldResolver(() => [Brev], { description: 'Letters made from this plan (UP-7), newest first.' })
  breve(@GqlCtx() ctx: Ctx, @Root() plan: Uddannelsesplan): Promise<Brev[]> {
    return this.service.breveAf(ctx, plan);
  }
}

@Resolver(() => Borger)
export class BorgerUddannelsesplanResolver {
  private readonly service = new UddannelsesplanService();

  @Authorized(...PLAN_LAESERE)
  @FieldResolver(() => Uddannelsesplan, { nullable: true, description: "The calling jobcenter's uddannelsesplan for the borger (batched)." })
  uddannelsesplan(@GqlCtx() ctx: Ctx, @Root() borger: Borger): Promise<Uddannelsesplan | null> {
    return this.service.forBorger(ctx, borger);
  }
}

@Resolver()
export class MinPlanResolver {
  private readonly service = new MinPlanService();

  @Authorized(Role.BORGER)
  @Query(() => MinPlanType, { nullable: true, description: "The calling borger's Min plan as published; null when nothing is published." })
  minPlan(@GqlCtx() ctx: Ctx): Promise<MinPlan | null> {
    return this.service.minPlan(ctx);
  }
}


