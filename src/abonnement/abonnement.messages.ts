import { Field, ID, Int, ObjectType } from 'type-graphql';
import { registerMessageType } from '../events/message-types';
import { ModtagerType } from '../events/recipient';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

/** To UDB: the state of a borger's abonnement, sent when it is opened and when it is closed (AB-3..AB-8). */
export const GET_UDDANNELSES_ABONNEMENT = 'GetUddannelsesAbonnementVersion1';
/** To the jobcenter: UDB reported a completed education (AB-5). */
export const GET_UDDANNELSE_GENNEMFOERT = 'GetUddannelseGennemfoertVersion1';
/** To the jobcenter: UDB reported a risk of dropout (AB-9). */
export const GET_RISIKO_FOR_FRAFALD = 'GetRisikoForFrafaldVersion1';
/** To the jobcenter: UDB reported an admission. */
export const GET_OPTAGET_PAA_UDDANNELSE = 'GetOptagetPaaUddannelseVersion1';

export const ABONNEMENT_STATUS_AABEN = 'AABEN';
export const ABONNEMENT_STATUS_LUKKET = 'LUKKET';

@ObjectType({ description: 'GetUddannelsesAbonnementVersion1 (to UDB): the abonnement på uddannelseshændelser was opened (AABEN) or closed (LUKKET).' })
export class GetUddannelsesAbonnementVersion1 {
  @Field(() => ID)
  abonnementId!: string;

  @Field({ description: 'AABEN or LUKKET.' })
  status!: string;

  @Field(() => LocalDateScalar)
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  slut!: LocalDate | null;

  @Field(() => Int, { nullable: true, description: 'Code table ABONNEMENT_LUKKEAARSAG.' })
  lukkeaarsag!: number | null;

  @Field(() => String, { nullable: true })
  lukkeaarsagNavn!: string | null;
}

/** What every UDB event message to the jobcenter carries; each message type inherits these fields. */
@ObjectType()
abstract class UdbHaendelseBesked {
  @Field(() => ID, { description: "DFDG's id of the stored event (query it with udbHaendelser)." })
  udbHaendelseId!: string;

  @Field({ description: "UDB's id of the event." })
  haendelseId!: string;

  @Field(() => LocalDateScalar)
  dato!: LocalDate;

  @Field(() => String, { nullable: true })
  institution!: string | null;

  @Field(() => String, { nullable: true })
  uddannelse!: string | null;
}

@ObjectType({ description: 'GetUddannelseGennemfoertVersion1 (to the jobcenter): UDB reports a completed education (AB-5).' })
export class GetUddannelseGennemfoertVersion1 extends UdbHaendelseBesked {
  @Field()
  erhvervskompetencegivende!: boolean;

  @Field({ description: 'DFDG closed the abonnement at UDB because of it (årsag 9).' })
  abonnementLukket!: boolean;
}

@ObjectType({ description: 'GetRisikoForFrafaldVersion1 (to the jobcenter): UDB reports a risk of dropout (AB-9).' })
export class GetRisikoForFrafaldVersion1 extends UdbHaendelseBesked {}

@ObjectType({ description: 'GetOptagetPaaUddannelseVersion1 (to the jobcenter): UDB reports an admission.' })
export class GetOptagetPaaUddannelseVersion1 extends UdbHaendelseBesked {}

registerMessageType(GET_UDDANNELSES_ABONNEMENT, GetUddannelsesAbonnementVersion1, { modtagere: [ModtagerType.UDB] });
registerMessageType(GET_UDDANNELSE_GENNEMFOERT, GetUddannelseGennemfoertVersion1, { modtagere: [ModtagerType.JOBCENTER] });
registerMessageType(GET_RISIKO_FOR_FRAFALD, GetRisikoForFrafaldVersion1, { modtagere: [ModtagerType.JOBCENTER] });
registerMessageType(GET_OPTAGET_PAA_UDDANNELSE, GetOptagetPaaUddannelseVersion1, { modtagere: [ModtagerType.JOBCENTER] });
