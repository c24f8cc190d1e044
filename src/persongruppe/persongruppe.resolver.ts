import { Arg, Authorized, Ctx as GqlCtx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Borger } from '../borger/borger.entity';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { Persongruppemarkering } from './persongruppemarkering.entity';
import { PersongruppeService } from './persongruppe.service';
import { LogsRead } from '../access-log/logs-read';

@InputType({ description: 'A new persongruppemarkering type 5 and the organisations that may use it (the creator among them).' })
class OpretPersongruppemarkeringInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => [String], { description: 'Kommunekoder of the jobcentre that may use it.' })
  jobcentre!: string[];

  @Field(() => [String], { defaultValue: [], description: 'A-kasse numbers that may use it.' })
  akasser!: string[];

  @Field(() => LocalDateScalar, { nullable: true, description: 'Default today.' })
  start?: LocalDate | null;

  @Field(() => LocalDateScalar, { nullable: true })
  slut?: LocalDate | null;
}

@InputType()
class LukPersongruppemarkeringInput {
  @Field(() => ID)
  id!: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last day; default today.' })
  slut?: LocalDate | null;
}

/** Who reads a borger's type-5 markings, as a query or as a field of Borger (the same list both ways). */
const LAESERE = [Role.JOBCENTER, Role.AKASSE, Role.SYSTEM] as const;

@Resolver()
export class PersongruppeResolver {
  private readonly service = new PersongruppeService();

  @Authorized(...LAESERE)
  @Query(() => [Persongruppemarkering], { description: "The borger's type-5 markings the caller may use (PG-1) or close (PG-2)." })
  persongruppemarkeringer(@GqlCtx() ctx: Ctx, @Arg('cpr', () => CprScalar) cpr: string): Promise<Persongruppemarkering[]> {
    return this.service.forCpr(ctx, cpr);
  }

  @Authorized(Role.JOBCENTER, Role.AKASSE)
  @LogsRead('persongruppemarkeringer')
  @Mutation(() => Persongruppemarkering, { description: 'A jobcenter (for its borger) or an a-kasse (for its member) creates a persongruppemarkering type 5.' })
  opretPersongruppemarkering(@GqlCtx() ctx: Ctx, @Arg('input') input: OpretPersongruppemarkeringInput): Promise<Persongruppemarkering> {
    return this.service.opret(ctx, input);
  }

  @Authorized(Role.JOBCENTER, Role.AKASSE)
  @LogsRead('persongruppemarkeringer')
  @Mutation(() => Persongruppemarkering, { description: 'Closes a marking: its creator; after a manual move also the new jobcenter, for markings of the previous jobcenter (PG-2).' })
  lukPersongruppemarkering(@GqlCtx() ctx: Ctx, @Arg('input') input: LukPersongruppemarkeringInput): Promise<Persongruppemarkering> {
    return this.service.luk(ctx, input);
  }
}

@Resolver(() => Borger)
export class BorgerPersongruppeResolver {
  private readonly service = new PersongruppeService();

  @Authorized(...LAESERE)
  @FieldResolver(() => [Persongruppemarkering], { description: 'Type-5 markings the caller may use or close.' })
  persongruppemarkeringer(@GqlCtx() ctx: Ctx, @Root() borger: Borger): Promise<Persongruppemarkering[]> {
    return this.service.forBorger(ctx, borger);
  }
}
