import type { BusMessage, ConsumedMessage, SubscriptionOptions } from '../../contracts/index.js';
import { isAwpError } from '../../contracts/index.js';
import type { Logger } from '../logging/logger.js';

export interface RetryPolicy {
  /** Handler attempts before a message is dead-lettered. */
  attempts: number;
  /** Pause before the second attempt; doubles after each failure. */
  firstBackoffMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, firstBackoffMs: 100 };

/** Dead letters of `awp.platform.events` go to `awp.platform.events.dlq`. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

/**
 * A retryable failure (a database blip) is tried again; a message that can never succeed (it
 * does not decode, or the handler refused it as invalid) goes to the dead-letter topic at once.
 */
function isRetryable(error: unknown): boolean {
  return isAwpError(error) ? error.retryable || error.code === 'internal' : true;
}

function isOutage(error: unknown): boolean {
  return isAwpError(error) && error.code === 'unavailable';
}

export interface DeadLetterOptions {
  policy: RetryPolicy;
  groupId: string;
  logger: Logger;
  publish(messages: readonly BusMessage[]): Promise<void>;
  sleep?(ms: number): Promise<void>;
}

/**
 * Runs `handle` with bounded retries; when they run out, the message goes to the dead-letter
 * topic with the reason in its headers, and resolves so the consumer commits and moves on.
 * Nothing is dropped silently: the original bytes, key and headers travel with it. If the
 * dead-letter publish itself fails, that error is thrown and the message is delivered again.
 */
export async function handleOrDeadLetter(
  message: ConsumedMessage,
  handle: (message: ConsumedMessage) => Promise<void>,
  options: DeadLetterOptions,
): Promise<void> {
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  let backoff = options.policy.firstBackoffMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await handle(message);
      return;
    } catch (error) {
      const retryable = isRetryable(error);
      if (retryable && attempt < options.policy.attempts) {
        await sleep(backoff);
        backoff *= 2;
        continue;
      }
      if (isOutage(error)) {
        // The registry or the database is down: not the message's fault. It stays
        // uncommitted and is delivered again, instead of being parked in the dead-letter topic.
        options.logger.warn(
          {
            err: error,
            topic: message.topic,
            partition: message.partition,
            group: options.groupId,
          },
          'dependency unavailable; message will be delivered again',
        );
        throw error;
      }
      const reason = error instanceof Error ? error.message : String(error);
      options.logger.error(
        {
          err: error,
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
          group: options.groupId,
        },
        'message dead-lettered',
      );
      await options.publish([
        {
          topic: deadLetterTopic(message.topic),
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            'awp-dlq-reason': reason.slice(0, 1000),
            'awp-dlq-retryable': String(retryable),
            'awp-dlq-attempts': String(attempt),
            'awp-dlq-group': options.groupId,
            'awp-dlq-source': `${message.topic}/${message.partition}/${message.offset}`,
          },
        },
      ]);
      return;
    }
  }
}

/**
 * Hands `messages` (in partition order) to the subscriber, calling `handled` for each one whose
 * offset may now be committed. A subscriber with `handleBatch` gets them in one call; if that
 * throws, they go through `handle` one at a time, so a poison message is retried and
 * dead-lettered alone while the rest are applied. Throws as `handleOrDeadLetter` does, after
 * `handled` was called for every message before the one that failed.
 */
export async function handleBatchOrEach(
  messages: readonly ConsumedMessage[],
  sub: Pick<SubscriptionOptions, 'handle' | 'handleBatch'>,
  options: DeadLetterOptions,
  handled: (message: ConsumedMessage) => void,
): Promise<void> {
  if (messages.length > 1 && sub.handleBatch !== undefined) {
    try {
      await sub.handleBatch(messages);
      for (const message of messages) handled(message);
      return;
    } catch (error) {
      options.logger.debug(
        { err: error, group: options.groupId, messages: messages.length },
        'batch failed; handling its messages one at a time',
      );
    }
  }
  for (const message of messages) {
    await handleOrDeadLetter(message, sub.handle, options);
    handled(message);
  }
}
