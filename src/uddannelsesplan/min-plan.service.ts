import type { Ctx } from '../context/context';
import { requirePrincipal } from '../auth/auth-checker';
import { BorgerService } from '../borger/borger.service';
import { Role } from '../context/roles';
import { ForbiddenError } from '../errors/domain-errors';
import { kontaktDinMentor } from '../indsats/indsats.rules';
import type { MentorindsatsIndhold, PlanIndhold } from './plan-version.entity';
import { planNoegle, versionLoader } from './uddannelsesplan.loaders';

export interface MinPlan {
  versionNr: number;
  oprettet: Date;
  jobcenter: string;
  uddannelsesplan: PlanIndhold | null;
  /** Every mentorindsats of Min plan, mentortype 6 included (MT-2). */
  mentorindsatser: MentorindsatsIndhold[];
  /** MT-2: "Kontakt din mentor": current and future mentors, never mentortype 6. */
  kontaktDinMentor: MentorindsatsIndhold[];
}

export class MinPlanService {
  constructor(private readonly borgere = new BorgerService()) {}

  /** The borger's own Min plan as published: the newest version in the borger's present jobcenter. */
  async minPlan(ctx: Ctx): Promise<MinPlan | null> {
    const p = requirePrincipal(ctx);
    if (p.role !== Role.BORGER) throw new ForbiddenError();
    const borger = await this.borgere.get(ctx, p.org);
    ctx.accessLog.record(borger.cpr, 'minPlan');
    const versions = await versionLoader(ctx).load(planNoegle(borger.cpr, borger.jobcenter));
    const v = versions.at(-1);
    if (!v) return null;
    return {
      versionNr: v.nr,
      oprettet: v.oprettet,
      jobcenter: v.jobcenter,
      uddannelsesplan: v.uddannelsesplan ?? null,
      mentorindsatser: v.mentorindsatser,
      kontaktDinMentor: kontaktDinMentor(v.mentorindsatser, ctx.clock.today()),
    };
  }
}
