import { describe, expect, it } from 'vitest';
import type { FolderPermissions } from './postgresOwnership.js';
import { unreachableAncestor } from './postgresOwnership.js';

const postgresUser = { uid: 101, gid: 104 };

function tree(folders: Record<string, FolderPermissions>): (path: string) => FolderPermissions {
  return (path) => {
    const found = folders[path];
    if (found === undefined) throw new Error(`unexpected stat of ${path}`);
    return found;
  };
}

const rootOwned = (mode: number): FolderPermissions => ({ uid: 0, gid: 0, mode });

describe('unreachableAncestor', () => {
  it('finds nothing when every parent folder is searchable by others', () => {
    const permissions = tree({
      '/': rootOwned(0o755),
      '/work': rootOwned(0o755),
      '/work/repo': rootOwned(0o755),
    });
    expect(unreachableAncestor('/work/repo/postgres', postgresUser, permissions)).toBeUndefined();
  });

  it('names the first parent folder the server user cannot enter', () => {
    const permissions = tree({
      '/': rootOwned(0o755),
      '/root': rootOwned(0o700),
      '/root/repo': rootOwned(0o755),
    });
    expect(unreachableAncestor('/root/repo/postgres', postgresUser, permissions)).toBe('/root');
  });

  it('accepts a folder closed to others when the server user owns it', () => {
    const permissions = tree({ '/': rootOwned(0o755), '/srv': { uid: 101, gid: 0, mode: 0o700 } });
    expect(unreachableAncestor('/srv/postgres', postgresUser, permissions)).toBeUndefined();
  });

  it("accepts a folder searchable by the server user's primary group", () => {
    const permissions = tree({ '/': rootOwned(0o755), '/srv': { uid: 0, gid: 104, mode: 0o750 } });
    expect(unreachableAncestor('/srv/postgres', postgresUser, permissions)).toBeUndefined();
  });

  it('does not fall back to the others bit when the owner bit denies access', () => {
    const permissions = tree({ '/': rootOwned(0o755), '/srv': { uid: 101, gid: 0, mode: 0o071 } });
    expect(unreachableAncestor('/srv/postgres', postgresUser, permissions)).toBe('/srv');
  });

  it('does not check the target itself, which is chowned to the server user', () => {
    const permissions = tree({ '/': rootOwned(0o755) });
    expect(unreachableAncestor('/postgres', postgresUser, permissions)).toBeUndefined();
  });
});
