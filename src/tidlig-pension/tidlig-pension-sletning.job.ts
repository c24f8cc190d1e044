import type { JobDefinition } from '../jobs/job';
import { sletIBidder, sql } from '../sletning/sletning';
import { GET_TIDLIG_PENSION } from './tidlig-pension.messages';
import { tidligPensionSletningsgraense } from './tidlig-pension.rules';

/**
 * TP-4 / DL-2: every night, deletes the tidlig pension data of borgere who reached folkepensionsalder 6
 * years ago: the reports and, in the same transaction, the GetTidligPensionVersion1 messages about them
 * in the outbox (their payloads hold the same data). Set-based: the rule turns `today` into the latest
 * birth date that is due, and the job deletes `foedselsdato <= grænse` on its index, in chunks.
 * Idempotent; reports what it deleted.
 */
export const tidligPensionSletningJob: JobDefinition = {
  name: 'tidlig-pension-sletning',
  description: 'Sletter oplysninger om tidlig pension og kompensationsbeløb (og beskederne om dem) 6 år efter folkepensionsalderen (TP-4, DL-2).',
  schedule: '15 2 * * *',
  async run(ctx, { today, signal }) {
    const graense = tidligPensionSletningsgraense(today);
    if (!graense) return { tidligPension: 0, beskeder: 0 };
    ctx.log.info({ today, foedtTilOgMed: graense }, 'TP-4: deleting tidlig pension data of borgere born up to and including the limit');
    return sletIBidder(ctx, { signal, hoved: 'tidligPension' }, async (tx, bid) => {
      const [r] = await sql<{ tp: number; beskeder: number }>(
        tx,
        // `= any(array(...))` keeps both deletes on their indexes (birth date, then primary key; outbox by CPR)
        // whatever the planner's statistics say: with `in (subquery)` the outbox delete became a sequential scan.
        `with d as (
           delete from tidlig_pension where id = any(array(select id from tidlig_pension where foedselsdato <= ? limit ?)) returning cpr
         ), m as (
           delete from outbox_message o where o.service_name = ? and o.cpr = any(array(select distinct cpr from d)) returning 1
         )
         select (select count(*) from d)::int as tp, (select count(*) from m)::int as beskeder`,
        [graense, bid, GET_TIDLIG_PENSION],
      );
      return { tidligPension: r.tp, beskeder: r.beskeder };
    });
  },
};
