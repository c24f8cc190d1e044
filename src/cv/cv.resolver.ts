import { Arg, Authorized, Ctx as GqlCtx, Field, FieldResolver, InputType, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { Borger } from '../borger/borger.entity';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { CvTilstand } from './cv-tilstand.entity';
import { CvService } from './cv.service';
import { LogsRead } from '../access-log/logs-read';

@InputType({ description: 'A CV status report (JobSearch.CvWorkflowService).' })
class IndberetCvStatusInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => Int, { description: 'CV status (code table CV_STATUS): an a-kasse reports 2 or 3 (CV-2), a jobcenter 2, 3 or 5 (CV-3).' })
  status!: number;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Hændelsesdato: only for a report with a historic date; the rules are checked against the borger as they were then (CV-1).' })
  eventDate?: LocalDate | null;

  @Field(() => String, { nullable: true, description: 'Why the report is historic; a historic date without one gets a warning (CV-1).' })
  kommentar?: string | null;
}

@InputType({ description: 'Jobnet: the CV was saved by the borger.' })
class JobnetCvInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => Int, { description: '0 CV påbegyndt or 1 Klar til godkendelse.' })
  status!: number;

  @Field(() => Boolean)
  soegbar!: boolean;
}

@ObjectType({ description: 'The borger as they were on the event date: what the report was checked against (CV-1).' })
class CvVurderingsgrundlag {
  @Field()
  tilmeldt!: boolean;

  @Field()
  sygemeldt!: boolean;

  @Field(() => Int, { nullable: true })
  kontaktgruppe!: number | null;

  @Field()
  jobparat!: boolean;

  @Field(() => Int, { nullable: true, description: 'null: no CV on that date.' })
  cvStatus!: number | null;

  @Field()
  soegbar!: boolean;
}

@ObjectType({ description: 'The outcome of an accepted CV status report.' })
class CvStatusIndberetningResultat {
  @Field(() => LocalDateScalar)
  haendelsesdato!: LocalDate;

  @Field()
  historisk!: boolean;

  @Field({ description: 'False when the status stayed (CV-4: a-kasse reporting 3 on a CV that is not searchable).' })
  statusAendret!: boolean;

  @Field(() => CvTilstand, { description: 'The CV from the event date on.' })
  cvPaaHaendelsesdato!: CvTilstand;

  @Field(() => CvTilstand, { nullable: true, description: 'The CV today; a change made after the event date stays.' })
  cv!: CvTilstand | null;

  @Field(() => CvVurderingsgrundlag)
  grundlag!: CvVurderingsgrundlag;

  @Field(() => [String], { description: 'Accepted, but worth a look (CV-1: a historic date without a comment).' })
  advarsler!: string[];
}

@Resolver()
export class CvResolver {
  private readonly service = new CvService();

  @Authorized(Role.AKASSE, Role.JOBCENTER)
  @LogsRead('cv', (_: unknown, a: { input?: { cpr?: string } }) => a.input?.cpr)
  @Mutation(() => CvStatusIndberetningResultat, { description: 'An a-kasse (for its member) or a jobcenter (for its borger) reports CV status, optionally with a historic event date (CV-1..CV-4).' })
  indberetCvStatus(@GqlCtx() ctx: Ctx, @Arg('input') input: IndberetCvStatusInput): Promise<CvStatusIndberetningResultat> {
    return this.service.indberet(ctx, input);
  }

  @Authorized(Role.BORGER, Role.SYSTEM)
  @LogsRead('cv', (_: unknown, a: { input?: { cpr?: string } }) => a.input?.cpr)
  @Mutation(() => CvTilstand, { description: "Jobnet: the borger's CV is påbegyndt (0) or klar til godkendelse (1), searchable or not, from today." })
  jobnetCvOpdateret(@GqlCtx() ctx: Ctx, @Arg('input') input: JobnetCvInput): Promise<CvTilstand> {
    return this.service.jobnetOpdateret(ctx, input.cpr, input.status, input.soegbar);
  }
}

@Resolver(() => Borger)
export class BorgerCvResolver {
  private readonly service = new CvService();

  @Authorized(Role.JOBCENTER, Role.AKASSE, Role.BORGER, Role.SYSTEM)
  @FieldResolver(() => CvTilstand, { nullable: true, description: 'The CV today: status, searchable, comment.' })
  cv(@GqlCtx() ctx: Ctx, @Root() borger: Borger): Promise<CvTilstand | null> {
    return this.service.idag(ctx, borger.cpr);
  }

  @Authorized(Role.JOBCENTER, Role.AKASSE, Role.BORGER, Role.SYSTEM)
  @FieldResolver(() => [CvTilstand], { description: 'The CV state periods, oldest first.' })
  cvHistorik(@GqlCtx() ctx: Ctx, @Root() borger: Borger): Promise<CvTilstand[]> {
    return this.service.historik(ctx, borger.cpr);
  }
}
