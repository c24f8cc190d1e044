import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Principal } from '../context/context';
import { isRole, type Role } from '../context/roles';
import { UnauthenticatedError } from '../errors/domain-errors';

export const DEV_JWT_SECRET = 'dfdg-graphql-dev-secret-not-for-production';
const ISSUER = 'dfdg-graphql';
const VERIFIED_MAX = 10_000;

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
    // A fagsystem sends the same token with every request; its signature is checked once, and the
    // verified principal reused until the token expires.
    const cached = this.verified.get(token);
    if (cached && cached.exp * 1000 > Date.now()) return cached.principal;
    if (cached) this.verified.delete(token);
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      const { role, org, sub } = payload;
      if (!isRole(role) || typeof org !== 'string' || !org || typeof sub !== 'string') {
        throw new UnauthenticatedError('Token mangler role, org eller sub');
      }
      const principal: Principal = Object.freeze({ role, org, sub });
      if (typeof payload.exp === 'number') {
        if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value!);
        this.verified.set(token, { principal, exp: payload.exp });
      }
      return principal;
    } catch (e) {
      if (e instanceof UnauthenticatedError) throw e;
      if (e instanceof joseErrors.JWTExpired) throw new UnauthenticatedError('Token er udløbet');
      throw new UnauthenticatedError('Ugyldigt token');
    }
  }

  /** Reads `Bearer <token>`; no header means an anonymous caller (null), a bad one is an error. */
  async fromAuthorizationHeader(header: string | undefined | null): Promise<Principal | null> {
    if (!header) return null;
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!m) throw new UnauthenticatedError('Authorization-headeren skal være "Bearer <token>"');
    return this.verify(m[1]);
  }
}
