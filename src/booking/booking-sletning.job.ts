import type { JobDefinition } from '../jobs/job';
import { bookingSletningsgraense } from '../sletning/sletning.rules';
import { sletIBidder, sql } from '../sletning/sletning';

/**
 * DL-1 / DL-2: every night, deletes the bookinger/indkaldelser whose mødedato is 6 years old (the day of
 * the anniversary, never before). Set-based on the mødedato index, in chunks; idempotent (what is due is
 * read from the data, so a second run deletes nothing); reports what it deleted.
 */
export const bookingSletningJob: JobDefinition = {
  name: 'booking-sletning',
  description: 'Sletter bookinger/indkaldelser 6 år efter mødedatoen (DL-1, DL-2).',
  schedule: '30 2 * * *',
  async run(ctx, { today, signal }) {
    const graense = bookingSletningsgraense(today);
    if (!graense) return { bookinger: 0 };
    ctx.log.info({ today, moededatoTilOgMed: graense }, 'DL-1: deleting bookinger with mødedato up to and including the limit');
    return sletIBidder(ctx, { signal, hoved: 'bookinger' }, async (tx, bid) => {
      const [r] = await sql<{ n: number }>(
        tx,
        // `id = any(array(...))`: the chunk's ids are found on the mødedato index and deleted by primary key,
        // whatever the planner's statistics say (an `in (subquery)` became a sequential scan over 5 million rows).
        `with d as (delete from booking where id = any(array(select id from booking where moededato <= ? limit ?)) returning 1)
         select count(*)::int as n from d`,
        [graense, bid],
      );
      return { bookinger: r.n };
    });
  },
};
