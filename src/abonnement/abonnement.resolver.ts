import { Arg, Authorized, Ctx as GqlCtx, Field, FieldResolver, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Borger } from '../borger/borger.entity';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { ABONNEMENT_LAESERE } from './abonnement.loaders';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { Abonnement } from './abonnement.entity';
import './abonnement.messages';
import { AbonnementService, lukkeaarsagNavn } from './abonnement.service';
import { UdbHaendelse, UdbHaendelsestype } from './udb-haendelse.entity';
import { UdbHaendelseService } from './udb.service';
import { LogsRead } from '../access-log/logs-read';

@InputType()
class OpretAbonnementInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => LocalDateScalar, { nullable: true, description: "First day; default the borger's 15th birthday (born 29 February: 1 March in a common year)." })
  start?: LocalDate | null;
}

@InputType()
class LukAbonnementInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => Int, { description: 'Code table ABONNEMENT_LUKKEAARSAG; 1 Fejloprettet is always allowed (AB-1, AB-2).' })
  aarsag!: number;
}

@InputType({ description: 'An event from UDB about a borger with an abonnement.' })
class UdbHaendelseInput {
  @Field({ description: "UDB's id of the event (1-100 characters); a re-sent event with the same id changes nothing." })
  haendelseId!: string;

  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => LocalDateScalar, { description: 'The day it happened; not in the future.' })
  dato!: LocalDate;

  @Field({ description: 'Uddannelsesinstitution (name or number), 1-200 characters.' })
  institution!: string;

  @Field({ description: 'The education, 1-200 characters.' })
  uddannelse!: string;
}

@InputType({ description: 'UDB: the borger completed an education (AB-5).' })
class UdbGennemfoertInput extends UdbHaendelseInput {
  @Field({ description: 'Erhvervskompetencegivende: closes the abonnement (årsag 9); otherwise the jobcenter is only notified.' })
  erhvervskompetencegivende!: boolean;
}

@ObjectType({ description: 'What DFDG did with an event from UDB.' })
class UdbKvittering {
  @Field(() => UdbHaendelse)
  haendelse!: UdbHaendelse;

  @Field({ description: 'False when the same event had been received before: nothing changed, nothing was sent.' })
  ny!: boolean;

  @Field({ description: 'The event closed the abonnement (AB-5).' })
  abonnementLukket!: boolean;
}

const LAESERE = ABONNEMENT_LAESERE;

@Resolver(() => Abonnement)
export class AbonnementResolver {
  private readonly service = new AbonnementService();

  @Authorized(...LAESERE)
  @Query(() => [Abonnement], { description: "The borger's abonnementer på uddannelseshændelser, oldest first: who opened and closed each, when and why." })
  abonnementer(@GqlCtx() ctx: Ctx, @Arg('cpr', () => CprScalar) cpr: string): Promise<Abonnement[]> {
    return this.service.historik(ctx, cpr);
  }

  @Authorized(Role.JOBCENTER)
  @LogsRead('abonnement')
  @Mutation(() => Abonnement, { description: 'The jobcenter opens an abonnement på uddannelseshændelser for its borger; UDB is told.' })
  opretAbonnement(@GqlCtx() ctx: Ctx, @Arg('input') input: OpretAbonnementInput): Promise<Abonnement> {
    return this.service.opret(ctx, input);
  }

  @Authorized(Role.JOBCENTER)
  @LogsRead('abonnement')
  @Mutation(() => Abonnement, { description: "The jobcenter closes its borger's abonnement (AB-1, AB-2); UDB is told." })
  lukAbonnement(@GqlCtx() ctx: Ctx, @Arg('input') input: LukAbonnementInput): Promise<Abonnement> {
    return this.service.lukAfJobcenter(ctx, input);
  }

  @FieldResolver(() => String, { nullable: true })
  lukkeaarsagNavn(@GqlCtx() ctx: Ctx, @Root() a: Abonnement): Promise<string | null> {
    return lukkeaarsagNavn(ctx, a.lukkeaarsag);
  }
}

@Resolver(() => Borger)
export class BorgerAbonnementResolver {
  private readonly service = new AbonnementService();
  private readonly udb = new UdbHaendelseService();

  @Authorized(...LAESERE)
  @FieldResolver(() => [Abonnement], { description: 'Abonnementer på uddannelseshændelser, oldest first.' })
  abonnementer(@GqlCtx() ctx: Ctx, @Root() borger: Borger): Promise<Abonnement[]> {
    return this.service.forBorger(ctx, borger);
  }

  @Authorized(...LAESERE)
  @FieldResolver(() => [UdbHaendelse], { description: 'Events UDB reported (admission, completion, risk of dropout, contacts), newest first.' })
  udbHaendelser(@GqlCtx() ctx: Ctx, @Root() borger: Borger): Promise<UdbHaendelse[]> {
    return this.udb.forBorger(ctx, borger);
  }
}

@Resolver()
export class UdbResolver {
  private readonly service = new UdbHaendelseService();

  @Authorized(Role.UDB)
  @LogsRead('udbHaendelser')
  @Mutation(() => UdbKvittering, { description: 'UDB: the borger was admitted (optaget) to an education. Unknown CPR or no active abonnement: NOT_FOUND.' })
  udbOptaget(@GqlCtx() ctx: Ctx, @Arg('input') input: UdbHaendelseInput): Promise<UdbKvittering> {
    return this.service.optaget(ctx, input);
  }

  @Authorized(Role.UDB)
  @LogsRead('udbHaendelser')
  @Mutation(() => UdbKvittering, { description: 'UDB: the borger completed an education (AB-5): the jobcenter is notified; erhvervskompetencegivende closes the abonnement.' })
  udbUddannelseGennemfoert(@GqlCtx() ctx: Ctx, @Arg('input') input: UdbGennemfoertInput): Promise<UdbKvittering> {
    return this.service.gennemfoert(ctx, input);
  }

  @Authorized(Role.UDB)
  @LogsRead('udbHaendelser')
  @Mutation(() => UdbKvittering, { description: "UDB: risk of dropout (frafald); reaches the borger's jobcenter even when it has closed the case (AB-9)." })
  udbRisikoForFrafald(@GqlCtx() ctx: Ctx, @Arg('input') input: UdbHaendelseInput): Promise<UdbKvittering> {
    return this.service.frafald(ctx, input);
  }

  @Authorized(...LAESERE)
  @Query(() => [UdbHaendelse], { description: "Events UDB reported about the borger, newest first (AB-9: also after the jobcenter closed the borger's case)." })
  udbHaendelser(
    @GqlCtx() ctx: Ctx,
    @Arg('cpr', () => CprScalar) cpr: string,
    @Arg('type', () => UdbHaendelsestype, { nullable: true }) type: UdbHaendelsestype | null,
  ): Promise<UdbHaendelse[]> {
    return this.service.historik(ctx, cpr, type ?? null);
  }
}
