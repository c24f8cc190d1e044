import { borgerMedAktivtAbonnement, findBorgerForUdb, medAfvisningslog } from '../abonnement/udb.service';
import { UdbHaendelse, UdbHaendelsestype } from '../abonnement/udb-haendelse.entity';
import { validateUdbHaendelse } from '../abonnement/abonnement.rules';
import type { Ctx } from '../context/context';
import { transaction } from '../db/transaction';
import { ConflictError } from '../errors/domain-errors';
import type { LocalDate } from '../scalars/local-date';
import type { UdbKontakt } from './kontaktperson.rules';
import { anvendUdbKontakter, validateRecord } from './udb-kontakt.import';
import { UdbKontaktKildetype } from './udb-kontakt.rules';

export interface UdbKontakterInput {
  haendelseId: string;
  cpr: string;
  dato: LocalDate;
  kontakter: UdbKontakt[];
}

export interface UdbKontakterKvittering {
  ny: boolean;
  /**
   * False when nothing of this event was applied: a re-send (`ny` false), or an older snapshot than the one in force
   * (`ny` true: a later event, or the batch of a later day, came first); the event is kept as received either way.
   */
  anvendt: boolean;
  tilfoejet: number;
  afsluttet: number;
  /** KP-8: the jobcenter got GetPersonAuthorityContactVersion1. */
  jobcenterAdviseret: boolean;
}

/**
 * UDB reports one borger's type-31 contacts outside the daily batch (KP-7, KP-8), through the same set-based code,
 * as a snapshot dated `dato`: applied only if no newer snapshot is in force (`erstatter`).
 */
export class UdbKontaktService {
  modtag(ctx: Ctx, input: UdbKontakterInput): Promise<UdbKontakterKvittering> {
    return medAfvisningslog(ctx, UdbHaendelsestype.KONTAKTER, input, async () => {
      const today = ctx.clock.today();
      validateUdbHaendelse(input, today);
      const record = validateRecord({ cpr: input.cpr, kontakter: input.kontakter });
      return transaction(ctx, async (tx) => {
        await findBorgerForUdb(tx, input.cpr);
        const seen = await tx.em.findOne(UdbHaendelse, { type: UdbHaendelsestype.KONTAKTER, haendelseId: input.haendelseId });
        if (seen) {
          if (seen.cpr !== input.cpr) throw new ConflictError(`Hændelsen ${input.haendelseId} er allerede modtaget for en anden borger`);
          return { ny: false, anvendt: false, tilfoejet: 0, afsluttet: 0, jobcenterAdviseret: false };
        }
        const { borger, abonnement } = await borgerMedAktivtAbonnement(tx, input.cpr);
        // Recorded even when it is too old to apply, so that a re-send of it is recognised as one.
        tx.em.create(UdbHaendelse, {
          cpr: input.cpr,
          type: UdbHaendelsestype.KONTAKTER,
          haendelseId: input.haendelseId,
          dato: input.dato,
          abonnementId: abonnement.id,
          jobcenter: borger.jobcenter,
          modtagetDato: today,
        });
        await tx.em.flush();
        const r = await anvendUdbKontakter(tx, [record], today, { dato: input.dato, kilde: UdbKontaktKildetype.HAENDELSE, haendelseId: input.haendelseId });
        return { ny: true, anvendt: r.nyereIKraft === 0, tilfoejet: r.tilfoejet, afsluttet: r.afsluttet, jobcenterAdviseret: r.aendredeBorgere > 0 };
      });
    });
  }
}
