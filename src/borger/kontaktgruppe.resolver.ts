import { Arg, Authorized, Ctx as GqlCtx, Field, InputType, Int, Mutation, Resolver } from 'type-graphql';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { Borger } from './borger.entity';
import { KontaktgruppeService } from './kontaktgruppe.service';
import { LogsRead } from '../access-log/logs-read';

@InputType()
class SkiftKontaktgruppeInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => Int)
  kontaktgruppe!: number;

  @Field(() => LocalDateScalar)
  start!: LocalDate;
}

@InputType()
class LukKontaktgruppeInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => LocalDateScalar)
  slut!: LocalDate;
}

@Resolver()
export class KontaktgruppeResolver {
  private readonly service = new KontaktgruppeService();

  @Authorized(Role.JOBCENTER)
  @LogsRead('borger')
  @Mutation(() => Borger, { description: "Moves the jobcenter's borger to another kontaktgruppe from `start`." })
  skiftKontaktgruppe(@GqlCtx() ctx: Ctx, @Arg('input') input: SkiftKontaktgruppeInput): Promise<Borger> {
    return this.service.skift(ctx, input.cpr, input.kontaktgruppe, input.start);
  }

  @Authorized(Role.JOBCENTER)
  @LogsRead('borger')
  @Mutation(() => Borger, { description: 'Closes the open kontaktgruppe on `slut` without opening another.' })
  lukKontaktgruppe(@GqlCtx() ctx: Ctx, @Arg('input') input: LukKontaktgruppeInput): Promise<Borger> {
    return this.service.luk(ctx, input.cpr, input.slut);
  }
}
