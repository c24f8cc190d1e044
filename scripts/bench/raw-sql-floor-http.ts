/**
 * node -r @swc-node/register scripts/bench/raw-sql-floor-http.ts --database-url URL --port P --jwt-secret S
 *
 * A floor over HTTP for the case-worker read: node:http, the same bearer tokens as ours (HS256, jose; verified
 * tokens cached until they expire), the jobcenter scope and the X-4 access-log row written in the same single
 * statement as the read (a data-modifying CTE), `pg` pool 10. No GraphQL: the body is `{"variables":{"cpr":…}}`
 * and the answer is the borger as JSON. It shows what one statement per request costs end to end.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { jwtVerify } from 'jose';
import pg from 'pg';
import { BORGER_JSON } from './raw-sql-floor';

// The plan's jobcenter ($2) is the borger's: the CTE keeps only the caller's own borger.
const SQL = `with b as (select * from borger where cpr = $1 and jobcenter = $2),
  log as (insert into access_log (at, sub, role, org, cpr, what, request_id) select now(), $3, 'JOBCENTER', $2, b.cpr, 'borger', $4 from b)
  select ${BORGER_JSON}::text as borger from b`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'database-url': { type: 'string' }, port: { type: 'string' }, 'jwt-secret': { type: 'string' } } });
  const key = new TextEncoder().encode(values['jwt-secret']);
  const pool = new pg.Pool({ connectionString: values['database-url'], max: 10 });
  const verified = new Map<string, { sub: string; role: string; org: string; exp: number }>();
  const principal = async (auth: string | undefined) => {
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : '';
    const hit = verified.get(token);
    if (hit && hit.exp * 1000 > Date.now()) return hit;
    const { payload } = await jwtVerify(token, key);
    const p = { sub: String(payload.sub), role: String(payload.role), org: String(payload.org), exp: Number(payload.exp) };
    if (verified.size > 10_000) verified.clear();
    verified.set(token, p);
    return p;
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const p = await principal(req.headers.authorization);
        if (p.role !== 'JOBCENTER') throw new Error('forbidden');
        const { variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables: { cpr: string } };
        const r = await pool.query(SQL, [variables.cpr, p.org, p.sub, randomUUID()]);
        const body = r.rows.length ? `{"data":{"borger":${r.rows[0].borger}}}` : '{"data":{"borger":null},"errors":[{"message":"FORBIDDEN"}]}';
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      } catch {
        res.writeHead(401).end('{"errors":[{"message":"UNAUTHENTICATED"}]}');
      }
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(values.port), '127.0.0.1', () => console.log(`floor-http listening on ${values.port}`));
  const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
