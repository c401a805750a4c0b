import type { Bus, Database, EventEnvelope, EventSerializer } from '../../contracts/index.js';
import type { Logger } from '../logging/logger.js';
import type { Lease } from '../postgres/lease.js';
import { createWakeableLoop } from '../scheduling/wakeableLoop.js';

export interface OutboxRelayOptions {
  db: Database;
  bus: Bus;
  /** Avro in the Confluent wire format; registering a schema needs the registry up. */
  serializer: EventSerializer;
  logger: Logger;
  /** How often to look for rows written by other processes; local appends wake it at once. */
  pollMs: number;
  /** One relay publishes at a time across all processes, which keeps per-key order. */
  lease: Lease;
  leaseTtlMs: number;
  batchSize?: number;
}

export interface OutboxRelay {
  /** Asks the relay to publish now (called after a local append commits). */
  wake(): void;
  stop(): Promise<void>;
}

interface OutboxRow {
  position: string;
  topic: string;
  key: string;
  payload: EventEnvelope;
}

/**
 * Publishes outbox rows in position order and marks them sent only after the bus acknowledged
 * them. A crash in between publishes them again: consumers dedupe by eventId.
 *
 * Rows are chosen by `sent_at IS NULL`, not by "position > last", so a row whose transaction
 * committed late (with an earlier position) is still published.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, bus, serializer, logger } = options;
  const batchSize = options.batchSize ?? 200;

  async function publishBatch(): Promise<boolean> {
    const { rows } = await db.query<OutboxRow>(
      `SELECT position::text AS position, topic, key, payload FROM es_outbox
       WHERE sent_at IS NULL ORDER BY es_outbox.position LIMIT $1`,
      [batchSize],
    );
    if (rows.length === 0) return false;
    // If encoding fails (the registry is down), nothing is published or marked: the rows
    // stay in the outbox and the next tick tries again, in the same order.
    const messages = await Promise.all(
      rows.map(async (row) => ({
        topic: row.topic,
        key: row.key,
        value: await serializer.encode(row.payload, row.topic),
        headers: { 'awp-event-type': row.payload.type, 'awp-event-id': row.payload.eventId },
      })),
    );
    await bus.publish(messages);
    await db.query('UPDATE es_outbox SET sent_at = now() WHERE position = ANY($1::bigint[])', [
      rows.map((row) => row.position),
    ]);
    return rows.length === batchSize;
  }

  // A lease taken recently is still ours: renewing it on every wake-up would add a query to
  // every event's path. A third of its time to live leaves ample margin.
  let leaseCheckedAt = Number.NEGATIVE_INFINITY;
  async function holdsLease(): Promise<boolean> {
    if (performance.now() - leaseCheckedAt < options.leaseTtlMs / 3) return true;
    const held = await options.lease.tryAcquire();
    leaseCheckedAt = held ? performance.now() : Number.NEGATIVE_INFINITY;
    return held;
  }

  const loop = createWakeableLoop({
    name: 'outbox-relay',
    intervalMs: options.pollMs,
    logger,
    async tick() {
      // Renewing the lease before every batch keeps a long catch-up inside the lease's time.
      while (await holdsLease()) {
        const fullBatch = await publishBatch();
        if (!fullBatch) return;
      }
    },
  });
  return {
    wake: loop.wake,
    async stop() {
      await loop.stop();
      await options.lease.release().catch(() => undefined);
    },
  };
}
