import type { LocalDate } from '../scalars/local-date';
import { dagEfter } from '../sletning/sletning.rules';

/**
 * TP-4: the statutory folkepensionsalder by birth date, kept as data.
 *
 * Source: lov om social pension § 1 a (as in lovbekendtgørelse nr. 527 af 25. april 2022), nr. 1–7, and
 * the amendment in force from 31 December 2025 that raises the age to 70 for persons born on or after
 * 1 January 1971 (the last row). Checked against the text of § 1 a and the tables of pension.dk and
 * STAR; note that § 1 a nr. 4 has 66½ år for 1.1.1955–30.6.1955, a row the table left out (it put
 * all of 1955 at 67): the law is followed here.
 *
 * When parliament changes the age again, add or split rows here; the deletion job follows, as it reads
 * nothing else. Rows are in birth-date order, without gaps or overlaps (the unit tests check both).
 */
export interface FolkepensionsalderRaekke {
  /** First birth date of the row (inclusive); null = no lower bound. */
  foedtFra: LocalDate | null;
  /** Last birth date of the row (inclusive); null = no upper bound. */
  foedtTil: LocalDate | null;
  aar: number;
  maaneder: number;
}

export const FOLKEPENSIONSALDER: readonly FolkepensionsalderRaekke[] = [
  { foedtFra: null, foedtTil: '1953-12-31', aar: 65, maaneder: 0 }, // § 1 a nr. 1
  { foedtFra: '1954-01-01', foedtTil: '1954-06-30', aar: 65, maaneder: 6 }, // nr. 2
  { foedtFra: '1954-07-01', foedtTil: '1954-12-31', aar: 66, maaneder: 0 }, // nr. 3
  { foedtFra: '1955-01-01', foedtTil: '1955-06-30', aar: 66, maaneder: 6 }, // nr. 4
  { foedtFra: '1955-07-01', foedtTil: '1962-12-31', aar: 67, maaneder: 0 }, // nr. 5
  { foedtFra: '1963-01-01', foedtTil: '1966-12-31', aar: 68, maaneder: 0 }, // nr. 6
  { foedtFra: '1967-01-01', foedtTil: '1970-12-31', aar: 69, maaneder: 0 }, // nr. 7
  { foedtFra: '1971-01-01', foedtTil: null, aar: 70, maaneder: 0 }, // amendment in force 31.12.2025
] as FolkepensionsalderRaekke[];

/** TP-4: the folkepensionsalder of a person born on `foedselsdato`. */
export function folkepensionsalder(foedselsdato: LocalDate): { aar: number; maaneder: number } {
  const r = FOLKEPENSIONSALDER.find((row) => (row.foedtFra == null || row.foedtFra <= foedselsdato) && (row.foedtTil == null || foedselsdato <= row.foedtTil));
  if (!r) throw new Error(`folkepensionsalder: no row for ${foedselsdato}`);
  return { aar: r.aar, maaneder: r.maaneder };
}

/** TP-4: the day the person reaches folkepensionsalder (29 February and other missing days: the 1st of the next month, DL-2). */
export function folkepensionsdato(foedselsdato: LocalDate): LocalDate {
  const { aar, maaneder } = folkepensionsalder(foedselsdato);
  return dagEfter(foedselsdato, aar, maaneder);
}
