import { Collection, Entity, OneToMany, PrimaryKey, PrimaryKeyProp, Property, type Opt } from '@mikro-orm/core';
import { Authorized, Field, ObjectType } from 'type-graphql';
import { Role } from '../context/roles';
import { CprScalar } from '../scalars/cpr';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';
import { KontaktgruppePeriode } from './kontaktgruppe-periode.entity';

@ObjectType({ description: 'A citizen, keyed by CPR number.' })
@Entity({ tableName: 'borger' })
export class Borger {
  [PrimaryKeyProp]?: 'cpr';

  @Field(() => CprScalar)
  @PrimaryKey({ type: 'string', length: 10 })
  cpr!: string;

  @Field(() => LocalDateScalar, { description: 'Derived from the CPR number (X-2).' })
  @Property({ type: 'date' })
  foedselsdato!: LocalDate;

  @Field()
  @Property({ type: 'text' })
  fornavn!: string;

  @Field()
  @Property({ type: 'text' })
  efternavn!: string;

  @Field({ description: 'Kommunekode of the bopælskommune, as CPR last reported it.' })
  @Property({ type: 'string', length: 3 })
  bopaelskommune!: string;

  @Field({ description: 'Kommunekode of the jobcenter the borger belongs to (jobcentertilknytning).' })
  @Property({ type: 'string', length: 3 })
  jobcenter!: string;

  // The borger's case, as jobparathedHistorik: not for UDK or the feeds that can see the borger.
  @Authorized(Role.JOBCENTER, Role.AKASSE, Role.BORGER, Role.SYSTEM)
  @Field(() => Boolean, { description: 'Jobparat (true) or aktivitetsparat (false).' })
  @Property({ type: 'boolean', default: false })
  jobparat: boolean & Opt = false;

  @OneToMany(() => KontaktgruppePeriode, (k) => k.borger)
  kontaktgruppePerioder = new Collection<KontaktgruppePeriode>(this);

  /** When CPR registered the state this row holds (the CPR feed's latest applied event); not in the schema. */
  @Property({ type: 'datetime', nullable: true })
  cprRegistreret: (Date & Opt) | null = null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date & Opt = new Date();
}
