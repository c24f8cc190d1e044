/**
 * The plain baseline of `npm run bench:subscriptions`: a stock graphql-ws server with an in-memory
 * PubSub and no database. A graphql-js schema with the same shape as our `beskeder` subscription, an
 * EventEmitter topic per org and one bounded async iterator per subscriber, and `POST /publish` to emit.
 *
 * Started as its own process by scripts/bench/subscriptions.ts; env: PORT, SUBSCRIPTION_BUFFER.
 * Prints `listening <port>` on stdout when it is up.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildSchema, type GraphQLFieldConfig, type GraphQLObjectType } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

const schema = buildSchema(/* GraphQL */ `
  type Query {
    ok: Boolean
  }
  type Registrering {
    rolle: String!
    org: String!
    bruger: String!
  }
  type GetTidligPensionVersion1 {
    tidligPensionId: ID!
    afgoerelsesdato: String!
    start: String!
    slut: String
    beloebOere: Int!
    kompensationsbeloebOere: Int
  }
  union BeskedIndhold = GetTidligPensionVersion1
  type Besked {
    id: ID!
    serviceName: String!
    modtagerType: String!
    modtagerOrg: String!
    cpr: String
    registrering: Registrering!
    oprettet: String!
    indhold: BeskedIndhold!
  }
  type Subscription {
    beskeder(org: String!): Besked!
  }
`);

interface Besked {
  id: string;
  serviceName: string;
  modtagerType: string;
  modtagerOrg: string;
  cpr: string | null;
  registrering: { rolle: string; org: string; bruger: string };
  oprettet: string;
  indhold: Record<string, unknown> & { __typename: string };
}

const bufferSize = Number(process.env.SUBSCRIPTION_BUFFER || 5000);
const pubsub = new EventEmitter();
pubsub.setMaxListeners(0);
let open = 0;
let overflows = 0;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

/** What graphql-subscriptions' PubSub does: a listener per subscriber that feeds a queue the iterator pulls from. */
class TopicIterator implements AsyncIterableIterator<Besked> {
  private readonly queue: Besked[] = [];
  private waiting: ((r: IteratorResult<Besked>) => void) | null = null;
  private done = false;
  private readonly listener = (m: Besked) => this.push(m);

  constructor(private readonly topic: string) {
    pubsub.on(topic, this.listener);
    open++;
  }

  private push(m: Besked): void {
    if (this.done) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ value: m, done: false });
    } else if (this.queue.length >= bufferSize) {
      overflows++;
      this.end();
    } else {
      this.queue.push(m);
    }
  }

  next(): Promise<IteratorResult<Besked>> {
    const m = this.queue.shift();
    if (m) return Promise.resolve({ value: m, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<Besked>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err: unknown): Promise<IteratorResult<Besked>> {
    this.end();
    return Promise.reject(err);
  }

  private end(): void {
    if (this.done) return;
    this.done = true;
    open--;
    pubsub.off(this.topic, this.listener);
    this.queue.length = 0;
    const w = this.waiting;
    this.waiting = null;
    w?.({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Besked> {
    return this;
  }
}

const field = (schema.getSubscriptionType() as GraphQLObjectType).getFields().beskeder as unknown as GraphQLFieldConfig<Besked, unknown, { org: string }>;
field.subscribe = (_root, args) => new TopicIterator(`org:${args.org}`);
field.resolve = (payload) => payload;

let nextId = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/publish') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { org, cpr, beloebOere } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { org: string; cpr: string; beloebOere: number };
      const id = String(++nextId);
      const besked: Besked = {
        id,
        serviceName: 'GetTidligPensionVersion1',
        modtagerType: 'AKASSE',
        modtagerOrg: org,
        cpr,
        registrering: { rolle: 'UDK', org: 'udk', bruger: 'udk-udk' },
        oprettet: new Date().toISOString(),
        indhold: {
          __typename: 'GetTidligPensionVersion1',
          tidligPensionId: id,
          afgoerelsesdato: '2026-11-01',
          start: '2027-01-01',
          slut: null,
          beloebOere,
          kompensationsbeloebOere: null,
        },
      };
      pubsub.emit(`org:${org}`, besked);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"id":"${id}"}`);
    });
    return;
  }
  if (req.method === 'GET' && req.url === '/stats') {
    // Event-loop delay since the previous /stats (the driver reads it at the start and end of a step).
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ open, overflows, loopDelayMaxMs: loopDelay.max / 1e6 }));
    loopDelay.reset();
    return;
  }
  res.writeHead(404).end();
});

const wss = new WebSocketServer({ server, path: '/graphql' });
useServer({ schema }, wss);

server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  for (const c of wss.clients) c.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
