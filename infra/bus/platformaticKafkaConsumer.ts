import { Consumer, stringDeserializer } from '@platformatic/kafka';
import type { BaseOptions, Message, MessagesStream } from '@platformatic/kafka';
import type {
  BusMessage,
  ConsumedMessage,
  Subscription,
  SubscriptionOptions,
} from '../../contracts/index.js';
import { defaultRetryPolicy, handleBatchOrEach } from './deadLetters.js';
import type { KafkaBusOptions } from './kafkaBusOptions.js';
import type { kafkaNames } from './kafkaTopics.js';

type BusRecord = Message<string, Buffer, string, string>;
type BusStream = MessagesStream<string, Buffer, string, string>;

export interface PlatformaticConsumerContext {
  bus: KafkaBusOptions;
  clientOptions: BaseOptions;
  names: ReturnType<typeof kafkaNames>;
  /** The bus's own publish, for dead letters. */
  publish(messages: readonly BusMessage[]): Promise<void>;
}

/** Most records handed to a subscriber at once. */
const maxBatch = 256;

/** Pause before opening a new stream after the previous one failed. */
const restartBackoffMs = 1_000;

/**
 * A commit asked for while the member is between epochs is parked by the library until its next
 * flush; if none comes, waiting for it would stall this partition's commits (and stop()).
 */
const commitTimeoutMs = 10_000;

/** Resolves 'committed', the error, or 'timed out'; never rejects. */
function settleWithin(commit: Promise<void>, ms: number): Promise<unknown> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timed out'), ms);
    commit
      .then(
        () => resolve('committed'),
        (error: unknown) => resolve(error),
      )
      .finally(() => clearTimeout(timer));
  });
}

/**
 * One consumer-group member. The library fetches ahead into a stream and, on a rebalance, hands
 * partitions over without waiting for the application, so this loop enforces what AWP relies
 * on: one batch at a time, a record of a partition this member no longer owns is dropped (the
 * new owner resumes from the committed offset), a record already handled here is not handled
 * again when the stream re-reads from committed offsets, and an offset is committed only after
 * its handler succeeded and only while the partition is still ours.
 */
export async function subscribePlatformaticConsumer(
  sub: SubscriptionOptions,
  context: PlatformaticConsumerContext,
): Promise<Subscription> {
  const { bus, names } = context;
  const logger = bus.logger;
  const consumer = new Consumer<string, Buffer, string, string>({
    ...context.clientOptions,
    groupId: names.group(sub.groupId),
    // KIP-848: the broker assigns partitions and moves only those that must move; members
    // keep consuming the rest during a rebalance (kafkajs's eager protocol stops everyone).
    groupProtocol: 'consumer',
    autocommit: false,
    deserializers: {
      key: stringDeserializer,
      headerKey: stringDeserializer,
      headerValue: stringDeserializer,
    },
    // Long polls end when data arrives; a short bound keeps stop() from waiting on one.
    maxWaitTime: 500,
    // The library's default lets one partition fill a whole 50 MB fetch, decoded and queued at
    // once (a 25 MB backlog: 2.5 s to the first message, for about the same total time); these
    // are the Java client's per-partition and kafkajs's total limits.
    maxBytesPerPartition: 1_048_576,
    maxBytes: 10_485_760,
    highWaterMark: 512,
  });
  // An 'error' event without a listener would crash the process (a failed rejoin emits one).
  consumer.on('error', (error: Error) =>
    logger.warn({ err: error, group: sub.groupId }, 'kafka consumer error; it rejoins'),
  );
  const topics = sub.topics.map(names.topic);
  /** Next offset to handle per `topic:partition`, for records this member already handled. */
  const handledUpTo = new Map<string, bigint>();
  /** Per partition: the newest handled record not yet handed to a commit, and the commit out. */
  const toCommit = new Map<string, BusRecord>();
  const committing = new Map<string, Promise<void>>();
  let stopping = false;
  let wakeReader: (() => void) | undefined;

  const owns = (record: BusRecord) =>
    consumer.assignments?.some(
      (assignment) =>
        assignment.topic === record.topic && assignment.partitions.includes(record.partition),
    ) === true;

  /** Handles the records read together (stream order, so partition order) and commits them. */
  async function deliver(records: readonly BusRecord[]): Promise<void> {
    const fresh = records.filter((record) => {
      if (!owns(record)) return false;
      const next = handledUpTo.get(`${record.topic}:${record.partition}`);
      return next === undefined || record.offset >= next;
    });
    if (fresh.length === 0) return;
    const byMessage = new Map<ConsumedMessage, BusRecord>(
      fresh.map((record) => [toConsumedMessage(record, names.unprefixed), record]),
    );
    const touched = new Set<string>();
    try {
      // Throws only when even the dead-letter publish failed: the stream is then reopened from
      // the committed offset and the failed record comes again (at-least-once).
      await handleBatchOrEach(
        [...byMessage.keys()],
        sub,
        {
          policy: bus.retryPolicy ?? defaultRetryPolicy,
          groupId: sub.groupId,
          logger,
          publish: context.publish,
        },
        (message) => {
          const record = byMessage.get(message) as BusRecord;
          const partitionKey = `${record.topic}:${record.partition}`;
          handledUpTo.set(partitionKey, record.offset + 1n);
          toCommit.set(partitionKey, record);
          touched.add(partitionKey);
        },
      );
    } finally {
      for (const partitionKey of touched) commitNewest(partitionKey);
    }
  }

  /**
   * Commits run beside the handlers, one per partition at a time, each for the newest record
   * handled by then: waiting for a round trip per message, or asking for one per message (the
   * library then queues a promise per message), halved the throughput. A commit lost in a crash
   * or a handover only means a redelivery, which handlers dedupe.
   */
  function commitNewest(partitionKey: string): void {
    const record = toCommit.get(partitionKey);
    if (record === undefined || committing.has(partitionKey)) return;
    toCommit.delete(partitionKey);
    // Revoked meanwhile: the new owner started from the committed offset, and committing now
    // could move it backwards under its feet.
    if (!owns(record)) return;
    const commit = settleWithin(Promise.resolve(record.commit()), commitTimeoutMs).then(
      (outcome) => {
        if (outcome !== 'committed') {
          logger.warn(
            { err: outcome, group: sub.groupId, topic: record.topic, partition: record.partition },
            'offset commit failed or timed out; the message may be delivered again',
          );
        }
        committing.delete(partitionKey);
        commitNewest(partitionKey);
      },
    );
    committing.set(partitionKey, commit);
  }

  /** Resolves once every handled record's offset has been committed (or failed to be). */
  async function settleCommits(): Promise<void> {
    while (committing.size > 0 || toCommit.size > 0) {
      for (const partitionKey of toCommit.keys()) commitNewest(partitionKey);
      await Promise.all(committing.values());
    }
  }

  /** Reads one stream until it fails or the subscription stops. */
  async function drain(stream: BusStream): Promise<void> {
    let failure: unknown;
    let ended = false;
    const wake = () => {
      const resolve = wakeReader;
      wakeReader = undefined;
      resolve?.();
    };
    const onError = (error: unknown) => {
      failure = error;
      wake();
    };
    const onEnd = () => {
      ended = true;
      wake();
    };
    stream.on('readable', wake);
    stream.on('error', onError);
    stream.on('end', onEnd);
    stream.on('close', onEnd);
    try {
      while (!stopping) {
        // Whatever the stream already holds is handled as one batch (one projection
        // transaction); under light load that is a single record and nothing waits for more.
        const records: BusRecord[] = [];
        for (let record; records.length < maxBatch && (record = stream.read()) !== null;) {
          records.push(record as BusRecord);
        }
        if (records.length > 0) {
          await deliver(records);
          continue;
        }
        if (failure !== undefined) throw failure;
        if (ended) throw new Error('kafka message stream ended');
        await new Promise<void>((resolve) => (wakeReader = resolve));
      }
    } finally {
      stream.off('readable', wake);
      stream.off('error', onError);
      stream.off('end', onEnd);
      stream.off('close', onEnd);
    }
  }

  const openStream = () =>
    consumer.consume({ topics, mode: 'committed', fallbackMode: 'earliest' }) as Promise<BusStream>;

  async function run(first: BusStream): Promise<void> {
    let stream: BusStream | undefined = first;
    while (!stopping) {
      try {
        stream ??= await openStream();
        await drain(stream);
      } catch (error) {
        if (stopping) break;
        logger.warn({ err: error, group: sub.groupId }, 'kafka consumer stream failed; reopening');
        await new Promise((resolve) => setTimeout(resolve, restartBackoffMs));
      } finally {
        // Commits land before the stream closes, so the next stream starts after them.
        await settleCommits();
        await stream?.close().catch(() => undefined);
        stream = undefined;
      }
    }
  }

  // The first join happens here, so subscribe() fails loudly when the group cannot be joined.
  let first: BusStream;
  try {
    first = await openStream();
  } catch (error) {
    await consumer.close(true).catch(() => undefined);
    throw error;
  }
  const running = run(first);
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        stopping = true;
        wakeReader?.();
        await running;
        // Leaving the group (rather than timing out) lets the others take over at once.
        await consumer.close(true);
      })();
      return stopped;
    },
  };
}

function toConsumedMessage(
  record: BusRecord,
  unprefixed: (topic: string) => string,
): ConsumedMessage {
  return {
    topic: unprefixed(record.topic),
    partition: record.partition,
    offset: record.offset.toString(),
    key: record.key ?? '',
    value: record.value ?? Buffer.alloc(0),
    headers: Object.fromEntries(record.headers),
  };
}
