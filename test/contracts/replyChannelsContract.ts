import { afterEach, describe, expect, it } from 'vitest';
import { AwpError } from '../../contracts/index.js';
import type { ReplyChannels } from '../../domains/conversation/replies/replyChannels.js';
import type { ReplyEvent } from '../../domains/conversation/replies/replyEvents.js';

export interface ReplyChannelsSubject {
  /** Channels keeping at most `maxEventsPerConversation` events of a conversation. */
  create(options: { maxEventsPerConversation?: number }): Promise<ReplyChannels>;
}

export const token = (text: string) => ({ event: 'token' as const, data: { text } });
export const userMessage = { event: 'message' as const, data: {} as never };
export const finished = { event: 'done' as const, data: {} as never };
export const never = new AbortController().signal;

export async function collect(events: AsyncIterable<ReplyEvent>): Promise<ReplyEvent[]> {
  const all: ReplyEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

let counter = 0;
/** A conversation id no earlier test (or run, on a shared Redis) used. */
export const freshConversation = () => `c-${process.pid}-${Date.now()}-${++counter}`;

/**
 * What every `ReplyChannels` must do, whatever keeps the events: the in-memory hub of one
 * process and the Redis one replicas share run the same cases.
 */
export function replyChannelsContract(name: string, subject: ReplyChannelsSubject): void {
  describe(`reply channels: ${name}`, () => {
    const opened: ReplyChannels[] = [];
    const open = async (options: { maxEventsPerConversation?: number } = {}) => {
      const channels = await subject.create(options);
      opened.push(channels);
      return channels;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((channels) => channels.close()));
    });

    it('replays what a subscriber missed, then follows live until the reply ends', async () => {
      const channels = await open();
      const c = freshConversation();
      const writer = await channels.begin(c);
      await writer.publish(userMessage);
      const second = await writer.publish(token('Hel'));
      const following = collect(channels.subscribe(c, second - 1, never));
      await writer.publish(token('lo'));
      await writer.finish(finished);
      expect((await following).map((e) => [e.event, e.data])).toEqual([
        ['token', { text: 'Hel' }],
        ['token', { text: 'lo' }],
        ['done', {}],
      ]);
    });

    it('numbers a conversation’s events with increasing ids, across its replies', async () => {
      const channels = await open();
      const c = freshConversation();
      const ids: number[] = [];
      for (let reply = 0; reply < 2; reply++) {
        const writer = await channels.begin(c);
        ids.push(await writer.publish(userMessage), await writer.publish(token('x')));
        await writer.finish(finished);
      }
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(4);
    });

    it('starts a subscriber without an id at the latest reply, and ends at once after it', async () => {
      const channels = await open();
      const c = freshConversation();
      const first = await channels.begin(c);
      await first.publish(userMessage);
      await first.finish(finished);
      const second = await channels.begin(c);
      const start = await second.publish(userMessage);
      await second.finish(finished);
      const replay = await collect(channels.subscribe(c, undefined, never));
      expect(replay.map((e) => e.event)).toEqual(['message', 'done']);
      expect(Number(replay[0]?.id)).toBe(start);
      const last = Number(replay[1]?.id);
      expect(await channels.followable(c, undefined)).toBe(true);
      expect(await channels.followable(c, start)).toBe(true);
      expect(await channels.followable(c, last)).toBe(false);
      expect(await collect(channels.subscribe(c, last, never))).toEqual([]);
      expect(await channels.followable('c-unknown', undefined)).toBe(false);
      expect(await collect(channels.subscribe('c-unknown', undefined, never))).toEqual([]);
    });

    it('refuses a second reply in a conversation while one is being written', async () => {
      const channels = await open();
      const c = freshConversation();
      const writer = await channels.begin(c);
      const refused = await channels.begin(c).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(AwpError);
      expect(refused).toMatchObject({ code: 'conflict' });
      expect(await channels.followable(c, 0)).toBe(true);
      await writer.finish(finished);
      const next = await channels.begin(c);
      await next.abandon();
    });

    it('forgets an abandoned reply that published nothing', async () => {
      const channels = await open();
      const c = freshConversation();
      await (await channels.begin(c)).abandon();
      expect(await channels.followable(c, undefined)).toBe(false);
      expect(await collect(channels.subscribe(c, undefined, never))).toEqual([]);
    });

    it('says so when a resume point was dropped to stay within bounds', async () => {
      const channels = await open({ maxEventsPerConversation: 10 });
      const c = freshConversation();
      const writer = await channels.begin(c);
      const first = await writer.publish(token('0'));
      for (let i = 1; i < 12; i++) await writer.publish(token(String(i)));
      await writer.finish(finished);
      const events = await collect(channels.subscribe(c, first, never));
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ event: 'error', data: { code: 'not_found' } });
      expect(events[0]?.id).toBeUndefined();
    });

    it('stops a waiting subscriber as soon as its signal aborts', async () => {
      const channels = await open();
      const c = freshConversation();
      const writer = await channels.begin(c);
      await writer.publish(userMessage);
      const gone = new AbortController();
      const seen: ReplyEvent[] = [];
      const following = (async () => {
        for await (const event of channels.subscribe(c, undefined, gone.signal)) seen.push(event);
      })();
      while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      gone.abort();
      await following;
      expect(seen.map((e) => e.event)).toEqual(['message']);
      await writer.finish(finished);
    });
  });
}
