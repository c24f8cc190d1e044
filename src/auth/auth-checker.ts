import type { AuthCheckerFn } from 'type-graphql';
import type { Ctx, Principal } from '../context/context';
import type { Role } from '../context/roles';
import { ForbiddenError, UnauthenticatedError } from '../errors/domain-errors';

/**
 * The one role check: `@Authorized(Role.JOBCENTER, ...)` on a field. An empty list means any signed-in caller.
 * Org scoping (which borger, which recipient) is the services' part, through `scope.ts`.
 */
export const authChecker: AuthCheckerFn<Ctx, Role> = ({ context }, roles) => {
  const p = context.principal;
  if (!p) throw new UnauthenticatedError();
  if (roles.length > 0 && !roles.includes(p.role)) {
    throw new ForbiddenError(`Rollen ${p.role} har ikke adgang til denne operation`);
  }
  return true;
};

export function requirePrincipal(ctx: Ctx): Principal {
  if (!ctx.principal) throw new UnauthenticatedError();
  return ctx.principal;
}
