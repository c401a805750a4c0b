import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, Consumer, Producer, logCreator } from 'kafkajs';
import type { Bus, BusMessage, Subscription } from '../../contracts/index.js';
import type { Logger } from '../logging/logger.js';
import { defaultRetryPolicy, handleBatchOrEach } from './deadLetters.js';
import type { KafkaBusOptions } from './kafkaBusOptions.js';
import { createTopicsOnce, kafkaNames, uncommittedRecords } from './kafkaTopics.js';

export type { KafkaBusOptions };

/** Most messages handed to a subscriber at once. */
const maxBatch = 256;

/** kafkajs log lines go through our logger, so they carry the same fields and levels. */
function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...rest } = log;
      const fields = { kafka: rest };
      if (level === logLevel.ERROR) logger.error(fields, message);
      else if (level === logLevel.WARN) logger.warn(fields, message);
      else logger.debug(fields, message);
    };
}

/** The distributed profile's bus: Kafka through kafkajs, idempotent producer, consumer groups. */
export function createKafkaBus(options: KafkaBusOptions): Bus {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(options.logger),
    retry: { retries: 8 },
  });
  const names = kafkaNames(options.topicPrefix);
  const topicName = names.topic;
  const consumers = new Set<Consumer>();
  let admin: Admin | undefined;
  let producer: Producer | undefined;

  async function connectedAdmin(): Promise<Admin> {
    if (!admin) {
      const created = kafka.admin();
      await created.connect();
      admin = created;
    }
    return admin;
  }

  /** Topics are created with the configured layout on first use; existing ones are kept. */
  const createMissingTopics = createTopicsOnce(async (missing) => {
    const client = await connectedAdmin();
    await client.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: options.partitions,
        replicationFactor: options.replicationFactor,
      })),
    });
  });
  const ensureTopics = (topics: readonly string[]) => createMissingTopics(topics.map(topicName));

  async function connectedProducer(): Promise<Producer> {
    if (!producer) {
      // Idempotence (one request in flight) keeps per-partition order even when sends retry.
      const created = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await created.connect();
      producer = created;
    }
    return producer;
  }

  async function publish(messages: readonly BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await ensureTopics([...new Set(messages.map((m) => m.topic))]);
    const byTopic = new Map<string, BusMessage[]>();
    for (const message of messages) {
      const list = byTopic.get(message.topic) ?? [];
      list.push(message);
      byTopic.set(message.topic, list);
    }
    const client = await connectedProducer();
    await client.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic: topicName(topic),
        messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      })),
    });
  }

  async function subscribe(sub: Parameters<Bus['subscribe']>[0]): Promise<Subscription> {
    await ensureTopics(sub.topics);
    const consumer = kafka.consumer({ groupId: names.group(sub.groupId) });
    await consumer.connect();
    await consumer.subscribe({ topics: sub.topics.map(topicName), fromBeginning: true });
    consumers.add(consumer);
    // Offsets are resolved only for handled messages and committed by kafkajs after eachBatch
    // returns: at-least-once delivery, one commit per fetched batch.
    await consumer.run({
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const messages = batch.messages.map((message) => ({
          topic: names.unprefixed(batch.topic),
          partition: batch.partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? '',
          value: message.value ?? Buffer.alloc(0),
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
          ),
        }));
        for (let from = 0; from < messages.length; from += maxBatch) {
          // A revoked partition (stale batch) is left to its new owner.
          if (!isRunning() || isStale()) return;
          // Retries happen here, bounded, rather than by kafkajs restarting the consumer: a
          // poison message then reaches the dead-letter topic instead of blocking its partition.
          await handleBatchOrEach(
            messages.slice(from, from + maxBatch),
            sub,
            {
              policy: options.retryPolicy ?? defaultRetryPolicy,
              groupId: sub.groupId,
              logger: options.logger,
              publish,
            },
            (message) => resolveOffset(message.offset),
          );
          await heartbeat();
        }
      },
    });
    return {
      async stop() {
        consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  async function lag(groupId: string, topics: readonly string[]): Promise<number> {
    await ensureTopics(topics);
    const client = await connectedAdmin();
    const committed = await client.fetchOffsets({
      groupId: names.group(groupId),
      topics: topics.map(topicName),
    });
    const partitions = [];
    for (const topic of topics) {
      const ends = await client.fetchTopicOffsets(topicName(topic));
      const group = committed.find((entry) => entry.topic === topicName(topic));
      for (const end of ends) {
        const offset = group?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        partitions.push({
          low: BigInt(end.low),
          high: BigInt(end.high),
          committed: BigInt(offset),
        });
      }
    }
    return uncommittedRecords(partitions);
  }

  return {
    publish,
    subscribe,
    lag,
    async ping() {
      const client = await connectedAdmin();
      await client.describeCluster();
    },
    async close() {
      await Promise.all([...consumers].map((c) => c.disconnect()));
      consumers.clear();
      await producer?.disconnect();
      await admin?.disconnect();
    },
  };
}
