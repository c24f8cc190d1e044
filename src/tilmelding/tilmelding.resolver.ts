import { Arg, Authorized, Ctx as GqlCtx, Field, FieldResolver, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Borger } from '../borger/borger.entity';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { Fravaer } from '../fravaer/fravaer.entity';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { JobparathedPeriode } from './jobparathed-periode.entity';
import { Tilmelding } from './tilmelding.entity';
import { TilmeldingService } from './tilmelding.service';
import { LogsRead } from '../access-log/logs-read';

@InputType()
class TilmeldBorgerInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => LocalDateScalar, { description: 'First day tilmeldt.' })
  start!: LocalDate;

  @Field(() => [String], { description: 'Stillingsbetegnelser/aliaser; each at most once (TM-1).' })
  stillingsbetegnelser!: string[];
}

@InputType()
class AfmeldBorgerInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => LocalDateScalar, { description: 'Last day tilmeldt.' })
  slut!: LocalDate;
}

@InputType()
class RegistrerJobparathedInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => Boolean, { description: 'Jobparat (true) or aktivitetsparat (false).' })
  jobparat!: boolean;

  @Field(() => LocalDateScalar)
  start!: LocalDate;
}

@InputType({ description: 'KSD: the borger is sick from `foersteSygedag`.' })
class KsdSygemeldingInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => LocalDateScalar)
  foersteSygedag!: LocalDate;
}

@InputType({ description: 'KSD: the borger is well from `raskmeldtDato`.' })
class KsdRaskmeldingInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => LocalDateScalar, { description: 'First day well, as KSD reports it. Ends the sygdom fravær; the gentilmelding is from today whatever this says (FR-2).' })
  raskmeldtDato!: LocalDate;
}

@ObjectType({ description: 'Whether the borger was tilmeldt on a date.' })
class TilmeldingPaaDato {
  @Field(() => LocalDateScalar)
  dato!: LocalDate;

  @Field()
  tilmeldt!: boolean;

  @Field(() => Tilmelding, { nullable: true, description: 'The tilmelding covering the date.' })
  tilmelding!: Tilmelding | null;
}

@ObjectType({ description: 'What a message from KSD changed. Both `tilmelding` and `sygdom` null: nothing, the message was a redelivery or out of date.' })
class KsdResultat {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => Tilmelding, { nullable: true, description: 'Sygemelding: the tilmelding that ended. Raskmelding: the gentilmelding (FR-2). Null when none.' })
  tilmelding!: Tilmelding | null;

  @Field(() => Fravaer, { nullable: true, description: 'The sygdom fravær opened or ended. Null when none.' })
  sygdom!: Fravaer | null;
}

@Resolver()
export class TilmeldingResolver {
  private readonly service = new TilmeldingService();

  @Authorized(Role.JOBCENTER)
  @LogsRead('tilmelding')
  @Mutation(() => Tilmelding, { description: 'The jobcenter tilmelder its borger as jobsøgende (TM-1: each stillingsbetegnelse/alias at most once).' })
  tilmeldBorger(@GqlCtx() ctx: Ctx, @Arg('input') input: TilmeldBorgerInput): Promise<Tilmelding> {
    return this.service.tilmeld(ctx, input.cpr, input.start, input.stillingsbetegnelser);
  }

  @Authorized(Role.JOBCENTER)
  @LogsRead('tilmelding')
  @Mutation(() => Tilmelding, { description: 'The jobcenter afmelder its borger; the open tilmelding ends on `slut`.' })
  afmeldBorger(@GqlCtx() ctx: Ctx, @Arg('input') input: AfmeldBorgerInput): Promise<Tilmelding> {
    return this.service.afmeld(ctx, input.cpr, input.slut);
  }

  @Authorized(Role.JOBCENTER, Role.AKASSE, Role.BORGER, Role.SYSTEM)
  @Query(() => TilmeldingPaaDato, { description: 'Was the borger tilmeldt on `dato`?' })
  tilmeldingPaaDato(
    @GqlCtx() ctx: Ctx,
    @Arg('cpr', () => CprScalar) cpr: string,
    @Arg('dato', () => LocalDateScalar) dato: LocalDate,
  ): Promise<TilmeldingPaaDato> {
    return this.service.paaDato(ctx, cpr, dato);
  }

  @Authorized(Role.JOBCENTER)
  @LogsRead('borger')
  @Mutation(() => Borger, { description: 'The jobcenter registers the borger as jobparat or aktivitetsparat from `start` (kept as history).' })
  registrerJobparathed(@GqlCtx() ctx: Ctx, @Arg('input') input: RegistrerJobparathedInput): Promise<Borger> {
    return this.service.registrerJobparathed(ctx, input.cpr, input.jobparat, input.start);
  }

  @Authorized(Role.KSD, Role.SYSTEM)
  @LogsRead('tilmelding')
  @Mutation(() => KsdResultat, { description: 'KSD sygemelder a borger: a sygdom fravær opens and an open tilmelding ends the day before.' })
  ksdSygemelding(@GqlCtx() ctx: Ctx, @Arg('input') input: KsdSygemeldingInput): Promise<KsdResultat> {
    return this.service.ksdSygemelding(ctx, input.cpr, input.foersteSygedag);
  }

  @Authorized(Role.KSD, Role.SYSTEM)
  @LogsRead('tilmelding')
  @Mutation(() => KsdResultat, { description: 'KSD raskmelder a borger: the sygdom fravær ends and the borger is gentilmeldt with today’s date (FR-2).' })
  ksdRaskmelding(@GqlCtx() ctx: Ctx, @Arg('input') input: KsdRaskmeldingInput): Promise<KsdResultat> {
    return this.service.ksdRaskmelding(ctx, input.cpr, input.raskmeldtDato);
  }
}

@Resolver(() => Borger)
export class BorgerTilmeldingResolver {
  private readonly service = new TilmeldingService();

  @Authorized(Role.JOBCENTER, Role.AKASSE, Role.BORGER, Role.SYSTEM)
  @FieldResolver(() => [Tilmelding], { description: 'Every tilmelding period, oldest first.' })
  tilmeldinger(@GqlCtx() ctx: Ctx, @Root() borger: Borger): Promise<Tilmelding[]> {
    return this.service.historik(ctx, borger.cpr);
  }

  @Authorized(Role.JOBCENTER, Role.AKASSE, Role.BORGER, Role.SYSTEM)
  @FieldResolver(() => [JobparathedPeriode], { description: 'Jobparathed periods, oldest first (empty: only the `jobparat` flag is known).' })
  jobparathedHistorik(@GqlCtx() ctx: Ctx, @Root() borger: Borger): Promise<JobparathedPeriode[]> {
    return this.service.jobparathedHistorik(ctx, borger.cpr);
  }
}
