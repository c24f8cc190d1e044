import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assertPostgresUserCanReach, firstUnsearchableDir, type StatFn } from '../../src/db/embedded';

/** A file system of directories and their modes; anything not listed does not exist. */
function fakeStat(modes: Record<string, number>, owners: Record<string, { uid: number; gid: number }> = {}): StatFn {
  return (p) => (p in modes ? { mode: 0o040000 | modes[p]!, ...(owners[p] ?? { uid: 0, gid: 0 }) } : undefined);
}

const open = { '/': 0o755, '/srv': 0o755, '/srv/app': 0o755, '/srv/app/.data': 0o755 };

describe('firstUnsearchableDir', () => {
  it('is null when others may enter every directory up to the root', () => {
    expect(firstUnsearchableDir('/srv/app/.data', fakeStat(open))).toBeNull();
    expect(firstUnsearchableDir('/srv/app/.data', fakeStat({ ...open, '/srv': 0o711 }))).toBeNull();
  });

  it('names a parent of mode 700', () => {
    expect(firstUnsearchableDir('/srv/app/.data', fakeStat({ ...open, '/srv': 0o700 }))).toBe('/srv');
  });

  it('counts the search bit, not the read bit', () => {
    expect(firstUnsearchableDir('/srv/app/.data', fakeStat({ ...open, '/srv/app': 0o754 }))).toBe('/srv/app');
  });

  it('names the deepest blocking directory first', () => {
    const stat = fakeStat({ ...open, '/srv': 0o700, '/srv/app': 0o750 });
    expect(firstUnsearchableDir('/srv/app/.data', stat)).toBe('/srv/app');
  });

  it('checks the directory it is given, and skips ones that do not exist yet', () => {
    expect(firstUnsearchableDir('/srv/app/.data', fakeStat({ ...open, '/srv/app/.data': 0o700 }))).toBe('/srv/app/.data');
    expect(firstUnsearchableDir('/srv/app/.data/pg/x', fakeStat(open))).toBeNull();
  });

  it('honours owner and group bits for a postgres user that already existed', () => {
    const stat = fakeStat({ ...open, '/srv': 0o700, '/srv/app': 0o750 }, { '/srv': { uid: 70, gid: 70 }, '/srv/app': { uid: 0, gid: 71 } });
    expect(firstUnsearchableDir('/srv/app/.data', stat, { uid: 70, gids: [70, 71] })).toBeNull();
    expect(firstUnsearchableDir('/srv/app/.data', stat, { uid: 70, gids: [70] })).toBe('/srv/app');
    expect(firstUnsearchableDir('/srv/app/.data', stat)).toBe('/srv/app');
  });

  describe('on a real file system', () => {
    let root: string | undefined;
    afterEach(async () => {
      if (root) {
        await chmod(root, 0o700);
        await rm(root, { recursive: true, force: true });
      }
    });

    it('finds the mode-700 directory mkdtemp makes', async () => {
      root = await mkdtemp(path.join(tmpdir(), 'dfdg-unit-reach-'));
      const dataParent = path.join(root, 'checkout', '.data');
      await mkdir(dataParent, { recursive: true });
      const stat: StatFn = (p) => statSync(p, { throwIfNoEntry: false });
      // Whatever lies above the temp directory is this machine's business; only what is under it is ours.
      const above = firstUnsearchableDir(path.dirname(root), stat);
      expect(firstUnsearchableDir(dataParent, stat)).toBe(root);
      await chmod(root, 0o711);
      expect(firstUnsearchableDir(dataParent, stat)).toBe(above);
    });
  });
});

describe('assertPostgresUserCanReach', () => {
  const target = { dir: '/srv/app/.data', what: 'the data directory in', otherwise: 'or use a data directory (DATA_DIR) elsewhere' };

  it('fails naming the directory, its mode, the way to fix it, and what lies behind it', () => {
    const stat = fakeStat({ ...open, '/srv': 0o700 });
    expect(() => assertPostgresUserCanReach([target], { isRoot: true, stat })).toThrow(
      'embedded PostgreSQL cannot start: as root it runs PostgreSQL as the unprivileged "postgres" user, which cannot enter /srv ' +
        '(mode 700) on the way to the data directory in /srv/app/.data. Run `chmod o+x /srv` (and likewise for any directory above ' +
        'it without that bit), or use a data directory (DATA_DIR) elsewhere.',
    );
  });

  it('checks every target, in order', () => {
    const bins = { dir: '/opt/bin', what: 'the PostgreSQL binaries in', otherwise: 'or move the checkout elsewhere' };
    const stat = fakeStat({ ...open, '/opt': 0o700, '/opt/bin': 0o755 });
    expect(() => assertPostgresUserCanReach([target, bins], { isRoot: true, stat })).toThrow(/cannot enter \/opt \(mode 700\).*binaries in \/opt\/bin/);
    expect(() => assertPostgresUserCanReach([target], { isRoot: true, stat })).not.toThrow();
  });

  it('checks nothing when not root: PostgreSQL then runs as the current user', () => {
    const stat = vi.fn(fakeStat({ ...open, '/srv': 0o700 }));
    expect(() => assertPostgresUserCanReach([target], { isRoot: false, stat })).not.toThrow();
    expect(stat).not.toHaveBeenCalled();
  });
});
