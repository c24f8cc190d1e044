import { Arg, Authorized, Ctx as GqlCtx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { EmailScalar, PhoneScalar } from '../scalars/contact';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { PlanVersion } from '../uddannelsesplan/plan-version.entity';
import { IndsatsService, type MentorindsatsResultat } from './indsats.service';
import { Kursusindsats } from './kursusindsats.entity';
import { Mentorindsats } from './mentorindsats.entity';
import { LogsRead } from '../access-log/logs-read';

@InputType({ description: 'A mentorindsats: mentortype 1–6 (6 Personlig jobformidler), period and the mentor’s contact data (MT-1).' })
class MentorindsatsInput {
  @Field(() => Int, { description: 'Code table MENTORTYPE, 1–6.' })
  mentortype!: number;

  @Field(() => LocalDateScalar)
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  slut?: LocalDate | null;

  @Field({ description: 'The mentor: name of person or team.' })
  navn!: string;

  @Field(() => PhoneScalar)
  telefon!: string;

  @Field(() => EmailScalar)
  email!: string;
}

@InputType({ description: 'A kursusindsats (MT-3: afholdelseskategori 42 and 43 are udgået).' })
class KursusindsatsInput {
  @Field(() => Int, { description: 'Code table AFHOLDELSESKATEGORI.' })
  afholdelseskategori!: number;

  @Field(() => LocalDateScalar)
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  slut?: LocalDate | null;

  @Field(() => String, { nullable: true, description: 'The result (e.g. of a læse-, skrive- og regnetest); never sent to UDB.' })
  resultat?: string | null;
}

@ObjectType({ description: 'A registered mentorindsats and the Min plan version it made (MT-1).' })
class MentorindsatsResultatType implements MentorindsatsResultat {
  @Field(() => Mentorindsats)
  mentorindsats!: Mentorindsats;

  @Field(() => PlanVersion)
  planVersion!: PlanVersion;
}

@Resolver()
export class IndsatsResolver {
  private readonly service = new IndsatsService();

  @Authorized(Role.JOBCENTER)
  @Query(() => [Mentorindsats], { description: "The calling jobcenter's mentorindsatser for its borger." })
  mentorindsatser(@GqlCtx() ctx: Ctx, @Arg('cpr', () => CprScalar) cpr: string): Promise<Mentorindsats[]> {
    return this.service.mentorindsatser(ctx, cpr);
  }

  @Authorized(Role.JOBCENTER)
  @Query(() => [Kursusindsats], { description: "The calling jobcenter's kursusindsatser for its borger." })
  kursusindsatser(@GqlCtx() ctx: Ctx, @Arg('cpr', () => CprScalar) cpr: string): Promise<Kursusindsats[]> {
    return this.service.kursusindsatser(ctx, cpr);
  }

  @Authorized(Role.JOBCENTER)
  @LogsRead('mentorindsats')
  @Mutation(() => MentorindsatsResultatType, { description: 'Registers a mentorindsats (MT-1); makes a new version of Min plan.' })
  registrerMentorindsats(
    @GqlCtx() ctx: Ctx,
    @Arg('cpr', () => CprScalar) cpr: string,
    @Arg('input') input: MentorindsatsInput,
  ): Promise<MentorindsatsResultat> {
    return this.service.registrerMentor(ctx, cpr, { ...input, slut: input.slut ?? null });
  }

  @Authorized(Role.JOBCENTER)
  @LogsRead('mentorindsats')
  @Mutation(() => MentorindsatsResultatType, { description: 'Changes a mentorindsats (MT-1); makes a new version of Min plan.' })
  opdaterMentorindsats(@GqlCtx() ctx: Ctx, @Arg('id', () => ID) id: string, @Arg('input') input: MentorindsatsInput): Promise<MentorindsatsResultat> {
    return this.service.opdaterMentor(ctx, id, { ...input, slut: input.slut ?? null });
  }

  @Authorized(Role.JOBCENTER)
  @LogsRead('kursusindsats')
  @Mutation(() => Kursusindsats, { description: 'Registers a kursusindsats; afholdelseskategori 42 and 43 are refused (MT-3).' })
  registrerKursusindsats(@GqlCtx() ctx: Ctx, @Arg('cpr', () => CprScalar) cpr: string, @Arg('input') input: KursusindsatsInput): Promise<Kursusindsats> {
    return this.service.registrerKursus(ctx, cpr, input);
  }

  @Authorized(Role.JOBCENTER)
  @LogsRead('kursusindsats')
  @Mutation(() => Kursusindsats, { description: 'Changes a kursusindsats; one that has 42 or 43 keeps it (MT-3).' })
  opdaterKursusindsats(@GqlCtx() ctx: Ctx, @Arg('id', () => ID) id: string, @Arg('input') input: KursusindsatsInput): Promise<Kursusindsats> {
    return this.service.opdaterKursus(ctx, id, input);
  }
}
