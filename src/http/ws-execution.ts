import {
  GraphQLError,
  createSourceEventStream,
  execute,
  parse,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { answerWithheld } from '../access-log/access-log';
import { parseFailed, validationFailed } from './limits';

type Result = ExecutionResult | Promise<ExecutionResult>;

export interface DocumentCacheOptions {
  /** graphql-js's token limit: parsing stops there, so no text, however long, holds the event loop. */
  maxTokens: number;
  /** Documents kept. */
  max?: number;
  /** Texts longer than this are parsed and validated every time and never kept: the cache cannot be filled with megabytes. */
  maxCachedLength?: number;
}

type Parsed = { document: DocumentNode } | { errors: readonly GraphQLError[] };

/**
 * Parsed and validated documents by their text. Thousands of subscribers send the same few documents;
 * they share one AST (memory) and skip parse and validation (time). Only valid documents are kept: a
 * client sending ever new broken texts would otherwise push the good ones out.
 */
export class DocumentCache {
  private readonly docs = new Map<string, { document: DocumentNode }>();
  private readonly maxTokens: number;
  private readonly max: number;
  private readonly maxCachedLength: number;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly rules: readonly ValidationRule[],
    opts: DocumentCacheOptions,
  ) {
    this.maxTokens = opts.maxTokens;
    this.max = opts.max ?? 500;
    this.maxCachedLength = opts.maxCachedLength ?? 16_384;
  }

  /** Documents kept. */
  get size(): number {
    return this.docs.size;
  }

  get(query: string): Parsed {
    const hit = this.docs.get(query);
    if (hit) {
      // Least recently used goes first: re-insert to move to the end.
      this.docs.delete(query);
      this.docs.set(query, hit);
      return hit;
    }
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: this.maxTokens });
    } catch (e) {
      // The codes Apollo gives over HTTP: without one, an error is masked as internal in production.
      return { errors: [e instanceof GraphQLError ? parseFailed(e) : new GraphQLError(String(e), { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })] };
    }
    const errors = validate(this.schema, document, this.rules);
    if (errors.length) return { errors: errors.map(validationFailed) };
    const parsed = { document };
    if (query.length <= this.maxCachedLength) {
      this.docs.set(query, parsed);
      if (this.docs.size > this.max) this.docs.delete(this.docs.keys().next().value!);
    }
    return parsed;
  }
}

/**
 * graphql-ws runs queries and mutations itself, outside Apollo and its access-log plugin. This `execute`
 * holds X-4 for them as HTTP does: the operation's access-log rows are durable before its result leaves,
 * and if they cannot be written, no data leaves.
 */
export function executeWithAccessLog(flush: (contextValue: unknown) => Promise<unknown>, onLogFailure: (err: unknown) => void) {
  return async (args: ExecutionArgs): Promise<ExecutionResult> => {
    const result = await execute(args);
    try {
      await flush(args.contextValue);
    } catch (err) {
      onLogFailure(err);
      return { data: null, errors: [answerWithheld()] };
    }
    return result;
  };
}

/** What may make two subscribers' results differ besides document and variables: who they are. */
export type ScopeOf = (contextValue: unknown) => string;

/**
 * A source that can hand its events to a sink synchronously instead of being pulled, one event at a time,
 * in order. The sink either takes the event (it has been written to the client) or declines it, and the
 * source then queues it for the ordinary pull (`next()`) as before. A source must offer an event only
 * while nothing it queued earlier is still unpulled or in flight, so the client sees its events in order.
 */
export const PUSH_SINK = Symbol.for('dfdg.pushSink');
export interface PushSink<T> {
  /**
   * Gets the sink ready to take `event` synchronously (here: starts its execution, shared by the group);
   * the promise, if any, settles when it is. A source may await it before it offers.
   */
  prepare(event: T): Promise<void> | undefined;
  offer(event: T): boolean;
}
export interface PushSource<T> {
  [PUSH_SINK](sink: PushSink<T>): void;
}

/** The minimum of `ws`'s WebSocket that a direct write needs. */
export interface FrameSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Buffer, options: { binary: boolean }): void;
}

/**
 * Above this many bytes queued on a socket, events go the ordinary way again (graphql-ws awaits each
 * send, the subscription's bounded queue fills, a slow consumer is closed): direct writes never grow a
 * socket's buffer past this plus one frame.
 */
export const DIRECT_HIGH_WATER_BYTES = 64 * 1024;

const directTargets = new WeakMap<object, { socket: FrameSocket; id: string }>();

/**
 * Lets the subscription executed with `contextValue` write its `next` messages straight to `socket` under
 * operation `id` (graphql-ws's onSubscribe knows both). Without it, every result goes through graphql-ws.
 */
export function bindDirectSocket(contextValue: object, socket: FrameSocket, id: string): void {
  directTargets.set(contextValue, { socket, id });
}

/**
 * One unmasked, unfragmented, uncompressed text frame from server to client (RFC 6455 §5.2): the bytes
 * ws's Sender writes for `send(text)` on a connection without permessage-deflate.
 */
export function textFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const header = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(header + n);
  out[0] = 0x81; // FIN + opcode 1 (text)
  if (n < 126) {
    out[1] = n;
  } else if (n < 65536) {
    out[1] = 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 127;
    out.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
    out.writeUInt32BE(n >>> 0, 6);
  }
  payload.copy(out, header);
  return out;
}

/** What a raw write needs of ws 8's WebSocket (package pinned; test/unit/ws-execution.test.ts checks it). */
interface WsInternals {
  _extensions?: Record<string, unknown>;
  _sender?: { _state?: number; _firstFragment?: boolean; _queue?: unknown[] };
  _socket?: { write(frame: Buffer): boolean };
}

/**
 * A writer of prebuilt frames straight to the connection's TCP socket, or null when the connection
 * cannot take them (a negotiated extension such as compression, or not ws's WebSocket). Each call
 * writes only while ws's own sender is idle between messages (nothing queued, not inside a fragmented
 * message), so the bytes can never interleave with a frame ws is writing; otherwise it declines and the
 * caller sends the ordinary way.
 */
export function rawFrameWriter(socket: FrameSocket): ((frame: Buffer) => boolean) | null {
  const w = socket as unknown as WsInternals;
  const sender = w._sender;
  const tcp = w._socket;
  if (!sender || !tcp || typeof tcp.write !== 'function') return null;
  if (!w._extensions || Object.keys(w._extensions).length > 0) return null;
  if (sender._state === undefined || sender._firstFragment === undefined || !Array.isArray(sender._queue)) return null;
  return (frame) => {
    if (sender._state !== 0 || !sender._firstFragment || sender._queue!.length > 0) return false;
    tcp.write(frame);
    return true;
  };
}

interface Shared {
  result: Result;
  /** The result once execution has finished (type-graphql's resolvers make it a promise). */
  settled?: ExecutionResult;
  ready?: Promise<void>;
  /** The `next` message's payload and closing brace, serialized once for every subscriber of the group; null if it cannot go direct. */
  tail?: Buffer | null;
  /** Whole `next` frames by operation id: subscribers of the group that chose the same id share the bytes. */
  frames?: Map<string, Buffer>;
}

const OPEN = 1;
const TEXT = { binary: false };

/**
 * A `subscribe` for graphql-ws that executes each event once per distinct (document, variables, scope)
 * instead of once per subscriber: subscribers of one organisation share one result object. Stock
 * graphql-js runs the selection set for every subscriber of every event, which is where the time goes
 * with thousands of subscribers. Events must be shared objects (the notification hub hands the same
 * message object to every subscriber of a recipient); results are cached per event object and freed
 * with it.
 *
 * It also serializes once: when the source is a `PushSource` and the subscription was bound to its
 * socket (`bindDirectSocket`), an event whose result is ready and has no errors is written straight to
 * the socket as `{"id":<id>,"type":"next","payload":<payload>}`, the bytes graphql-ws would send, with the
 * payload JSON built once per group and only the operation id per subscriber: no stringify, promise or
 * send callback per subscriber. Where ws's sender is idle, the whole frame (built once per group and
 * operation id) goes straight to the TCP socket, so subscribers that share a result share its bytes. The
 * source awaits `prepare` (one execution per group) before it offers.
 * Anything else (a result not yet settled or with errors, a socket with more than
 * DIRECT_HIGH_WATER_BYTES queued, replay) takes graphql-ws's ordinary path, in order.
 */
export function sharedSubscribe(scopeOf: ScopeOf) {
  const results = new WeakMap<object, Map<DocumentNode, Map<string, Shared>>>();

  const shared = (event: object, args: ExecutionArgs, key: string): Shared => {
    let byDoc = results.get(event);
    if (!byDoc) results.set(event, (byDoc = new Map()));
    let byKey = byDoc.get(args.document);
    if (!byKey) byDoc.set(args.document, (byKey = new Map()));
    let r = byKey.get(key);
    if (!r) {
      const entry: Shared = { result: execute({ ...args, rootValue: event }) };
      if (isPromise(entry.result)) {
        entry.ready = entry.result.then(
          (v) => void (entry.settled = v),
          () => undefined,
        );
      } else {
        entry.settled = entry.result;
      }
      byKey.set(key, (r = entry));
    }
    return r;
  };

  const run = (event: unknown, args: ExecutionArgs, key: string): Result =>
    typeof event !== 'object' || event === null ? execute({ ...args, rootValue: event }) : shared(event, args, key).result;

  /** What graphql-ws's stringifyMessage makes of an error-free result (`{ ...result }`), after the id and type. */
  const tailOf = (s: Shared): Buffer | null => {
    const r = s.settled;
    if (!r) return null;
    if (s.tail === undefined) s.tail = r.errors ? null : Buffer.from(`${JSON.stringify(r)}}`);
    return s.tail;
  };

  return async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const stream = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in stream)) return stream as ExecutionResult;
    const source = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    const key = `${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${scopeOf(args.contextValue)}`;
    const target = typeof args.contextValue === 'object' && args.contextValue !== null ? directTargets.get(args.contextValue) : undefined;
    if (target && typeof (source as Partial<PushSource<unknown>>)[PUSH_SINK] === 'function') {
      const { socket, id } = target;
      const head = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
      const raw = rawFrameWriter(socket);
      const frameOf = (e: Shared, tail: Buffer): Buffer => {
        const frames = (e.frames ??= new Map());
        let f = frames.get(id);
        if (!f) frames.set(id, (f = textFrame(Buffer.concat([head, tail], head.length + tail.length))));
        return f;
      };
      (source as unknown as PushSource<unknown>)[PUSH_SINK]({
        prepare(event) {
          if (typeof event !== 'object' || event === null) return undefined;
          const e = shared(event, args, key);
          return e.settled ? undefined : e.ready;
        },
        offer(event) {
          if (typeof event !== 'object' || event === null) return false;
          if (socket.readyState !== OPEN || socket.bufferedAmount > DIRECT_HIGH_WATER_BYTES) return false;
          const e = shared(event, args, key);
          const tail = tailOf(e);
          if (!tail) return false;
          // The same frame bytes for every socket of the group with this operation id: one write, no copy.
          if (raw && raw(frameOf(e, tail))) return true;
          // A text frame, as graphql-ws sends its strings.
          socket.send(Buffer.concat([head, tail], head.length + tail.length), TEXT);
          return true;
        },
      });
    }
    // A plain iterator, not an async generator: `return()` must reach the source at once even while
    // it waits for the next event, or an unsubscribed client would stay attached until then.
    const mapped: AsyncIterableIterator<ExecutionResult> = {
      async next() {
        const n = await source.next();
        return n.done ? { value: undefined, done: true } : { value: await run(n.value, args, key), done: false };
      },
      async return() {
        await source.return?.();
        return { value: undefined, done: true };
      },
      async throw(e: unknown) {
        await source.return?.();
        throw e;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return mapped;
  };
}

function isPromise<T>(v: T | Promise<T>): v is Promise<T> {
  return typeof (v as { then?: unknown } | null)?.then === 'function';
}
