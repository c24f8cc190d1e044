/**
 * node -r @swc-node/register scripts/bench/postgraphile-server.ts --database-url URL --port P
 *
 * The peer of the case-worker read benchmark: PostGraphile 4.14 over the same tables (schema public), in
 * production settings (no GraphiQL, no query log, no watch, no extended errors, pool 10 like ours). It has no
 * authentication or org scoping and writes no access log: it only reads.
 */
import http from 'node:http';
import Module from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';

// PostGraphile 4 needs graphql 15; the project has 16 at the top of node_modules and two nested 15s. One copy
// for the whole process: every `graphql` request resolves to postgraphile's own.
const GRAPHQL15 = path.dirname(require.resolve('graphql/package.json', { paths: [path.dirname(require.resolve('postgraphile/package.json'))] }));
const M = Module as unknown as { _resolveFilename: (req: string, ...rest: unknown[]) => string };
const resolve = M._resolveFilename;
M._resolveFilename = function (req: string, ...rest: unknown[]) {
  if (req === 'graphql' || req.startsWith('graphql/')) req = GRAPHQL15 + req.slice('graphql'.length);
  return resolve.call(this, req, ...rest);
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { postgraphile } = require('postgraphile') as typeof import('postgraphile');

/** The equivalent of our case-worker read in PostGraphile's generated schema. */
export const PEER_QUERY = `query Open($cpr: String!, $jc: String!) {
  borgerByCpr(cpr: $cpr) {
    cpr fornavn efternavn foedselsdato bopaelskommune jobcenter jobparat
    kontaktgruppePeriodesByCpr(orderBy: START_ASC) { nodes { kontaktgruppe start slut } }
    kontaktpeopleByCpr(orderBy: START_ASC) { nodes { id kontaktpersontype rolle start slut visesPaaJobnet kontaktByKontaktId { id navn email telefon art } } }
    uddannelsesplansByCpr(condition: { jobcenter: $jc }) { nodes { id plantype trin frist maal uddannelsessted stoettebehov } }
    abonnementsByCpr(orderBy: START_ASC) { nodes { id start slut lukkeaarsag } }
  }
}`;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'database-url': { type: 'string' }, port: { type: 'string', default: '5055' } } });
  const pool = new pg.Pool({ connectionString: values['database-url'], max: 10 });
  const handler = postgraphile(pool, 'public', {
    graphiql: false,
    disableQueryLog: true,
    watchPg: false,
    dynamicJson: true,
    setofFunctionsContainNulls: false,
    ignoreRBAC: false,
    legacyRelations: 'omit',
    enableQueryBatching: false,
    retryOnInitFail: false,
  });
  const server = http.createServer(handler);
  server.keepAliveTimeout = 65_000;
  server.listen(Number(values.port), '127.0.0.1', () => console.log(`postgraphile listening on ${values.port}`));
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
