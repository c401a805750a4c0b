/**
 * Settings for the throwaway development/test cluster. Kept in a file of their own that
 * postgresql.conf includes, and rewritten on every `up`, so a port change through
 * AWP_DEV_PG_PORT takes effect without re-running initdb.
 */
export const postgresConfFileName = 'awp-dev.conf';
export const postgresIncludeLine = `include_if_exists = '${postgresConfFileName}'`;

/**
 * Unix socket paths are capped at ~104-108 bytes (sun_path). A deep checkout (CI clones into
 * arbitrary folders) would push the socket path past it and the postmaster would refuse to
 * start, so we fall back to TCP only; every client here connects over 127.0.0.1 anyway.
 */
export function socketDirectoryFor(dataDirectory: string, port: number): string {
  const socketPath = `${dataDirectory}/.s.PGSQL.${port}`;
  return Buffer.byteLength(socketPath) <= 100 ? dataDirectory : '';
}

export interface PostgresSettings {
  readonly host: string;
  readonly port: number;
  readonly socketDirectory: string;
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

export function renderPostgresConf(settings: PostgresSettings): string {
  return [
    '# Written by infra/dev/postgresService.ts on every `services:up`; edits are overwritten.',
    `listen_addresses = ${quote(settings.host)}`,
    `port = ${settings.port}`,
    // Not /var/run/postgresql: that belongs to the system cluster and may not exist.
    `unix_socket_directories = ${quote(settings.socketDirectory)}`,
    // Tests create a database and a pool per spec file, in parallel workers.
    'max_connections = 200',
    // Durability is worthless for dev/test data that is recreated at will, and skipping the
    // flushes makes schema-heavy test suites several times faster. Never copy to production.
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    // The log file is what `services:up` shows when the cluster fails to start.
    "log_destination = 'stderr'",
    'logging_collector = off',
    "log_line_prefix = '%m [%p] '",
    "timezone = 'UTC'",
    '',
  ].join('\n');
}
