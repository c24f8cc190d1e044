import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Principal } from '../context/context';
import { isRole, type Role } from '../context/roles';
import { UnauthenticatedError } from '../errors/domain-errors';
import { parseCpr } from '../scalars/cpr';

export const DEV_JWT_SECRET = 'dfdg-graphql-dev-secret-not-for-production';
const ISSUER = 'dfdg-graphql';
const VERIFIED_MAX = 10_000;
/** graphql-ws closes a connection whose token has expired with this code (graphql-ws's Unauthorized) and reason. */
export const TOKEN_EXPIRED_CLOSE_CODE = 4401;
export const TOKEN_EXPIRED_REASON = 'Token er udløbet; forbind igen med et nyt token';
/** setTimeout's longest delay; a token valid for longer is checked again when that has passed. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Ends a graphql-ws connection when its token expires: the live subscriptions stop there, and the client connects
 * again with a fresh token and resumes with `after` (nothing is lost). Returns the timer's cancel.
 */
export function closeWhenExpired(expiresAt: number, close: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) return close();
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

/** The token of an `Authorization: Bearer <token>` header, or null when the header is missing or of another kind. */
export function bearerToken(header: string | undefined | null): string | null {
  return /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '')?.[1] ?? null;
}

export class TokenService {
  private readonly key: Uint8Array;
  private readonly verified = new Map<string, { principal: Principal; exp: number }>();

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(p: { role: Role; org: string; sub?: string }, expiresIn = '12h'): Promise<string> {
    return new SignJWT({ role: p.role, org: p.org })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(p.sub ?? `${p.role.toLowerCase()}-${p.org}`)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(this.key);
  }

  async verify(token: string): Promise<Principal> {
    return (await this.verifyUntil(token)).principal;
  }

  /**
   * The principal and when its token expires (ms since the epoch). A token without `exp` is refused: a connection
   * (graphql-ws) lives as long as its token, and one that never expired would never have to show a new one.
   */
  async verifyUntil(token: string): Promise<{ principal: Principal; expiresAt: number }> {
    // A fagsystem sends the same token with every request; its signature is checked once, and the
    // verified principal reused until the token expires.
    const cached = this.verified.get(token);
    if (cached && cached.exp * 1000 > Date.now()) return { principal: cached.principal, expiresAt: cached.exp * 1000 };
    if (cached) this.verified.delete(token);
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
      const { role, org, sub, exp } = payload;
      if (!isRole(role) || typeof org !== 'string' || !org || typeof sub !== 'string' || typeof exp !== 'number') {
        throw new UnauthenticatedError('Token mangler role, org eller sub');
      }
      if (!orgFitsRole(role, org)) throw new UnauthenticatedError(`Tokenets org passer ikke til rollen ${role}`);
      const principal: Principal = Object.freeze({ role, org, sub });
      if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, { principal, exp });
      return { principal, expiresAt: exp * 1000 };
    } catch (e) {
      if (e instanceof UnauthenticatedError) throw e;
      if (e instanceof joseErrors.JWTExpired) throw new UnauthenticatedError('Token er udløbet');
      throw new UnauthenticatedError('Ugyldigt token');
    }
  }

  /** Reads `Bearer <token>`; no header means an anonymous caller (null), a bad one is an error. */
  async fromAuthorizationHeader(header: string | undefined | null): Promise<Principal | null> {
    return (await this.sessionFromAuthorizationHeader(header))?.principal ?? null;
  }

  /** As `fromAuthorizationHeader`, with the token's expiry (a graphql-ws connection ends with it). */
  async sessionFromAuthorizationHeader(header: string | undefined | null): Promise<{ principal: Principal; expiresAt: number } | null> {
    if (!header) return null;
    const token = bearerToken(header);
    if (token === null) throw new UnauthenticatedError('Authorization-headeren skal være "Bearer <token>"');
    return this.verifyUntil(token);
  }
}

/**
 * A borger's org is their CPR number in its stored form (scoping compares it with borger.cpr), and a jobcenter's a
 * kommunekode: a token with anything else would authenticate a principal that matches nothing, or matches by accident.
 */
export function orgFitsRole(role: Role, org: string): boolean {
  if (role === 'JOBCENTER') return /^\d{3}$/.test(org);
  if (role === 'BORGER') {
    try {
      return parseCpr(org).cpr === org;
    } catch {
      return false;
    }
  }
  return true;
}
