/** A record on the bus: Kafka's shape, so both adapters keep the same semantics. */
export interface BusMessage {
  topic: string;
  /** Partition key; always the accountId, so one tenant's events stay in order. */
  key: string;
  value: Buffer;
  headers?: Record<string, string>;
}

export interface ConsumedMessage extends BusMessage {
  partition: number;
  offset: string;
}

export interface SubscriptionOptions {
  /** Consumer group: each group sees every message once (at least once) and commits offsets. */
  groupId: string;
  topics: readonly string[];
  /** Resolving commits the offset; throwing leaves it uncommitted and the message is redelivered. */
  handle(message: ConsumedMessage): Promise<void>;
  /**
   * Optional: the messages that arrived together, in partition order, handled all or none (one
   * database transaction instead of one per message). Resolving commits them all; if it throws,
   * the bus hands the same messages to `handle` one at a time, so retries and dead letters still
   * concern the one message at fault.
   */
  handleBatch?(messages: readonly ConsumedMessage[]): Promise<void>;
}

export interface Subscription {
  stop(): Promise<void>;
}

export interface Bus {
  /** Resolves once the bus has durably accepted every message, in order per key. */
  publish(messages: readonly BusMessage[]): Promise<void>;
  subscribe(options: SubscriptionOptions): Promise<Subscription>;
  /** Messages on `topics` that consumer group `groupId` has not committed yet. */
  lag(groupId: string, topics: readonly string[]): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
