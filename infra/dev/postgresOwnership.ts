import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, realpath, stat, symlink } from 'node:fs/promises';
import { dirname, join, parse, sep } from 'node:path';
import type { Progress } from './devService.js';
import { PrerequisiteError } from './prerequisites.js';
import { runCommand } from './processes.js';
import { repoRoot, serviceDirectory, servicesRoot } from './serviceDirectories.js';

/**
 * PostgreSQL refuses to run as root. As root we therefore run initdb, pg_ctl and the server as
 * the `postgres` system user (created by the Debian package), which must own the cluster folder
 * and be able to reach it through every parent folder.
 */
export interface ServerUser {
  readonly user: string;
  readonly uid: number;
  readonly gid: number;
}

/** `undefined` when we are not root: then the server simply runs as the current user. */
export async function postgresServerUser(): Promise<ServerUser | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const entry = await runCommand('getent', ['passwd', 'postgres']);
  const fields = entry.output.split(':');
  if (entry.code !== 0 || fields.length < 4) {
    throw new PrerequisiteError(
      "Running as root, but the 'postgres' system user does not exist (PostgreSQL refuses to run as root). " +
        'Install the Debian package `postgresql`, which creates it, or run as a non-root user.',
    );
  }
  return { user: 'postgres', uid: Number(fields[2]), gid: Number(fields[3]) };
}

export interface FolderPermissions {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
}

/**
 * The first folder on the way to `target` that `user` may not search (execute bit), or
 * undefined when all of them are searchable. Only the primary group counts: the server is
 * started with supplementary groups dropped.
 */
export function unreachableAncestor(
  target: string,
  user: Pick<ServerUser, 'uid' | 'gid'>,
  permissionsOf: (path: string) => FolderPermissions,
): string | undefined {
  const { root } = parse(target);
  const parts = target.slice(root.length).split(sep).filter(Boolean);
  for (let depth = 0; depth < parts.length; depth += 1) {
    const folder = root + parts.slice(0, depth).join(sep);
    const { uid, gid, mode } = permissionsOf(folder);
    const bit = user.uid === uid ? 0o100 : user.gid === gid ? 0o010 : 0o001;
    if ((mode & bit) === 0) return folder;
  }
  return undefined;
}

function permissionsOf(path: string): FolderPermissions {
  const { uid, gid, mode } = statSync(path);
  return { uid, gid, mode };
}

/**
 * Used when the checkout sits below a folder the postgres user cannot enter (a clone under
 * /root, a umask-077 home). /var/tmp is world-searchable and survives reboots; the hash keeps
 * two checkouts apart. `.awp/services/postgres` becomes a symlink to it, so every other path
 * in this module stays the same.
 */
function relocatedDirectory(): string {
  const hash = createHash('sha256').update(repoRoot).digest('hex').slice(0, 12);
  return join('/var/tmp', `awp-dev-services-${hash}`, 'postgres');
}

/** Real path of the postgres folder, created and owned by the server user when we are root. */
export async function preparePostgresDirectory(
  user: ServerUser | undefined,
  progress: Progress,
): Promise<string> {
  const linkPath = serviceDirectory('postgres');
  await mkdir(servicesRoot, { recursive: true });
  if (user === undefined) {
    await mkdir(linkPath, { recursive: true });
    return realpath(linkPath);
  }
  const existing = await lstat(linkPath).catch(() => undefined);
  if (existing === undefined) {
    if (unreachableAncestor(linkPath, user, permissionsOf) === undefined) {
      await mkdir(linkPath);
    } else {
      const relocated = relocatedDirectory();
      progress(
        `user postgres cannot reach ${servicesRoot}; keeping the cluster in ${relocated} (symlinked)`,
      );
      await mkdir(relocated, { recursive: true });
      await chmod(dirname(relocated), 0o755);
      await symlink(relocated, linkPath);
    }
  }
  const real = await realpath(linkPath);
  const blocked = unreachableAncestor(real, user, permissionsOf);
  if (blocked !== undefined) {
    throw new PrerequisiteError(
      `PostgreSQL runs as user postgres (it refuses root), which cannot enter ${blocked} on the way to ${real}. ` +
        `Run \`chmod o+x ${blocked}\`, or delete ${linkPath} so the next \`services:up\` places the cluster under /var/tmp.`,
    );
  }
  const info = await stat(real);
  if (info.uid !== user.uid) await chown(real, user.uid, user.gid);
  await chmod(real, 0o700);
  return real;
}

export async function giveToServerUser(path: string, user: ServerUser | undefined): Promise<void> {
  if (user !== undefined) await chown(path, user.uid, user.gid);
}
