/**
 * The floor of `npm run bench:subscriptions` (a diagnostic, not a contender): the cheapest delivery this
 * machine can do in Node. A bare `ws` server, no GraphQL, no database. It speaks just enough
 * graphql-transport-ws for the benchmark's clients (connection_init → connection_ack, subscribe with
 * `variables.org`, ping → pong, complete) and, per `POST /publish`, builds the `next` frame once (the
 * WebSocket header and the JSON the baseline would send for the benchmark's selection set) and writes
 * those same bytes to each socket of the org: one write per socket, nothing else per delivery.
 *
 * Started as its own process by scripts/bench/subscriptions.ts; env: PORT. Prints `listening <port>`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import WebSocket, { WebSocketServer } from 'ws';

/** Sockets per org and subscription id: the frame differs only by the id, so it is built once per distinct id. */
const byOrg = new Map<string, Map<string, Set<WebSocket>>>();
let open = 0;
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

/** One unmasked, unfragmented text frame (server → client, RFC 6455 §5.2): header and payload in one buffer. */
function frame(text: string): Buffer {
  const data = Buffer.from(text);
  const n = data.length;
  if (n >= 65536) throw new Error('frame too long for the floor');
  const header = n < 126 ? Buffer.from([0x81, n]) : Buffer.from([0x81, 126, n >> 8, n & 0xff]);
  return Buffer.concat([header, data]);
}

let nextId = 0;
const server = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/publish') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { org, cpr, beloebOere } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { org: string; cpr: string; beloebOere: number };
      const id = String(++nextId);
      const payload = JSON.stringify({ data: { beskeder: { id, cpr, indhold: { beloebOere } } } });
      for (const [subId, sockets] of byOrg.get(org) ?? []) {
        const bytes = frame(`{"id":${JSON.stringify(subId)},"type":"next","payload":${payload}}`);
        // Straight to the TCP socket: no per-socket framing, no promise, no callback.
        for (const ws of sockets) (ws as unknown as { _socket: Socket })._socket.write(bytes);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"id":"${id}"}`);
    });
    return;
  }
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ open, overflows: 0, loopDelayMaxMs: loopDelay.max / 1e6 }));
    loopDelay.reset();
    return;
  }
  res.writeHead(404).end();
});

const wss = new WebSocketServer({ server, path: '/graphql', handleProtocols: (p) => (p.has('graphql-transport-ws') ? 'graphql-transport-ws' : false) });
wss.on('connection', (ws) => {
  const mine: [Set<WebSocket>, string][] = [];
  ws.on('message', (raw: Buffer) => {
    const m = JSON.parse(raw.toString('utf8')) as { type: string; id?: string; payload?: { variables?: { org?: string } } };
    switch (m.type) {
      case 'connection_init':
        ws.send('{"type":"connection_ack"}');
        return;
      case 'ping':
        ws.send('{"type":"pong"}');
        return;
      case 'subscribe': {
        const org = String(m.payload?.variables?.org ?? '');
        let ids = byOrg.get(org);
        if (!ids) byOrg.set(org, (ids = new Map()));
        let set = ids.get(m.id!);
        if (!set) ids.set(m.id!, (set = new Set()));
        set.add(ws);
        mine.push([set, m.id!]);
        open++;
        return;
      }
      case 'complete':
        for (const [set, id] of mine) if (id === m.id && set.delete(ws)) open--;
        return;
    }
  });
  ws.on('close', () => {
    for (const [set] of mine) if (set.delete(ws)) open--;
  });
});

server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  for (const c of wss.clients) c.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
