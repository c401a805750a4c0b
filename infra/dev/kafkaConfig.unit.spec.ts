import { describe, expect, it } from 'vitest';
import { newClusterId, renderServerProperties } from './kafkaConfig.js';

function parseProperties(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
  return new Map(entries);
}

const settings = {
  host: '127.0.0.1',
  port: 59092,
  controllerPort: 59093,
  dataDirectory: '/repo/.awp/services/kafka/data',
};

describe('renderServerProperties', () => {
  it('configures one KRaft node as both broker and controller on loopback', () => {
    const props = parseProperties(renderServerProperties(settings));
    expect(props.get('process.roles')).toBe('broker,controller');
    expect(props.get('node.id')).toBe('1');
    expect(props.get('controller.quorum.bootstrap.servers')).toBe('127.0.0.1:59093');
    expect(props.get('listeners')).toBe('PLAINTEXT://127.0.0.1:59092,CONTROLLER://127.0.0.1:59093');
    expect(props.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:59092');
    expect(props.get('controller.listener.names')).toBe('CONTROLLER');
  });

  it('sizes internal topics for a single broker so consumer groups and transactions work', () => {
    const props = parseProperties(renderServerProperties(settings));
    expect(props.get('offsets.topic.replication.factor')).toBe('1');
    expect(props.get('transaction.state.log.replication.factor')).toBe('1');
    expect(props.get('transaction.state.log.min.isr')).toBe('1');
  });

  it('makes code create its topics explicitly and rebalances without delay', () => {
    const props = parseProperties(renderServerProperties(settings));
    expect(props.get('auto.create.topics.enable')).toBe('false');
    expect(props.get('group.initial.rebalance.delay.ms')).toBe('0');
    expect(props.get('num.partitions')).toBe('3');
    expect(props.get('log.dirs')).toBe('/repo/.awp/services/kafka/data');
  });

  it('never uses the static voter list, which clashes with a standalone-formatted quorum', () => {
    expect(renderServerProperties(settings)).not.toContain('controller.quorum.voters');
  });

  it('escapes backslashes in the data directory as java.util.Properties expects', () => {
    const text = renderServerProperties({ ...settings, dataDirectory: 'C:\\data' });
    expect(text).toContain('log.dirs=C:\\\\data');
  });
});

describe('newClusterId', () => {
  it('encodes 16 bytes as 22 URL-safe base64 characters', () => {
    expect(newClusterId()).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('skips ids that start with a dash, which a command line would take for an option', () => {
    const candidates = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x11)];
    const id = newClusterId(() => candidates.shift() ?? Buffer.alloc(16, 0x22));
    expect(id.startsWith('-')).toBe(false);
    expect(id).toBe(Buffer.alloc(16, 0x11).toString('base64url'));
  });

  it('skips the all-zero id that Kafka reserves', () => {
    const candidates = [Buffer.alloc(16, 0), Buffer.alloc(16, 0x33)];
    expect(newClusterId(() => candidates.shift() ?? Buffer.alloc(16, 0x44))).toBe(
      Buffer.alloc(16, 0x33).toString('base64url'),
    );
  });
});
