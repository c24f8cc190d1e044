import { LockMode } from '@mikro-orm/core';
import type { Ctx, Principal } from '../context/context';
import { requirePrincipal } from '../auth/auth-checker';
import { mayReadBorger, mayReadBorgerSql, readsAcrossOrgs, scopeNeedsMemberships } from '../auth/scope';
import { BadInputError, ForbiddenError, NotFoundError } from '../errors/domain-errors';
import { Borger } from './borger.entity';
import { activeOn, covers, cprHaendelseGaelder, validerCprHaendelse } from './borger.rules';
import { kommuneEfterSammenlaegningerLaast } from './kommune-laas';
import { KodeListe } from '../reference/kode.entity';
import { ReferenceService } from '../reference/reference.service';
import { kontaktgruppeLoader, medlemskabLoader, medlemskabPrefetch } from './borger.loaders';
import { hydrate, prefetchesFor, type BorgerPrefetch } from './borger.prefetch';
import type { KontaktgruppePeriode } from './kontaktgruppe-periode.entity';
import { Role } from '../context/roles';
import { transaction } from '../db/transaction';
import { parseCpr } from '../scalars/cpr';
import { BatchedRead } from '../db/batched-read';
import { entityPlan } from '../db/entity-plan';
import { queryPrepared } from '../db/prepared';
import './borger.events';

export interface CprBorgerInput {
  cpr: string;
  fornavn: string;
  efternavn: string;
  bopaelskommune: string;
  /** When CPR registered this state of the borger: events apply in this order. */
  registreret: Date;
}

export interface CprRegistrering {
  borger: Borger;
  oprettet: boolean;
  flyttet: boolean;
  /** False for a redelivered or out-of-order event: nothing changed. */
  anvendt: boolean;
}

export interface BorgerPage {
  items: Borger[];
  nextCursor: string | null;
}

let borgerColumnList: string[] | undefined;
/** The borger's own columns by name (a prepared statement must not select `b.*`). */
function borgerColumns(ctx: Ctx): string[] {
  borgerColumnList ??= entityPlan(ctx.em, Borger).columns.map((c) => `b."${c.field}"`);
  return [...borgerColumnList];
}

/** Opening a borger: concurrent requests' reads share a statement (src/db/batched-read.ts). */
const borgerReads = new BatchedRead();

export class BorgerService {
  private readonly reference = new ReferenceService();

  /**
   * Loads a borger the caller may read, and logs the read (X-4). Unknown and not-yours look alike to
   * scoped callers. `include` names the Borger fields the caller will ask for next: those with a
   * prefetch (src/borger/borger.prefetch.ts) come back in the same statement as the borger, and so do
   * the memberships an a-kasse's scope needs, so opening a borger is one round trip.
   */
  async get(ctx: Ctx, cpr: string, include: Iterable<string> = []): Promise<Borger> {
    const p = requirePrincipal(ctx);
    const params: unknown[] = [];
    const bind = (value: unknown): string => {
      params.push(value);
      return '?';
    };
    const wanted = prefetchesFor(include);
    if (scopeNeedsMemberships(p)) wanted.push(medlemskabPrefetch);
    const used: BorgerPrefetch[] = [];
    const columns = borgerColumns(ctx);
    for (const pf of wanted) {
      // A field the caller's role may not read is refused by its resolver: nothing to fetch for it.
      if (pf.access && !pf.access.readers.includes(p.role)) continue;
      const sql = pf.sql(ctx, bind);
      if (sql === null) continue;
      columns.push(`(${sql}) as "__prefetch${used.length}"`);
      used.push(pf);
    }
    const logged = this.logInRead(ctx, p, cpr, used);
    // Who the statement logged for this borger: sub, role, org and request id, as a request id alone is the client's
    // choice (x-request-id) and another caller of a batched statement may carry the same one.
    if (logged) columns.push(`(select jsonb_agg(distinct jsonb_build_array(l.sub, l.role, l.org, l.request_id)) from logget l where l.cpr = b.cpr) as "__logget"`);
    const select = `select ${columns.join(', ')} from borger b where b.cpr = any(?)`;
    let row: Record<string, unknown> | undefined;
    try {
      row = logged
        ? await borgerReads.load(ctx.em, `${logged.cte} ${select}`, params, 'cpr', cpr, [cpr, ctx.clock.now(), ctx.clock.today(), ...logged.caller, logged.whats.join(',')])
        : await borgerReads.load(ctx.em, select, params, 'cpr', cpr);
    } catch (err) {
      if (logged) ctx.accessLog.release(cpr, logged.whats);
      throw err;
    }
    if (!row) {
      // Nothing was read, so nothing was logged: the claims go back (a claim stands for a row the statement wrote).
      if (logged) ctx.accessLog.release(cpr, logged.whats);
      if (readsAcrossOrgs(p)) throw new NotFoundError(`Borger med CPR ${cpr} findes ikke`);
      throw new ForbiddenError();
    }
    const fetched = used.map((_, i) => row[`__prefetch${i}`]);
    for (let i = 0; i < used.length; i++) delete row[`__prefetch${i}`];
    const loggedFor = row.__logget as [string, string, string, string][] | null | undefined;
    delete row.__logget;
    // Read-only like the prefetched rows (changes go through getForUpdate), so no unit-of-work merge.
    const [borger] = hydrate(ctx.em, Borger, [row]);
    used.forEach((pf, i) => pf.prime(ctx, borger, fetched[i]));
    const akasser = scopeNeedsMemberships(p) ? await this.currentAkasser(ctx, cpr) : [];
    const allowed = mayReadBorger(p, { cpr, jobcenter: borger.jobcenter, akasser }, ctx.clock.today());
    if (logged) {
      const [sub, role, org, requestId] = logged.caller;
      const loggedByRead = loggedFor?.some((l) => l[0] === sub && l[1] === role && l[2] === org && l[3] === requestId) ?? false;
      this.checkLogInRead(ctx, cpr, logged.whats, allowed, loggedByRead);
    }
    if (!allowed) throw new ForbiddenError();
    ctx.accessLog.record(cpr, 'borger');
    return borger;
  }

  /**
   * `mayReadBorgerSql` and `mayReadBorger` must agree; if a change ever makes them differ, no read goes unlogged: a
   * read the statement did not log gives its claims back and is inserted at the end of the request, as any other.
   * A refused read gives them back too: a claim stands for a row the statement wrote, and another root field of the
   * request whose own statement saw the borger in scope (a move committed between the two) must log its read.
   */
  private checkLogInRead(ctx: Ctx, cpr: string, whats: string[], allowed: boolean, loggedByRead: boolean): void {
    if (!loggedByRead) ctx.accessLog.release(cpr, whats);
    if (allowed === loggedByRead) return;
    ctx.log.error({ cpr, role: ctx.principal?.role, allowed, loggedByRead }, 'X-4: the read statement\'s scope and mayReadBorger disagree');
  }

  /**
   * X-4 in the read's own statement: the access-log rows of what this request will answer of the borger (the borger,
   * and each prefetched field, whose resolver lets the role in and records its read) are inserted by the statement
   * that reads them, for the callers whose scope (`mayReadBorgerSql`) lets them read the row, and committed with it.
   * Opening a borger is then one round trip, where the insert after the answer was a second one. Not inside a
   * transaction (its rollback would take the rows with it; those reads log at the end of the request as before).
   * A field that is fetched is asked for (`selectedFields` follows @skip/@include); if the request then fails, its
   * rows stay: the log errs towards a read.
   */
  private logInRead(ctx: Ctx, p: Principal, cpr: string, used: readonly BorgerPrefetch[]): { cte: string; caller: string[]; whats: string[] } | null {
    const caller = ctx.accessLog.caller;
    const scope = mayReadBorgerSql(p.role, 'c.org', 'c.today');
    if (!caller || scope === null || ctx.em.getTransactionContext()) return null;
    const whats = ctx.accessLog.claim(cpr, ['borger', ...used.flatMap((pf) => (pf.access ? [pf.access.logs] : []))]);
    if (whats.length === 0) return null;
    return {
      cte: `with logget as (
        insert into access_log (at, sub, role, org, cpr, what, request_id)
        select c.at, c.sub, c.role, c.org, b.cpr, w.what, c.request_id
          from unnest(?::text[], ?::timestamptz[], ?::date[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) as c(cpr, at, today, sub, role, org, request_id, whats)
          join borger b on b.cpr = c.cpr and ${scope}
          cross join lateral unnest(string_to_array(c.whats, ',')) as w(what)
        returning cpr, sub, role, org, request_id)`,
      caller: [caller.sub, caller.role, caller.org, caller.requestId],
      whats,
    };
  }

  /**
   * Loads a borger for a change by the caller and locks the row for the transaction, so concurrent
   * changes to one borger run one after the other. Same scoping as reads.
   */
  async getForUpdate(tx: Ctx, cpr: string): Promise<Borger> {
    const p = requirePrincipal(tx);
    const borger = await tx.em.findOne(Borger, { cpr }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    await this.kraevAendringAdgang(tx, p, cpr, borger);
    return borger!;
  }

  /** The scoping of a change: unknown and not-yours look alike to scoped callers, as for reads. */
  private async kraevAendringAdgang(tx: Ctx, p: Principal, cpr: string, borger: { jobcenter: string } | null | undefined): Promise<void> {
    if (!borger) {
      if (readsAcrossOrgs(p)) throw new NotFoundError(`Borger med CPR ${cpr} findes ikke`);
      throw new ForbiddenError();
    }
    const akasser = scopeNeedsMemberships(p) ? await this.currentAkasser(tx, cpr) : [];
    if (!mayReadBorger(p, { cpr, jobcenter: borger.jobcenter, akasser }, tx.clock.today())) throw new ForbiddenError();
  }

  /**
   * `getForUpdate` for a change that only adds rows: the borger row locked and scoped the same way, read-only
   * (not in the unit of work), in a named prepared statement. `state` (named SQL expressions over `b`, e.g. an
   * `exists (...)` or a `nextId`) is what the change's rules need to know, read in one statement after the lock:
   * not in the locking statement itself, whose snapshot is taken before it waits for the lock and so would miss
   * what the transaction it waited for committed.
   */
  async lockForChange<S extends Record<string, unknown>>(tx: Ctx, cpr: string, state: Record<keyof S & string, string>): Promise<{ borger: Borger; state: S }> {
    const p = requirePrincipal(tx);
    const [row] = await queryPrepared<Record<string, unknown>>(tx.em, `select ${borgerColumns(tx).join(', ')} from borger b where b.cpr = ? for update of b`, [cpr]);
    const [borger] = row ? hydrate(tx.em, Borger, [row]) : [];
    await this.kraevAendringAdgang(tx, p, cpr, borger);
    const names = Object.keys(state) as (keyof S & string)[];
    if (names.length === 0) return { borger, state: {} as S };
    const [values] = await queryPrepared<S>(tx.em, `select ${names.map((n) => `${state[n]} as "${n}"`).join(', ')} from borger b where b.cpr = ?`, [cpr]);
    return { borger, state: values };
  }

  /**
   * The CPR feed: creates an unknown borger (attached to the jobcenter of the bopælskommune) or updates
   * one. A new bopælskommune is a move: the jobcenter follows it and `borger.flyttet` is published (KP-2, PG-1).
   * An event registered before a merger of the kommune it names is re-coded to the merged kommune first (KP-2).
   */
  async registrerFraCpr(ctx: Ctx, input: CprBorgerInput): Promise<CprRegistrering> {
    validerCprHaendelse(input, ctx.clock.now());
    // The jobcenter follows the bopælskommune: a code the KOMMUNE table lacks would leave the borger with none.
    await this.reference.require(ctx, KodeListe.KOMMUNE, Number(input.bopaelskommune), 'bopaelskommune');
    return transaction(ctx, async (tx) => {
      // KP-2: re-coded by the mergers registered at or after the event; the kommune locks come before the borger's.
      const kommune = await kommuneEfterSammenlaegningerLaast(tx, input.bopaelskommune, input.registreret);
      let existing = await tx.em.findOne(Borger, { cpr: input.cpr }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!existing) {
        // Two deliveries of a new borger at once: the second waits for the first's row instead of failing on the key.
        const created = await tx.em.getConnection().execute<{ cpr: string }[]>(
          `insert into borger (cpr, foedselsdato, fornavn, efternavn, bopaelskommune, jobcenter, cpr_registreret)
           values (?, ?, ?, ?, ?, ?, ?) on conflict (cpr) do nothing returning cpr`,
          [input.cpr, parseCpr(input.cpr).birthDate, input.fornavn, input.efternavn, kommune, kommune, input.registreret],
        );
        existing = await tx.em.findOneOrFail(Borger, { cpr: input.cpr }, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (created.length) return { borger: existing, oprettet: true, flyttet: false, anvendt: true };
      }
      const sammeSomIKraft =
        existing.fornavn === input.fornavn && existing.efternavn === input.efternavn && existing.bopaelskommune === kommune;
      if (!cprHaendelseGaelder(existing.cprRegistreret, input.registreret, sammeSomIKraft)) {
        return { borger: existing, oprettet: false, flyttet: false, anvendt: false };
      }
      existing.cprRegistreret = input.registreret;
      existing.fornavn = input.fornavn;
      existing.efternavn = input.efternavn;
      const fra = existing.bopaelskommune;
      const flyttet = fra !== kommune;
      if (flyttet) {
        existing.bopaelskommune = kommune;
        existing.jobcenter = kommune;
      }
      await tx.em.flush();
      if (flyttet) {
        await tx.events.publish(tx, 'borger.flyttet', { cpr: input.cpr, fraKommune: fra, tilKommune: kommune, flyttedato: tx.clock.today() });
      }
      return { borger: existing, oprettet: false, flyttet, anvendt: true };
    });
  }

  /** A jobcenter's own borgere, in CPR order, keyset-paginated. */
  async listForJobcenter(ctx: Ctx, first: number, after: string | null): Promise<BorgerPage> {
    const p = requirePrincipal(ctx);
    if (p.role !== Role.JOBCENTER) throw new ForbiddenError();
    const items = await ctx.em.find(
      Borger,
      { jobcenter: p.org, ...(after ? { cpr: { $gt: after } } : {}) },
      { orderBy: { cpr: 'asc' }, limit: first + 1 },
    );
    const more = items.length > first;
    const page = more ? items.slice(0, first) : items;
    for (const b of page) ctx.accessLog.record(b.cpr, 'borger');
    return { items: page, nextCursor: more ? page[page.length - 1].cpr : null };
  }

  async kontaktgruppeHistorik(ctx: Ctx, borger: Borger): Promise<KontaktgruppePeriode[]> {
    ctx.accessLog.record(borger.cpr, 'kontaktgruppe');
    return kontaktgruppeLoader(ctx).load(borger.cpr);
  }

  async kontaktgruppe(ctx: Ctx, borger: Borger): Promise<KontaktgruppePeriode | undefined> {
    return activeOn(await this.kontaktgruppeHistorik(ctx, borger), ctx.clock.today());
  }

  private async currentAkasser(ctx: Ctx, cpr: string): Promise<string[]> {
    const today = ctx.clock.today();
    return (await medlemskabLoader(ctx).load(cpr)).filter((m) => covers(m, today)).map((m) => m.akasse);
  }
}
