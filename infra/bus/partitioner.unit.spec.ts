import { describe, expect, it } from 'vitest';
import { murmur2, partitionFor } from './partitioner.js';

describe('murmur2 partitioner', () => {
  // Vectors from Apache Kafka's own UtilsTest, so placement matches the Java client.
  it.each([
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ])('hashes %s exactly like the Java client', (key, expected) => {
    expect(murmur2(key)).toBe(expected);
  });

  it('keeps every key on one partition within range', () => {
    for (const key of ['acc-1', 'acc-2', '018f3c9e-0000-7000-8000-000000000000']) {
      const partition = partitionFor(key, 6);
      expect(partition).toBeGreaterThanOrEqual(0);
      expect(partition).toBeLessThan(6);
      expect(partitionFor(key, 6)).toBe(partition);
    }
  });
});
