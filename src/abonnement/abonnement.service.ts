import { LockMode } from '@mikro-orm/core';
import { requirePrincipal } from '../auth/auth-checker';
import { Borger } from '../borger/borger.entity';
import { activeOn } from '../borger/borger.rules';
import { BorgerService } from '../borger/borger.service';
import { KontaktgruppePeriode } from '../borger/kontaktgruppe-periode.entity';
import type { Ctx } from '../context/context';
import { Role } from '../context/roles';
import { transaction } from '../db/transaction';
import { NotFoundError } from '../errors/domain-errors';
import { ModtagerType, recipient } from '../events/recipient';
import { Kode, KodeListe } from '../reference/kode.entity';
import { ReferenceService } from '../reference/reference.service';
import type { LocalDate } from '../scalars/local-date';
import { Uddannelsesplan } from '../uddannelsesplan/uddannelsesplan.entity';
import { Abonnement, Lukkeaarsag } from './abonnement.entity';
import { abonnementLoader } from './abonnement.loaders';
import {
  ABONNEMENT_STATUS_AABEN,
  ABONNEMENT_STATUS_LUKKET,
  GET_UDDANNELSES_ABONNEMENT,
  type GetUddannelsesAbonnementVersion1,
} from './abonnement.messages';
import { ab4LukningVedOprettelse, decideJobcenterLukning, decideOprettelse, KONTAKTGRUPPE_SYGEDAGPENGE, lukkedato, standardStart } from './abonnement.rules';
import { abonnementSettings } from './abonnement.settings';

/** Who DFDG records as the closer when it closes an abonnement itself (AB-3..AB-8). */
export function dfdgLukker(rule: string): { rolle: Role; org: string; sub: string } {
  return { rolle: Role.SYSTEM, org: 'dfdg', sub: `dfdg:${rule}` };
}

export class AbonnementService {
  constructor(
    private readonly borgere = new BorgerService(),
    private readonly reference = new ReferenceService(),
  ) {}

  /** A jobcenter opens an abonnement for its borger; start defaults to the 15th birthday. UDB is told (outbox). */
  async opret(ctx: Ctx, input: { cpr: string; start?: LocalDate | null }): Promise<Abonnement> {
    const p = requirePrincipal(ctx);
    return transaction(ctx, async (tx) => {
      const borger = await this.borgere.getForUpdate(tx, input.cpr);
      const existing = await tx.em.find(Abonnement, { cpr: input.cpr });
      const { start } = decideOprettelse(existing, input.start ?? standardStart(borger.foedselsdato));
      // AB-4: a kontaktgruppeskift out of the target groups already registered to start later closes this one too.
      const kontaktgrupper = await tx.em.find(KontaktgruppePeriode, { borger: input.cpr });
      const planlagtLukning = ab4LukningVedOprettelse(kontaktgrupper, tx.clock.today());
      const a = tx.em.create(Abonnement, {
        cpr: input.cpr,
        start,
        ...(planlagtLukning ? { planlagtLukning, planlagtLukkeaarsag: Lukkeaarsag.KONTAKTGRUPPESKIFT } : {}),
        oprettetAfRolle: p.role,
        oprettetAfOrg: p.org,
        oprettetAf: p.sub,
        oprettet: tx.clock.now(),
      });
      await tx.em.flush();
      this.emitTilUdb(tx, a, null);
      return a;
    });
  }

  /** The borger's abonnementer, oldest first: the open one (if any) and the closed ones (X-4 logged). */
  async historik(ctx: Ctx, cpr: string): Promise<Abonnement[]> {
    const borger = await this.borgere.get(ctx, cpr);
    return this.forBorger(ctx, borger);
  }

  /** Field of a borger the caller has already been allowed to read. */
  async forBorger(ctx: Ctx, borger: Borger): Promise<Abonnement[]> {
    ctx.accessLog.record(borger.cpr, 'abonnement');
    return abonnementLoader(ctx).load(borger.cpr);
  }

  /** A jobcenter closes its borger's abonnement with an årsag (AB-1, AB-2). */
  async lukAfJobcenter(ctx: Ctx, input: { cpr: string; aarsag: number }): Promise<Abonnement> {
    const p = requirePrincipal(ctx);
    return transaction(ctx, async (tx) => {
      await this.borgere.getForUpdate(tx, input.cpr);
      const kode = await this.reference.require(tx, KodeListe.ABONNEMENT_LUKKEAARSAG, input.aarsag);
      const open = await this.openFor(tx, input.cpr);
      if (!open) throw new NotFoundError('Borgeren har intet åbent abonnement på uddannelseshændelser');
      const planer = await tx.em.find(Uddannelsesplan, { cpr: input.cpr, jobcenter: p.org });
      decideJobcenterLukning({ aarsag: input.aarsag, forsoegskommune: abonnementSettings().forsoegskommuner.includes(p.org), planer });
      this.close(tx, open, input.aarsag, kode.navn, { rolle: p.role, org: p.org, sub: p.sub });
      await tx.em.flush();
      return open;
    });
  }

  /**
   * DFDG closes the borger's open abonnement itself (AB-4, AB-5, AB-6), inside the caller's transaction, and tells
   * UDB. Returns the closed abonnement, or null when the borger had none open.
   */
  async lukAutomatisk(tx: Ctx, cpr: string, aarsag: number, rule: string): Promise<Abonnement | null> {
    const open = await this.openFor(tx, cpr);
    if (!open) return null;
    const kode = await this.reference.require(tx, KodeListe.ABONNEMENT_LUKKEAARSAG, aarsag);
    this.close(tx, open, aarsag, kode.navn, dfdgLukker(rule));
    await tx.em.flush();
    return open;
  }

  /**
   * AB-4 for a change that starts later: the open abonnement (if any) is marked to close on `dato` with `aarsag`; the
   * earliest such day wins. The daily job (`lukPlanlagte`) closes it and tells UDB.
   */
  async planlaegLukning(tx: Ctx, cpr: string, dato: LocalDate, aarsag: number): Promise<Abonnement | null> {
    const open = await this.openFor(tx, cpr);
    if (!open) return null;
    if (open.planlagtLukning == null || dato < open.planlagtLukning) {
      open.planlagtLukning = dato;
      open.planlagtLukkeaarsag = aarsag;
      await tx.em.flush();
    }
    return open;
  }

  /** The open abonnement of a borger, locked for the transaction. */
  async openFor(tx: Ctx, cpr: string): Promise<Abonnement | null> {
    return tx.em.findOne(Abonnement, { cpr, slut: null }, { lockMode: tx.outbox ? LockMode.PESSIMISTIC_WRITE : undefined });
  }

  /** AB-6's exception: is the borger a sygedagpengemodtager today (kontaktgruppe 25)? */
  async erSygedagpengemodtager(tx: Ctx, cpr: string): Promise<boolean> {
    const periods = await tx.em.find(KontaktgruppePeriode, { borger: cpr });
    return activeOn(periods, tx.clock.today())?.kontaktgruppe === KONTAKTGRUPPE_SYGEDAGPENGE;
  }

  private close(tx: Ctx, a: Abonnement, aarsag: number, aarsagNavn: string, by: { rolle: Role; org: string; sub: string }): void {
    a.slut = lukkedato(a, tx.clock.today());
    a.lukkeaarsag = aarsag;
    a.lukketAfRolle = by.rolle;
    a.lukketAfOrg = by.org;
    a.lukketAf = by.sub;
    a.lukket = tx.clock.now();
    this.emitTilUdb(tx, a, aarsagNavn);
  }

  private emitTilUdb(tx: Ctx, a: Abonnement, aarsagNavn: string | null): void {
    tx.outbox!.emit<GetUddannelsesAbonnementVersion1>({
      serviceName: GET_UDDANNELSES_ABONNEMENT,
      recipient: recipient(ModtagerType.UDB),
      cpr: a.cpr,
      payload: {
        abonnementId: a.id,
        status: a.slut == null ? ABONNEMENT_STATUS_AABEN : ABONNEMENT_STATUS_LUKKET,
        start: a.start,
        slut: a.slut ?? null,
        lukkeaarsag: a.lukkeaarsag ?? null,
        lukkeaarsagNavn: aarsagNavn,
      },
    });
  }
}

/** The name of a lukkeårsag, for field resolvers (one statement per request for the whole table). */
export async function lukkeaarsagNavn(ctx: Ctx, id: number | null | undefined): Promise<string | null> {
  if (id == null) return null;
  const koder = await ctx.loaders.get('abonnement.lukkeaarsager', () =>
    ctx.em.find(Kode, { liste: KodeListe.ABONNEMENT_LUKKEAARSAG }).then((rows) => new Map(rows.map((k) => [k.id, k.navn]))),
  );
  return koder.get(id) ?? null;
}

