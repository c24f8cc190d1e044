import type { EntityManager } from '@mikro-orm/postgresql';
import type { LocalDate } from '../scalars/local-date';
import { Kontaktperson, Kontaktpersontype } from './kontaktperson.entity';
import type { KontaktArt } from './kontakt.entity';

/** The borger's type-32 contact (Kontaktperson i jobcenteret, uddannelsespålæg), as other features need it (UP-7's letter). */
export interface JobcenterKontakt32 {
  kontaktpersonId: string;
  kontaktId: string;
  navn: string;
  email: string | null;
  telefon: string | null;
  mobil: string | null;
  art: KontaktArt | null;
  rolle: string | null;
  start: LocalDate;
  slut: LocalDate | null;
  /** Kommunekode of the jobcenter that registered it. */
  registreretAfOrg: string;
}

/**
 * The type-32 kontaktperson a jobcenter registered for a borger, on `today` (start ≤ today ≤ slut, open-ended when
 * slut is null), or null. Only the jobcenter's own: after a manual move (KP-4 ends no contact) the previous
 * jobcenter's caseworker is still attached, and is not the new jobcenter's contact. When more than one covers the
 * day, the latest-starting (then latest registered) wins. One statement; no access log (the caller decides whether
 * this is a read of personal data it reports).
 */
export async function findJobcenterKontakt32(em: EntityManager, cpr: string, jobcenter: string, today: LocalDate): Promise<JobcenterKontakt32 | null> {
  const kp = await em.findOne(
    Kontaktperson,
    {
      cpr,
      kontaktpersontype: Kontaktpersontype.JOBCENTER_UDDANNELSESPAALAEG,
      registreretAfOrg: jobcenter,
      start: { $lte: today },
      $or: [{ slut: null }, { slut: { $gte: today } }],
    },
    { populate: ['kontakt'], orderBy: { start: 'desc', id: 'desc' } },
  );
  if (!kp) return null;
  const k = kp.kontakt;
  return {
    kontaktpersonId: kp.id,
    kontaktId: k.id,
    navn: k.navn,
    email: k.email ?? null,
    telefon: k.telefon ?? null,
    mobil: k.mobil ?? null,
    art: k.art ?? null,
    rolle: kp.rolle ?? null,
    start: kp.start,
    slut: kp.slut ?? null,
    registreretAfOrg: kp.registreretAfOrg,
  };
}
