import { describe, expect, it } from 'vitest';
import { renderRedisConf } from './redisConfig.js';

const settings = {
  host: '127.0.0.1',
  port: 56379,
  directory: '/repo/.awp/services/redis',
  pidFile: '/repo/.awp/services/redis/redis.pid',
  logFile: '/repo/.awp/services/redis/redis.log',
};

describe('renderRedisConf', () => {
  const lines = renderRedisConf(settings).split('\n');

  it('binds to loopback on the configured port', () => {
    expect(lines).toContain('port 56379');
    expect(lines).toContain('bind 127.0.0.1');
  });

  it('daemonizes with its pid file, log and working folder under the service folder', () => {
    expect(lines).toContain('daemonize yes');
    expect(lines).toContain('pidfile "/repo/.awp/services/redis/redis.pid"');
    expect(lines).toContain('logfile "/repo/.awp/services/redis/redis.log"');
    expect(lines).toContain('dir "/repo/.awp/services/redis"');
  });

  it('persists nothing, since tests own and flush their keys', () => {
    expect(lines).toContain('save ""');
    expect(lines).toContain('appendonly no');
  });

  it('quotes paths so a folder with spaces or quotes still parses', () => {
    const text = renderRedisConf({ ...settings, directory: '/my repo/"x"' });
    expect(text).toContain('dir "/my repo/\\"x\\""');
  });
});
