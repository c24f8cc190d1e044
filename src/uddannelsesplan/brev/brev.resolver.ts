import { Arg, Authorized, Ctx as GqlCtx, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import type { Ctx } from '../../context/context';
import { Role } from '../../context/roles';
import { BadInputError } from '../../errors/domain-errors';
import { Brev } from './brev.entity';
import { BREV_TITEL } from './brev.pdf';
import { BrevPunkt, PUNKT_TEKST, type BrevKontakt } from './brev.rules';
import { BrevService, pdfSti } from './brev.service';

registerEnumType(BrevPunkt, { name: 'BrevPunkt', description: 'The bullets of the letter (Bilag 1).' });

@ObjectType({ description: "The borger's type-32 contact as the letter names it." })
class BrevKontaktType implements BrevKontakt {
  @Field()
  navn!: string;

  @Field(() => String, { nullable: true })
  telefon!: string | null;

  @Field(() => String, { nullable: true })
  mobil!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;
}

/** Requests (or graphql-ws operations: one context each) that have had their one PDF. */
const pdfGiven = new WeakSet<Ctx>();

@Resolver(() => Brev)
export class BrevResolver {
  private readonly service = new BrevService();

  @Authorized(Role.BORGER)
  @Query(() => [Brev], { description: "The calling borger's letters (UP-7), newest first." })
  mineBreve(@GqlCtx() ctx: Ctx): Promise<Brev[]> {
    return this.service.mine(ctx);
  }

  @Authorized(Role.BORGER, Role.JOBCENTER)
  @Query(() => Brev, { description: 'One letter: the borger’s own, or one the calling jobcenter made.' })
  brev(@GqlCtx() ctx: Ctx, @Arg('id', () => ID) id: string): Promise<Brev> {
    return this.service.hent(ctx, id);
  }

  @FieldResolver(() => String)
  titel(): string {
    return BREV_TITEL;
  }

  @FieldResolver(() => [BrevPunkt])
  punktKoder(@Root() brev: Brev): BrevPunkt[] {
    return brev.indhold.punkter;
  }

  @FieldResolver(() => [String], { description: 'The bullets as printed.' })
  punkter(@Root() brev: Brev): string[] {
    return brev.indhold.punkter.map((p) => PUNKT_TEKST[p]);
  }

  @FieldResolver(() => String, { description: '"Jobcenter <navn>".' })
  jobcenterNavn(@Root() brev: Brev): string {
    return brev.indhold.jobcenterNavn;
  }

  @FieldResolver(() => BrevKontaktType, { nullable: true, description: 'The type-32 contact named in the letter, if one existed.' })
  kontakt(@Root() brev: Brev): BrevKontakt | null {
    return brev.indhold.kontakt;
  }

  @FieldResolver(() => String, { description: 'GET this path with the same bearer token for the PDF.' })
  pdfSti(@Root() brev: Brev): string {
    return pdfSti(String(brev.id));
  }

  @FieldResolver(() => String, { description: 'The PDF, base64-encoded (one letter at a time).' })
  async pdfBase64(@GqlCtx() ctx: Ctx, @Root() brev: Brev): Promise<string> {
    // Each one loads and encodes a whole PDF: a list or aliases must not make one request render hundreds.
    if (pdfGiven.has(ctx)) throw new BadInputError('pdfBase64 giver ét brev pr. forespørgsel; hent de øvrige via pdfSti');
    pdfGiven.add(ctx);
    return (await this.service.pdf(ctx, String(brev.id))).toString('base64');
  }
}
