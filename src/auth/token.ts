import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Principal } from '../context/context';
import { isRole, type Role } from '../context/roles';
import { UnauthenticatedError } from '../errors/domain-errors';

export const DEV_JWT_SECRET = 'dfdg-graphql-dev-secret-not-for-production';
const ISSUER = 'dfdg-graphql';

export class TokenService {
  private readonly key: Uint8Array;

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
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      const { role, org, sub } = payload;
      if (!isRole(role) || typeof org !== 'string' || !org || typeof sub !== 'string') {
        throw new UnauthenticatedError('Token mangler role, org eller sub');
      }
      return { role, org, sub };
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
