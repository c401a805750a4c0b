import { randomBytes } from 'node:crypto';

/** Kafka version fetched by infra/dev/kafka/pom.xml; part of the jar stamp and the messages. */
export const kafkaVersion = '4.1.1';

export interface KafkaSettings {
  readonly host: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly dataDirectory: string;
}

/** java.util.Properties treats backslashes as escapes, so a path must double them. */
function propertyValue(value: string): string {
  return value.replace(/\\/g, '\\\\');
}

/**
 * One KRaft node acting as broker and controller. The dynamic quorum
 * (controller.quorum.bootstrap.servers) matches `StorageTool format --standalone`, which is
 * how Kafka 4 ships its own single-node config.
 */
export function renderServerProperties(settings: KafkaSettings): string {
  const { host, port, controllerPort } = settings;
  return [
    '# Written by infra/dev/kafkaService.ts on every `services:up`; edits are overwritten.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.bootstrap.servers=${host}:${controllerPort}`,
    `listeners=PLAINTEXT://${host}:${port},CONTROLLER://${host}:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://${host}:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${propertyValue(settings.dataDirectory)}`,
    // A single broker cannot hold the default three replicas of the internal topics.
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // Tests start consumers and expect assignments at once, not after the default 3 s.
    'group.initial.rebalance.delay.ms=0',
    // Code must create its topics explicitly, as it will have to in production.
    'auto.create.topics.enable=false',
    'num.partitions=3',
    '',
  ].join('\n');
}

// Uuid.ZERO_UUID and Uuid.METADATA_TOPIC_ID, which Kafka reserves.
const reservedIds = new Set(['AAAAAAAAAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAAAAAAAAQ']);

/**
 * A Kafka cluster id is 16 random bytes in URL-safe base64 without padding, as
 * `kafka-storage.sh random-uuid` prints. Like Kafka's own generator we skip ids starting with
 * '-', which a command line would take for an option.
 */
export function newClusterId(bytes: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = bytes().toString('base64url');
    if (!id.startsWith('-') && !reservedIds.has(id)) return id;
  }
}
