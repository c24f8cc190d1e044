import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, ArgsType, Authorized, Ctx as GqlCtx, Field, FieldResolver, Info, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { selectedFields } from '../http/look-ahead';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { Borger } from './borger.entity';
import { BorgerService } from './borger.service';
import { KontaktgruppePeriode } from './kontaktgruppe-periode.entity';
import { KONTAKTGRUPPE_LAESERE } from './borger.loaders';
import { LogsRead } from '../access-log/logs-read';
import { sidestoerrelse } from '../scalars/paging';

@ObjectType()
class BorgerPage {
  @Field(() => [Borger])
  items!: Borger[];

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page; null on the last page.' })
  nextCursor!: string | null;
}

@ArgsType()
class PageArgs {
  @Field(() => Int, { defaultValue: 50 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@InputType({ description: 'What the CPR feed reports about a borger.' })
class CprBorgerInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field()
  fornavn!: string;

  @Field()
  efternavn!: string;

  @Field({ description: 'Kommunekode, 3 digits.' })
  bopaelskommune!: string;

  @Field(() => Date, {
    description:
      'When CPR registered this state of the borger. Events apply in this order: one registered before the state in force (one sent again after a newer one), or at the same instant and identical to it (a redelivery), changes nothing and is answered anvendt: false; one at the same instant with other content is refused (CONFLICT).',
  })
  registreret!: Date;
}

@ObjectType()
class CprRegistrering {
  @Field(() => Borger)
  borger!: Borger;

  @Field({ description: 'The borger was new to the service.' })
  oprettet!: boolean;

  @Field({ description: 'The bopælskommune changed: a CPR move.' })
  flyttet!: boolean;

  @Field({ description: 'False when the event changed nothing: CPR had registered it before the state in force, or it repeats that state.' })
  anvendt!: boolean;
}

@Resolver(() => Borger)
export class BorgerResolver {
  private readonly service = new BorgerService();

  @Authorized(Role.JOBCENTER, Role.AKASSE, Role.BORGER, Role.UDK, Role.SYSTEM)
  @Query(() => Borger, { description: 'One borger, if the caller may see them (a jobcenter its own, an a-kasse its members, a borger themself).' })
  borger(@GqlCtx() ctx: Ctx, @Arg('cpr', () => CprScalar) cpr: string, @Info() info: GraphQLResolveInfo): Promise<Borger> {
    return this.service.get(ctx, cpr, selectedFields(info));
  }

  @Authorized(Role.JOBCENTER)
  @Query(() => BorgerPage, { description: "The calling jobcenter's borgere, in CPR order." })
  borgere(@GqlCtx() ctx: Ctx, @Args() { first, after }: PageArgs): Promise<BorgerPage> {
    return this.service.listForJobcenter(ctx, sidestoerrelse(first), after ?? null);
  }

  @Authorized(Role.CPR, Role.SYSTEM)
  @LogsRead('borger')
  @Mutation(() => CprRegistrering, { description: 'CPR feed: a borger is created, renamed or has moved (new bopælskommune).' })
  cprRegistrerBorger(@GqlCtx() ctx: Ctx, @Arg('input') input: CprBorgerInput): Promise<CprRegistrering> {
    return this.service.registrerFraCpr(ctx, input);
  }

  @Authorized(...KONTAKTGRUPPE_LAESERE)
  @FieldResolver(() => KontaktgruppePeriode, { nullable: true, description: 'The kontaktgruppe today.' })
  kontaktgruppe(@GqlCtx() ctx: Ctx, @Root() borger: Borger): Promise<KontaktgruppePeriode | undefined> {
    return this.service.kontaktgruppe(ctx, borger);
  }

  @Authorized(...KONTAKTGRUPPE_LAESERE)
  @FieldResolver(() => [KontaktgruppePeriode])
  kontaktgruppeHistorik(@GqlCtx() ctx: Ctx, @Root() borger: Borger): Promise<KontaktgruppePeriode[]> {
    return this.service.kontaktgruppeHistorik(ctx, borger);
  }
}
