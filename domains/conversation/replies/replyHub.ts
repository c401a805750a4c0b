import { AwpError } from '../../../contracts/index.js';
import type { ReplyChannels, ReplyWriter } from './replyChannels.js';
import type { ReplyEvent, UnnumberedReplyEvent } from './replyEvents.js';

export interface ReplyHubOptions {
  /** How long a finished reply's events stay for clients that reconnect. Default 5 minutes. */
  retainMs?: number;
  /** Events kept per conversation; the oldest are dropped first. Default 10,000. */
  maxEventsPerConversation?: number;
  /** Conversations with kept events; the one finished longest ago goes first. Default 10,000. */
  maxConversations?: number;
}

interface Entry {
  seq: number;
  event: ReplyEvent;
}

/** The events of one conversation's recent replies, and who waits for the next one. */
interface Channel {
  entries: Entry[];
  inFlight: boolean;
  /** The first id of the latest reply: where a client without a `Last-Event-ID` starts. */
  latestStart: number;
  /** The last id dropped to stay within bounds: a resume from before it cannot be served. */
  droppedThrough: number;
  waiters: Set<() => void>;
  expiry?: NodeJS.Timeout;
}

/**
 * The reply channels of one process, in memory: each in-flight reply's events are kept so a
 * client that lost its connection can resume where it stopped; the reply runs on without any
 * client and its events stay here a few minutes after it finished. Ids increase across all
 * conversations of the process, so an id is never reused for a conversation while its channel
 * is kept. Transport-agnostic: the SSE and WebSocket endpoints both read from `subscribe`.
 *
 * Per process: replicas share their replies through Redis instead (`AWP_REDIS_URL`).
 */
export class ReplyHub implements ReplyChannels {
  private seq = 0;
  private readonly channels = new Map<string, Channel>();
  private readonly retainMs: number;
  private readonly maxEvents: number;
  private readonly maxConversations: number;

  constructor(options: ReplyHubOptions = {}) {
    this.retainMs = options.retainMs ?? 5 * 60_000;
    this.maxEvents = options.maxEventsPerConversation ?? 10_000;
    this.maxConversations = options.maxConversations ?? 10_000;
  }

  /** Whether a reply to the conversation is being written now. */
  busy(conversationId: string): boolean {
    return this.channels.get(conversationId)?.inFlight ?? false;
  }

  async begin(conversationId: string): Promise<ReplyWriter> {
    const channel = this.channels.get(conversationId) ?? this.open(conversationId);
    if (channel.inFlight) {
      throw new AwpError(
        'conflict',
        `a reply in conversation '${conversationId}' is still being written; wait for it (GET …/stream)`,
        { retryable: true },
      );
    }
    clearTimeout(channel.expiry);
    channel.inFlight = true;
    let started = false;
    const publish = (event: UnnumberedReplyEvent): number => {
      const seq = ++this.seq;
      if (!started) channel.latestStart = seq;
      started = true;
      channel.entries.push({ seq, event: { ...event, id: String(seq) } as ReplyEvent });
      this.trim(channel);
      wake(channel);
      return seq;
    };
    const end = () => {
      channel.inFlight = false;
      wake(channel);
      if (channel.entries.length === 0) this.channels.delete(conversationId);
      else this.expireLater(conversationId, channel);
    };
    return {
      publish: async (event) => publish(event),
      async finish(event) {
        publish(event);
        end();
      },
      abandon: async () => end(),
    };
  }

  subscribe(
    conversationId: string,
    after: number | undefined,
    signal: AbortSignal,
  ): AsyncIterable<ReplyEvent> {
    const channel = this.channels.get(conversationId);
    if (!channel || !this.hasEventsFor(conversationId, after)) return noEvents();
    return follow(channel, after ?? channel.latestStart - 1, signal);
  }

  async followable(conversationId: string, after: number | undefined): Promise<boolean> {
    return this.hasEventsFor(conversationId, after);
  }

  async close(): Promise<void> {
    for (const channel of this.channels.values()) clearTimeout(channel.expiry);
  }

  private hasEventsFor(conversationId: string, after: number | undefined): boolean {
    const channel = this.channels.get(conversationId);
    if (!channel) return false;
    const last = channel.entries.at(-1)?.seq ?? 0;
    return after === undefined || channel.inFlight || after < last;
  }

  private open(conversationId: string): Channel {
    if (this.channels.size >= this.maxConversations) this.evictOldestFinished();
    const channel: Channel = {
      entries: [],
      inFlight: false,
      latestStart: 0,
      droppedThrough: 0,
      waiters: new Set(),
    };
    this.channels.set(conversationId, channel);
    return channel;
  }

  private trim(channel: Channel): void {
    // Dropped a tenth at a time: one splice instead of a shift per event.
    if (channel.entries.length <= this.maxEvents) return;
    const dropped = channel.entries.splice(0, Math.max(1, Math.ceil(this.maxEvents / 10)));
    channel.droppedThrough = dropped.at(-1)?.seq ?? channel.droppedThrough;
  }

  private expireLater(conversationId: string, channel: Channel): void {
    channel.expiry = setTimeout(() => {
      if (!channel.inFlight && this.channels.get(conversationId) === channel) {
        this.channels.delete(conversationId);
      }
    }, this.retainMs);
    channel.expiry.unref();
  }

  /** Map order is insertion order, so the first finished channel is the oldest one. */
  private evictOldestFinished(): void {
    for (const [conversationId, channel] of this.channels) {
      if (channel.inFlight) continue;
      clearTimeout(channel.expiry);
      this.channels.delete(conversationId);
      return;
    }
    throw new AwpError('unavailable', 'too many replies are being written at once; try again', {
      retryable: true,
    });
  }
}

async function* noEvents(): AsyncGenerator<ReplyEvent> {}

function wake(channel: Channel): void {
  for (const resolve of channel.waiters) resolve();
  channel.waiters.clear();
}

/** Resolves at the channel's next change, or at once when the subscriber goes away. */
function changed(channel: Channel, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      signal.removeEventListener('abort', done);
      channel.waiters.delete(done);
      resolve();
    };
    channel.waiters.add(done);
    signal.addEventListener('abort', done, { once: true });
  });
}

async function* follow(
  channel: Channel,
  from: number,
  signal: AbortSignal,
): AsyncGenerator<ReplyEvent> {
  let cursor = from;
  while (!signal.aborted) {
    if (cursor < channel.droppedThrough) {
      yield {
        event: 'error',
        data: new AwpError(
          'not_found',
          `the events after ${cursor} are no longer kept; read the conversation for what was recorded`,
        ),
      };
      return;
    }
    for (const { seq, event } of entriesAfter(channel.entries, cursor)) {
      if (signal.aborted) return;
      yield event;
      cursor = seq;
    }
    if (!channel.inFlight && (channel.entries.at(-1)?.seq ?? 0) <= cursor) return;
    if (entriesAfter(channel.entries, cursor).length === 0) await changed(channel, signal);
  }
}

/** Entries are in id order: a binary search finds the first after `cursor`. */
function entriesAfter(entries: readonly Entry[], cursor: number): Entry[] {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((entries[middle] as Entry).seq <= cursor) low = middle + 1;
    else high = middle;
  }
  return entries.slice(low);
}
