import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import {
  collect,
  finished,
  freshConversation,
  never,
  replyChannelsContract,
  token,
  userMessage,
} from '../../test/contracts/replyChannelsContract.js';
import { describeWithServices, uniqueSuffix } from '../../test/support/realServices.js';
import { devEndpoints } from '../dev/endpoints.js';
import { AwpError } from '../../contracts/index.js';
import { RedisReplyChannels } from './redisReplyChannels.js';
import type { RedisReplyChannelsOptions } from './redisReplyChannels.js';

describeWithServices(['redis'], 'Redis reply channels (distributed profile)', () => {
  replyChannelsContract('Redis', {
    create: async (options) =>
      new RedisReplyChannels({
        url: devEndpoints.redis.url,
        keyPrefix: `test-${uniqueSuffix()}:`,
        ...options,
      }),
  });

  describe('between replicas', () => {
    const keyPrefix = `test-${uniqueSuffix()}:`;
    const opened: RedisReplyChannels[] = [];
    // Each replica has its own connections, as two processes would.
    const replica = (options: Partial<RedisReplyChannelsOptions> = {}) => {
      const channels = new RedisReplyChannels({
        url: devEndpoints.redis.url,
        keyPrefix,
        ...options,
      });
      opened.push(channels);
      return channels;
    };
    afterAll(async () => {
      await Promise.all(opened.map((channels) => channels.close()));
    });

    it('follows live, on one replica, a reply another replica writes', async () => {
      const [writing, following] = [replica(), replica()];
      const c = freshConversation();
      const writer = await writing.begin(c);
      await writer.publish(userMessage);
      const seen = collect(following.subscribe(c, undefined, never));
      for (const text of ['one ', 'two ', 'three']) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await writer.publish(token(text));
      }
      await writer.finish(finished);
      const events = await seen;
      expect(events.map((e) => e.event)).toEqual(['message', 'token', 'token', 'token', 'done']);
      const ids = events.map((e) => Number(e.id));
      expect(ids).toEqual([ids[0], ids[0]! + 1, ids[0]! + 2, ids[0]! + 3, ids[0]! + 4]);
    });

    it('resumes after a Last-Event-ID on another replica, without loss or duplicates', async () => {
      const [writing, resuming] = [replica(), replica()];
      const c = freshConversation();
      const writer = await writing.begin(c);
      await writer.publish(userMessage);
      const lastSeen = await writer.publish(token('Hel'));
      await writer.publish(token('lo'));
      const rest = collect(resuming.subscribe(c, lastSeen, never));
      await writer.finish(finished);
      expect((await rest).map((e) => [e.event, Number(e.id)])).toEqual([
        ['token', lastSeen + 1],
        ['done', lastSeen + 2],
      ]);
    });

    it('refuses a second reply in the conversation on any replica', async () => {
      const [first, second] = [replica(), replica()];
      const c = freshConversation();
      const writer = await first.begin(c);
      await expect(second.begin(c)).rejects.toMatchObject({ code: 'conflict' });
      await writer.abandon();
      await (await second.begin(c)).abandon();
    });

    it('keeps an error event’s code and message for followers', async () => {
      const [writing, following] = [replica(), replica()];
      const c = freshConversation();
      const writer = await writing.begin(c);
      await writer.publish(userMessage);
      await writer.finish({
        event: 'error',
        data: new AwpError('quota_exceeded', 'the monthly token budget is spent', {
          retryable: false,
        }),
      });
      const events = await collect(following.subscribe(c, undefined, never));
      const failure = events.at(-1)?.data;
      expect(failure).toBeInstanceOf(AwpError);
      expect(failure).toMatchObject({
        code: 'quota_exceeded',
        message: 'the monthly token budget is spent',
        retryable: false,
      });
    });

    it('tells followers a reply was interrupted when its replica died mid-reply', async () => {
      const dying = replica({ claimMs: 300 });
      const following = replica({ pollMs: 50 });
      const c = freshConversation();
      const writer = await dying.begin(c);
      await writer.publish(userMessage);
      await writer.publish(token('half a'));
      // The process stops without finishing: its claim is no longer renewed and expires.
      await dying.close();
      const started = Date.now();
      const events = await collect(following.subscribe(c, undefined, never));
      expect(events.map((e) => e.event)).toEqual(['message', 'token', 'error']);
      expect(events.at(-1)).toMatchObject({ data: { code: 'unavailable' } });
      expect(String((events.at(-1)?.data as AwpError).message)).toMatch(/interrupted/);
      expect(Date.now() - started).toBeLessThan(5_000);
      // The conversation is free again for a new reply.
      await (await following.begin(c)).abandon();
    });
  });

  describe('a writer’s claim', () => {
    it('is reported lost when another has taken the conversation, and refuses the writer', async () => {
      const keyPrefix = `test-${uniqueSuffix()}:`;
      const writing = new RedisReplyChannels({
        url: devEndpoints.redis.url,
        keyPrefix,
        claimMs: 300,
      });
      const redis = new Redis(devEndpoints.redis.url);
      try {
        const c = freshConversation();
        const writer = await writing.begin(c);
        await writer.publish(userMessage);
        // As if the claim lapsed during an outage and another replica claimed it.
        await redis.set(`${keyPrefix}reply:{${c}}:writer`, 'someone-else');
        await new Promise<void>((resolve) =>
          writer.lost?.addEventListener('abort', () => resolve(), { once: true }),
        );
        expect(writer.lost?.reason).toMatchObject({ code: 'unavailable' });
        await expect(writer.publish(token('late'))).rejects.toMatchObject({
          code: 'unavailable',
        });
      } finally {
        redis.disconnect();
        await writing.close();
      }
    });
  });

  describe('without Redis', () => {
    it('answers unavailable, and says why, when Redis cannot be reached', async () => {
      const channels = new RedisReplyChannels({
        url: 'redis://127.0.0.1:1',
        keyPrefix: 'nowhere:',
      });
      try {
        await expect(channels.begin('c-1')).rejects.toMatchObject({
          code: 'unavailable',
          message: expect.stringMatching(
            /replies cannot be followed now: the reply channels \(Redis\)/,
          ),
        });
        const events = await collect(channels.subscribe('c-1', undefined, never));
        expect(events).toMatchObject([{ event: 'error', data: { code: 'unavailable' } }]);
      } finally {
        await channels.close();
      }
    });
  });
});
