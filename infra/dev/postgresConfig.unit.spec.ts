import { describe, expect, it } from 'vitest';
import { renderPostgresConf, socketDirectoryFor } from './postgresConfig.js';

describe('renderPostgresConf', () => {
  const conf = renderPostgresConf({
    host: '127.0.0.1',
    port: 55432,
    socketDirectory: '/repo/.awp/services/postgres/data',
  });

  it('listens on loopback only, on the configured port', () => {
    expect(conf).toContain("listen_addresses = '127.0.0.1'");
    expect(conf).toContain('port = 55432');
  });

  it('puts the unix socket in the data folder instead of the system cluster folder', () => {
    expect(conf).toContain("unix_socket_directories = '/repo/.awp/services/postgres/data'");
    expect(conf).not.toContain('/var/run');
  });

  it('allows enough connections for parallel test workers with their own pools', () => {
    expect(conf).toContain('max_connections = 200');
  });

  it('trades durability for speed, which is fine for throwaway test data', () => {
    expect(conf).toContain('fsync = off');
    expect(conf).toContain('synchronous_commit = off');
  });

  it('quotes single quotes in paths the way postgresql.conf expects', () => {
    const quoted = renderPostgresConf({
      host: '127.0.0.1',
      port: 1,
      socketDirectory: "/tmp/o'brien",
    });
    expect(quoted).toContain("unix_socket_directories = '/tmp/o''brien'");
  });
});

describe('socketDirectoryFor', () => {
  it('uses the data folder when the socket path fits the unix socket length limit', () => {
    expect(socketDirectoryFor('/work/main/.awp/services/postgres/data', 55432)).toBe(
      '/work/main/.awp/services/postgres/data',
    );
  });

  it('disables the unix socket for a data folder so deep that the socket path would be too long', () => {
    const deep = `/ci/${'nested/'.repeat(15)}.awp/services/postgres/data`;
    expect(socketDirectoryFor(deep, 55432)).toBe('');
  });
});
