import { readFileSync } from 'node:fs';
import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { murmur2, partitionFor } from './partitioner.js';

interface GoldenRow {
  key: string;
  murmur2: number;
  partitions: Record<string, number>;
}

/** Computed by the Java client itself (see `source` in the file): the placement to match. */
const golden = JSON.parse(
  readFileSync(new URL('./golden/partitions.json', import.meta.url), 'utf8'),
) as { keys: GoldenRow[] };

describe('partition placement parity with the Java client', () => {
  it.each(golden.keys)('places $key where Kafka 4.1.1 does', (row) => {
    expect(murmur2(row.key)).toBe(row.murmur2);
    for (const [count, partition] of Object.entries(row.partitions)) {
      expect(partitionFor(row.key, Number(count))).toBe(partition);
    }
  });

  it.each(golden.keys)('and so does the kafkajs producer for $key', (row) => {
    const partitioner = Partitioners.DefaultPartitioner();
    for (const [count, partition] of Object.entries(row.partitions)) {
      const partitionMetadata = Array.from({ length: Number(count) }, (_, id) => ({
        partitionId: id,
        leader: 0,
        partitionErrorCode: 0,
        replicas: [0],
        isr: [0],
      }));
      expect(
        partitioner({ topic: 't', partitionMetadata, message: { key: row.key, value: null } }),
      ).toBe(partition);
    }
  });
});
