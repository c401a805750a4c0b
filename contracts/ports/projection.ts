import type { EventEnvelope } from '../envelope.js';
import type { Queryable } from './database.js';

/**
 * A read-model builder. `apply` runs inside the transaction that also records the event as
 * processed, so a redelivered event never applies twice.
 */
export interface Projection {
  /** Stable name: the consumer group and the checkpoint key. */
  name: string;
  topics: readonly string[];
  apply(tx: Queryable, event: EventEnvelope): Promise<void>;
  /** Deletes the read model's rows, for a rebuild from position zero. */
  reset(tx: Queryable): Promise<void>;
}
