import express from 'express';
import { randomUUID } from 'node:crypto';
import type { TokenService } from '../../auth/token';
import type { Clock } from '../../clock/clock';
import type { Ctx, Principal } from '../../context/context';
import { DomainError } from '../../errors/domain-errors';
import { BrevService } from './brev.service';

export interface BrevRouterDeps {
  tokens: TokenService;
  clock: Clock;
  buildCtx: (principal: Principal | null, requestId: string) => Ctx;
}

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400 };

/**
 * GET /breve/:id.pdf: the PDF of a letter (UP-7), with the same bearer token as /graphql. A borger gets only
 * their own letters; the read is in the access log before a byte is sent.
 */
export function brevRouter(deps: BrevRouterDeps): express.Router {
  const router = express.Router();
  const service = new BrevService();
  router.get('/breve/:id.pdf', async (req, res) => {
    const requestId = (req as express.Request & { id?: string }).id ?? randomUUID();
    try {
      const principal = await deps.tokens.fromAuthorizationHeader(req.headers.authorization);
      if (!principal) {
        res.status(401).json({ error: 'UNAUTHENTICATED' });
        return;
      }
      const ctx = deps.buildCtx(principal, requestId);
      const pdf = await service.pdf(ctx, String(req.params.id));
      await ctx.accessLog.flush(ctx, deps.clock.now());
      res
        .status(200)
        .type('application/pdf')
        .setHeader('content-disposition', `inline; filename="brev-${req.params.id}.pdf"`)
        .setHeader('cache-control', 'private, no-store')
        .send(pdf);
    } catch (e) {
      if (e instanceof DomainError) {
        res.status(STATUS[e.code] ?? 400).json({ error: e.code, message: e.message });
        return;
      }
      res.status(500).json({ error: 'INTERNAL_SERVER_ERROR' });
    }
  });
  return router;
}
