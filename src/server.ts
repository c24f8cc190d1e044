import { ApolloServer, type ApolloServerPlugin, type GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { knex, type MikroORM } from '@mikro-orm/postgresql';
import express from 'express';
import { GraphQLError, getOperationAST, specifiedRules, type DocumentNode, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { bearerToken, closeWhenExpired, TOKEN_EXPIRED_CLOSE_CODE, TOKEN_EXPIRED_REASON, type TokenService } from './auth/token';
import type { Clock } from './clock/clock';
import type { Config } from './config';
import type { Ctx, Principal } from './context/context';
import { createCtx } from './context/create-ctx';
import { DomainError, UnauthenticatedError } from './errors/domain-errors';
import type { DomainEventBus } from './events/domain-events';
import { formatError } from './errors/format-error';
import { graphiqlAssets, graphiqlHtml } from './http/graphiql';
import { graphqlPostHandler } from './http/graphql-post';
import { hideSuggestions, InputSize, MAX_TOKENS, NoIntrospection, operationNotFound, oversizedVariable, PageCost, requestIdFrom } from './http/limits';
import { bindDirectSocket, DocumentCache, executeWithAccessLog, sharedSubscribe } from './http/ws-execution';
import { Metrics } from './observability/metrics';
import { createSchema } from './schema';
import { AccessLogWriter, answerWithheld, writeAccessLog } from './access-log/access-log';
import { NotificationHub } from './events/notification-hub';
import { OutboxRepository } from './events/outbox.repository';
import { createDomainEventBus } from './modules';
import { brevRouter } from './uddannelsesplan/brev/brev.router';

export interface ServerDeps {
  config: Config;
  orm: MikroORM;
  clock: Clock;
  log: Logger;
  tokens: TokenService;
  /** Where the notification hub LISTENs (the database the ORM uses). */
  databaseUrl: string;
  /** The domain event bus; pass the one the job runner uses so both share it. Default: a new one. */
  events?: DomainEventBus;
}

export interface RunningServer {
  httpServer: http.Server;
  schema: GraphQLSchema;
  metrics: Metrics;
  /** Calls `listener` for every statement a request can cause: the ORM's pool and the access-log writer's. */
  onStatement(listener: () => void): void;
  port(): number;
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/** A bearer token compared in constant time (no timing hint of how much of it was right). */
function bearerEquals(header: string | undefined, token: string): boolean {
  const sent = bearerToken(header);
  if (sent === null) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function createServer(deps: ServerDeps): Promise<RunningServer> {
  const { config, orm, clock, log, tokens } = deps;
  const schema = await createSchema();
  const maskInternal = config.env === 'production';
  const introspection = config.env !== 'production';
  const knexPool = () => {
    const pool = orm.em.getConnection().getKnex().client.pool;
    return { used: pool?.numUsed() ?? 0, free: pool?.numFree() ?? 0, pending: pool?.numPendingAcquires() ?? 0 };
  };
  const metrics = new Metrics(knexPool);
  const events = deps.events ?? createDomainEventBus();

  // Delivery has connections of its own, so a burst of writes queueing for the request pool cannot
  // hold back messages already committed.
  const hubDb = knex({ client: 'pg', connection: deps.databaseUrl, pool: { min: 0, max: 2 } });
  const notifications = new NotificationHub({
    listenUrl: deps.databaseUrl,
    repo: new OutboxRepository(() => hubDb),
    log,
    bufferSize: config.subscriptionBuffer,
    minReadGapMs: config.subscriptionReadGapMs,
    now: () => clock.now(),
    recordAccess: (reads) =>
      writeAccessLog(
        hubDb,
        clock.now(),
        reads.map((r) => ({ sub: r.principal.sub, role: r.principal.role, org: r.principal.org, cpr: r.cpr, what: r.what, requestId: 'subscription' })),
      ),
    onCountChange: (n) => metrics.subscriptions.set(n),
    onSubscribed: () => metrics.subscriptionsStarted.inc(),
  });
  await notifications.start();
  // X-4 group commit on a connection of its own: the log insert never queues behind the reads whose
  // answers wait for it (one insert is in flight at a time, so one connection is enough).
  const accessLogDb = knex({ client: 'pg', connection: deps.databaseUrl, pool: { min: 1, max: 1 } });
  const accessLogWriter = new AccessLogWriter(() => accessLogDb, undefined, (seconds, rows) => {
    metrics.accessLogInsert.observe(seconds);
    metrics.accessLogRows.inc(rows);
  });
  const buildCtx = (principal: Principal | null, requestId: string): Ctx =>
    createCtx({ orm, clock, log, events, notifications, accessLogWriter }, principal, requestId);
  const format = (f: GraphQLFormattedError, e: unknown) => {
    let out = formatError(f, e, { maskInternal });
    // Over HTTP armor has done this already; graphql-ws answers pass only here.
    if (maskInternal && out.message.includes('Did you mean')) out = { ...out, message: hideSuggestions(out.message) };
    metrics.errors.inc({ code: String(out.extensions?.code ?? 'UNKNOWN') });
    if (out.extensions?.code === 'INTERNAL_SERVER_ERROR') log.error({ err: e }, 'internal error');
    return out;
  };

  const armor = new ApolloArmor({
    maxDepth: { n: 10 },
    maxAliases: { n: 15 },
    costLimit: { maxCost: 5000 },
    maxDirectives: { n: 20 },
    // Apollo's parseOptions hold the token limit instead: armor's plugin parses every document a second
    // time and answers a plain syntax error with 500 GRAPHQL_VALIDATION_FAILED instead of 400 GRAPHQL_PARSE_FAILED.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: maskInternal },
  });
  const protection = armor.protect();
  // The limits that need the variables (the cost of `first: $n` once n is known, the size of input values), over
  // HTTP (plugin below) and graphql-ws (onSubscribe) alike.
  const pageCost = new PageCost(schema, protection.validationRules);
  const variableLimitErrors = (document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined): GraphQLError[] => {
    const cost = pageCost.errors(document, operation, variables);
    if (cost.length) return cost;
    const oversized = oversizedVariable(variables);
    return oversized ? [oversized] : [];
  };

  const app = express();
  app.disable('x-powered-by');
  // POST /graphql goes straight to Apollo (src/http/graphql-post.ts); everything else through Express.
  let graphqlPost: ((req: http.IncomingMessage, res: http.ServerResponse) => void) | null = null;
  const httpServer = http.createServer((req, res) => {
    if (graphqlPost && req.method === 'POST' && (req.url === '/graphql' || req.url?.startsWith('/graphql?'))) graphqlPost(req, res);
    else app(req, res);
  });
  httpServer.keepAliveTimeout = config.httpKeepAliveMs;
  // A request's headers may arrive on a connection that has idled up to the keep-alive timeout.
  httpServer.headersTimeout = Math.max(httpServer.headersTimeout, config.httpKeepAliveMs + 1_000);
  // graphql-ws documents never pass Apollo: its parse-time token limit and introspection switch are repeated here.
  const documents = new DocumentCache(schema, [...specifiedRules, ...(introspection ? [] : [NoIntrospection]), ...protection.validationRules, InputSize], {
    maxTokens: MAX_TOKENS,
  });
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: config.bodyLimit });
  const wsServer = useServer<
    Record<string, unknown>,
    {
      principal: Principal | null;
      connectionId: string;
      /** Operations started on this connection: the n-th gets request id `<connectionId>/<n>`. */
      operations: number;
      socket: import('ws').WebSocket;
      expiresAt?: number;
      /** Operation ids of this connection's subscriptions; ended ones leave graphql-ws's ctx.subscriptions first. */
      subscriptionIds: Set<string>;
    }
  >(
    {
      schema,
      async onConnect(wsCtx) {
        const params = wsCtx.connectionParams ?? {};
        const auth = (params.Authorization ?? params.authorization) as string | undefined;
        const socket = wsCtx.extra.socket;
        try {
          // Every operation needs a principal: an anonymous connection would only let a stranger make us
          // parse, validate and hold sockets for nothing. 4401 (graphql-ws's Unauthorized, as on expiry)
          // tells the client to come back with a token, and graphql-ws clients do not retry it blindly.
          const session = await tokens.sessionFromAuthorizationHeader(auth);
          if (!session) throw new UnauthenticatedError();
          wsCtx.extra.principal = session.principal;
          wsCtx.extra.connectionId = randomUUID();
          wsCtx.extra.operations = 0;
          wsCtx.extra.subscriptionIds = new Set();
          // The connection lives as long as its token: a principal is not trusted past its token's expiry.
          wsCtx.extra.expiresAt = session.expiresAt;
          const cancel = closeWhenExpired(session.expiresAt, () => socket.close(TOKEN_EXPIRED_CLOSE_CODE, TOKEN_EXPIRED_REASON));
          socket.once('close', cancel);
          return true;
        } catch (e) {
          // A close reason is at most 123 bytes; ours are short, a longer one would throw here.
          if (e instanceof UnauthenticatedError) socket.close(CloseCode.Unauthorized, Buffer.byteLength(e.message) <= 123 ? e.message : 'Ugyldigt token');
          return false;
        }
      },
      context: (wsCtx) => buildCtx(wsCtx.extra.principal ?? null, wsCtx.extra.connectionId ?? randomUUID()),
      async onSubscribe(wsCtx, id, payload) {
        if (wsCtx.extra.expiresAt !== undefined && wsCtx.extra.expiresAt <= Date.now()) {
          wsCtx.extra.socket.close(TOKEN_EXPIRED_CLOSE_CODE, TOKEN_EXPIRED_REASON);
          return [new GraphQLError('Token er udløbet', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        // The same limits as over HTTP: armor's validation rules run on every document (once per text).
        const doc = documents.get(payload.query);
        if ('errors' in doc) return [...doc.errors];
        const operation = getOperationAST(doc.document, payload.operationName);
        if (!operation) return [operationNotFound(doc.document, payload.operationName)];
        const limitErrors = variableLimitErrors(doc.document, operation, payload.variables);
        if (limitErrors.length) return limitErrors;
        if (operation.operation === 'subscription' && wsCtx.extra.subscriptionIds) {
          // Each subscription holds a place in the hub and may replay history through its two connections:
          // one token must not open thousands on one socket.
          const open = wsCtx.extra.subscriptionIds;
          open.delete(id); // an id may be reused once its operation has ended
          for (const other of open) if (!(other in wsCtx.subscriptions)) open.delete(other);
          if (open.size >= config.subscriptionsPerConnection) {
            return [
              new GraphQLError(`Højst ${config.subscriptionsPerConnection} abonnementer ad gangen pr. forbindelse; afslut et før du starter et nyt`, {
                extensions: { code: 'BAD_USER_INPUT' },
              }),
            ];
          }
          open.add(id);
        }
        metrics.requests.inc({ operation: metrics.operations.of(payload.operationName), type: 'ws' });
        // Each operation its own request id (X-4's rows, the log lines), under its connection's: the operations of one
        // socket are told apart, and still found together.
        const requestId = wsCtx.extra.connectionId ? `${wsCtx.extra.connectionId}/${(wsCtx.extra.operations = (wsCtx.extra.operations ?? 0) + 1)}` : randomUUID();
        const contextValue = buildCtx(wsCtx.extra.principal ?? null, requestId);
        contextValue.closeConnection = (code: number, reason: string) => wsCtx.extra.socket.close(code, reason);
        // Results without errors may be written straight to the socket, serialized once per group (ws-execution.ts).
        bindDirectSocket(contextValue, wsCtx.extra.socket, id);
        return { schema, document: doc.document, variableValues: payload.variables, operationName: payload.operationName, contextValue };
      },
      execute: executeWithAccessLog(
        (c) => (c as Ctx).accessLog.flush(c as Ctx, clock.now()),
        (err) => log.error({ err }, 'access log write failed; answer withheld'),
      ),
      subscribe: sharedSubscribe((c) => {
        const p = (c as Ctx).principal;
        return p ? `${p.role}:${p.org}` : '';
      }),
      // Only results that do not go straight to the socket pass here (those with errors, replay, a backed-up socket).
      onNext(_wsCtx, _id, _payload, _args, result) {
        const r = result as ExecutionResult;
        if (!r.errors) return result;
        return { ...r, errors: r.errors.map((e) => format(e.toJSON(), e)) } as unknown as typeof result;
      },
      // Formatted errors go out as they are: a GraphQLError rebuilt from one would lose its locations.
      onError(_wsCtx, _id, _payload, errors) {
        return errors.map((e) => format(e.toJSON(), e));
      },
    },
    wss,
  );

  const accessLogPlugin: ApolloServerPlugin<Ctx> = {
    async requestDidStart({ request }) {
      const started = process.hrtime.bigint();
      const operation = metrics.operations.of(request.operationName);
      metrics.requests.inc({ operation, type: 'http' });
      return {
        // the access log is durable before the data leaves; if it cannot be written, no data leaves.
        async willSendResponse({ contextValue, response, errors }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.duration.observe({ operation }, seconds);
          const p = contextValue.principal;
          // Checked first: the request's child logger is made on first use.
          if (log.isLevelEnabled('info')) {
            contextValue.log.info(
              { operation, ms: Math.round(seconds * 1000), role: p?.role, org: p?.org, errors: errors?.map((e) => e.extensions?.code) },
              'graphql request',
            );
          }
          try {
            await contextValue.accessLog.flush(contextValue, clock.now());
          } catch (err) {
            contextValue.log.error({ err }, 'access log write failed; answer withheld');
            if (response.body.kind === 'single') {
              response.body.singleResult = { data: null, errors: [answerWithheld().toJSON()] };
            }
          }
        },
      };
    },
  };

  const pageCostListener = {
    async didResolveOperation({ document, operation, request }: GraphQLRequestContextDidResolveOperation<Ctx>) {
      const [error] = operation ? variableLimitErrors(document, operation, request.variables) : [];
      // Answered as armor's own refusal is: 400, with the error's code.
      if (error) throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
    },
  };

  const apollo = new ApolloServer<Ctx>({
    schema,
    csrfPrevention: true,
    // main.ts owns SIGINT/SIGTERM and stops everything in order; a second stop() from Apollo's own
    // handler would wait forever on a shutdown already under way.
    stopOnTerminationSignals: false,
    introspection,
    parseOptions: { maxTokens: MAX_TOKENS },
    includeStacktraceInErrorResponses: false,
    formatError: format,
    validationRules: [...protection.validationRules, InputSize],
    allowBatchedHttpRequests: false,
    plugins: [
      ...protection.plugins,
      { requestDidStart: async () => pageCostListener },
      ApolloServerPluginLandingPageDisabled(),
      // No HTTP caching of personal data, and without it no per-field resolver instrumentation.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { async serverWillStart() { return { async drainServer() { await wsServer.dispose(); } }; } },
      accessLogPlugin,
    ],
  });
  await apollo.start();

  const httpContext = async (authorization: string | undefined, requestId: string): Promise<Ctx> => {
    try {
      return buildCtx(await tokens.fromAuthorizationHeader(authorization), requestId);
    } catch (e) {
      if (e instanceof DomainError) {
        throw new GraphQLError(e.message, { extensions: { code: e.code, http: { status: 401 } } });
      }
      throw e;
    }
  };

  app.use((req, res, next) => {
    const id = requestIdFrom(req.headers['x-request-id'], randomUUID);
    res.setHeader('x-request-id', id);
    (req as express.Request & { id: string }).id = id;
    next();
  });
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await orm.em.getConnection().execute('select 1');
      res.json({ status: 'ready' });
    } catch (err) {
      log.warn({ err }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable' });
    }
  });
  app.get('/metrics', async (req, res) => {
    // Operation names, volumes and pool state are for the operators' scraper: with METRICS_TOKEN set it must send it.
    if (config.metricsToken && !bearerEquals(req.headers.authorization, config.metricsToken)) {
      res.status(401).set('www-authenticate', 'Bearer').send('unauthorized');
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  // UP-7: letters as PDF, same bearer auth as /graphql.
  app.use(brevRouter({ tokens, clock, buildCtx }));
  app.use('/graphiql', graphiqlAssets());
  app.get('/graphql', (req, res, next) => {
    if (req.accepts(['application/json', 'text/html']) === 'text/html' && !req.query.query) {
      res.type('html').send(graphiqlHtml());
      return;
    }
    next();
  });
  app.get('/', (_req, res) => {
    res.redirect('/graphql');
  });
  app.use(
    '/graphql',
    express.json({ limit: config.bodyLimit }),
    expressMiddleware(apollo, {
      context: async ({ req }) => httpContext(req.headers.authorization, (req as express.Request & { id: string }).id),
    }),
  );
  graphqlPost = graphqlPostHandler(apollo, { bodyLimit: config.bodyLimit, context: (req, requestId) => httpContext(req.headers.authorization, requestId) });

  let boundPort = 0;
  return {
    httpServer,
    schema,
    metrics,
    onStatement(listener) {
      orm.em.getConnection().getKnex().on('query', listener);
      accessLogDb.on('query', listener);
    },
    port: () => boundPort,
    listen(port, host = '0.0.0.0') {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          boundPort = (httpServer.address() as AddressInfo).port;
          resolve(boundPort);
        });
      });
    },
    async close() {
      for (const client of wss.clients) client.close(1001, 'server shutting down');
      await notifications.stop();
      await hubDb.destroy();
      await accessLogDb.destroy();
      await apollo.stop();
    },
  };
}

