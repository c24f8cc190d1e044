import type { Ctx } from '../context/context';
import { Borger } from '../borger/borger.entity';
import { ModtagerType, recipient } from '../events/recipient';
import { Kursusindsats } from '../indsats/kursusindsats.entity';
import { Mentorindsats } from '../indsats/mentorindsats.entity';
import { PlanVersionService } from './plan-version.service';
import { STOETTEBEHOV_TIL_UDB, type StoettebehovTilUdbVersion1 } from './uddannelsesplan.messages';
import { decideUdbOverdragelse, type UdbOverdragelse } from './udb.rules';

/** What this feature needs of UDB's admission message (the abonnement feature's `udb.optaget` carries more). */
export interface Optagelse {
  cpr: string;
  /** The borger's jobcenter when the message arrived; the borger's present one when left out. */
  jobcenter?: string | null;
}

export class UdbOverdragelseService {
  constructor(private readonly versioner = new PlanVersionService()) {}

  /**
   * UP-8, in the transaction that received UDB's admission message: one message to UDB through the outbox with
   * the støttebehov to pass on (from the published plan of the borger's jobcenter), whether a læse-, skrive- og
   * regnetest was done and whether a current or future mentor exists. Nothing is sent when there is nothing to say.
   */
  async vedOptagelse(tx: Ctx, o: Optagelse): Promise<UdbOverdragelse | null> {
    const jobcenter = o.jobcenter ?? (await tx.em.findOne(Borger, { cpr: o.cpr }))?.jobcenter;
    if (!jobcenter) return null;
    const seneste = await this.versioner.seneste(tx, o.cpr, jobcenter);
    const kurser = await tx.em.find(Kursusindsats, { cpr: o.cpr });
    const mentorer = await tx.em.find(Mentorindsats, { cpr: o.cpr });
    const plan = seneste?.uddannelsesplan ?? null;
    const overdragelse = decideUdbOverdragelse(plan ? { trin: plan.trin ?? null, stoettebehov: plan.stoettebehov ?? [] } : null, { kurser, mentorer }, tx.clock.today());
    if (!overdragelse) return null;
    tx.outbox!.emit<StoettebehovTilUdbVersion1>({
      serviceName: STOETTEBEHOV_TIL_UDB,
      recipient: recipient(ModtagerType.UDB),
      cpr: o.cpr,
      payload: {
        jobcenter,
        trin: overdragelse.trin,
        stoettebehov: overdragelse.stoettebehov,
        laeseSkriveRegnetestGennemfoert: overdragelse.laeseSkriveRegnetest,
        aktuelEllerFremtidigMentor: overdragelse.mentor,
      },
    });
    return overdragelse;
  }
}
