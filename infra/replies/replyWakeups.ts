import type { Redis } from 'ioredis';

/** One follower's view of a conversation's wake-ups. */
export interface ReplyWatch {
  /** How many wake-ups arrived so far: compare before and after a read. */
  wakes(): number;
  /**
   * Resolves at the next wake-up after `seen` (at once if one came already), after `pollMs`
   * at the latest, or when the signal aborts.
   */
  next(seen: number, pollMs: number, signal: AbortSignal): Promise<void>;
  /** The follower is done; the channel is unsubscribed when nobody else watches it. */
  release(): void;
}

interface Watched {
  followers: number;
  wakes: number;
  waiters: Set<() => void>;
  subscribed: Promise<unknown>;
}

/**
 * The pub/sub side of the Redis reply channels: one subscriber connection per process, a
 * channel subscribed while at least one follower of its conversation is here. A wake-up only
 * says "read the stream again"; what happened is always read from the stream itself, so a
 * wake-up lost in a reconnect costs one poll interval, never an event.
 */
export class ReplyWakeups {
  private subscriber: Redis | undefined;
  private readonly watched = new Map<string, Watched>();

  constructor(private readonly redis: Redis) {}

  async watch(channel: string): Promise<ReplyWatch> {
    let entry = this.watched.get(channel);
    if (!entry) {
      const created: Watched = {
        followers: 0,
        wakes: 0,
        waiters: new Set(),
        subscribed: this.connection().subscribe(channel),
      };
      // A failed subscription is not kept: the next follower subscribes again (meanwhile
      // this one's followers are woken by their poll).
      created.subscribed.catch(() => {
        if (this.watched.get(channel) === created) this.watched.delete(channel);
      });
      this.watched.set(channel, created);
      entry = created;
    }
    const watched = entry;
    watched.followers += 1;
    let released = false;
    // Subscribed before the follower's first read, so no event can slip between the two.
    await watched.subscribed.catch(() => undefined);
    return {
      wakes: () => watched.wakes,
      next: (seen, pollMs, signal) =>
        new Promise<void>((resolve) => {
          if (watched.wakes !== seen || signal.aborted) return resolve();
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            watched.waiters.delete(done);
            resolve();
          };
          const timer = setTimeout(done, pollMs);
          watched.waiters.add(done);
          signal.addEventListener('abort', done, { once: true });
        }),
      release: () => {
        if (released) return;
        released = true;
        watched.followers -= 1;
        if (watched.followers > 0 || this.watched.get(channel) !== watched) return;
        this.watched.delete(channel);
        this.subscriber?.unsubscribe(channel).catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    for (const watched of this.watched.values()) {
      for (const wake of watched.waiters) wake();
    }
    this.watched.clear();
    this.subscriber?.disconnect();
  }

  /** Subscribers cannot send other commands: a connection of their own, made on first use. */
  private connection(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.redis.duplicate();
    subscriber.on('error', () => undefined);
    subscriber.on('message', (channel: string) => {
      const watched = this.watched.get(channel);
      if (!watched) return;
      watched.wakes += 1;
      for (const wake of watched.waiters) wake();
    });
    this.subscriber = subscriber;
    return subscriber;
  }
}
