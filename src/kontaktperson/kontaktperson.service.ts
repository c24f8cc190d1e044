import { LockMode } from '@mikro-orm/core';
import { Abonnement } from '../abonnement/abonnement.entity';
import { requirePrincipal } from '../auth/auth-checker';
import type { Borger } from '../borger/borger.entity';
import { BorgerService } from '../borger/borger.service';
import type { Ctx } from '../context/context';
import { entityFrom, insertRows, nextId, type NewRow } from '../db/rows';
import { transaction } from '../db/transaction';
import { BadInputError, NotFoundError, omBorger } from '../errors/domain-errors';
import { ModtagerType, recipient } from '../events/recipient';
import { KodeListe } from '../reference/kode.entity';
import { ReferenceService } from '../reference/reference.service';
import { covers } from '../borger/borger.rules';
import type { LocalDate } from '../scalars/local-date';
import { Kontakt } from './kontakt.entity';
import { Kontaktperson, Kontaktpersontype } from './kontaktperson.entity';
import { flytningLoader, kontaktpersonLoader } from './kontaktperson.loaders';
import { GET_JOBCENTER_KONTAKTPERSON, type GetJobcenterKontaktpersonVersion1 } from './kontaktperson.messages';
import {
  kraevAendringsret,
  kraevEjer,
  kraevIkkeUdbType,
  kraevType32Felter,
  kraevType32FelterVedGenaabning,
  sendesTilUdb,
  validateKontakt,
  validatePeriode,
  type KontaktData,
} from './kontaktperson.rules';
import type { BorgerFlytning } from './borger-flytning.entity';
import { kraevRaekkeId } from '../scalars/row-id';

export interface RegistrerKontaktpersonInput {
  cpr: string;
  kontaktpersontype: number;
  /** An existing kontakt of the caller, or… */
  kontaktId?: string | null;
  /** …a new one, created with the attachment. */
  kontakt?: KontaktData | null;
  rolle?: string | null;
  start: LocalDate;
  slut?: LocalDate | null;
  visesPaaJobnet?: boolean | null;
}

export interface AendrKontaktpersonInput {
  rolle?: string | null;
  start?: LocalDate | null;
  slut?: LocalDate | null;
  visesPaaJobnet?: boolean | null;
}

function validateRolle(rolle: string | null | undefined): string | null {
  if (rolle == null) return null;
  const r = rolle.trim();
  if (r.length === 0 || r.length > 200) throw new BadInputError('Rolle skal være 1-200 tegn', { field: 'rolle' });
  return r;
}

/** Borgerkommunikation.FagprofessionelKontaktService: a jobcenter's kontakter and its borgeres kontaktpersoner (KP-1..KP-6). */
export class KontaktpersonService {
  constructor(
    private readonly borgere = new BorgerService(),
    private readonly reference = new ReferenceService(),
  ) {}

  /** KP-5: a new kontakt (person, team or generic team) owned by the calling jobcenter. */
  async opretKontakt(ctx: Ctx, input: KontaktData): Promise<Kontakt> {
    const p = requirePrincipal(ctx);
    const data = validateKontakt(input);
    return transaction(ctx, async (tx) => {
      const k = tx.em.create(Kontakt, { ...data, ejerRolle: p.role, ejerOrg: p.org });
      await tx.em.flush();
      return k;
    });
  }

  /**
   * Changes a kontakt's data (owner only). Every borger it is attached to as an open type-32 contact sees the change;
   * KP-5 then needs e-mail, phone and kind, and KP-6 queues a message to UDB for each of them with an abonnement.
   * The kontakt is locked for update, and every change that sends a type-32 attachment of it to UDB (registering,
   * changing or a CPR move ending one) holds it shared until it commits: the two run one after the other, so the
   * attachments read here are those that stand, and UDB's last message about each carries both changes.
   */
  async aendrKontakt(ctx: Ctx, id: string, input: KontaktData): Promise<Kontakt> {
    const p = requirePrincipal(ctx);
    kraevRaekkeId(id);
    const data = validateKontakt(input);
    return transaction(ctx, async (tx) => {
      const k = await tx.em.findOne(Kontakt, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!k) throw new NotFoundError(`Kontakt ${id} findes ikke`);
      kraevEjer(p, k);
      const today = tx.clock.today();
      const som32 = await tx.em.find(Kontaktperson, { kontakt: k, kontaktpersontype: Kontaktpersontype.JOBCENTER_UDDANNELSESPAALAEG, $or: [{ slut: null }, { slut: { $gte: today } }] });
      if (som32.length > 0) kraevType32Felter(data);
      tx.em.assign(k, { ...data, aendret: tx.clock.now() });
      await tx.em.flush();
      await this.kp6(tx, som32);
      return k;
    });
  }

  /** The calling organisation's own kontakter (to attach them again), by name. */
  async egneKontakter(ctx: Ctx): Promise<Kontakt[]> {
    const p = requirePrincipal(ctx);
    return ctx.em.find(Kontakt, { ejerRolle: p.role, ejerOrg: p.org }, { orderBy: { navn: 'asc', id: 'asc' }, limit: 1000 });
  }

  /** Registers a kontaktperson of a type for the jobcenter's borger (KP-1, KP-5, KP-6, KP-7). */
  async registrer(ctx: Ctx, input: RegistrerKontaktpersonInput): Promise<Kontaktperson> {
    const p = requirePrincipal(ctx);
    kraevIkkeUdbType(input.kontaktpersontype);
    if ((input.kontaktId == null) === (input.kontakt == null)) {
      throw new BadInputError('Angiv enten kontaktId (en eksisterende kontakt) eller kontakt (en ny)', { field: 'kontaktId' });
    }
    if (input.kontaktId != null) kraevRaekkeId(input.kontaktId, 'kontaktId');
    const nyKontakt = input.kontakt ? validateKontakt(input.kontakt) : null;
    const rolle = validateRolle(input.rolle);
    validatePeriode({ start: input.start, slut: input.slut });
    return transaction(ctx, async (tx) => {
      // Hot path (a national day's most frequent write): the rows and the KP-6 message go in one statement
      // with ids taken beforehand, no unit of work (src/db/rows.ts).
      const { state } = await this.borgere.lockForChange<{ abonnementAaben: boolean; kontaktpersonId: string; kontaktId: string | null }>(tx, input.cpr, {
        abonnementAaben: 'exists (select 1 from abonnement a where a.cpr = b.cpr and a.slut is null)',
        kontaktpersonId: nextId(tx.em, Kontaktperson),
        kontaktId: nyKontakt ? nextId(tx.em, Kontakt) : 'null::text',
      });
      await this.reference.require(tx, KodeListe.KONTAKTPERSONTYPE, input.kontaktpersontype);
      const rows: NewRow[] = [];
      const now = tx.clock.now();
      let kontakt: Kontakt;
      if (nyKontakt) {
        if (input.kontaktpersontype === Kontaktpersontype.JOBCENTER_UDDANNELSESPAALAEG) kraevType32Felter(nyKontakt);
        const data = { ...nyKontakt, id: state.kontaktId!, ejerRolle: p.role, ejerOrg: p.org, oprettet: now, aendret: now };
        kontakt = entityFrom(tx.em, Kontakt, data);
        rows.push({ entity: Kontakt, data });
      } else {
        // Shared-locked (see aendrKontakt): a change of its data waits for this registration, or this one reads it changed.
        const found = await tx.em.findOne(Kontakt, { id: input.kontaktId! }, { lockMode: LockMode.PESSIMISTIC_READ });
        if (!found) throw new NotFoundError(`Kontakt ${input.kontaktId} findes ikke`);
        kraevEjer(p, found);
        if (input.kontaktpersontype === Kontaktpersontype.JOBCENTER_UDDANNELSESPAALAEG) kraevType32Felter(found);
        kontakt = found;
      }
      const data = {
        id: state.kontaktpersonId,
        cpr: input.cpr,
        kontakt,
        kontaktpersontype: input.kontaktpersontype,
        rolle,
        start: input.start,
        slut: input.slut ?? null,
        visesPaaJobnet: input.visesPaaJobnet ?? false,
        registreretAfRolle: p.role,
        registreretAfOrg: p.org,
        registreretAf: p.sub,
        oprettet: now,
        aendret: now,
      };
      const kp = entityFrom(tx.em, Kontaktperson, data);
      rows.push({ entity: Kontaktperson, data });
      if (sendesTilUdb(kp.kontaktpersontype, state.abonnementAaben)) this.emitKp6(tx, kp);
      await insertRows(tx, rows);
      return kp;
    });
  }

  /** Changes role, period or visesPaaJobnet of the jobcenter's borger's kontaktperson (KP-6 for type 32). */
  async aendr(ctx: Ctx, id: string, input: AendrKontaktpersonInput): Promise<Kontaktperson> {
    return transaction(ctx, async (tx) => {
      const kp = await this.loadForUpdate(tx, id);
      kraevAendringsret(requirePrincipal(tx), kp, input);
      const next = {
        rolle: input.rolle !== undefined ? validateRolle(input.rolle) : kp.rolle,
        start: input.start ?? kp.start,
        slut: input.slut !== undefined ? input.slut : kp.slut,
        visesPaaJobnet: input.visesPaaJobnet ?? kp.visesPaaJobnet,
      };
      validatePeriode(next);
      kraevType32FelterVedGenaabning(kp.kontaktpersontype, kp, next, kp.kontakt, tx.clock.today());
      tx.em.assign(kp, { ...next, aendret: tx.clock.now() });
      await tx.em.flush();
      await this.kp6(tx, [kp]);
      return kp;
    });
  }

  /** Ends a kontaktperson on `slut` (KP-6 for type 32). */
  async afslut(ctx: Ctx, id: string, slut: LocalDate): Promise<Kontaktperson> {
    return this.aendr(ctx, id, { slut });
  }

  /** The borger's kontaktpersoner (all, or those covering today), X-4 logged. */
  async forCpr(ctx: Ctx, cpr: string, kunAktive: boolean): Promise<Kontaktperson[]> {
    const borger = await this.borgere.get(ctx, cpr);
    return this.forBorger(ctx, borger, kunAktive);
  }

  /** Field of a borger the caller has already been allowed to read. */
  async forBorger(ctx: Ctx, borger: Borger, kunAktive: boolean): Promise<Kontaktperson[]> {
    ctx.accessLog.record(borger.cpr, 'kontaktpersoner');
    const all = await kontaktpersonLoader(ctx).load(borger.cpr);
    const today = ctx.clock.today();
    return kunAktive ? all.filter((k) => covers(k, today)) : all;
  }

  /** The borger's recorded moves (CPR and manual), oldest first. */
  async flytninger(ctx: Ctx, borger: Borger): Promise<BorgerFlytning[]> {
    ctx.accessLog.record(borger.cpr, 'flytninger');
    return flytningLoader(ctx).load(borger.cpr);
  }

  /** The latest recorded move (the CPR mutation's answer reads what it changed here). */
  async senesteFlytning(ctx: Ctx, borger: Borger): Promise<BorgerFlytning | null> {
    return (await this.flytninger(ctx, borger)).at(-1) ?? null;
  }

  /** An attachment for a change by the caller: the borger must be the caller's, and type 31 is UDB's (KP-7). */
  private async loadForUpdate(tx: Ctx, id: string): Promise<Kontaktperson> {
    kraevRaekkeId(id);
    const kp = await tx.em.findOne(Kontaktperson, { id }, { populate: ['kontakt'] });
    if (!kp) throw new NotFoundError(`Kontaktperson ${id} findes ikke`);
    await this.borgere.getForUpdate(tx, kp.cpr);
    // The kontakt shared-locked too (see aendrKontakt): a change of its data runs wholly before or after this change,
    // so the KP-6 message below carries the kontakt as it stands.
    await tx.em.execute('select 1 from kontakt where id = ? for share', [kp.kontakt.id]);
    // The borger row is locked: every change of this borger's contacts runs after this one; read the attachment afresh.
    await tx.em.refresh(kp, { populate: ['kontakt'] });
    omBorger(kp.cpr, () => kraevIkkeUdbType(kp.kontaktpersontype));
    return kp;
  }

  /** KP-6: each type-32 attachment of a borger with an open abonnement queues its contact data to UDB. */
  private async kp6(tx: Ctx, kps: Kontaktperson[]): Promise<void> {
    const type32 = kps.filter((k) => k.kontaktpersontype === Kontaktpersontype.JOBCENTER_UDDANNELSESPAALAEG);
    if (type32.length === 0) return;
    const med = new Set(
      (await tx.em.find(Abonnement, { cpr: { $in: [...new Set(type32.map((k) => k.cpr))] }, slut: null })).map((a) => a.cpr),
    );
    for (const kp of type32) {
      if (sendesTilUdb(kp.kontaktpersontype, med.has(kp.cpr))) this.emitKp6(tx, kp);
    }
  }

  /** KP-6: the attachment's contact data to UDB. */
  private emitKp6(tx: Ctx, kp: Kontaktperson): void {
    const k = kp.kontakt;
    tx.outbox!.emit<GetJobcenterKontaktpersonVersion1>({
      serviceName: GET_JOBCENTER_KONTAKTPERSON,
      recipient: recipient(ModtagerType.UDB),
      cpr: kp.cpr,
      payload: {
        kontaktpersonId: kp.id,
        kontaktId: k.id,
        jobcenter: kp.registreretAfOrg,
        navn: k.navn,
        email: k.email ?? null,
        telefon: k.telefon ?? null,
        art: k.art ?? null,
        cvr: k.cvr ?? null,
        pnr: k.pnr ?? null,
        rolle: kp.rolle ?? null,
        start: kp.start,
        slut: kp.slut ?? null,
        visesPaaJobnet: kp.visesPaaJobnet,
      },
    });
  }
}
