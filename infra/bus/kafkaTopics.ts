/** Cluster-side names of our topics and groups: every one carries the environment's prefix. */
export function kafkaNames(topicPrefix: string) {
  return {
    topic: (topic: string): string => `${topicPrefix}${topic}`,
    unprefixed: (topic: string): string => topic.slice(topicPrefix.length),
    group: (groupId: string): string => `${topicPrefix}${groupId}`,
  };
}

/**
 * Calls `create` for topics not seen yet; a topic is remembered only once `create` resolved, so
 * a failed creation is tried again on the next use.
 */
export function createTopicsOnce(
  create: (topics: readonly string[]) => Promise<void>,
): (topics: readonly string[]) => Promise<void> {
  const known = new Set<string>();
  return async (topics) => {
    const missing = [...new Set(topics)].filter((topic) => !known.has(topic));
    if (missing.length === 0) return;
    await create(missing);
    for (const topic of missing) known.add(topic);
  };
}

export interface PartitionOffsets {
  /** First offset still in the log. */
  low: bigint;
  /** Offset the next record will get. */
  high: bigint;
  /** The group's committed offset: the next record it will read; -1 when it committed none. */
  committed: bigint;
}

/** Records a consumer group has not committed yet, summed over partitions. */
export function uncommittedRecords(partitions: readonly PartitionOffsets[]): number {
  let total = 0n;
  for (const { low, high, committed } of partitions) {
    // -1: the group has committed nothing here yet, so it has everything from the start.
    const from = committed < 0n ? low : committed;
    if (high > from) total += high - from;
  }
  return Number(total);
}
