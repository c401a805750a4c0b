import type { Logger } from '../logging/logger.js';
import type { RetryPolicy } from './deadLetters.js';

/** How either Kafka adapter (kafkajs or @platformatic/kafka) is opened: the same for both. */
export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  /** Partitions of topics the bus creates; topics that already exist keep their own. */
  partitions: number;
  replicationFactor: number;
  /** Prepended to topics and consumer groups, so several environments can share a cluster. */
  topicPrefix: string;
  logger: Logger;
  /** Handler attempts before dead-lettering; `defaultRetryPolicy` when omitted. */
  retryPolicy?: RetryPolicy;
}
