import type { Ctx } from '../context/context';
import { requirePrincipal } from '../auth/auth-checker';
import { ownJobcenter } from '../auth/scope';
import { BorgerService } from '../borger/borger.service';
import type { Borger } from '../borger/borger.entity';
import { updateRow } from '../db/rows';
import { hydrate } from '../borger/borger.prefetch';
import { transaction } from '../db/transaction';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors/domain-errors';
import { BrevService } from './brev/brev.service';
import type { Brev } from './brev/brev.entity';
import { PlanVersion, PlanVersionAarsag } from './plan-version.entity';
import { PlanVersionService } from './plan-version.service';
import { Uddannelsesplan } from './uddannelsesplan.entity';
import { planLoader, planNoegle, versionLoader } from './uddannelsesplan.loaders';
import { decidePlan, decidePublicering, planFelter, type PlanAendring, type PlanFelter, type Type1Felt } from './uddannelsesplan.rules';
import './uddannelsesplan.events';

export interface PubliceringResultat {
  uddannelsesplan: Uddannelsesplan;
  /** The newest version after publishing. */
  version: PlanVersion;
  /** UP-6: a new version was made (type-1 changes or the first publication). */
  nyVersion: boolean;
  type1Aendringer: Type1Felt[];
  /** UP-7: the letter made by this publication, if one was. */
  brev: Brev | null;
}

export class UddannelsesplanService {
  constructor(
    private readonly borgere = new BorgerService(),
    private readonly versioner = new PlanVersionService(),
    private readonly breve = new BrevService(),
  ) {}

  /** The calling jobcenter's plan for its borger, or null. Another jobcenter's plan is never returned. */
  async hent(ctx: Ctx, cpr: string): Promise<Uddannelsesplan | null> {
    const p = requirePrincipal(ctx);
    await this.borgere.get(ctx, cpr);
    ctx.accessLog.record(cpr, 'uddannelsesplan');
    return planLoader(ctx).load(planNoegle(cpr, p.org));
  }

  /** `Borger.uddannelsesplan` in lists: the calling jobcenter's plan, batched. */
  async forBorger(ctx: Ctx, borger: Borger): Promise<Uddannelsesplan | null> {
    const jobcenter = this.jobcenter(ctx, borger);
    ctx.accessLog.record(borger.cpr, 'uddannelsesplan');
    return planLoader(ctx).load(planNoegle(borger.cpr, jobcenter));
  }

  /** A jobcenter creates the plan of its borger (one per borger and jobcenter). UP-1..UP-5, TM-2. */
  async opret(ctx: Ctx, cpr: string, felter: PlanAendring): Promise<Uddannelsesplan> {
    return transaction(ctx, async (tx) => {
      const borger = await this.borgere.getForUpdate(tx, cpr);
      const jobcenter = this.jobcenter(tx, borger);
      if (await tx.em.findOne(Uddannelsesplan, { cpr, jobcenter })) {
        throw new ConflictError('Borgeren har allerede en uddannelsesplan i jobcentret; ret den i stedet');
      }
      const decided = decidePlan(null, felter);
      const plan = tx.em.create(Uddannelsesplan, { cpr, jobcenter, ...decided, oprettet: tx.clock.now(), aendret: tx.clock.now() });
      await tx.em.flush();
      tx.accessLog.record(cpr, 'uddannelsesplan');
      return plan;
    });
  }

  /**
   * A jobcenter changes its plan. Fields left out keep their value. A changed plantype publishes
   * `uddannelsesplan.plantypeSkiftet` (AB-6 listens) in the same transaction.
   */
  async opdater(ctx: Ctx, cpr: string, aendring: PlanAendring): Promise<Uddannelsesplan> {
    return transaction(ctx, async (tx) => {
      // Hot path: the plan read after the borger lock (the jobcenter's own plan is the one of the borger's
      // jobcenter, which this.jobcenter checks), written back by one prepared update, no unit of work.
      const { borger, state } = await this.borgere.lockForChange<{ plan: Record<string, unknown> | null }>(tx, cpr, {
        plan: '(select to_jsonb(u) from uddannelsesplan u where u.cpr = b.cpr and u.jobcenter = b.jobcenter)',
      });
      this.jobcenter(tx, borger);
      const [plan] = hydrate(tx.em, Uddannelsesplan, state.plan === null ? [] : [state.plan]);
      if (!plan) throw new NotFoundError('Borgeren har ingen uddannelsesplan i jobcentret');
      const fra = plan.plantype;
      const decided = decidePlan(planFelter(plan), aendring);
      const changes = { ...decided, aendret: tx.clock.now() };
      await updateRow(tx, Uddannelsesplan, plan.id, changes);
      Object.assign(plan, changes);
      if (decided.plantype !== fra) {
        await tx.events.publish(tx, 'uddannelsesplan.plantypeSkiftet', { cpr, jobcenter: plan.jobcenter, fra, til: decided.plantype });
      }
      tx.accessLog.record(cpr, 'uddannelsesplan');
      return plan;
    });
  }

  /**
   * The jobcenter publishes its plan. UP-6: type-1 changes (or the first publication) make a new Min plan
   * version; other changes are published into the newest version. UP-7: the letter, when due.
   */
  async publicer(ctx: Ctx, cpr: string): Promise<PubliceringResultat> {
    return transaction(ctx, async (tx) => {
      const borger = await this.borgere.getForUpdate(tx, cpr);
      const plan = await this.planForUpdate(tx, borger);
      const udkast = planFelter(plan);
      const seneste = await this.versioner.seneste(tx, cpr, plan.jobcenter);
      const decision = decidePublicering(seneste?.uddannelsesplan ? planFelter(seneste.uddannelsesplan) : null, udkast);
      let version: PlanVersion;
      if (decision.kind === 'NY_VERSION') {
        version = await this.versioner.ny(tx, cpr, plan.jobcenter, PlanVersionAarsag.UDDANNELSESPLAN, udkast);
      } else {
        version = seneste!;
        if (decision.kind === 'OPDATER_VERSION') {
          version.uddannelsesplan = udkast;
          version.senestPubliceret = tx.clock.now();
          await tx.em.flush();
        }
      }
      const brev = await this.breve.vedPublicering(tx, plan, udkast, borger, version.nr);
      tx.accessLog.record(cpr, 'uddannelsesplan');
      return {
        uddannelsesplan: plan,
        version,
        nyVersion: decision.kind === 'NY_VERSION',
        type1Aendringer: decision.kind === 'NY_VERSION' ? decision.type1 : [],
        brev,
      };
    });
  }

  /** All versions of the plan's Min plan, oldest first (UP-6: versions are kept and readable). */
  async versionerAf(ctx: Ctx, plan: Uddannelsesplan): Promise<PlanVersion[]> {
    ctx.accessLog.record(plan.cpr, 'uddannelsesplan.versioner');
    return versionLoader(ctx).load(planNoegle(plan.cpr, plan.jobcenter));
  }

  /** The published plan: the newest version's. */
  async publiceret(ctx: Ctx, plan: Uddannelsesplan): Promise<PlanFelter | null> {
    const versions = await this.versionerAf(ctx, plan);
    return versions.at(-1)?.uddannelsesplan ?? null;
  }

  /** Whether the working copy differs from the published plan. */
  async harUpubliceredeAendringer(ctx: Ctx, plan: Uddannelsesplan): Promise<boolean> {
    const publiceret = await this.publiceret(ctx, plan);
    return decidePublicering(publiceret ? planFelter(publiceret) : null, planFelter(plan)).kind !== 'UAENDRET';
  }

  async breveAf(ctx: Ctx, plan: Uddannelsesplan): Promise<Brev[]> {
    return this.breve.forPlan(ctx, plan);
  }

  private jobcenter(tx: Ctx, borger: Borger): string {
    const jobcenter = ownJobcenter(requirePrincipal(tx), borger.jobcenter);
    if (!jobcenter) throw new ForbiddenError();
    return jobcenter;
  }

  private async planForUpdate(tx: Ctx, borger: Borger): Promise<Uddannelsesplan> {
    const jobcenter = this.jobcenter(tx, borger);
    const plan = await tx.em.findOne(Uddannelsesplan, { cpr: borger.cpr, jobcenter });
    if (!plan) throw new NotFoundError('Borgeren har ingen uddannelsesplan i jobcentret');
    return plan;
  }
}
