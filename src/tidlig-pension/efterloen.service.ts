import { LockMode } from '@mikro-orm/core';
import { requirePrincipal } from '../auth/auth-checker';
import { Medlemskab } from '../akasse/medlemskab.entity';
import { Borger } from '../borger/borger.entity';
import { medlemskabLoader } from '../borger/borger.loaders';
import { covers } from '../borger/borger.rules';
import { BorgerService } from '../borger/borger.service';
import type { Ctx } from '../context/context';
import { transaction } from '../db/transaction';
import { ForbiddenError } from '../errors/domain-errors';
import type { LocalDate } from '../scalars/local-date';
import { EfterloenPeriode } from './efterloen.entity';
import { akasseMaaIndberette, decideAfgang, decideOvergang } from './efterloen.rules';

export interface Efterloensoplysninger {
  cpr: string;
  akasseMedlemskaber: Medlemskab[];
  efterloensperioder: EfterloenPeriode[];
}

export class EfterloenService {
  constructor(private readonly borgere = new BorgerService()) {}

  /** TP-3: the a-kasse reports its member's overgang til efterløn. Re-reporting the same day changes nothing. */
  async overgang(ctx: Ctx, cpr: string, overgang: LocalDate): Promise<EfterloenPeriode> {
    const p = requirePrincipal(ctx);
    return transaction(ctx, async (tx) => {
      const perioder = await this.forChange(tx, cpr, false);
      const { allerede } = decideOvergang(perioder, overgang);
      if (allerede) return allerede;
      const e = tx.em.create(EfterloenPeriode, { cpr, akasse: p.org, overgang, afgang: null, indberettetAf: p.sub });
      await tx.em.flush();
      return e;
    });
  }

  /** TP-3: the a-kasse reports the afgang fra efterløn (the last day): the open period ends. */
  async afgang(ctx: Ctx, cpr: string, afgang: LocalDate): Promise<EfterloenPeriode> {
    return transaction(ctx, async (tx) => {
      const perioder = await this.forChange(tx, cpr, true);
      const { periode, aendres } = decideAfgang(perioder, afgang);
      if (aendres) {
        periode.afgang = afgang;
        await tx.em.flush();
      }
      return periode;
    });
  }

  /**
   * TP-3: what UDK reads for its efterløn and tidlig pension cases: the a-kasse membership history and the
   * efterløn periods the a-kasser reported. Logged as reads.
   */
  async oplysninger(ctx: Ctx, cpr: string): Promise<Efterloensoplysninger> {
    await this.borgere.get(ctx, cpr);
    ctx.accessLog.record(cpr, 'akasse_medlemskab');
    ctx.accessLog.record(cpr, 'efterloen');
    const [akasseMedlemskaber, efterloensperioder] = await Promise.all([
      medlemskabLoader(ctx).load(cpr),
      ctx.em.find(EfterloenPeriode, { cpr }, { orderBy: { overgang: 'asc', id: 'asc' } }),
    ]);
    return { cpr, akasseMedlemskaber, efterloensperioder };
  }

  /** Locks the borger and returns the efterløn periods, after checking that the calling a-kasse may report. */
  private async forChange(tx: Ctx, cpr: string, afgang: boolean): Promise<EfterloenPeriode[]> {
    const p = requirePrincipal(tx);
    const today = tx.clock.today();
    const borger = await tx.em.findOne(Borger, { cpr }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!borger) throw new ForbiddenError('A-kassen kan kun indberette efterløn for sine egne medlemmer');
    const akasser = (await tx.em.find(Medlemskab, { cpr })).filter((m) => covers(m, today)).map((m) => m.akasse);
    const perioder = await tx.em.find(EfterloenPeriode, { cpr }, { orderBy: { overgang: 'asc', id: 'asc' } });
    const aaben = afgang ? (perioder.find((e) => e.afgang == null)?.akasse ?? null) : null;
    if (!akasseMaaIndberette(p.org, akasser, aaben)) throw new ForbiddenError('A-kassen kan kun indberette efterløn for sine egne medlemmer');
    return perioder;
  }
}
