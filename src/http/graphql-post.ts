import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type ContextFunction } from '@apollo/server';
import { requestIdFrom } from './limits';

/**
 * POST /graphql straight from node:http into Apollo, without Express. Every fagsystem call is a POST;
 * Express's router, body parser and content negotiation cost as much CPU as the case-worker read's
 * own resolvers. Same contract as before: `x-request-id` echoed (or made), the body limit answered
 * with 413, a body that is not JSON with 400; GET /graphql (GraphiQL, queries in the URL) and every
 * other path stay on Express.
 */
export function graphqlPostHandler<C extends BaseContext>(
  apollo: ApolloServer<C>,
  opts: { bodyLimit: number; context: (req: IncomingMessage, requestId: string) => Promise<C> },
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const requestId = requestIdFrom(req.headers['x-request-id'], randomUUID);
    res.setHeader('x-request-id', requestId);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > opts.bodyLimit) return refuse(req, res, 413, 'request entity too large');
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > opts.bodyLimit) {
        refused = true;
        refuse(req, res, 413, 'request entity too large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (refused) return;
      run(req, res, Buffer.concat(chunks, size).toString('utf8'), requestId).catch((err: unknown) => {
        if (!res.headersSent) send(res, 500, { 'content-type': 'application/json' }, JSON.stringify({ errors: [{ message: 'Intern fejl', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
        else res.destroy(err as Error);
      });
    });
  };

  async function run(req: IncomingMessage, res: ServerResponse, text: string, requestId: string): Promise<void> {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown;
    if (/^application\/(.+\+)?json\b/i.test(headers.get('content-type') ?? '') && text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        send(res, 400, { 'content-type': 'application/json' }, JSON.stringify({ errors: [{ message: 'Body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] }));
        return;
      }
    }
    const q = req.url!.indexOf('?');
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: q < 0 ? '' : req.url!.slice(q), body },
      context: (() => opts.context(req, requestId)) as ContextFunction<[], C>,
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.setHeader('content-length', Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }
}

function refuse(req: IncomingMessage, res: ServerResponse, status: number, message: string): void {
  send(res, status, { 'content-type': 'application/json', connection: 'close' }, JSON.stringify({ errors: [{ message }] }));
  req.resume();
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
