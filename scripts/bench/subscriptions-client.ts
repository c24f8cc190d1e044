/**
 * A subscriber process of `npm run bench:subscriptions`, forked by scripts/bench/subscriptions.ts and
 * driven over IPC. Holds thousands of graphql-transport-ws connections (raw `ws`, one subscription per
 * connection) and records, per delivery, (subscriber, sequence number, receive time). The sequence
 * number travels as `indhold.beloebOere`; it is cut out of the frame without parsing the JSON, so the
 * client stays cheap. Times are `process.hrtime` (CLOCK_MONOTONIC, the same clock in every process), in ms.
 */
import WebSocket from 'ws';

export interface SubSpec {
  org: number;
  /** connection_init payload (the token for ours). */
  init: Record<string, unknown>;
  variables: Record<string, unknown>;
}

/** `set` names the server the subscribers belong to: both servers' subscribers are held side by side. */
export type ClientCommand =
  | { id: number; cmd: 'connect'; set: string; url: string; query: string; subs: SubSpec[]; orgs: number; concurrency: number }
  | { id: number; cmd: 'progress'; set: string }
  | { id: number; cmd: 'stats'; set: string; messages: Float64Array }
  | { id: number; cmd: 'disconnect'; set: string }
  | { id: number; cmd: 'exit' };

export interface ConnectResult {
  connected: number;
  failed: number;
  firstError: string | null;
}

export interface Progress {
  /** Deliveries recorded since connect. */
  received: number;
  /** Subscribers that have received at least one message. */
  withAny: number;
  /** Connections the server closed (or that failed) after they were up. */
  closed: number;
  closeCodes: Record<string, number>;
  errors: number;
  firstError: string | null;
}

export interface StepStats {
  /** First deliveries of the given messages (duplicates not counted). */
  delivered: number;
  expected: number;
  duplicated: number;
  /** Deliveries to a subscriber of another org (must be 0). */
  misdelivered: number;
  /** receive − mutation/publish response, ms, one per first delivery. */
  lat: Float64Array;
  /** receive − request sent, ms. */
  latSend: Float64Array;
  /** Receive time of the last of these deliveries (-Infinity if none). */
  tLast: number;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

class Growable {
  sub = new Int32Array(1 << 16);
  seq = new Int32Array(1 << 16);
  t = new Float64Array(1 << 16);
  n = 0;
  push(sub: number, seq: number, t: number): void {
    if (this.n === this.sub.length) {
      const grow = <T extends Int32Array | Float64Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.sub = grow(this.sub);
      this.seq = grow(this.seq);
      this.t = grow(this.t);
    }
    this.sub[this.n] = sub;
    this.seq[this.n] = seq;
    this.t[this.n] = t;
    this.n++;
  }
}

const KEY = Buffer.from('"beloebOere":');
const NEXT = Buffer.from('"type":"next"');

/** One server's subscribers in this process (a run holds the baseline's and ours side by side). */
class SubscriberSet {
  sockets: WebSocket[] = [];
  subOrg = new Int32Array(0);
  gotAny = new Uint8Array(0);
  orgCount = new Int32Array(0);
  receipts = new Growable();
  withAny = 0;
  closed = 0;
  closeCodes: Record<string, number> = {};
  errors = 0;
  firstError: string | null = null;
  disconnecting = false;

  noteError(msg: string): void {
    this.errors++;
    if (!this.firstError) this.firstError = msg.slice(0, 500);
  }

  onMessage(i: number, data: Buffer): void {
    const t = now();
    const k = data.indexOf(KEY);
    if (k >= 0 && data.indexOf(NEXT) >= 0) {
      let p = k + KEY.length;
      let seq = 0;
      for (let c = data[p]; c >= 48 && c <= 57; c = data[++p]) seq = seq * 10 + (c - 48);
      this.receipts.push(i, seq, t);
      if (!this.gotAny[i]) {
        this.gotAny[i] = 1;
        this.withAny++;
      }
      if (data.indexOf('"errors"') >= 0) this.noteError(data.toString('utf8'));
      return;
    }
    const m = JSON.parse(data.toString('utf8')) as { type: string; payload?: unknown };
    if (m.type === 'ping') this.sockets[i].send('{"type":"pong"}');
    else if (m.type === 'pong') return;
    else this.noteError(JSON.stringify(m));
  }

  open(url: string, query: string, s: SubSpec, i: number): Promise<string | null> {
    return new Promise((resolve) => {
      const ws = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false, skipUTF8Validation: true });
      this.sockets[i] = ws;
      let acked = false;
      let settled = false;
      const settle = (err: string | null) => {
        if (settled) return;
        settled = true;
        resolve(err);
      };
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: s.init })));
      ws.on('error', (e) => settle(`socket error: ${e.message}`));
      ws.on('close', (code, reason) => {
        if (!acked) return settle(`closed before ack: ${code} ${reason.toString()}`);
        if (!this.disconnecting) {
          this.closed++;
          this.closeCodes[code] = (this.closeCodes[code] ?? 0) + 1;
          if (!this.firstError) this.firstError = `closed ${code} ${reason.toString()}`;
        }
      });
      ws.on('message', (data: Buffer) => {
        if (acked) return this.onMessage(i, data);
        const m = JSON.parse(data.toString('utf8')) as { type: string };
        if (m.type !== 'connection_ack') return settle(`expected connection_ack, got ${data.toString('utf8')}`);
        acked = true;
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables: s.variables } }));
        settle(null);
      });
    });
  }

  async connect(c: Extract<ClientCommand, { cmd: 'connect' }>): Promise<ConnectResult> {
    this.sockets = new Array(c.subs.length);
    this.subOrg = Int32Array.from(c.subs.map((s) => s.org));
    this.gotAny = new Uint8Array(c.subs.length);
    this.orgCount = new Int32Array(c.orgs);
    for (const s of c.subs) this.orgCount[s.org]++;
    let next = 0;
    let failed = 0;
    let firstFail: string | null = null;
    const worker = async () => {
      while (next < c.subs.length) {
        const i = next++;
        const err = await this.open(c.url, c.query, c.subs[i], i);
        if (err) {
          failed++;
          firstFail ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: c.concurrency }, worker));
    return { connected: c.subs.length - failed, failed, firstError: firstFail };
  }

  progress(): Progress {
    return { received: this.receipts.n, withAny: this.withAny, closed: this.closed, closeCodes: this.closeCodes, errors: this.errors, firstError: this.firstError };
  }

  /** Numbers for the messages `[seq, org, tResponse, tSent]*`, over every delivery recorded so far. */
  stats(packed: Float64Array): StepStats {
    const { receipts, subOrg, orgCount } = this;
    const n = packed.length / 4;
    const index = new Map<number, number>();
    let expected = 0;
    for (let j = 0; j < n; j++) {
      index.set(packed[j * 4], j);
      expected += orgCount[packed[j * 4 + 1]] ?? 0;
    }
    const seen = new Set<number>();
    const lat: number[] = [];
    const latSend: number[] = [];
    let duplicated = 0;
    let misdelivered = 0;
    let tLast = -Infinity;
    const nSubs = subOrg.length;
    for (let r = 0; r < receipts.n; r++) {
      const j = index.get(receipts.seq[r]);
      if (j === undefined) continue;
      const sub = receipts.sub[r];
      if (subOrg[sub] !== packed[j * 4 + 1]) {
        misdelivered++;
        continue;
      }
      const key = j * nSubs + sub;
      if (seen.has(key)) {
        duplicated++;
        continue;
      }
      seen.add(key);
      if (receipts.t[r] > tLast) tLast = receipts.t[r];
      lat.push(receipts.t[r] - packed[j * 4 + 2]);
      latSend.push(receipts.t[r] - packed[j * 4 + 3]);
    }
    return { delivered: seen.size, expected, duplicated, misdelivered, lat: Float64Array.from(lat), latSend: Float64Array.from(latSend), tLast };
  }

  async disconnect(): Promise<void> {
    this.disconnecting = true;
    await Promise.all(
      this.sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (!ws || ws.readyState === WebSocket.CLOSED) return resolve();
            const t = setTimeout(() => {
              ws.terminate();
              resolve();
            }, 5000);
            ws.once('close', () => {
              clearTimeout(t);
              resolve();
            });
            if (ws.readyState === WebSocket.OPEN) ws.close(1000);
            else ws.terminate();
          }),
      ),
    );
    this.sockets = [];
  }
}

const sets = new Map<string, SubscriberSet>();
const setOf = (name: string) => {
  let s = sets.get(name);
  if (!s) sets.set(name, (s = new SubscriberSet()));
  return s;
};

process.on('message', (c: ClientCommand) => {
  const reply = (result: unknown) => process.send!({ id: c.id, result });
  switch (c.cmd) {
    case 'connect':
      sets.delete(c.set);
      void setOf(c.set).connect(c).then(reply);
      break;
    case 'progress':
      reply(setOf(c.set).progress());
      break;
    case 'stats':
      reply(setOf(c.set).stats(c.messages));
      break;
    case 'disconnect':
      void setOf(c.set)
        .disconnect()
        .then(() => (sets.delete(c.set), reply(true)));
      break;
    case 'exit':
      reply(true);
      setTimeout(() => process.exit(0), 50);
      break;
  }
});
process.on('disconnect', () => process.exit(0));
