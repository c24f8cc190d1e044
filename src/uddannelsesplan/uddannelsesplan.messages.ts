import { Field, ID, Int, ObjectType } from 'type-graphql';
import { registerMessageType } from '../events/message-types';
import { LocalDateScalar, type LocalDate } from '../scalars/local-date';

export const BORGER_BREV = 'BorgerBrevVersion1';
export const STOETTEBEHOV_TIL_UDB = 'StoettebehovTilUdbVersion1';

/** UP-7: the letter in the borger's beskedbakke on Jobnet. The PDF is downloaded at `pdfSti` with the borger's token. */
@ObjectType({ description: "BorgerBrevVersion1: a letter (UP-7, Bilag 1) in the borger's beskedbakke; the PDF is at `pdfSti`." })
export class BorgerBrevVersion1 {
  @Field(() => ID)
  brevId!: string;

  @Field()
  titel!: string;

  @Field(() => LocalDateScalar)
  dato!: LocalDate;

  @Field(() => [String], { description: 'The bullets of the letter, as printed.' })
  punkter!: string[];

  @Field()
  jobcenterNavn!: string;

  @Field({ description: 'Path of the PDF on this service (GET with the bearer token).' })
  pdfSti!: string;
}

/**
 * UP-8: what UDB is told when it reports the borger admitted: the støttebehov ids to pass on, whether a læse-,
 * skrive- og regnetest was done (never its result) and whether a current or future mentor exists.
 */
@ObjectType({ description: 'StoettebehovTilUdbVersion1 (UP-8): støttebehov ids, whether an LSR test was done (never its result), whether a current or future mentor exists.' })
export class StoettebehovTilUdbVersion1 {
  @Field({ description: 'Kommunekode of the jobcenter whose plan it is.' })
  jobcenter!: string;

  @Field(() => Int, { nullable: true, description: 'Trin of the uddannelsespålæg in the published plan.' })
  trin!: number | null;

  @Field(() => [Int], { description: 'Støttebehov ids (code table STOETTEBEHOV) as UP-8 sends them.' })
  stoettebehov!: number[];

  @Field({ description: 'A læse-, skrive- og regnetest (kursusindsats, afholdelseskategori 37) was done. The result is never sent.' })
  laeseSkriveRegnetestGennemfoert!: boolean;

  @Field({ description: 'A current or future mentor (mentorindsats, mentortype 1) exists.' })
  aktuelEllerFremtidigMentor!: boolean;
}

registerMessageType(BORGER_BREV, BorgerBrevVersion1);
registerMessageType(STOETTEBEHOV_TIL_UDB, StoettebehovTilUdbVersion1);
