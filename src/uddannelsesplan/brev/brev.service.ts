import type { Ctx } from '../../context/context';
import { requirePrincipal } from '../../auth/auth-checker';
import { Role } from '../../context/roles';
import { ForbiddenError } from '../../errors/domain-errors';
import { ModtagerType, recipient } from '../../events/recipient';
import { findJobcenterKontakt32 } from '../../kontaktperson/kontaktperson.queries';
import { Kode, KodeListe } from '../../reference/kode.entity';
import type { Borger } from '../../borger/borger.entity';
import { BORGER_BREV, type BorgerBrevVersion1 } from '../uddannelsesplan.messages';
import type { Uddannelsesplan } from '../uddannelsesplan.entity';
import { brevLoader } from '../uddannelsesplan.loaders';
import { Brev } from './brev.entity';
import { BREV_TITEL, renderBrevPdf } from './brev.pdf';
import { decideBrev, jobcenterNavn, PUNKT_TEKST, type BrevKontakt, type PlanTilBrev } from './brev.rules';

export function pdfSti(brevId: string): string {
  return `/breve/${brevId}.pdf`;
}

export class BrevService {
  /** The jobcenter's type-32 contact for its borger's letter (KP-5 data from the kontaktperson feature). */
  async kontakt(tx: Ctx, cpr: string, jobcenter: string): Promise<BrevKontakt | null> {
    const k = await findJobcenterKontakt32(tx.em, cpr, jobcenter, tx.clock.today());
    if (!k) return null;
    return { navn: k.navn, telefon: k.telefon, mobil: k.mobil, email: k.email };
  }

  async jobcenterNavn(tx: Ctx, kommunekode: string): Promise<string> {
    const kode = /^\d{3}$/.test(kommunekode) ? await tx.em.findOne(Kode, { liste: KodeListe.KOMMUNE, id: Number(kommunekode) }) : null;
    return jobcenterNavn(kommunekode, kode?.navn);
  }

  /**
   * UP-7, inside the publishing transaction: makes the letter when its conditions hold and it would not say what
   * the plan's last letter said; stores the PDF and puts the letter in the borger's beskedbakke (outbox).
   */
  async vedPublicering(tx: Ctx, plan: Uddannelsesplan, indhold: PlanTilBrev, borger: Borger, planVersionNr: number): Promise<Brev | null> {
    const sidste = await tx.em.findOne(Brev, { uddannelsesplanId: plan.id }, { orderBy: { id: 'desc' } });
    const decision = decideBrev(indhold, {
      fornavn: borger.fornavn,
      efternavn: borger.efternavn,
      jobcenterNavn: await this.jobcenterNavn(tx, plan.jobcenter),
      kontakt: await this.kontakt(tx, plan.cpr, plan.jobcenter),
      sidsteBrevHash: sidste?.indholdHash ?? null,
    });
    if (decision.kind !== 'DAN') return null;
    const dato = tx.clock.today();
    const pdf = await renderBrevPdf(decision.indhold, dato);
    const brev = tx.em.create(Brev, {
      uddannelsesplanId: plan.id,
      cpr: plan.cpr,
      jobcenter: plan.jobcenter,
      planVersionNr,
      dato,
      indhold: decision.indhold,
      indholdHash: decision.hash,
      pdf,
      oprettet: tx.clock.now(),
    });
    await tx.em.flush();
    tx.outbox!.emit<BorgerBrevVersion1>({
      serviceName: BORGER_BREV,
      recipient: recipient(ModtagerType.BORGER, plan.cpr),
      cpr: plan.cpr,
      payload: {
        brevId: String(brev.id),
        titel: BREV_TITEL,
        dato,
        punkter: decision.indhold.punkter.map((p) => PUNKT_TEKST[p]),
        jobcenterNavn: decision.indhold.jobcenterNavn,
        pdfSti: pdfSti(String(brev.id)),
      },
    });
    return brev;
  }

  /** A borger's own letters, newest first. */
  async mine(ctx: Ctx): Promise<Brev[]> {
    const p = requirePrincipal(ctx);
    if (p.role !== Role.BORGER) throw new ForbiddenError();
    const rows = await ctx.em.find(Brev, { cpr: p.org }, { orderBy: { id: 'desc' } });
    if (rows.length) ctx.accessLog.record(p.org, 'brev');
    return rows;
  }

  /**
   * One letter, to the borger it was written to or to the jobcenter that made it while the borger is still its
   * own. An unknown id and someone else's letter look alike (FORBIDDEN), so ids cannot be probed.
   */
  async hent(ctx: Ctx, id: string, medPdf = false): Promise<Brev> {
    const p = requirePrincipal(ctx);
    const brev = /^\d{1,18}$/.test(id) ? await ctx.em.findOne(Brev, { id }, medPdf ? { populate: ['pdf'] } : {}) : null;
    if (!brev || !this.mayRead(p, brev)) throw new ForbiddenError();
    if (p.role === Role.JOBCENTER) {
      // As for the plan it was written from: the jobcenter reads it while the borger is its own, not after a move.
      const [b] = await ctx.em.getConnection().execute<{ jobcenter: string }[]>(`select jobcenter from borger where cpr = ?`, [brev.cpr]);
      if (b?.jobcenter !== p.org) throw new ForbiddenError();
    }
    ctx.accessLog.record(brev.cpr, medPdf ? 'brev.pdf' : 'brev');
    return brev;
  }

  async pdf(ctx: Ctx, id: string): Promise<Buffer> {
    const brev = await this.hent(ctx, id, true);
    return Buffer.from(brev.pdf);
  }

  /** The letters of a plan the caller already may read (the plan's resolver checked it). */
  async forPlan(ctx: Ctx, plan: Uddannelsesplan): Promise<Brev[]> {
    ctx.accessLog.record(plan.cpr, 'brev');
    return brevLoader(ctx).load(String(plan.id));
  }

  private mayRead(p: { role: Role; org: string }, brev: Brev): boolean {
    if (p.role === Role.BORGER) return brev.cpr === p.org;
    if (p.role === Role.JOBCENTER) return brev.jobcenter === p.org;
    return false;
  }
}
