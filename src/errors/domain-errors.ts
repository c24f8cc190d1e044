/**
 * every failure the service means to report carries a stable code. The mapper in
 * `format-error.ts` is the only place that turns these into GraphQL errors.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'RULE_VIOLATION'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'NOT_FOUND'
  | 'CONFLICT';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadInputError extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('BAD_USER_INPUT', message, details);
  }
}

/** A business rule from the catalogue refused the operation; `rule` is its id, e.g. "UP-2". */
export class RuleViolation extends DomainError {
  /**
   * The borger whose state the refusal describes, which makes the refusal a read of that borger. Set by
   * `omBorger` where a service applies a rule to a row it named by id: the arguments then carry no cpr.
   */
  cpr?: string;

  constructor(
    readonly rule: string,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super('RULE_VIOLATION', message, { ...details, rule });
  }
}

/** Applies a rule to a row of borger `cpr`: a refusal it raises carries the cpr (the rules themselves know no borger). */
export function omBorger<T>(cpr: string, rule: () => T): T {
  try {
    return rule();
  } catch (err) {
    if (err instanceof RuleViolation) err.cpr ??= cpr;
    throw err;
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'Du har ikke adgang til disse oplysninger') {
    super('FORBIDDEN', message);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor(message = 'Log ind kræves: send et gyldigt bearer-token') {
    super('UNAUTHENTICATED', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}
