import DataLoader from 'dataloader';
import type { Ctx } from '../context/context';
import { requirePrincipal } from '../auth/auth-checker';
import { mayReadBorger } from '../auth/scope';
import { entityFrom, insertRows, nextId } from '../db/rows';
import { queryPrepared } from '../db/prepared';
import { transaction } from '../db/transaction';
import { ForbiddenError, NotFoundError } from '../errors/domain-errors';
import { recipient, ModtagerType } from '../events/recipient';
import { Borger } from '../borger/borger.entity';
import { medlemskabLoader } from '../borger/borger.loaders';
import { hydrate } from '../borger/borger.prefetch';
import { BorgerService } from '../borger/borger.service';
import { Medlemskab } from '../akasse/medlemskab.entity';
import { activeOn, covers } from '../borger/borger.rules';
import { parseCpr } from '../scalars/cpr';
import type { LocalDate } from '../scalars/local-date';
import { TidligPension } from './tidlig-pension.entity';
import { GET_TIDLIG_PENSION, type GetTidligPensionVersion1 } from './tidlig-pension.messages';
import { checkIkkeForfaldenTilSletning, tidligPensionHash, tidligPensionSletningsdato, validateTidligPension, type TidligPensionInput } from './tidlig-pension.rules';

export interface TidligPensionResult {
  tidligPension: TidligPension;
  /** False when the same report had been received before: nothing changed and nothing was sent. */
  ny: boolean;
  /** The a-kasse the message went to, if the borger had one. */
  sendtTilAkasse: string | null;
}

/** The stored reports of many borgere in one statement, oldest first. */
export function tidligPensionLoader(ctx: Ctx) {
  return ctx.loaders.get('tidligPension.byCpr', () =>
    new DataLoader<string, TidligPension[]>(async (cprs) => {
      const rows = await ctx.em.find(TidligPension, { cpr: { $in: [...cprs] } }, { orderBy: { modtaget: 'asc', id: 'asc' } });
      const by = new Map<string, TidligPension[]>(cprs.map((c) => [c, []]));
      for (const r of rows) by.get(r.cpr)?.push(r);
      return cprs.map((c) => by.get(c)!);
    }),
  );
}

export class TidligPensionService {
  constructor(private readonly borgere = new BorgerService()) {}

  /** TP-1: UDK reports; the borger's current a-kasse gets GetTidligPensionVersion1 through the outbox. */
  async indberet(ctx: Ctx, input: TidligPensionInput): Promise<TidligPensionResult> {
    validateTidligPension(input);
    const hash = tidligPensionHash(input);
    const foedselsdato = parseCpr(input.cpr).birthDate;
    return transaction(ctx, async (tx) => {
      const conn = tx.em.getConnection();
      const trx = tx.em.getTransactionContext();
      // The borger, and the lock that serialises reports for one borger (so a re-sent report racing the
      // first is still stored once), in one round trip; taken only when the borger exists.
      const [known] = await conn.execute<{ cpr: string }[]>(
        `select b.cpr, pg_advisory_xact_lock(hashtextextended(?, 1)) from borger b where b.cpr = ?`,
        [`tidlig-pension:${input.cpr}`, input.cpr],
        'all',
        trx,
      );
      if (!known) throw new NotFoundError(`Borger med CPR ${input.cpr} findes ikke`);
      checkIkkeForfaldenTilSletning(foedselsdato, tx.clock.today());
      // After the lock, in a statement of its own (a snapshot taken after the wait): the same report
      // already stored, and the memberships that decide the a-kasse.
      // The new report's id is taken here too, so the report and its message are one statement (insertRows).
      const [state] = await queryPrepared<{ existing: Record<string, unknown> | null; medlemskaber: unknown; id: string }>(
        tx.em,
        `select (select to_jsonb(t) from tidlig_pension t where t.cpr = ? and t.indhold_hash = ? limit 1) as existing,
                (select json_agg(to_jsonb(m) order by m.start, m.id) from akasse_medlemskab m where m.cpr = ?) as medlemskaber,
                ${nextId(tx.em, TidligPension)} as id`,
        [input.cpr, hash, input.cpr],
      );
      if (state.existing) return { tidligPension: tx.em.map(TidligPension, state.existing), ny: false, sendtTilAkasse: null };
      const data = {
        id: state.id,
        cpr: input.cpr,
        foedselsdato,
        afgoerelsesdato: input.afgoerelsesdato,
        start: input.start,
        slut: input.slut ?? null,
        beloebOere: input.beloebOere,
        kompensationsbeloebOere: input.kompensationsbeloebOere ?? null,
        indholdHash: hash,
        modtaget: tx.clock.now(),
      };
      const tp = entityFrom(tx.em, TidligPension, data);
      // The a-kasse of the borger on the day of the report: after a change of a-kasse, the new one.
      const akasse = activeOn(hydrate(tx.em, Medlemskab, state.medlemskaber), tx.clock.today())?.akasse ?? null;
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
      await insertRows(tx, [{ entity: TidligPension, data }]);
      return { tidligPension: tp, ny: true, sendtTilAkasse: akasse };
    });
  }

  /**
   * The stored reports of one borger, oldest first: UDK reads every borger, an a-kasse its current
   * members (the borger's current a-kasse reads all reports, also those sent to a previous a-kasse).
   * Jobcentre never get here (TP-2: the resolvers leave JOBCENTER out). Logged as a read.
   */
  async forCpr(ctx: Ctx, cpr: string): Promise<TidligPension[]> {
    await this.borgere.get(ctx, cpr);
    ctx.accessLog.record(cpr, 'tidlig_pension');
    return tidligPensionLoader(ctx).load(cpr);
  }

  /** `Borger.tidligPension`: the same scoping as `forCpr`, checked again, as a Borger can come from any query; batched. */
  async forBorger(ctx: Ctx, borger: Borger): Promise<TidligPension[]> {
    const p = requirePrincipal(ctx);
    const today = ctx.clock.today();
    const akasser = (await medlemskabLoader(ctx).load(borger.cpr)).filter((m) => covers(m, today)).map((m) => m.akasse);
    if (!mayReadBorger(p, { cpr: borger.cpr, jobcenter: borger.jobcenter, akasser }, today)) throw new ForbiddenError();
    ctx.accessLog.record(borger.cpr, 'tidlig_pension');
    return tidligPensionLoader(ctx).load(borger.cpr);
  }

  /** TP-4: the day the report is deleted. */
  sletningsdato(tp: TidligPension): LocalDate {
    return tidligPensionSletningsdato(tp.foedselsdato);
  }
}
