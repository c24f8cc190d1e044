import { describe, expect, it } from 'vitest';
import { TokenService } from '../../src/auth/token';
import { Role } from '../../src/context/roles';

describe("X-1: a token's org must fit its role", () => {
  const tokens = new TokenService('unit-test-secret-0123456789abcdef0123');
  const verify = async (role: Role, org: string) => {
    try {
      return (await tokens.verifyUntil(await tokens.sign({ role, org }))).principal.org;
    } catch (e) {
      return (e as { code?: string }).code;
    }
  };

  it("X-1: a borger's org is a CPR number as stored (ten digits, a valid birth date)", async () => {
    expect(await verify(Role.BORGER, '0101054321')).toBe('0101054321');
    expect(await verify(Role.BORGER, 'abc')).toBe('UNAUTHENTICATED');
    expect(await verify(Role.BORGER, '010105-4321')).toBe('UNAUTHENTICATED');
    expect(await verify(Role.BORGER, '3102054321')).toBe('UNAUTHENTICATED');
  });

  it("X-1: a jobcenter's org is a kommunekode", async () => {
    expect(await verify(Role.JOBCENTER, '101')).toBe('101');
    expect(await verify(Role.JOBCENTER, '1010')).toBe('UNAUTHENTICATED');
    expect(await verify(Role.JOBCENTER, 'udk')).toBe('UNAUTHENTICATED');
  });

  it('X-1: other roles keep their own org names', async () => {
    expect(await verify(Role.AKASSE, '12')).toBe('12');
    expect(await verify(Role.UDK, 'udk')).toBe('udk');
  });
});
