import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  collect,
  finished,
  never,
  replyChannelsContract,
  token,
  userMessage,
} from '../../../test/contracts/replyChannelsContract.js';
import { ReplyHub } from './replyHub.js';

replyChannelsContract('in memory', {
  create: async (options) => new ReplyHub(options),
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the in-memory reply hub', () => {
  it('numbers events with increasing ids across the conversations of the process', async () => {
    const hub = new ReplyHub();
    const one = await hub.begin('c-1');
    const two = await hub.begin('c-2');
    const ids = [
      await one.publish(userMessage),
      await two.publish(userMessage),
      await one.publish(token('x')),
    ];
    expect(ids).toEqual([1, 2, 3]);
  });

  it('knows which conversations have a reply in flight', async () => {
    const hub = new ReplyHub();
    const writer = await hub.begin('c-1');
    expect(hub.busy('c-1')).toBe(true);
    await writer.abandon();
    expect(hub.busy('c-1')).toBe(false);
  });

  it('keeps a finished reply for the retention time only', async () => {
    vi.useFakeTimers();
    const hub = new ReplyHub({ retainMs: 60_000 });
    const writer = await hub.begin('c-1');
    await writer.publish(userMessage);
    await writer.finish(finished);
    vi.advanceTimersByTime(59_000);
    expect(await hub.followable('c-1', undefined)).toBe(true);
    vi.advanceTimersByTime(2_000);
    expect(await hub.followable('c-1', undefined)).toBe(false);
    expect(await collect(hub.subscribe('c-1', undefined, never))).toEqual([]);
  });

  it('evicts the conversation that finished longest ago when full, never one in flight', async () => {
    const hub = new ReplyHub({ maxConversations: 2 });
    const old = await hub.begin('c-old');
    await old.publish(userMessage);
    await old.finish(finished);
    await (await hub.begin('c-busy')).publish(userMessage);
    await hub.begin('c-new');
    expect(await hub.followable('c-old', undefined)).toBe(false);
    await expect(hub.begin('c-more')).rejects.toThrow('too many replies');
  });
});
