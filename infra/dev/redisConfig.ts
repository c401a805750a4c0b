/** Redis config for the dev/test instance: loopback only, nothing persisted. */
export interface RedisSettings {
  readonly host: string;
  readonly port: number;
  readonly directory: string;
  readonly pidFile: string;
  readonly logFile: string;
}

/** Redis config strings are double-quoted with backslash escapes, so paths may hold spaces. */
function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function renderRedisConf(settings: RedisSettings): string {
  return [
    '# Written by infra/dev/redisService.ts on every `services:up`; edits are overwritten.',
    `port ${settings.port}`,
    `bind ${settings.host}`,
    'protected-mode yes',
    // Redis forks and writes its own pid file, so it outlives the CLI like the other services.
    'daemonize yes',
    `pidfile ${quote(settings.pidFile)}`,
    `logfile ${quote(settings.logFile)}`,
    `dir ${quote(settings.directory)}`,
    // Tests own their keys and flush them; snapshots would only slow shutdown and fill the disk.
    'save ""',
    'appendonly no',
    '',
  ].join('\n');
}
