import type { BusMessage, ConsumedMessage, Database } from '../../contracts/index.js';
import { partitionFor } from './partitioner.js';

/** Records kept in memory after an append, so a consumer that keeps up never re-reads them. */
const recentLimit = 5_000;

interface RecordRow {
  partition: number;
  offset: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

/**
 * The embedded log: topics split into partitions stored in the embedded database. This process
 * is its only writer (the embedded profile is one process), so offsets are assigned in memory
 * under a lock and a whole publish is one INSERT — atomic, and never committed out of order.
 */
export function createPartitionLog(db: Database, partitions: number) {
  const ends = new Map<string, Promise<bigint[]>>();
  const recent = new Map<string, ConsumedMessage>();
  let lock: Promise<unknown> = Promise.resolve();

  const recentKey = (topic: string, partition: number, offset: bigint) =>
    `${topic}\u0000${partition}\u0000${offset}`;

  function endsOf(topic: string): Promise<bigint[]> {
    let known = ends.get(topic);
    if (!known) {
      known = db
        .query<{ partition: number; end: string }>(
          `SELECT partition, (max("offset") + 1)::text AS "end" FROM bus_records
           WHERE topic = $1 GROUP BY partition`,
          [topic],
        )
        .then(({ rows }) => {
          const offsets = Array.from({ length: partitions }, () => 0n);
          for (const row of rows) offsets[row.partition] = BigInt(row.end);
          return offsets;
        });
      known.catch(() => ends.delete(topic));
      ends.set(topic, known);
    }
    return known;
  }

  async function appendLocked(messages: readonly BusMessage[]): Promise<void> {
    const assigned: ConsumedMessage[] = [];
    for (const message of messages) {
      const partition = partitionFor(message.key, partitions);
      const offsets = await endsOf(message.topic);
      const offset = offsets[partition] ?? 0n;
      offsets[partition] = offset + 1n;
      assigned.push({ ...message, headers: message.headers ?? {}, partition, offset: `${offset}` });
    }
    try {
      const values = assigned.map(
        (_, i) =>
          `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`,
      );
      await db.query(
        `INSERT INTO bus_records (topic, partition, "offset", key, value, headers)
         VALUES ${values.join(', ')}`,
        assigned.flatMap((m) => [
          m.topic,
          m.partition,
          m.offset,
          m.key,
          m.value,
          JSON.stringify(m.headers),
        ]),
      );
    } catch (error) {
      // The counters ran ahead of what was stored: forget them and reload on the next use.
      for (const topic of new Set(messages.map((m) => m.topic))) ends.delete(topic);
      throw error;
    }
    if (recent.size + assigned.length > recentLimit) recent.clear();
    for (const m of assigned) recent.set(recentKey(m.topic, m.partition, BigInt(m.offset)), m);
  }

  return {
    endsOf,

    /** Appends atomically; resolves once the records are committed. */
    append(messages: readonly BusMessage[]): Promise<void> {
      const run = lock.then(() => appendLocked(messages));
      lock = run.catch(() => undefined);
      return run;
    },

    /** Up to `limit` records of one partition from `from` on, in offset order. */
    async read(
      topic: string,
      partition: number,
      from: bigint,
      limit: number,
    ): Promise<ConsumedMessage[]> {
      const cached: ConsumedMessage[] = [];
      for (let offset = from; cached.length < limit; offset++) {
        const record = recent.get(recentKey(topic, partition, offset));
        if (record === undefined) break;
        cached.push(record);
      }
      if (cached.length > 0) return cached;
      const { rows } = await db.query<RecordRow>(
        `SELECT partition, "offset"::text AS "offset", key, value, headers FROM bus_records
         WHERE topic = $1 AND partition = $2 AND bus_records."offset" >= $3
         ORDER BY bus_records."offset" LIMIT $4`,
        [topic, partition, from.toString(), limit],
      );
      return rows.map((row) => ({ topic, ...row }));
    },
  };
}

export type PartitionLog = ReturnType<typeof createPartitionLog>;
