/**
 * PG-1 in SQL, as a data-modifying CTE for the move statements (one CPR move, or a batch re-coding): closes the
 * open type-5 markings of the moved borgere whose list does not hold the new kommune's jobcenter; end = move date,
 * and a marking that starts after the move date gets start = end = move date − 1 (the same decision as
 * `pg1VedFlytning`). `moved` is a CTE with (cpr, fra_kommune, til_kommune), `p` one with the move date `d`.
 * Returns the CTE text `<name> as (update ... returning cpr)`.
 */
export function pg1LukningCte(name: string, moved: string, p: string): string {
  return `${name} as (
      update persongruppemarkering g
         set start = case when g.start > ${p}.d then ${p}.d - 1 else g.start end,
             slut = case when g.start > ${p}.d then ${p}.d - 1 else ${p}.d end,
             lukket_ved_flytning = ${p}.d, lukket_af_rolle = 'SYSTEM', lukket_af_org = 'dfdg', lukket_af = 'dfdg:PG-1', lukket = now()
        from ${moved} m, ${p}
       where g.cpr = m.cpr
         and m.fra_kommune is distinct from m.til_kommune
         and g.type = 5
         and (g.slut is null or g.slut > ${p}.d)
         and not (m.til_kommune = any (g.jobcentre))
      returning g.cpr)`;
}
