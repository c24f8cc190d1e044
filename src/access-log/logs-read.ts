import { Extensions, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { Ctx } from '../context/context';
import { RuleViolation } from '../errors/domain-errors';

/** The extension a mutation carries when its answer is logged as a read (the schema test requires it). */
export const ACCESS_LOG_EXTENSION = 'accessLog';

/** The borgere an answer concerns: a `cpr` on the answer, on its elements, or on an object one level down. */
export function cprsOf(value: unknown): string[] {
  const out = new Set<string>();
  const own = (v: unknown): boolean => {
    const cpr = v && typeof v === 'object' ? (v as { cpr?: unknown }).cpr : undefined;
    if (typeof cpr === 'string') out.add(cpr);
    return typeof cpr === 'string';
  };
  const visit = (v: unknown, depth: number): void => {
    if (Array.isArray(v)) return v.forEach((e) => visit(e, depth));
    if (!v || typeof v !== 'object' || own(v) || depth === 0) return;
    for (const child of Object.values(v)) visit(child, depth - 1);
  };
  visit(value, 1);
  return [...out];
}

/** The borger a mutation's arguments name: `cpr`, or `input.cpr`. */
function cprOfArgs(args: Record<string, unknown>): string | undefined {
  const input = args.input as { cpr?: unknown } | undefined;
  const cpr = args.cpr ?? input?.cpr;
  return typeof cpr === 'string' ? cpr : undefined;
}

/**
 * X-4 for a mutation whose answer carries a borger's data: the answer is logged as a read of `what` for each
 * borger it names (`cpr` on the answer or one level down, or `cprOf`), once the change has committed (the
 * service has returned), or when a rule refuses it (its message describes the borger: the one the RuleViolation
 * carries, see `omBorger`, else the arguments' `cpr` or `input.cpr`); a change refused for access or input, or
 * one that failed, tells nothing of the borger and logs nothing. The rows are written before the answer leaves,
 * with the request's other reads.
 */
export function LogsRead(what: string, cprOf?: (answer: never, args: Record<string, unknown>) => string | null | undefined): MethodDecorator {
  const log: MiddlewareFn<Ctx> = async ({ context, args }, next) => {
    let answer: unknown;
    try {
      answer = await next();
    } catch (err) {
      // A rule violation is raised after the caller was let in, and its message tells why the borger's state
      // refuses the change (e.g. CV-2 names the kontaktgruppe and CV status on the event date): that is a read.
      // A mutation that names a row by id has no cpr in its arguments; the service put the row's on the error.
      const cpr = err instanceof RuleViolation ? err.cpr ?? cprOfArgs(args) : undefined;
      if (cpr) context.accessLog.record(cpr, what);
      throw err;
    }
    const cprs = cprOf ? [cprOf(answer as never, args)].filter((c): c is string => !!c) : cprsOf(answer);
    for (const cpr of cprs) context.accessLog.record(cpr, what);
    return answer;
  };
  return (target, key, descriptor) => {
    Extensions({ [ACCESS_LOG_EXTENSION]: what })(target, key, descriptor);
    UseMiddleware(log)(target, key, descriptor);
  };
}
