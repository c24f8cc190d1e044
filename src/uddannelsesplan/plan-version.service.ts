import type { Ctx } from '../context/context';
import { requirePrincipal } from '../auth/auth-checker';
import { Mentorindsats } from '../indsats/mentorindsats.entity';
import { PlanVersion, PlanVersionAarsag, type MentorindsatsIndhold, type PlanIndhold } from './plan-version.entity';

/** Min plan versions (UP-6, MT-1). Callers hold the borger's row lock, so numbering cannot race. */
export class PlanVersionService {
  seneste(tx: Ctx, cpr: string, jobcenter: string): Promise<PlanVersion | null> {
    return tx.em.findOne(PlanVersion, { cpr, jobcenter }, { orderBy: { nr: 'desc' } });
  }

  async mentorSnapshot(tx: Ctx, cpr: string, jobcenter: string): Promise<MentorindsatsIndhold[]> {
    const rows = await tx.em.find(Mentorindsats, { cpr, jobcenter }, { orderBy: { start: 'asc', id: 'asc' } });
    return rows.map((m) => ({ id: String(m.id), mentortype: m.mentortype, start: m.start, slut: m.slut ?? null, navn: m.navn, telefon: m.telefon, email: m.email }));
  }

  /**
   * A new version of Min plan: the given published uddannelsesplan (or the newest version's, when a
   * mentorindsats made the version) and the mentorindsatser as they stand now.
   */
  async ny(tx: Ctx, cpr: string, jobcenter: string, aarsag: PlanVersionAarsag, uddannelsesplan?: PlanIndhold | null): Promise<PlanVersion> {
    const p = requirePrincipal(tx);
    const seneste = await this.seneste(tx, cpr, jobcenter);
    await tx.em.flush();
    const version = tx.em.create(PlanVersion, {
      cpr,
      jobcenter,
      nr: (seneste?.nr ?? 0) + 1,
      aarsag,
      uddannelsesplan: uddannelsesplan === undefined ? (seneste?.uddannelsesplan ?? null) : uddannelsesplan,
      mentorindsatser: await this.mentorSnapshot(tx, cpr, jobcenter),
      oprettet: tx.clock.now(),
      senestPubliceret: tx.clock.now(),
      oprettetAf: p.sub,
    });
    await tx.em.flush();
    return version;
  }
}
