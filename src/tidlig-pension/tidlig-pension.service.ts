import type { Ctx } from '../context/context';
import { transaction } from '../db/transaction';
import { NotFoundError } from '../errors/domain-errors';
import { recipient, ModtagerType } from '../events/recipient';
import { Borger } from '../borger/borger.entity';
import { Medlemskab } from '../akasse/medlemskab.entity';
import { activeOn } from '../borger/borger.rules';
import { TidligPension } from './tidlig-pension.entity';
import { GET_TIDLIG_PENSION, type GetTidligPensionVersion1 } from './tidlig-pension.messages';
import { tidligPensionHash, validateTidligPension, type TidligPensionInput } from './tidlig-pension.rules';

export interface TidligPensionResult {
  tidligPension: TidligPension;
  /** False when the same report had been received before: nothing changed and nothing was sent. */
  ny: boolean;
  /** The a-kasse the message went to, if the borger had one. */
  sendtTilAkasse: string | null;
}

export class TidligPensionService {
  /** TP-1: UDK reports; the borger's current a-kasse gets GetTidligPensionVersion1 through the outbox. */
  async indberet(ctx: Ctx, input: TidligPensionInput): Promise<TidligPensionResult> {
    validateTidligPension(input);
    const hash = tidligPensionHash(input);
    return transaction(ctx, async (tx) => {
      const borger = await tx.em.findOne(Borger, { cpr: input.cpr });
      if (!borger) throw new NotFoundError(`Borger med CPR ${input.cpr} findes ikke`);
      // Serialises reports for one borger, so a re-sent report racing the first is still stored once.
      await tx.em.getConnection().execute(`select pg_advisory_xact_lock(hashtextextended(?, 1))`, [`tidlig-pension:${input.cpr}`], 'all', tx.em.getTransactionContext());
      const existing = await tx.em.findOne(TidligPension, { cpr: input.cpr, indholdHash: hash });
      if (existing) return { tidligPension: existing, ny: false, sendtTilAkasse: null };
      const tp = tx.em.create(TidligPension, {
        cpr: input.cpr,
        afgoerelsesdato: input.afgoerelsesdato,
        start: input.start,
        slut: input.slut ?? null,
        beloebOere: input.beloebOere,
        kompensationsbeloebOere: input.kompensationsbeloebOere ?? null,
        indholdHash: hash,
      });
      await tx.em.flush();
      const medlemskaber = await tx.em.find(Medlemskab, { cpr: input.cpr });
      const akasse = activeOn(medlemskaber, tx.clock.today())?.akasse ?? null;
      if (akasse) {
        tx.outbox!.emit<GetTidligPensionVersion1>({
          serviceName: GET_TIDLIG_PENSION,
          recipient: recipient(ModtagerType.AKASSE, akasse),
          cpr: input.cpr,
          payload: {
            tidligPensionId: tp.id,
            afgoerelsesdato: tp.afgoerelsesdato,
            start: tp.start,
            slut: tp.slut ?? null,
            beloebOere: Number(tp.beloebOere),
            kompensationsbeloebOere: tp.kompensationsbeloebOere == null ? null : Number(tp.kompensationsbeloebOere),
          },
        });
      } else {
        tx.log.warn({ cpr: input.cpr }, 'tidlig pension reported for a borger without a current a-kasse; no message sent');
      }
      return { tidligPension: tp, ny: true, sendtTilAkasse: akasse };
    });
  }
}
