import { Arg, Authorized, Ctx as GqlCtx, Field, ID, Int, Mutation, ObjectType, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { Besked } from './besked.type';
import { BeskedService, PULL_MAX } from './besked.service';

@ObjectType()
class BeskedPage {
  @Field(() => [Besked])
  beskeder!: Besked[];

  @Field(() => ID, { description: 'The acknowledged id the page was read after.' })
  kvitteretTil!: string;
}

const service = new BeskedService();
const RECIPIENTS = [Role.JOBCENTER, Role.AKASSE, Role.UDB, Role.UDK, Role.BORGER];

@Resolver()
export class BeskedResolver {
  @Authorized(...RECIPIENTS)
  @Query(() => BeskedPage, {
    description: `WSRM-style pull: the next messages (at most ${PULL_MAX}) after the last acknowledged one, for the caller's own organisation. A queue per serviceName, or all services when omitted.`,
  })
  naesteBeskeder(
    @GqlCtx() ctx: Ctx,
    @Arg('max', () => Int, { defaultValue: PULL_MAX }) max: number,
    @Arg('serviceName', () => String, { nullable: true }) serviceName: string | null,
  ): Promise<BeskedPage> {
    return service.naeste(ctx, max, serviceName ?? null);
  }

  @Authorized(...RECIPIENTS)
  @Mutation(() => ID, { description: 'Acknowledges the queue up to and including `tilOgMed`, which naesteBeskeder must have handed out; returns the acknowledged id.' })
  kvitterBeskeder(
    @GqlCtx() ctx: Ctx,
    @Arg('tilOgMed', () => ID) tilOgMed: string,
    @Arg('serviceName', () => String, { nullable: true }) serviceName: string | null,
  ): Promise<string> {
    return service.kvitter(ctx, tilOgMed, serviceName ?? null);
  }

  @Subscription(() => Besked, {
    description:
      "Live messages for the caller's own organisation, in id order. With `after` (the last id seen) it first replays what was missed, then goes live, with no gap and no duplicate.",
    subscribe: ({ args, context }) => service.subscribe(context as Ctx, (args.after as string | null) ?? null, (args.serviceName as string | null) ?? null),
  })
  beskeder(
    @Root() besked: Besked,
    @Arg('after', () => ID, { nullable: true }) _after: string | null,
    @Arg('serviceName', () => String, { nullable: true }) _serviceName: string | null,
  ): Besked {
    return besked;
  }
}
