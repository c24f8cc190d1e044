import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * prom-client's default collectors, less the four that walk every handle, socket or file descriptor
 * on each scrape (open fds, active handles, requests and resources): with 10,000 subscribers a scrape
 * stalled the event loop 20–60 ms, which every subscriber then saw as latency. The subscription gauge
 * below counts what those would have shown.
 */
const DEFAULT_COLLECTORS = [
  'processCpuTotal',
  'processStartTime',
  'osMemoryHeap',
  'processMaxFileDescriptors',
  'eventLoopLag',
  'heapSizeAndUsed',
  'heapSpacesSizeAndUsed',
  'version',
  'gc',
] as const;

function collectCheapDefaultMetrics(register: Registry): void {
  for (const name of DEFAULT_COLLECTORS) {
    // prom-client has no switch for single default collectors; its modules are plain files (no exports map).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const collector = require(`prom-client/lib/metrics/${name}`) as (r: Registry, config: { eventLoopMonitoringPrecision: number }) => void;
    collector(register, { eventLoopMonitoringPrecision: 10 });
  }
}

/** Distinct operation names labelled at most; later names count as `other`. */
export const MAX_OPERATION_LABELS = 200;

/**
 * The `operation` label of a request: the client names its operation, so every new name would be a new series kept
 * for the life of the process, and a caller sending random names would grow the server's memory and /metrics
 * without end. The first names seen (a deployment's fagsystemer use a few dozen) are kept; beyond them, and for a
 * name that is not a GraphQL name, the label is `other`.
 */
export class OperationLabels {
  private readonly seen = new Set<string>();

  constructor(private readonly max = MAX_OPERATION_LABELS) {}

  of(operationName: string | null | undefined): string {
    if (!operationName) return 'anonymous';
    if (this.seen.has(operationName)) return operationName;
    if (this.seen.size >= this.max || !/^[_A-Za-z][_0-9A-Za-z]{0,99}$/.test(operationName)) return 'other';
    this.seen.add(operationName);
    return operationName;
  }
}

/** One registry per server instance, so two servers in one process (tests) keep apart. */
export class Metrics {
  readonly registry = new Registry();
  readonly operations = new OperationLabels();
  readonly requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL operations executed, by operation name and type',
    labelNames: ['operation', 'type'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time from request start to response, by operation name',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'graphql_errors_total',
    help: 'Errors returned to clients, by extensions.code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly subscriptionsStarted = new Counter({
    name: 'graphql_subscriptions_started_total',
    help: 'Subscriptions that have started receiving (replay or live)',
    registers: [this.registry],
  });
  /**
   * an answer waits for the insert holding its access-log rows; this is that wait's database part. The rows a
   * read statement writes itself (opening a borger) commit with the read and are not counted here.
   */
  readonly accessLogInsert = new Histogram({
    name: 'access_log_insert_seconds',
    help: 'Time from sending an access-log group-commit insert to its commit',
    buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly accessLogRows = new Counter({
    name: 'access_log_rows_total',
    help: 'Access-log rows committed by the group-commit writer',
    registers: [this.registry],
  });
  readonly subscriptions = new Gauge({
    name: 'graphql_subscriptions_open',
    help: 'Open graphql-ws subscriptions',
    registers: [this.registry],
  });

  constructor(pool: () => { used: number; free: number; pending: number }) {
    collectCheapDefaultMetrics(this.registry);
    const g = new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state',
      labelNames: ['state'] as const,
      registers: [this.registry],
      collect() {
        const p = pool();
        g.set({ state: 'used' }, p.used);
        g.set({ state: 'free' }, p.free);
        g.set({ state: 'pending' }, p.pending);
      },
    });
  }
}
