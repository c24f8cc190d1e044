import { Arg, Authorized, Ctx as GqlCtx, Field, FieldResolver, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Borger } from '../borger/borger.entity';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { Booking, BookingArt } from './booking.entity';
import { BookingService } from './booking.service';
import { LogsRead } from '../access-log/logs-read';

@InputType({ description: 'A booking or indkaldelse to a meeting.' })
class BookingInput {
  @Field(() => CprScalar)
  cpr!: string;

  @Field(() => BookingArt)
  art!: BookingArt;

  @Field(() => LocalDateScalar)
  moededato!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Frist for selvbooking (selvbooking only), on or before the mødedato.' })
  selvbookingsfrist?: LocalDate | null;
}

const LAESERE = [Role.JOBCENTER, Role.BORGER, Role.SYSTEM] as const;

@Resolver()
export class BookingResolver {
  private readonly service = new BookingService();

  @Authorized(Role.JOBCENTER)
  @LogsRead('booking')
  @Mutation(() => Booking, { description: 'The jobcenter registers a booking or indkaldelse with mødedato for its borger. Deleted 6 years after the mødedato (DL-1).' })
  registrerBooking(@GqlCtx() ctx: Ctx, @Arg('input') input: BookingInput): Promise<Booking> {
    return this.service.registrer(ctx, input);
  }

  @Authorized(...LAESERE)
  @Query(() => [Booking], { description: "The borger's bookinger and indkaldelser, by mødedato (the borger's jobcenter, the borger)." })
  bookinger(@GqlCtx() ctx: Ctx, @Arg('cpr', () => CprScalar) cpr: string): Promise<Booking[]> {
    return this.service.forCpr(ctx, cpr);
  }
}

@Resolver(() => Borger)
export class BorgerBookingResolver {
  private readonly service = new BookingService();

  @Authorized(...LAESERE)
  @FieldResolver(() => [Booking], { description: 'Bookinger and indkaldelser, by mødedato.' })
  bookinger(@GqlCtx() ctx: Ctx, @Root() borger: Borger): Promise<Booking[]> {
    return this.service.forBorger(ctx, borger);
  }
}
