/**
 * node -r @swc-node/register scripts/bench/raw-sql-floor.ts --database-url URL --mode four|json --cprs FILE
 *   [--duration 20] [--concurrency 50] [--pool 10]
 *
 * The floor of the case-worker read: the same data straight from PostgreSQL with `pg` (pool 10), no HTTP, no
 * GraphQL, no auth. `four`: four statements per read (borger with today's kontaktgruppe, kontaktpersoner with
 * their kontakt, the jobcenter's uddannelsesplan, abonnementer); `json`: one statement building the whole answer
 * with json_agg subqueries. `concurrency` loops each read a random CPR of the file (JSON [[cpr, jobcenter]...])
 * for `duration` seconds. Prints one JSON line: reads, reads/s, p50, p99 (ms).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';

export const FOUR = [
  `select b.cpr, b.fornavn, b.efternavn, b.foedselsdato, b.bopaelskommune, b.jobcenter, b.jobparat, k.kontaktgruppe, k.start, k.slut
     from borger b left join lateral (select kontaktgruppe, start, slut from kontaktgruppe_periode p
       where p.cpr = b.cpr and p.start <= current_date and (p.slut is null or p.slut >= current_date) order by p.start desc limit 1) k on true
    where b.cpr = $1`,
  `select kp.id, kp.kontaktpersontype, kp.rolle, kp.start, kp.slut, kp.vises_paa_jobnet, k.id as kontakt_id, k.navn, k.email, k.telefon, k.art
     from kontaktperson kp join kontakt k on k.id = kp.kontakt_id where kp.cpr = $1 order by kp.start, kp.id`,
  `select id, plantype, trin, frist, maal, uddannelsessted, stoettebehov from uddannelsesplan where cpr = $1 and jobcenter = $2`,
  `select id, start, slut, lukkeaarsag from abonnement where cpr = $1 order by start, id`,
];

/** The borger `b` with its fields as one json object; `$2` is the caller's jobcenter (its plan). */
export const BORGER_JSON = `json_build_object(
    'cpr', b.cpr, 'fornavn', b.fornavn, 'efternavn', b.efternavn, 'foedselsdato', b.foedselsdato, 'bopaelskommune', b.bopaelskommune,
    'jobcenter', b.jobcenter, 'jobparat', b.jobparat,
    'kontaktgruppe', (select json_build_object('kontaktgruppe', p.kontaktgruppe, 'start', p.start, 'slut', p.slut) from kontaktgruppe_periode p
       where p.cpr = b.cpr and p.start <= current_date and (p.slut is null or p.slut >= current_date) order by p.start desc limit 1),
    'kontaktpersoner', coalesce((select json_agg(json_build_object('id', kp.id, 'kontaktpersontype', kp.kontaktpersontype, 'rolle', kp.rolle,
         'start', kp.start, 'slut', kp.slut, 'visesPaaJobnet', kp.vises_paa_jobnet,
         'kontakt', json_build_object('id', k.id, 'navn', k.navn, 'email', k.email, 'telefon', k.telefon, 'art', k.art)) order by kp.start, kp.id)
       from kontaktperson kp join kontakt k on k.id = kp.kontakt_id where kp.cpr = b.cpr), '[]'),
    'uddannelsesplan', (select json_build_object('id', u.id, 'plantype', u.plantype, 'trin', u.trin, 'frist', u.frist, 'maal', u.maal,
         'uddannelsessted', u.uddannelsessted, 'stoettebehov', u.stoettebehov) from uddannelsesplan u where u.cpr = b.cpr and u.jobcenter = $2),
    'abonnementer', coalesce((select json_agg(json_build_object('id', a.id, 'start', a.start, 'slut', a.slut, 'lukkeaarsag', a.lukkeaarsag) order by a.start, a.id)
       from abonnement a where a.cpr = b.cpr), '[]')
  )`;

export const JSON_ONE = `select ${BORGER_JSON} as borger from borger b where b.cpr = $1`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'database-url': { type: 'string' },
      mode: { type: 'string', default: 'json' },
      cprs: { type: 'string' },
      duration: { type: 'string', default: '20' },
      concurrency: { type: 'string', default: '50' },
      pool: { type: 'string', default: '10' },
    },
  });
  const cprs = JSON.parse(readFileSync(values.cprs!, 'utf8')) as [string, string][];
  const pool = new pg.Pool({ connectionString: values['database-url'], max: Number(values.pool) });
  const mode = values.mode;
  const read = async (cpr: string, jc: string): Promise<unknown> => {
    if (mode === 'four') {
      const b = await pool.query(FOUR[0], [cpr]);
      const kp = await pool.query(FOUR[1], [cpr]);
      const up = await pool.query(FOUR[2], [cpr, jc]);
      const ab = await pool.query(FOUR[3], [cpr]);
      return JSON.stringify({ ...b.rows[0], kontaktpersoner: kp.rows, uddannelsesplan: up.rows[0] ?? null, abonnementer: ab.rows });
    }
    const r = await pool.query(JSON_ONE, [cpr, jc]);
    return JSON.stringify(r.rows[0].borger);
  };
  // warm-up
  for (let i = 0; i < 200; i++) await read(...cprs[i % cprs.length]);
  const end = Date.now() + Number(values.duration) * 1000;
  const lat: number[] = [];
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: Number(values.concurrency) }, async () => {
      while (Date.now() < end) {
        const [cpr, jc] = cprs[Math.floor(Math.random() * cprs.length)];
        const s = process.hrtime.bigint();
        await read(cpr, jc);
        lat.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
    }),
  );
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  lat.sort((a, b) => a - b);
  const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))];
  await pool.end();
  console.log(JSON.stringify({ mode, reads: lat.length, rps: lat.length / secs, p50: pct(50), p99: pct(99) }));
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
