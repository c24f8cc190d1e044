import { Arg, Authorized, Ctx as GqlCtx, Query, Resolver } from 'type-graphql';
import type { Ctx } from '../context/context';
import { Kode, KodeListe } from './kode.entity';
import { ReferenceService } from './reference.service';

@Resolver()
export class ReferenceResolver {
  private readonly service = new ReferenceService();

  @Authorized()
  @Query(() => [Kode], { description: 'A DFDG code table (kontaktpersontyper, støttebehov, kontaktgrupper, ...).' })
  koder(@GqlCtx() ctx: Ctx, @Arg('liste', () => KodeListe) liste: KodeListe): Promise<Kode[]> {
    return this.service.list(ctx, liste);
  }
}
