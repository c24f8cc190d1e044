import { Arg, Authorized, Ctx as GqlCtx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Borger } from '../borger/borger.entity';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { KONTAKTPERSON_LAESERE } from './kontaktperson.loaders';
import { EmailScalar, PhoneScalar } from '../scalars/contact';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { BorgerFlytning } from './borger-flytning.entity';
import { FlytningService } from './flytning.service';
import { Kontakt, KontaktArt } from './kontakt.entity';
import { Kontaktperson } from './kontaktperson.entity';
import './kontaktperson.messages';
import { KontaktpersonService } from './kontaktperson.service';
import { UdbKontaktService } from './udb-kontakt.service';
import { LogsRead } from '../access-log/logs-read';

@InputType({ description: 'KP-5: a contact person, team or generic team. Type 32 needs e-mail, phone and art.' })
class KontaktInput {
  @Field({ description: 'Name of the person or team, 1-200 characters.' })
  navn!: string;

  @Field(() => EmailScalar, { nullable: true })
  email?: string | null;

  @Field(() => PhoneScalar, { nullable: true, description: '8 digits, optionally +45.' })
  telefon?: string | null;

  @Field(() => PhoneScalar, { nullable: true, description: 'Mobile, 8 digits, optionally +45.' })
  mobil?: string | null;

  @Field(() => KontaktArt, { nullable: true })
  art?: KontaktArt | null;

  @Field(() => String, { nullable: true, description: 'CVR, 8 digits.' })
  cvr?: string | null;

  @Field(() => String, { nullable: true, description: 'P-nummer, 10 digits.' })
  pnr?: string | null;

  @Field(() => String, { nullable: true, description: 'Own key, e.g. from AD.' })
  internNoegle?: string | null;
}

@InputType({ description: 'Attaches a kontakt to a borger as a kontaktperson of a type: give kontaktId (an existing kontakt of yours) or kontakt (a new one).' })
class RegistrerKontaktpersonInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => Int, { description: 'Code table KONTAKTPERSONTYPE (KP-1); 31 comes from UDB only (KP-7).' })
  kontaktpersontype!: number;

  @Field(() => ID, { nullable: true })
  kontaktId?: string | null;

  @Field(() => KontaktInput, { nullable: true })
  kontakt?: KontaktInput | null;

  @Field(() => String, { nullable: true })
  rolle?: string | null;

  @Field(() => LocalDateScalar)
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  slut?: LocalDate | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  visesPaaJobnet?: boolean | null;
}

@InputType({ description: 'What to change of a kontaktperson; fields left out stay as they are (slut: null reopens).' })
class AendrKontaktpersonInput {
  @Field(() => String, { nullable: true })
  rolle?: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  start?: LocalDate | null;

  @Field(() => LocalDateScalar, { nullable: true })
  slut?: LocalDate | null;

  @Field(() => Boolean, { nullable: true })
  visesPaaJobnet?: boolean | null;
}

@InputType({ description: 'KP-4: the jobcenter moves the borger to another jobcenter itself (no CPR move).' })
class FlytJobcentertilknytningInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field({ description: 'Kommunekode of the new jobcenter.' })
  tilJobcenter!: string;
}

@InputType({ description: 'A batch from CPR: every borger with bopælskommune fraKommune moves to tilKommune (municipal merger).' })
class CprMasseflytningInput {
  @Field()
  fraKommune!: string;

  @Field()
  tilKommune!: string;

  @Field(() => Date, {
    description:
      "When CPR registered the merger. It becomes each moved borger's registration time, so a borger's own event registered before it and delivered after it changes nothing (anvendt: false); a borger whose own event CPR registered after the merger is left as it is.",
  })
  registreret!: Date;
}

@ObjectType({ description: 'What a batch move changed.' })
class MasseflytningResultat {
  @Field(() => Int)
  borgere!: number;

  @Field(() => Int, { description: "Borgere of fraKommune left where they are: CPR registered their own state after the merger, and that state already holds." })
  borgereSprungetOver!: number;

  @Field(() => Int, { description: 'KP-2/KP-3.' })
  kontaktpersonerAfsluttet!: number;

  @Field(() => Int, { description: 'PG-1.' })
  markeringerLukket!: number;
}

@InputType({ description: 'A type-31 contact at the place of education, as UDB registers it (KP-7): all fields required.' })
class UdbKontaktInput {
  @Field()
  navn!: string;

  @Field(() => EmailScalar)
  email!: string;

  @Field(() => PhoneScalar)
  telefon!: string;

  @Field({ description: '8 digits.' })
  cvr!: string;

  @Field({ description: 'P-nummer, 10 digits.' })
  pnr!: string;
}

@InputType({ description: "UDB: a borger's complete current set of type-31 contacts." })
class UdbKontaktpersonerInput {
  @Field({ description: "UDB's id of the event; a re-sent event with the same id changes nothing." })
  haendelseId!: string;

  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => LocalDateScalar)
  dato!: LocalDate;

  @Field(() => [UdbKontaktInput])
  kontakter!: UdbKontaktInput[];
}

@ObjectType()
class UdbKontaktpersonerKvittering {
  @Field({ description: 'False when the same event had been received before.' })
  ny!: boolean;

  @Field({ description: 'KP-7: false when nothing was applied: a re-send, or a snapshot older than the one in force (a later event or a later daily import).' })
  anvendt!: boolean;

  @Field(() => Int)
  tilfoejet!: number;

  @Field(() => Int)
  afsluttet!: number;

  @Field({ description: 'KP-8: the jobcenter was sent GetPersonAuthorityContactVersion1.' })
  jobcenterAdviseret!: boolean;
}

const LAESERE = KONTAKTPERSON_LAESERE;
/** The moves and what they ended: the jobcenter's case work, and the CPR feed's answer to the move it reported. */
const FLYTNING_LAESERE = [Role.JOBCENTER, Role.SYSTEM, Role.CPR] as const;

/** Borgerkommunikation.FagprofessionelKontaktService (KP-1..KP-7) and the moves that end contacts (KP-2..KP-4). */
@Resolver()
export class KontaktpersonResolver {
  private readonly service = new KontaktpersonService();
  private readonly flytning = new FlytningService();
  private readonly udb = new UdbKontaktService();

  @Authorized(...LAESERE)
  @Query(() => [Kontaktperson], { description: "The borger's kontaktpersoner (all, or only those covering today)." })
  kontaktpersoner(
    @GqlCtx() ctx: Ctx,
    @Arg('cpr', () => CprScalar) cpr: string,
    @Arg('kunAktive', () => Boolean, { defaultValue: false }) kunAktive: boolean,
  ): Promise<Kontaktperson[]> {
    return this.service.forCpr(ctx, cpr, kunAktive);
  }

  @Authorized(Role.JOBCENTER)
  @Query(() => [Kontakt], { description: "The calling jobcenter's own kontakter (persons and teams), to attach again." })
  fagprofessionelleKontakter(@GqlCtx() ctx: Ctx): Promise<Kontakt[]> {
    return this.service.egneKontakter(ctx);
  }

  @Authorized(Role.JOBCENTER)
  @Mutation(() => Kontakt, { description: 'KP-5: a new kontakt (person, team or generic team) of the calling jobcenter.' })
  opretFagprofessionelKontakt(@GqlCtx() ctx: Ctx, @Arg('input') input: KontaktInput): Promise<Kontakt> {
    return this.service.opretKontakt(ctx, input);
  }

  @Authorized(Role.JOBCENTER)
  @Mutation(() => Kontakt, { description: "Changes a kontakt's data for every borger it is attached to; type-32 attachments of borgere with an abonnement go to UDB (KP-6)." })
  aendrFagprofessionelKontakt(@GqlCtx() ctx: Ctx, @Arg('id', () => ID) id: string, @Arg('input') input: KontaktInput): Promise<Kontakt> {
    return this.service.aendrKontakt(ctx, id, input);
  }

  @Authorized(Role.JOBCENTER)
  @LogsRead('kontaktpersoner')
  @Mutation(() => Kontaktperson, { description: "Registers a kontaktperson for the jobcenter's borger (KP-1, KP-5); type 32 with an abonnement goes to UDB (KP-6)." })
  registrerKontaktperson(@GqlCtx() ctx: Ctx, @Arg('input') input: RegistrerKontaktpersonInput): Promise<Kontaktperson> {
    return this.service.registrer(ctx, input);
  }

  @Authorized(Role.JOBCENTER)
  @LogsRead('kontaktpersoner')
  @Mutation(() => Kontaktperson, { description: "Changes a kontaktperson's role, period or visesPaaJobnet (KP-6 for type 32)." })
  aendrKontaktperson(@GqlCtx() ctx: Ctx, @Arg('id', () => ID) id: string, @Arg('input') input: AendrKontaktpersonInput): Promise<Kontaktperson> {
    return this.service.aendr(ctx, id, input);
  }

  @Authorized(Role.JOBCENTER)
  @LogsRead('kontaktpersoner')
  @Mutation(() => Kontaktperson, { description: 'Ends a kontaktperson on `slut` (KP-6 for type 32).' })
  afslutKontaktperson(@GqlCtx() ctx: Ctx, @Arg('id', () => ID) id: string, @Arg('slut', () => LocalDateScalar) slut: LocalDate): Promise<Kontaktperson> {
    return this.service.afslut(ctx, id, slut);
  }

  @Authorized(Role.JOBCENTER, Role.SYSTEM)
  @LogsRead('flytninger')
  @Mutation(() => BorgerFlytning, {
    description: "KP-4: the borger's current or new jobcenter changes the jobcentertilknytning without a CPR move: no contact ends (KP-2 not triggered); enables PG-2.",
  })
  flytJobcentertilknytning(@GqlCtx() ctx: Ctx, @Arg('input') input: FlytJobcentertilknytningInput): Promise<BorgerFlytning> {
    return this.flytning.manuelFlytning(ctx, input);
  }

  @Authorized(Role.CPR, Role.SYSTEM)
  @Mutation(() => MasseflytningResultat, { description: 'CPR batch (municipal merger): re-codes every borger of a kommune; KP-2/KP-3 and PG-1 apply, set-based, in one transaction.' })
  cprMasseflytning(@GqlCtx() ctx: Ctx, @Arg('input') input: CprMasseflytningInput): Promise<MasseflytningResultat> {
    return this.flytning.masseflyt(ctx, input);
  }

  @Authorized(Role.UDB)
  @Mutation(() => UdbKontaktpersonerKvittering, {
    description: "UDB: a borger's type-31 contacts (KP-7) outside the daily batch; the jobcenter is told when they changed (KP-8). Unknown CPR or no active abonnement: NOT_FOUND.",
  })
  udbKontaktpersoner(@GqlCtx() ctx: Ctx, @Arg('input') input: UdbKontaktpersonerInput): Promise<UdbKontaktpersonerKvittering> {
    return this.udb.modtag(ctx, input);
  }
}

@Resolver(() => Kontakt)
export class KontaktResolver {
  /**
   * The owner's own key (e.g. its AD id) is the owner's: a jobcenter that has the borger after a manual move (KP-4)
   * sees the previous jobcenter's caseworker by name, phone and e-mail, not by its internal key.
   */
  @FieldResolver(() => String, { nullable: true, description: "The owner's own key, e.g. from AD; null for anyone but the owner." })
  internNoegle(@GqlCtx() ctx: Ctx, @Root() k: Kontakt): string | null {
    const p = ctx.principal;
    return p && p.role === k.ejerRolle && p.org === k.ejerOrg ? (k.internNoegle ?? null) : null;
  }
}

@Resolver(() => Borger)
export class BorgerKontaktpersonResolver {
  private readonly service = new KontaktpersonService();

  @Authorized(...LAESERE)
  @FieldResolver(() => [Kontaktperson], { description: 'Kontaktpersoner (all, or only those covering today).' })
  kontaktpersoner(@GqlCtx() ctx: Ctx, @Root() borger: Borger, @Arg('kunAktive', () => Boolean, { defaultValue: false }) kunAktive: boolean): Promise<Kontaktperson[]> {
    return this.service.forBorger(ctx, borger, kunAktive);
  }

  @Authorized(...FLYTNING_LAESERE)
  @FieldResolver(() => [BorgerFlytning], { description: 'Recorded changes of bopælskommune (CPR) and jobcenter (manual), oldest first, with what each ended.' })
  flytninger(@GqlCtx() ctx: Ctx, @Root() borger: Borger): Promise<BorgerFlytning[]> {
    return this.service.flytninger(ctx, borger);
  }

  @Authorized(...FLYTNING_LAESERE)
  @FieldResolver(() => BorgerFlytning, {
    nullable: true,
    description: "The latest move and what it changed (KP-2/KP-3 contacts ended, PG-1 markings closed): cprRegistrerBorger's answer says it here.",
  })
  senesteFlytning(@GqlCtx() ctx: Ctx, @Root() borger: Borger): Promise<BorgerFlytning | null> {
    return this.service.senesteFlytning(ctx, borger);
  }
}
