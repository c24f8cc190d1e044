import { Field, ID, Int, ObjectType } from 'type-graphql';
import { registerMessageType } from '../events/message-types';
import { ModtagerType } from '../events/recipient';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { KontaktArt } from './kontakt.entity';

/** KP-6, to UDB: a type-32 contact of a borger with an abonnement was registered or changed. */
export const GET_JOBCENTER_KONTAKTPERSON = 'GetJobcenterKontaktpersonVersion1';
/** KP-8, to the borger's jobcenter: the borger's type-31 contacts from UDB changed. */
export const GET_PERSON_AUTHORITY_CONTACT = 'GetPersonAuthorityContactVersion1';

@ObjectType({ description: "GetJobcenterKontaktpersonVersion1 (to UDB, KP-6): the jobcenter's contact (type 32) for a borger with an abonnement, as registered or changed." })
export class GetJobcenterKontaktpersonVersion1 {
  @Field(() => ID)
  kontaktpersonId!: string;

  @Field(() => ID)
  kontaktId!: string;

  @Field({ description: 'Kommunekode of the jobcenter.' })
  jobcenter!: string;

  @Field()
  navn!: string;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true })
  telefon!: string | null;

  @Field(() => KontaktArt, { nullable: true })
  art!: KontaktArt | null;

  @Field(() => String, { nullable: true })
  cvr!: string | null;

  @Field(() => String, { nullable: true })
  pnr!: string | null;

  @Field(() => String, { nullable: true })
  rolle!: string | null;

  @Field(() => LocalDateScalar)
  start!: LocalDate;

  @Field(() => LocalDateScalar, { nullable: true })
  slut!: LocalDate | null;

  @Field()
  visesPaaJobnet!: boolean;
}

@ObjectType({ description: 'A contact at the place of education (type 31), as UDB reported it.' })
export class UddannelsesstedKontakt {
  @Field(() => ID)
  kontaktpersonId!: string;

  @Field()
  navn!: string;

  @Field()
  email!: string;

  @Field()
  telefon!: string;

  @Field()
  cvr!: string;

  @Field()
  pnr!: string;

  @Field(() => LocalDateScalar)
  start!: LocalDate;
}

@ObjectType({ description: "GetPersonAuthorityContactVersion1 (to the borger's jobcenter, KP-8): the borger's type-31 contacts changed; the current ones." })
export class GetPersonAuthorityContactVersion1 {
  @Field(() => Int, { description: 'Kontaktpersontype (31).' })
  kontaktpersontype!: number;

  @Field(() => [UddannelsesstedKontakt], { description: 'The open type-31 contacts after the change (empty: all ended).' })
  kontakter!: UddannelsesstedKontakt[];
}

registerMessageType(GET_JOBCENTER_KONTAKTPERSON, GetJobcenterKontaktpersonVersion1, { modtagere: [ModtagerType.UDB] });
// Not restricted to jobcentre: test/integration/notifications.test.ts subscribes to it as an a-kasse to show serviceName filtering.
registerMessageType(GET_PERSON_AUTHORITY_CONTACT, GetPersonAuthorityContactVersion1);
