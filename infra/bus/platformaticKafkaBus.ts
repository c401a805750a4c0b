import { Admin, Producer, findErrorBy, stringSerializer } from '@platformatic/kafka';
import type { BaseOptions } from '@platformatic/kafka';
import type { Bus, BusMessage, Subscription, SubscriptionOptions } from '../../contracts/index.js';
import type { KafkaBusOptions } from './kafkaBusOptions.js';
import { createTopicsOnce, kafkaNames, uncommittedRecords } from './kafkaTopics.js';
import { murmur2 } from './partitioner.js';
import { subscribePlatformaticConsumer } from './platformaticKafkaConsumer.js';

/**
 * @platformatic/kafka 2.x declares Node >= 22 and calls `Promise.withResolvers` (ES2024), which
 * Node 20 lacks; nothing else it uses is missing there. Installed only when absent, and the
 * same as the built-in one, so on Node 22 this does nothing.
 */
function installPromiseWithResolvers(): void {
  const constructor = Promise as unknown as { withResolvers?: unknown };
  constructor.withResolvers ??= function withResolvers<T>(this: PromiseConstructor) {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new this<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
installPromiseWithResolvers();

/** Retries with a doubling pause (250 ms to 8 s): about 30 s of broker trouble before failing. */
function platformaticClientOptions(options: KafkaBusOptions): BaseOptions {
  return {
    clientId: options.clientId,
    bootstrapBrokers: options.brokers,
    retries: 8,
    retryDelay: (_client, _operation, attempt) => Math.min(250 * 2 ** (attempt - 1), 8_000),
  };
}

/** See waitUntilUsable. */
const coordinatorSettleMs = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The library reduces whatever the partitioner returns modulo the topic's current partition
 * count; handing it murmur2 with the sign bit masked makes that exactly the Java client's
 * `toPositive(murmur2(key)) % partitions`. The library's default (`murmur2 >>> 0`) differs for
 * every key whose hash is negative unless the count is a power of two: half the keys on 3 or 12
 * partitions (checked against the Java golden table in partitioner.golden.unit.spec.ts).
 */
const javaCompatiblePartition = (message: { key?: string }): number =>
  murmur2(message.key ?? '') & 0x7fffffff;

/**
 * The distributed profile's bus on @platformatic/kafka: idempotent producer (acks=all), Java
 * placement of keys, consumer groups on the KIP-848 protocol with offsets committed after the
 * handler succeeded, bounded retries then a dead-letter topic.
 */
export function createPlatformaticKafkaBus(options: KafkaBusOptions): Bus {
  const names = kafkaNames(options.topicPrefix);
  const clientOptions = platformaticClientOptions(options);
  const subscriptions = new Set<Subscription>();
  let admin: Admin | undefined;
  let producer: Producer<string, Buffer, string, string> | undefined;
  let lastSend: Promise<unknown> = Promise.resolve();

  const connectedAdmin = () => (admin ??= new Admin(clientOptions));

  /** Topics are created with the configured layout on first use; existing ones are kept. */
  const createMissingTopics = createTopicsOnce(async (missing) => {
    const created = await Promise.all(missing.map(createTopic));
    await waitUntilUsable(created.filter((topic): topic is string => topic !== undefined));
  });

  /** Resolves to the topic when this call created it, undefined when it already existed. */
  async function createTopic(topic: string): Promise<string | undefined> {
    try {
      await connectedAdmin().createTopics({
        topics: [{ topic, partitions: options.partitions, replicas: options.replicationFactor }],
      });
      return topic;
    } catch (error) {
      if (findErrorBy(error as Error, 'apiId', 'TOPIC_ALREADY_EXISTS')) return undefined;
      throw error;
    }
  }

  /**
   * A creation is acknowledged before the brokers' metadata lists the topic, and the KIP-848
   * group coordinator applies that metadata a little later still. A member that joins before
   * the coordinator sees the topic is assigned nothing and learns otherwise only at its next
   * heartbeat (5 s by default). Waiting for leaders, then a short settle measured on Kafka
   * 4.1 (50 ms was not always enough, 200 ms was), avoids that stall; it costs only the
   * first use of a topic this process created.
   */
  async function waitUntilUsable(created: readonly string[]): Promise<void> {
    if (created.length === 0) return;
    for (let attempt = 0; attempt < 100; attempt++) {
      const metadata = await connectedAdmin()
        .metadata({ topics: [...created], forceUpdate: true })
        .catch(() => undefined);
      const led = created.every((topic) =>
        metadata?.topics.get(topic)?.partitions.every((partition) => partition.leader >= 0),
      );
      if (led) break;
      await sleep(50);
    }
    await sleep(coordinatorSettleMs);
  }

  const ensureTopics = (topics: readonly string[]) => createMissingTopics(topics.map(names.topic));

  function connectedProducer(): Producer<string, Buffer, string, string> {
    // Idempotence forces acks=all and one request in flight per broker, so a retried send
    // can neither duplicate nor reorder records of a partition.
    producer ??= new Producer<string, Buffer, string, string>({
      ...clientOptions,
      idempotent: true,
      serializers: {
        key: stringSerializer,
        headerKey: stringSerializer,
        headerValue: stringSerializer,
      },
      partitioner: javaCompatiblePartition,
    });
    return producer;
  }

  async function publish(messages: readonly BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await ensureTopics(messages.map((m) => m.topic));
    const client = connectedProducer();
    const send = () =>
      client.send({
        messages: messages.map((m) => ({
          topic: names.topic(m.topic),
          key: m.key,
          value: m.value,
          headers: m.headers ?? {},
        })),
      });
    // One send at a time. The library numbers a send's records (idempotence sequences) as it
    // builds the request; if an earlier send fails and is retried while a later one is already
    // at the broker, the broker refuses the gap, the library restarts under a new producer id,
    // and the later send can land first. Serial sends make call order the order per key.
    const sent = lastSend.then(send);
    lastSend = sent.catch(() => undefined);
    await sent;
  }

  async function subscribe(sub: SubscriptionOptions): Promise<Subscription> {
    await ensureTopics(sub.topics);
    const subscription = await subscribePlatformaticConsumer(sub, {
      bus: options,
      clientOptions,
      names,
      publish,
    });
    subscriptions.add(subscription);
    return {
      async stop() {
        subscriptions.delete(subscription);
        await subscription.stop();
      },
    };
  }

  async function lag(groupId: string, topics: readonly string[]): Promise<number> {
    await ensureTopics(topics);
    const client = connectedAdmin();
    const topicNames = topics.map(names.topic);
    const metadata = await client.metadata({ topics: topicNames });
    const requested = topicNames.map((name) => ({
      name,
      partitionIndexes: Array.from(
        { length: metadata.topics.get(name)?.partitionsCount ?? 0 },
        (_, index) => index,
      ),
    }));
    const listAt = (timestamp: bigint) =>
      client.listOffsets({
        topics: requested.map(({ name, partitionIndexes }) => ({
          name,
          partitions: partitionIndexes.map((partitionIndex) => ({ partitionIndex, timestamp })),
        })),
      });
    // ListOffsets timestamps: -2 asks for the first offset in the log, -1 for the next one.
    const [groups, lows, highs] = await Promise.all([
      client.listConsumerGroupOffsets({
        groups: [{ groupId: names.group(groupId), topics: requested }],
      }),
      listAt(-2n),
      listAt(-1n),
    ]);
    const offsetOf = (listed: typeof lows, topic: string, partition: number) =>
      listed.find((t) => t.name === topic)?.partitions.find((p) => p.partitionIndex === partition)
        ?.offset ?? 0n;
    const committed = groups[0]?.topics ?? [];
    return uncommittedRecords(
      requested.flatMap(({ name, partitionIndexes }) =>
        partitionIndexes.map((partition) => ({
          low: offsetOf(lows, name, partition),
          high: offsetOf(highs, name, partition),
          committed:
            committed
              .find((t) => t.name === name)
              ?.partitions.find((p) => p.partitionIndex === partition)?.committedOffset ?? -1n,
        })),
      ),
    );
  }

  return {
    publish,
    subscribe,
    lag,
    async ping() {
      // An empty topic list asks the broker for its brokers only: a cheap round trip.
      await connectedAdmin().metadata({ topics: [], forceUpdate: true });
    },
    async close() {
      await Promise.all([...subscriptions].map((s) => s.stop()));
      subscriptions.clear();
      await lastSend;
      await producer?.close();
      await admin?.close();
    },
  };
}
