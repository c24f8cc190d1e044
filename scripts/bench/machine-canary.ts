/**
 * node -r @swc-node/register scripts/bench/machine-canary.ts
 *
 * The machine canary: a short, fixed measurement of how fast this machine is right now, taken in the driver
 * process at the start of each benchmark and printed in its report, so that figures from different sessions
 * are compared only when the machine was about as fast (the same code has measured 3× slower on this VM from
 * one session to the next, with no other work on it and no steal time shown). About 5 s in all:
 *
 *  - loopback: 1 byte ping-pong over a loopback TCP socket pair (node:net, noDelay), round trips per second:
 *    syscalls, the kernel's TCP path and event-loop wake-ups, what our server spends on each PostgreSQL round trip;
 *  - cpu: graphql-js parse + validate + execute of a fixed small query against a fixed small schema
 *    (`buildSchema`, resolvers from a root value) and JSON.stringify of the result, per second: the CPU work of a
 *    GraphQL request (it changes with the graphql package's version: compare at the same version);
 *  - syscalls: 1-byte read(2)s of /dev/zero per second (fs.readSync), the bare cost of entering the kernel.
 *
 * Run alone, it prints the report line and the readings as JSON.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { buildSchema, execute, parse, validate, type GraphQLSchema } from 'graphql';

export interface Canary {
  loopbackRoundTripsPerS: number;
  cpuOpsPerS: number;
  syscallsPerS?: number;
}

const MEASURE_MS = 1500;
/** Warm-ups: the socket pair settles at once; graphql-js keeps getting faster (JIT) for about 1 s. */
const LOOPBACK_WARM_MS = 300;
const CPU_WARM_MS = 1000;

/** 1-byte ping-pong between two ends of a loopback TCP connection in this process. */
async function loopback(warmMs: number, measureMs: number): Promise<number> {
  const server = net.createServer({ noDelay: true }, (s) => {
    s.setNoDelay(true);
    s.on('data', (b) => s.write(b));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  const client = net.connect({ host: '127.0.0.1', port, noDelay: true });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('error', reject);
      client.once('connect', () => resolve());
    });
    client.setNoDelay(true);
    return await new Promise<number>((resolve, reject) => {
      client.once('error', reject);
      const one = Buffer.from([1]);
      const warmUntil = performance.now() + warmMs;
      let t0 = 0;
      let n = 0;
      client.on('data', (b) => {
        const now = performance.now();
        if (t0 === 0) {
          if (now >= warmUntil) t0 = now;
        } else {
          n += b.length; // one outstanding byte: one byte per round trip
          if (now - t0 >= measureMs) {
            resolve(n / ((now - t0) / 1000));
            return;
          }
        }
        client.write(one);
      });
      client.write(one);
    });
  } finally {
    client.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

const SDL = `
  type Query { borger(cpr: String!): Borger }
  type Borger {
    cpr: String!
    navn: String!
    foedselsdato: String!
    kontaktgruppe: Int
    kontaktpersoner(aktive: Boolean): [Kontaktperson!]!
    abonnementer: [Abonnement!]!
  }
  type Kontaktperson { id: ID! type: Int! fra: String! til: String kontakt: Kontakt! }
  type Kontakt { id: ID! navn: String! email: String telefon: String art: Art! }
  type Abonnement { id: ID! modtager: String! fra: String! aktiv: Boolean! }
  enum Art { PERSON ORGANISATION }
`;

const QUERY = `
  query Borger($cpr: String!) {
    borger(cpr: $cpr) {
      cpr navn foedselsdato kontaktgruppe
      kontaktpersoner(aktive: true) { ...KP }
      abonnementer { id modtager fra aktiv }
    }
  }
  fragment KP on Kontaktperson { id type fra til kontakt { id navn email telefon art } }
`;

const ROOT_VALUE = {
  borger: ({ cpr }: { cpr: string }) => ({
    cpr,
    navn: 'Anders Andersen',
    foedselsdato: '2001-02-03',
    kontaktgruppe: 2,
    kontaktpersoner: ({ aktive }: { aktive?: boolean }) =>
      [32, 32, 8, 15, 25].map((type, i) => ({
        id: String(1000 + i),
        type,
        fra: '2025-01-01',
        til: aktive ? null : '2026-12-31',
        kontakt: { id: String(2000 + i), navn: `Kontakt ${i}`, email: `kontakt${i}@example.dk`, telefon: '12345678', art: i % 2 ? 'ORGANISATION' : 'PERSON' },
      })),
    abonnementer: [1, 2, 3].map((i) => ({ id: String(3000 + i), modtager: `UDB${i}`, fra: '2025-06-01', aktiv: i !== 3 })),
  }),
};

/** One request's worth: parse, validate, execute (synchronous resolvers), serialise; returns the body's length. */
function graphqlOp(schema: GraphQLSchema): number {
  const document = parse(QUERY);
  const errors = validate(schema, document);
  if (errors.length) throw new Error(`machine canary: ${errors[0].message}`);
  const result = execute({ schema, document, rootValue: ROOT_VALUE, variableValues: { cpr: '0102011234' } });
  if ('then' in result) throw new Error('machine canary: execute returned a promise');
  if (result.errors?.length) throw new Error(`machine canary: ${result.errors[0].message}`);
  return JSON.stringify(result).length;
}

/** Runs `op` in batches until `warmMs` then `measureMs` have passed; operations per second of the measured part. */
function rate(op: () => unknown, warmMs: number, measureMs: number, batch: number): number {
  const warmUntil = performance.now() + warmMs;
  while (performance.now() < warmUntil) for (let i = 0; i < batch; i++) op();
  const t0 = performance.now();
  let n = 0;
  let now = t0;
  while (now - t0 < measureMs) {
    for (let i = 0; i < batch; i++) op();
    n += batch;
    now = performance.now();
  }
  return n / ((now - t0) / 1000);
}

function syscalls(warmMs: number, measureMs: number): number | undefined {
  let fd: number;
  try {
    fd = openSync('/dev/zero', 'r');
  } catch {
    return undefined;
  }
  try {
    const buf = Buffer.alloc(1);
    return rate(() => readSync(fd, buf, 0, 1, null), warmMs, measureMs, 1000);
  } finally {
    closeSync(fd);
  }
}

/** Measures the canary in this process (about 5 s); run it while the process does nothing else. */
export async function machineCanary(): Promise<Canary> {
  const loopbackRoundTripsPerS = await loopback(LOOPBACK_WARM_MS, MEASURE_MS);
  const schema = buildSchema(SDL);
  const cpuOpsPerS = rate(() => graphqlOp(schema), CPU_WARM_MS, MEASURE_MS, 20);
  const syscallsPerS = syscalls(100, 500);
  return syscallsPerS === undefined ? { loopbackRoundTripsPerS, cpuOpsPerS } : { loopbackRoundTripsPerS, cpuOpsPerS, syscallsPerS };
}

/** Three significant figures, thousands separated: 41,234 → "41,200". */
function sig3(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return String(n);
  const step = 10 ** Math.max(0, Math.floor(Math.log10(n)) - 2);
  return (Math.round(n / step) * step).toLocaleString('en-US');
}

/** The report line: one markdown sentence. */
export function canaryLine(c: Canary): string {
  const sys = c.syscallsPerS === undefined ? '' : `, ${sig3(c.syscallsPerS)} read(2)/s`;
  return `Machine canary at the start: ${sig3(c.loopbackRoundTripsPerS)} loopback TCP round trips/s, ${sig3(c.cpuOpsPerS)} graphql parse+validate+execute/s${sys} (scripts/bench/machine-canary.ts, the same code every run: compare figures across sessions only at similar canaries).`;
}

if (require.main === module) {
  machineCanary().then(
    (c) => {
      console.log(canaryLine(c));
      console.log(JSON.stringify(c));
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
