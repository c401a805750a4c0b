import { describe, expect, it } from 'vitest';
import { AwpError, StreamVersionConflict } from '../../../contracts/index.js';
import type { EventEnvelope, EventStore } from '../../../contracts/index.js';
import { Conversations } from '../conversations.js';
import { noAssistantReplies } from './assistantReplies.js';
import type { AssistantReplies, ReplyChunk } from './assistantReplies.js';
import type { ReplyChannels } from './replyChannels.js';
import type { ReplyEvent } from './replyEvents.js';
import { ReplyHub } from './replyHub.js';
import { ReplyRunner } from './replyRunner.js';

/** Streams in memory: the two calls the conversation domain makes, with version checks. */
function memoryEventStore(): EventStore {
  const streams = new Map<string, EventEnvelope[]>();
  let position = 0;
  const store: Pick<EventStore, 'append' | 'readStream'> = {
    async readStream(streamId) {
      return [...(streams.get(streamId) ?? [])];
    },
    async append(request) {
      const stream = streams.get(request.streamId) ?? [];
      const expected = request.expectedVersion === 'no_stream' ? 0 : request.expectedVersion;
      if (expected !== 'any' && expected !== stream.length) {
        throw new StreamVersionConflict(request.streamId, String(expected), stream.length);
      }
      const events = request.events.map((event, index) => ({
        ...request.metadata,
        ...event,
        eventId: `event-${++position}`,
        streamId: request.streamId,
        streamVersion: stream.length + index + 1,
        occurredAt: new Date(Date.UTC(2026, 11, 1, 10, 0, position)).toISOString(),
        schemaVersion: 1,
      }));
      streams.set(request.streamId, [...stream, ...events]);
      return { nextVersion: stream.length + events.length, events };
    },
  };
  return store as EventStore;
}

function setUp(assistant: AssistantReplies, replyTimeoutMs?: number) {
  let id = 0;
  const conversations = new Conversations({
    eventStore: memoryEventStore(),
    ids: { newId: () => `id-${++id}` },
  });
  const hub = new ReplyHub();
  const runner = new ReplyRunner({
    conversations,
    hub,
    assistant,
    ...(replyTimeoutMs === undefined ? {} : { replyTimeoutMs }),
  });
  return { conversations, hub, runner };
}

const caller = {
  accountId: 'acc-1',
  actor: { type: 'user' as const, id: 'u-1' },
  correlationId: 'c',
};

async function eventsOf(hub: ReplyHub, conversationId: string): Promise<ReplyEvent[]> {
  const events: ReplyEvent[] = [];
  for await (const event of hub.subscribe(
    conversationId,
    undefined,
    new AbortController().signal,
  ) ?? []) {
    events.push(event);
  }
  return events;
}

describe('replying to a posted message', () => {
  it('publishes the tokens and records the final text as the assistant message', async () => {
    const assistant: AssistantReplies = {
      async *reply(): AsyncGenerator<ReplyChunk> {
        yield { type: 'token', text: 'Hi ' };
        yield { type: 'token', text: '' };
        yield { type: 'token', text: 'there' };
        yield { type: 'final', content: 'Hi there', agentId: 'agent-default', model: 'm-1' };
        yield { type: 'token', text: 'ignored after the final chunk' };
      },
    };
    const { conversations, hub, runner } = setUp(assistant);
    const { conversationId } = await conversations.start(caller, {});
    const started = await runner.post(caller, conversationId, 'Hello');
    const done = await started.done;
    expect(done.message).toMatchObject({
      role: 'assistant',
      content: 'Hi there',
      parentMessageId: started.userMessage.messageId,
      agentId: 'agent-default',
    });
    expect(done.reply).toMatchObject({ agentId: 'agent-default', model: 'm-1', provider: null });
    const events = await eventsOf(hub, conversationId);
    expect(events.map((e) => e.event)).toEqual(['message', 'token', 'token', 'done']);
    expect(Number(events[0]?.id)).toBe(started.firstEventId);
  });

  it('records the message and fails the reply when no assistant is configured', async () => {
    const { conversations, hub, runner } = setUp(noAssistantReplies);
    const { conversationId } = await conversations.start(caller, {});
    const started = await runner.post(caller, conversationId, 'Anyone?');
    await expect(started.done).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('no assistant is configured'),
    });
    expect((await conversations.get('acc-1', conversationId)).messages).toHaveLength(1);
    expect((await eventsOf(hub, conversationId)).map((e) => e.event)).toEqual(['message', 'error']);
    // The conversation is free for the next message.
    expect(hub.busy(conversationId)).toBe(false);
  });

  it('fails a reply that ends without its final chunk, or hides an unexpected error', async () => {
    const silent = setUp({ async *reply() {} });
    const one = await silent.conversations.start(caller, {});
    const stopped = await silent.runner.post(caller, one.conversationId, 'Hello');
    await expect(stopped.done).rejects.toMatchObject({ code: 'unavailable' });

    const broken = setUp({
      reply() {
        throw new TypeError('undefined is not a function');
      },
    });
    const two = await broken.conversations.start(caller, {});
    const failed = await broken.runner.post(caller, two.conversationId, 'Hello');
    await expect(failed.done).rejects.toMatchObject({ code: 'internal' });
  });

  it('times a slow reply out, and stop() aborts the replies being written', async () => {
    const hanging: AssistantReplies = {
      async *reply(request) {
        if (!request.signal.aborted) {
          await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
        }
        yield { type: 'final', content: 'too late' };
      },
    };
    const slow = setUp(hanging, 20);
    const a = await slow.conversations.start(caller, {});
    const timedOut = await slow.runner.post(caller, a.conversationId, 'Hello');
    await expect(timedOut.done).rejects.toThrow('did not finish its reply within');

    const stopping = setUp(hanging);
    const b = await stopping.conversations.start(caller, {});
    const cut = await stopping.runner.post(caller, b.conversationId, 'Hello');
    await stopping.runner.stop();
    await expect(cut.done).rejects.toThrow('the platform is stopping');
    await expect(stopping.runner.post(caller, b.conversationId, 'Again')).rejects.toBeInstanceOf(
      AwpError,
    );
  });

  it('holds no hub reservation for a message that could not be recorded', async () => {
    const { conversations, hub, runner } = setUp(noAssistantReplies);
    const { conversationId } = await conversations.start(caller, {});
    await expect(runner.post(caller, conversationId, '   ')).rejects.toMatchObject({
      code: 'validation',
    });
    expect(hub.busy(conversationId)).toBe(false);
    await expect(runner.post(caller, 'c-unknown', 'Hello')).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      runner.post({ ...caller, accountId: 'acc-2' }, conversationId, 'Hello'),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('answers and records a reply whose followers cannot be told (the channels failed)', async () => {
    const assistant: AssistantReplies = {
      async *reply(): AsyncGenerator<ReplyChunk> {
        for (const text of ['one ', 'two ', 'three']) yield { type: 'token', text };
        yield { type: 'final', content: 'one two three' };
      },
    };
    let publishes = 0;
    const failures: unknown[] = [];
    const broken: ReplyChannels = {
      async begin() {
        return {
          async publish() {
            publishes += 1;
            throw new AwpError('unavailable', 'Redis is down');
          },
          async finish() {
            throw new AwpError('unavailable', 'Redis is down');
          },
          async abandon() {},
        };
      },
      followable: async () => false,
      async *subscribe() {},
      close: async () => undefined,
    };
    let id = 0;
    const conversations = new Conversations({
      eventStore: memoryEventStore(),
      ids: { newId: () => `id-${++id}` },
    });
    const runner = new ReplyRunner({
      conversations,
      hub: broken,
      assistant,
      onChannelFailure: (error) => failures.push(error),
    });
    const { conversationId } = await conversations.start(caller, {});
    const started = await runner.post(caller, conversationId, 'count');
    expect((await started.done).message.content).toBe('one two three');
    // The message event, then one token: the rest were not waited for.
    expect(publishes).toBe(2);
    expect(failures).toHaveLength(3);
    const recorded = await conversations.get('acc-1', conversationId);
    expect(recorded.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
  });

  it('stops a reply whose hold on the conversation was lost, saying why', async () => {
    const lost = new AbortController();
    let release: () => void = () => undefined;
    const assistant: AssistantReplies = {
      async *reply(request): AsyncGenerator<ReplyChunk> {
        yield { type: 'token', text: 'half' };
        await new Promise<void>((resolve) => {
          release = resolve;
          request.signal.addEventListener('abort', () => resolve(), { once: true });
        });
        yield { type: 'final', content: 'half and more' };
      },
    };
    const hub = new ReplyHub();
    const channels: ReplyChannels = {
      begin: async (conversationId) => ({
        ...(await hub.begin(conversationId)),
        lost: lost.signal,
      }),
      followable: (c, after) => hub.followable(c, after),
      subscribe: (c, after, signal) => hub.subscribe(c, after, signal),
      close: () => hub.close(),
    };
    let id = 0;
    const conversations = new Conversations({
      eventStore: memoryEventStore(),
      ids: { newId: () => `id-${++id}` },
    });
    const runner = new ReplyRunner({ conversations, hub: channels, assistant });
    const { conversationId } = await conversations.start(caller, {});
    const started = await runner.post(caller, conversationId, 'go');
    await new Promise((resolve) => setTimeout(resolve, 10));
    lost.abort(new AwpError('unavailable', 'the reply was stopped: its hold lapsed'));
    release();
    await expect(started.done).rejects.toMatchObject({
      message: 'the reply was stopped: its hold lapsed',
    });
    const recorded = await conversations.get('acc-1', conversationId);
    expect(recorded.messages.map((m) => m.role)).toEqual(['user']);
  });
});
