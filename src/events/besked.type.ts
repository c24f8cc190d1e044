import { Field, ID, ObjectType } from 'type-graphql';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { BeskedIndhold, SERVICE_NAME } from './message-types';
import { ModtagerType } from './recipient';

/** A row of outbox_message as read from the database. */
export interface OutboxRow {
  id: string;
  service_name: string;
  recipient_type: ModtagerType;
  recipient_org: string;
  cpr: string | null;
  authority_role: Role;
  authority_org: string;
  registered_by: string;
  payload: Record<string, unknown>;
  created_at: Date | string;
}

@ObjectType({ description: 'The organisation (and user) that made the registration behind a message.' })
export class Registrering {
  @Field(() => Role)
  rolle!: Role;

  @Field({ description: 'Kommunekode, a-kasse number or system name.' })
  org!: string;

  @Field({ description: 'The user (token subject) who made the change.' })
  bruger!: string;
}

@ObjectType({ description: 'A message to a recipient (WSRM style): pulled from a queue or pushed over a subscription.' })
export class Besked {
  @Field(() => ID, { description: 'Monotonic per recipient; pass the last one seen as `after` to resume.' })
  id!: string;

  @Field({ description: 'The DFDG service the message belongs to, e.g. GetTidligPensionVersion1.' })
  serviceName!: string;

  @Field(() => ModtagerType)
  modtagerType!: ModtagerType;

  @Field()
  modtagerOrg!: string;

  @Field(() => CprScalar, { nullable: true, description: 'The borger the message concerns.' })
  cpr!: string | null;

  @Field(() => Registrering, { description: 'Registering authority and user.' })
  registrering!: Registrering;

  @Field(() => Date)
  oprettet!: Date;

  @Field(() => BeskedIndhold)
  indhold!: object;
}

export function toBesked(row: OutboxRow): Besked {
  return {
    id: String(row.id),
    serviceName: row.service_name,
    modtagerType: row.recipient_type,
    modtagerOrg: row.recipient_org,
    cpr: row.cpr,
    registrering: { rolle: row.authority_role, org: row.authority_org, bruger: row.registered_by },
    oprettet: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
    indhold: { ...row.payload, [SERVICE_NAME]: row.service_name },
  };
}
