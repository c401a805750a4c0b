import type {
  Bus,
  BusMessage,
  Database,
  Migration,
  Subscription,
  SubscriptionOptions,
} from '../../contracts/index.js';
import type { Logger } from '../logging/logger.js';
import { createWakeableLoop } from '../scheduling/wakeableLoop.js';
import { defaultRetryPolicy, handleBatchOrEach } from './deadLetters.js';
import type { RetryPolicy } from './deadLetters.js';
import { createPartitionLog } from './partitionLog.js';

/**
 * The embedded profile's Kafka: a partitioned log in the embedded database. Same semantics as
 * the Kafka adapter — partition by key (murmur2), order per partition, consumer groups with
 * committed offsets, at-least-once — and, like Kafka, it survives a restart.
 */
export const inProcessBusMigrations: readonly Migration[] = [
  {
    id: '2026-11-27-00-in-process-bus',
    sql: `
      CREATE TABLE IF NOT EXISTS bus_records (
        topic      text NOT NULL,
        partition  integer NOT NULL,
        "offset"   bigint NOT NULL,
        key        text NOT NULL,
        value      bytea NOT NULL,
        headers    jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic, partition, "offset")
      );
      CREATE TABLE IF NOT EXISTS bus_group_offsets (
        group_id   text NOT NULL,
        topic      text NOT NULL,
        partition  integer NOT NULL,
        "offset"   bigint NOT NULL,
        PRIMARY KEY (group_id, topic, partition)
      );
    `,
  },
];

export interface InProcessBusOptions {
  db: Database;
  partitions: number;
  logger: Logger;
  /** Safety net for a missed wake-up; publishes wake consumers immediately. */
  pollMs?: number;
  retryPolicy?: RetryPolicy;
}

const fetchSize = 100;

interface GroupMember {
  topics: readonly string[];
  wake(): void;
}

/** A consumer group's members in this process and what they share. */
interface ConsumerGroup {
  /** In join order: partition p of a topic goes to member p % n of those subscribed to it. */
  members: GroupMember[];
  /** Next offset to deliver per `topic:partition`, read from bus_group_offsets on first join. */
  positions: Promise<Map<string, bigint>>;
  /** Held while a member delivers from a partition, so a handover waits for the record in hand. */
  partitionLocks: Map<string, Promise<void>>;
}

function ownerOf(group: ConsumerGroup, topic: string, partition: number): GroupMember | undefined {
  const subscribed = group.members.filter((member) => member.topics.includes(topic));
  return subscribed[partition % subscribed.length];
}

async function withPartitionLock(
  group: ConsumerGroup,
  partitionKey: string,
  run: () => Promise<void>,
): Promise<void> {
  const previous = group.partitionLocks.get(partitionKey) ?? Promise.resolve();
  let release!: () => void;
  const held = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
  group.partitionLocks.set(partitionKey, held);
  await previous;
  try {
    await run();
  } finally {
    release();
    if (group.partitionLocks.get(partitionKey) === held) group.partitionLocks.delete(partitionKey);
  }
}

export function createInProcessBus(options: InProcessBusOptions): Bus {
  const { db, partitions, logger } = options;
  const log = createPartitionLog(db, partitions);
  const listeners = new Map<string, Set<() => void>>();
  const groups = new Map<string, ConsumerGroup>();
  const subscriptions = new Set<Subscription>();

  async function publish(messages: readonly BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await log.append(messages);
    for (const topic of new Set(messages.map((m) => m.topic))) {
      for (const wake of listeners.get(topic) ?? []) wake();
    }
  }

  /**
   * Delivers records from the group's position on, a fetch at a time, committing the offset after
   * each fetch, for as long as `member` owns the partition: a rebalance takes effect before the
   * next fetch. A crash mid-fetch redelivers at most that fetch, which handlers dedupe.
   */
  async function consumePartition(
    sub: SubscriptionOptions,
    group: ConsumerGroup,
    member: GroupMember,
    topic: string,
    partition: number,
  ): Promise<void> {
    const owned = () => ownerOf(group, topic, partition) === member;
    if (!owned()) return;
    const positionKey = `${topic}:${partition}`;
    await withPartitionLock(group, positionKey, async () => {
      const positions = await group.positions;
      const end = (await log.endsOf(topic))[partition] ?? 0n;
      let position = positions.get(positionKey) ?? 0n;
      while (position < end) {
        const records = await log.read(topic, partition, position, fetchSize);
        if (records.length === 0 || !owned()) return;
        const from = position;
        try {
          // After bounded retries a failing message goes to the dead-letter topic; only a failed
          // dead-letter publish throws, leaving the offset at the failed record for redelivery.
          await handleBatchOrEach(
            records,
            sub,
            {
              policy: options.retryPolicy ?? defaultRetryPolicy,
              groupId: sub.groupId,
              logger,
              publish,
            },
            (record) => {
              position = BigInt(record.offset) + 1n;
            },
          );
        } finally {
          // One offset write per fetched batch: whatever was handled, even if a record failed.
          if (position > from) {
            await db.query(
              `INSERT INTO bus_group_offsets (group_id, topic, partition, "offset")
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (group_id, topic, partition) DO UPDATE SET "offset" = EXCLUDED."offset"`,
              [sub.groupId, topic, partition, position.toString()],
            );
            positions.set(positionKey, position);
          }
        }
      }
    });
  }

  async function loadPositions(groupId: string): Promise<Map<string, bigint>> {
    const { rows } = await db.query<{ topic: string; partition: number; offset: string }>(
      `SELECT topic, partition, "offset"::text AS "offset" FROM bus_group_offsets
       WHERE group_id = $1`,
      [groupId],
    );
    return new Map(rows.map((row) => [`${row.topic}:${row.partition}`, BigInt(row.offset)]));
  }

  /** Adds a member; the group's partitions are spread anew and every member looks again. */
  function join(groupId: string, member: GroupMember): ConsumerGroup {
    let group = groups.get(groupId);
    if (!group) {
      const positions = loadPositions(groupId);
      const created: ConsumerGroup = { members: [], positions, partitionLocks: new Map() };
      // A failed load surfaces in subscribe(); the group is forgotten so the next one retries.
      positions.catch(() => {
        if (groups.get(groupId) === created) groups.delete(groupId);
      });
      group = created;
      groups.set(groupId, group);
    }
    group.members.push(member);
    for (const other of group.members) other.wake();
    return group;
  }

  function leave(group: ConsumerGroup, member: GroupMember): void {
    group.members = group.members.filter((other) => other !== member);
    for (const other of group.members) other.wake();
  }

  /**
   * Members of one group (in this process) split its partitions like Kafka's: each partition has
   * one owner, and a partition handed over on a join or leave is taken up only after its previous
   * owner finished the record in hand, from the offset that owner committed.
   */
  async function subscribe(sub: SubscriptionOptions): Promise<Subscription> {
    let wakeLoop = () => {};
    const member: GroupMember = { topics: sub.topics, wake: () => wakeLoop() };
    const group = join(sub.groupId, member);
    try {
      await group.positions;
    } catch (error) {
      leave(group, member);
      throw error;
    }
    const loop = createWakeableLoop({
      name: `consumer ${sub.groupId}`,
      intervalMs: options.pollMs ?? 2_000,
      logger,
      async tick() {
        for (const topic of sub.topics) {
          for (let partition = 0; partition < partitions; partition++) {
            await consumePartition(sub, group, member, topic, partition);
          }
        }
      },
    });
    wakeLoop = loop.wake;
    for (const topic of sub.topics) {
      const set = listeners.get(topic) ?? new Set();
      set.add(loop.wake);
      listeners.set(topic, set);
    }
    const subscription: Subscription = {
      async stop() {
        for (const topic of sub.topics) listeners.get(topic)?.delete(loop.wake);
        // Leaving first hands the partitions over right after the record in hand.
        leave(group, member);
        await loop.stop();
        // Forgotten only when empty, so a member joining meanwhile shares positions and locks.
        if (group.members.length === 0 && groups.get(sub.groupId) === group) {
          groups.delete(sub.groupId);
        }
        subscriptions.delete(subscription);
      },
    };
    subscriptions.add(subscription);
    return subscription;
  }

  async function lag(groupId: string, topics: readonly string[]): Promise<number> {
    let total = 0n;
    for (const topic of topics) {
      const ends = await log.endsOf(topic);
      const { rows } = await db.query<{ partition: number; offset: string }>(
        `SELECT partition, "offset"::text AS "offset" FROM bus_group_offsets
         WHERE group_id = $1 AND topic = $2`,
        [groupId, topic],
      );
      const committed = new Map(rows.map((row) => [row.partition, BigInt(row.offset)]));
      ends.forEach((end, partition) => {
        const behind = end - (committed.get(partition) ?? 0n);
        if (behind > 0n) total += behind;
      });
    }
    return Number(total);
  }

  return {
    publish,
    subscribe,
    lag,
    async ping() {
      await db.query('SELECT 1 FROM bus_records LIMIT 1');
    },
    async close() {
      await Promise.all([...subscriptions].map((s) => s.stop()));
    },
  };
}
