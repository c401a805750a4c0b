import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { AwpError, isAwpError } from '../../contracts/index.js';
import type { ErrorCode, FieldViolation } from '../../contracts/index.js';
import type {
  ReplyChannels,
  ReplyEvent,
  ReplyWriter,
  UnnumberedReplyEvent,
} from '../../domains/conversation/index.js';
import { ReplyWakeups } from './replyWakeups.js';

export interface RedisReplyChannelsOptions {
  url: string;
  /** Namespaces keys and channels, so environments (and test files) can share one Redis. */
  keyPrefix: string;
  /** How long a finished reply's events stay for clients that reconnect. Default 5 minutes. */
  retainMs?: number;
  /** Events kept per conversation; the oldest are dropped first. Default 10,000. */
  maxEventsPerConversation?: number;
  /**
   * How long a writer's claim on a conversation lasts unless renewed (it is renewed every
   * third of it): a replica that died frees its conversations after this. Default 15 s.
   */
  claimMs?: number;
  /** How often a follower of a silent reply checks that its writer is still there. Default 1 s. */
  pollMs?: number;
}

/*
 * One conversation's keys share a hash tag, so the scripts stay valid on Redis Cluster:
 *   events  a stream of the reply events, entry id `<n>-0` for event id n
 *   seq     the last event id given out (ids never repeat while it lives: a week)
 *   start   the latest reply's first event id, where a client without an id starts
 *   writer  the claim of the replica writing a reply, renewed while it writes
 */

/** Adds an event if the caller still holds the claim; the last one also gives the claim up. */
const publishScript = `
if redis.call('GET', KEYS[4]) ~= ARGV[1] then
  return redis.error_reply('AWP_NOT_WRITER the claim on this conversation was lost')
end
local id = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[8])
redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[4], id .. '-0', 'e', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
if ARGV[3] == '1' then
  redis.call('SET', KEYS[3], id, 'PX', ARGV[5])
else
  redis.call('PEXPIRE', KEYS[3], ARGV[5])
end
if ARGV[7] == '1' then
  redis.call('DEL', KEYS[4])
end
redis.call('PUBLISH', ARGV[6], id)
return id
`;

/** Renews the claim, and the events' retention with it, while the reply is written. */
const renewScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
return 1
`;

/** Gives the claim up (if still held) and wakes the followers, who then see the end. */
const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
end
redis.call('PUBLISH', ARGV[2], 'end')
return 1
`;

interface ReplyScripts {
  awpReplyPublish(...args: Array<string | number>): Promise<number>;
  awpReplyRenew(...args: Array<string | number>): Promise<number>;
  awpReplyRelease(...args: Array<string | number>): Promise<number>;
}

type StreamEntry = [id: string, fields: string[]];

const week = 7 * 24 * 3_600_000;

/**
 * Reply channels that replicas share through Redis: any replica can follow, or resume, a
 * reply another one is writing. Events go to a Redis stream per conversation, numbered by a
 * counter of its own; followers read the stream and are woken by pub/sub as events arrive,
 * with a slow poll to notice a writer that died (its claim expires, and they are told the
 * reply was interrupted).
 */
export class RedisReplyChannels implements ReplyChannels {
  private readonly redis: Redis;
  private readonly scripts: ReplyScripts;
  private readonly wakeups: ReplyWakeups;
  private readonly retainMs: number;
  private readonly maxEvents: number;
  private readonly claimMs: number;
  private readonly pollMs: number;
  /** The claims this process renews: stopped on close, as a dying process's would. */
  private readonly renewals = new Set<NodeJS.Timeout>();

  constructor(private readonly options: RedisReplyChannelsOptions) {
    this.retainMs = options.retainMs ?? 5 * 60_000;
    this.maxEvents = options.maxEventsPerConversation ?? 10_000;
    this.claimMs = options.claimMs ?? 15_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.redis = new Redis(options.url, {
      lazyConnect: true,
      // Fail fast instead of queueing forever: a post must see an outage, not hang.
      maxRetriesPerRequest: 2,
      connectTimeout: 3_000,
    });
    // ioredis reconnects by itself; an 'error' event without a listener would crash the process.
    this.redis.on('error', () => undefined);
    this.redis.defineCommand('awpReplyPublish', { numberOfKeys: 4, lua: publishScript });
    this.redis.defineCommand('awpReplyRenew', { numberOfKeys: 3, lua: renewScript });
    this.redis.defineCommand('awpReplyRelease', { numberOfKeys: 1, lua: releaseScript });
    this.scripts = this.redis as unknown as ReplyScripts;
    this.wakeups = new ReplyWakeups(this.redis);
  }

  async begin(conversationId: string): Promise<ReplyWriter> {
    const keys = this.keysOf(conversationId);
    const claim = randomUUID();
    const claimed = await this.call(() =>
      this.redis.set(keys.writer, claim, 'PX', this.claimMs, 'NX'),
    );
    if (claimed === null) {
      throw new AwpError(
        'conflict',
        `a reply in conversation '${conversationId}' is still being written; wait for it (GET …/stream)`,
        { retryable: true },
      );
    }
    const lost = new AbortController();
    const loseClaim = () =>
      lost.abort(
        new AwpError(
          'unavailable',
          'the reply was stopped: Redis was unreachable long enough for its hold on the ' +
            'conversation to lapse, and it must not be answered twice; post the message again',
          { retryable: true },
        ),
      );
    const renewal = setInterval(() => {
      this.scripts
        .awpReplyRenew(keys.writer, keys.events, keys.start, claim, this.claimMs, this.retainMs)
        .then((held) => {
          if (Number(held) === 0) loseClaim();
        })
        // Unreachable now is not lost yet: the claim may outlive a short outage.
        .catch(() => undefined);
    }, this.claimMs / 3);
    renewal.unref();
    this.renewals.add(renewal);
    const stopRenewing = () => {
      clearInterval(renewal);
      this.renewals.delete(renewal);
    };
    let first = true;
    const publish = async (event: UnnumberedReplyEvent, last: boolean): Promise<number> => {
      const id = await this.call(() =>
        this.scripts.awpReplyPublish(
          keys.events,
          keys.seq,
          keys.start,
          keys.writer,
          claim,
          storedEvent(event),
          first ? '1' : '0',
          this.maxEvents,
          this.retainMs,
          keys.wake,
          last ? '1' : '0',
          week,
        ),
      );
      first = false;
      return Number(id);
    };
    const publishing = async (event: UnnumberedReplyEvent, last: boolean): Promise<number> => {
      try {
        return await publish(event, last);
      } catch (error) {
        if (String((error as { cause?: unknown }).cause).includes('AWP_NOT_WRITER')) loseClaim();
        throw error;
      }
    };
    const release = async () => {
      stopRenewing();
      await this.call(() => this.scripts.awpReplyRelease(keys.writer, claim, keys.wake));
    };
    return {
      publish: (event) => publishing(event, false),
      async finish(event) {
        stopRenewing();
        await publishing(event, true);
      },
      abandon: release,
      lost: lost.signal,
    };
  }

  async followable(conversationId: string, after: number | undefined): Promise<boolean> {
    const { writing, lastId } = await this.state(this.keysOf(conversationId));
    if (!writing && lastId === 0) return false;
    return after === undefined || writing || after < lastId;
  }

  async *subscribe(
    conversationId: string,
    after: number | undefined,
    signal: AbortSignal,
  ): AsyncGenerator<ReplyEvent> {
    const keys = this.keysOf(conversationId);
    try {
      const cursor = await this.startingPoint(keys, after);
      if (cursor === undefined) return;
      const watch = await this.wakeups.watch(keys.wake);
      try {
        yield* this.follow(keys, cursor, watch, signal);
      } finally {
        watch.release();
      }
    } catch (error) {
      if (signal.aborted) return;
      yield { event: 'error', data: isAwpError(error) ? error : unavailable(error) };
    }
  }

  async close(): Promise<void> {
    for (const renewal of this.renewals) clearInterval(renewal);
    this.renewals.clear();
    await this.wakeups.close();
    this.redis.disconnect();
  }

  /** Where a subscriber starts: the id before the first event it is sent. */
  private async startingPoint(
    keys: ConversationKeys,
    after: number | undefined,
  ): Promise<number | undefined> {
    if (after !== undefined) {
      const from = Math.max(0, after);
      return (await this.followable(keys.conversationId, from)) ? from : undefined;
    }
    const [start, writer, seq] = await this.call(() =>
      this.redis.mget(keys.start, keys.writer, keys.seq),
    );
    if (start !== null && start !== undefined) return Number(start) - 1;
    // A reply just claimed, with nothing published yet: its events come after the counter.
    if (writer !== null && writer !== undefined) return Number(seq ?? 0);
    return undefined;
  }

  private async *follow(
    keys: ConversationKeys,
    from: number,
    watch: Awaited<ReturnType<ReplyWakeups['watch']>>,
    signal: AbortSignal,
  ): AsyncGenerator<ReplyEvent> {
    let cursor = from;
    while (!signal.aborted) {
      const seen = watch.wakes();
      const entries = (await this.call(() =>
        this.redis.xrange(keys.events, `(${cursor}-0`, '+', 'COUNT', 500),
      )) as StreamEntry[];
      if (entries.length > 0) {
        // Ids are consecutive within a conversation: a hole means its events were dropped.
        if (idOf(entries[0] as StreamEntry) > cursor + 1) {
          yield { event: 'error', data: droppedError(cursor) };
          return;
        }
        for (const entry of entries) {
          if (signal.aborted) return;
          cursor = idOf(entry);
          yield eventOf(entry, cursor);
        }
        continue;
      }
      if (watch.wakes() !== seen) continue;
      const { writing, lastId, lastEvent } = await this.state(keys);
      if (!writing) {
        if (lastId > cursor) continue;
        if (lastEvent !== undefined && lastEvent !== 'done' && lastEvent !== 'error') {
          yield { event: 'error', data: interruptedError() };
        }
        return;
      }
      await watch.next(seen, this.pollMs, signal);
    }
  }

  /** Whether a reply is being written, and the conversation's last event kept. */
  private async state(
    keys: ConversationKeys,
  ): Promise<{ writing: boolean; lastId: number; lastEvent: string | undefined }> {
    const results = await this.call(() =>
      this.redis.multi().exists(keys.writer).xrevrange(keys.events, '+', '-', 'COUNT', 1).exec(),
    );
    const [[, exists] = [], [, last] = []] = results ?? [];
    const entry = (last as StreamEntry[] | undefined)?.[0];
    return {
      writing: exists === 1,
      lastId: entry ? idOf(entry) : 0,
      lastEvent: entry ? (JSON.parse(entry[1][1] ?? '{}') as { event?: string }).event : undefined,
    };
  }

  private keysOf(conversationId: string): ConversationKeys {
    const base = `${this.options.keyPrefix}reply:{${conversationId}}`;
    return {
      conversationId,
      events: `${base}:events`,
      seq: `${base}:seq`,
      start: `${base}:start`,
      writer: `${base}:writer`,
      wake: `${this.options.keyPrefix}reply-wake:${conversationId}`,
    };
  }

  /** A Redis failure becomes a retryable `unavailable` (the client connects on first use). */
  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw unavailable(error);
    }
  }
}

interface ConversationKeys {
  conversationId: string;
  events: string;
  seq: string;
  start: string;
  writer: string;
  wake: string;
}

const idOf = (entry: StreamEntry): number => Number(entry[0].split('-')[0]);

/** An error's message and details are not enumerable JSON: it is stored field by field. */
interface StoredError {
  code: ErrorCode;
  message: string;
  retryable?: boolean;
  field?: string;
  violations?: readonly FieldViolation[];
}

function storedEvent(event: UnnumberedReplyEvent): string {
  if (event.event !== 'error') return JSON.stringify(event);
  const { code, message, details } = event.data;
  const error: StoredError = {
    code,
    message,
    ...(details.retryable === undefined ? {} : { retryable: details.retryable }),
    ...(details.field === undefined ? {} : { field: details.field }),
    ...(details.violations === undefined ? {} : { violations: details.violations }),
  };
  return JSON.stringify({ event: 'error', data: error });
}

function eventOf(entry: StreamEntry, id: number): ReplyEvent {
  const stored = JSON.parse(entry[1][1] ?? '{}') as
    Exclude<UnnumberedReplyEvent, { event: 'error' }> | { event: 'error'; data: StoredError };
  if (stored.event !== 'error') return { ...stored, id: String(id) } as ReplyEvent;
  const { code, message, ...details } = stored.data;
  return { id: String(id), event: 'error', data: new AwpError(code, message, details) };
}

function droppedError(cursor: number): AwpError {
  return new AwpError(
    'not_found',
    `the events after ${cursor} are no longer kept; read the conversation for what was recorded`,
  );
}

function interruptedError(): AwpError {
  return new AwpError(
    'unavailable',
    'the reply was interrupted: the replica writing it stopped; read the conversation, and post again if it has no reply',
    { retryable: true },
  );
}

function unavailable(error: unknown): AwpError {
  if (isAwpError(error)) return error;
  // Redis's own message names hosts and ports: it stays in the cause, for the logs.
  return new AwpError(
    'unavailable',
    'replies cannot be followed now: the reply channels (Redis) are unavailable; try again',
    { retryable: true, cause: error },
  );
}
