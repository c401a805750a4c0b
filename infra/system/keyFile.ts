import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Where the embedded profile keeps a generated key: beside the data directory, not in it (that
 * directory is PostgreSQL's own), e.g. `.awp/data-secrets.key`.
 */
export function keyFileBeside(dataDir: string, suffix: string): string {
  return `${dataDir.replace(/[/\\]+$/, '')}-${suffix}`;
}

/**
 * The key stored at `path`, or a new one from `create` written there (mode 0600) when there is
 * none. Written with 'wx': two processes starting at once (`awp token` and `awp start`, or two
 * starts) end with one key, the loser reading the winner's.
 */
export async function readOrCreateKeyFile<Key>(
  path: string,
  codec: { create(): Promise<Key>; format(key: Key): string; parse(text: string): Key },
): Promise<Key> {
  try {
    return codec.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = await codec.create();
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(path, codec.format(key), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      return codec.parse(await readFile(path, 'utf8'));
    }
    throw error;
  }
  // The mode given to writeFile is narrowed by the umask only; chmod makes it exact.
  await chmod(path, 0o600);
  return key;
}
