import { Entity, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

/** The code tables of the release note. Each is data (seeded by migration), not an enum in code. */
export enum KodeListe {
  KONTAKTPERSONTYPE = 'KONTAKTPERSONTYPE',
  STOETTEBEHOV = 'STOETTEBEHOV',
  MENTORTYPE = 'MENTORTYPE',
  KONTAKTGRUPPE = 'KONTAKTGRUPPE',
  FRAVAERSTYPE = 'FRAVAERSTYPE',
  CV_STATUS = 'CV_STATUS',
  ABONNEMENT_LUKKEAARSAG = 'ABONNEMENT_LUKKEAARSAG',
  PLANTYPE = 'PLANTYPE',
  AFHOLDELSESKATEGORI = 'AFHOLDELSESKATEGORI',
  KOMMUNE = 'KOMMUNE',
}

registerEnumType(KodeListe, { name: 'KodeListe', description: 'Which code table.' });

@ObjectType({ description: 'One entry of a DFDG code table, with the DFDG id.' })
@Entity({ tableName: 'kode' })
export class Kode {
  @Field(() => KodeListe)
  @PrimaryKey({ type: 'string' })
  liste!: KodeListe;

  @Field(() => Int, { description: 'The DFDG id of the code.' })
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field()
  @Property({ type: 'text' })
  navn!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  beskrivelse?: string | null;

  @Field(() => Boolean, { description: 'Expired: existing registrations keep it, new ones cannot use it.' })
  @Property({ type: 'boolean', default: false })
  udgaaet: boolean & Opt = false;
}
