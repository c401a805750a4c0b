import { afterEach, describe, expect, it, vi } from 'vitest';
import { AwpError } from '../../../contracts/index.js';
import type { ReplyEvent } from './replyEvents.js';
import { ReplyHub } from './replyHub.js';

const token = (text: string) => ({ event: 'token' as const, data: { text } });
const userMessage = { event: 'message' as const, data: {} as never };
const finished = { event: 'done' as const, data: {} as never };

async function collect(events: AsyncIterable<ReplyEvent> | undefined): Promise<ReplyEvent[]> {
  const all: ReplyEvent[] = [];
  for await (const event of events ?? []) all.push(event);
  return all;
}

const never = new AbortController().signal;

afterEach(() => {
  vi.useRealTimers();
});

describe('the reply hub', () => {
  it('replays what a subscriber missed, then follows live until the reply ends', async () => {
    const hub = new ReplyHub();
    const writer = hub.begin('c-1');
    writer.publish(userMessage);
    const second = writer.publish(token('Hel'));
    const following = collect(hub.subscribe('c-1', second - 1, never));
    writer.publish(token('lo'));
    writer.finish(finished);
    expect((await following).map((e) => [e.event, e.data])).toEqual([
      ['token', { text: 'Hel' }],
      ['token', { text: 'lo' }],
      ['done', {}],
    ]);
  });

  it('numbers events with increasing ids, across replies and conversations', () => {
    const hub = new ReplyHub();
    const one = hub.begin('c-1');
    const two = hub.begin('c-2');
    const ids = [one.publish(userMessage), two.publish(userMessage), one.publish(token('x'))];
    expect(ids).toEqual([1, 2, 3]);
  });

  it('starts a subscriber without an id at the latest reply, and ends at once after it', async () => {
    const hub = new ReplyHub();
    const first = hub.begin('c-1');
    first.publish(userMessage);
    first.finish(finished);
    const second = hub.begin('c-1');
    const start = second.publish(userMessage);
    second.finish(finished);
    const replay = await collect(hub.subscribe('c-1', undefined, never));
    expect(replay.map((e) => Number(e.id))).toEqual([start, start + 1]);
    expect(hub.subscribe('c-1', start + 1, never)).toBeUndefined();
    expect(hub.subscribe('c-unknown', undefined, never)).toBeUndefined();
  });

  it('refuses a second reply in a conversation while one is being written', () => {
    const hub = new ReplyHub();
    hub.begin('c-1');
    expect(() => hub.begin('c-1')).toThrow(AwpError);
    expect(hub.busy('c-1')).toBe(true);
  });

  it('forgets an abandoned reply that published nothing', () => {
    const hub = new ReplyHub();
    hub.begin('c-1').abandon();
    expect(hub.busy('c-1')).toBe(false);
    expect(hub.subscribe('c-1', undefined, never)).toBeUndefined();
  });

  it('keeps a finished reply for the retention time only', () => {
    vi.useFakeTimers();
    const hub = new ReplyHub({ retainMs: 60_000 });
    const writer = hub.begin('c-1');
    writer.publish(userMessage);
    writer.finish(finished);
    vi.advanceTimersByTime(59_000);
    expect(hub.subscribe('c-1', undefined, never)).toBeDefined();
    vi.advanceTimersByTime(2_000);
    expect(hub.subscribe('c-1', undefined, never)).toBeUndefined();
  });

  it('says so when a resume point was dropped to stay within bounds', async () => {
    const hub = new ReplyHub({ maxEventsPerConversation: 10 });
    const writer = hub.begin('c-1');
    for (let i = 0; i < 12; i++) writer.publish(token(String(i)));
    writer.finish(finished);
    const events = await collect(hub.subscribe('c-1', 1, never));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: 'error', data: { code: 'not_found' } });
    expect(events[0]?.id).toBeUndefined();
  });

  it('stops a waiting subscriber as soon as its signal aborts', async () => {
    const hub = new ReplyHub();
    const writer = hub.begin('c-1');
    writer.publish(userMessage);
    const gone = new AbortController();
    const following = collect(hub.subscribe('c-1', undefined, gone.signal));
    await new Promise((resolve) => setImmediate(resolve));
    gone.abort();
    expect((await following).map((e) => e.event)).toEqual(['message']);
    expect(hub.busy('c-1')).toBe(true);
  });

  it('evicts the conversation that finished longest ago when full, never one in flight', () => {
    const hub = new ReplyHub({ maxConversations: 2 });
    const old = hub.begin('c-old');
    old.publish(userMessage);
    old.finish(finished);
    hub.begin('c-busy').publish(userMessage);
    hub.begin('c-new');
    expect(hub.subscribe('c-old', undefined, never)).toBeUndefined();
    expect(() => hub.begin('c-more')).toThrow('too many replies');
  });
});
