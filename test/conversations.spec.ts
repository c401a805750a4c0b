import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { describeWithServices } from './support/realServices.js';
import { startTestPlatform } from './support/testPlatform.js';
import type { ProfileName, TestPlatform } from './support/testPlatform.js';
import { ScriptedAssistant, conversationClient, readEvents } from './conversationHarness.js';

/**
 * The conversation domain over HTTP on the whole platform, with a scripted assistant: commands,
 * edit and branch history, replies as JSON and as Server-Sent Events (with resumption after a
 * lost connection), full-text search, on both profiles. WebSockets and the security rules
 * have their own files.
 */
type Json = Record<string, unknown>;
type Message = { messageId: string; role: string; content: string } & Json;
type Details = { conversationId: string; messages: Message[] } & Json;

function conversationSuite(profile: ProfileName, env: Record<string, string> = {}): void {
  let platform: TestPlatform;
  const assistant = new ScriptedAssistant();
  const { call, json } = conversationClient(() => platform);
  const acme = { accountId: 'conv-acme' };

  beforeAll(async () => {
    platform = await startTestPlatform(profile, env, { assistantReplies: assistant });
  });
  afterAll(async () => {
    await platform?.stop();
  });
  afterEach(() => {
    assistant.reset();
  });

  const start = async (body: Json = {}) =>
    json<Details>(await call(acme, 'POST', '/v1/conversations', body), 201);
  const post = async (conversationId: string, content: string) =>
    json<{ userMessage: Message; assistantMessage: Message; reply: Json }>(
      await call(acme, 'POST', `/v1/conversations/${conversationId}/messages`, { content }),
      201,
    );
  const get = async (conversationId: string) =>
    json<Details>(await call(acme, 'GET', `/v1/conversations/${conversationId}`), 200);
  const streamPost = (conversationId: string, content: string) =>
    call(
      acme,
      'POST',
      `/v1/conversations/${conversationId}/messages`,
      { content },
      {
        accept: 'text/event-stream',
      },
    );

  describe('conversations and messages', () => {
    it('starts a conversation, answers a message and shows both at once', async () => {
      const started = await start({ title: '  Order intake  ', agentId: 'agent-7' });
      expect(started).toMatchObject({ title: 'Order intake', status: 'open', agentId: 'agent-7' });
      expect(started.messages).toEqual([]);

      const posted = await post(started.conversationId, 'Draft an order intake flow');
      expect(posted.userMessage).toMatchObject({
        role: 'user',
        content: 'Draft an order intake flow',
      });
      expect(posted.assistantMessage).toMatchObject({
        role: 'assistant',
        content: 'You said: Draft an order intake flow',
        parentMessageId: posted.userMessage.messageId,
        agentId: 'agent-7',
      });
      expect(posted.reply).toMatchObject({
        model: 'scripted-1',
        provider: 'test',
        metadata: { draftId: `draft-of-${posted.userMessage.messageId}` },
      });
      expect(assistant.requests.at(-1)).toMatchObject({
        accountId: acme.accountId,
        conversationId: started.conversationId,
        agentId: 'agent-7',
        userMessageId: posted.userMessage.messageId,
        history: [{ role: 'user', content: 'Draft an order intake flow' }],
      });

      // Read from the stream, not the read model: the writes show at once.
      const details = await get(started.conversationId);
      expect(details.messages.map((m) => [m.role, m.content])).toEqual([
        ['user', 'Draft an order intake flow'],
        ['assistant', 'You said: Draft an order intake flow'],
      ]);
      expect(details).toMatchObject({ messageCount: 2, status: 'open' });
    });

    it('lists the account’s conversations, most recently active first, page by page', async () => {
      const older = await start({ title: 'older' });
      const newer = await start({ title: 'newer' });
      await post(older.conversationId, 'bump');
      const listed = await eventually(async () => {
        const page = await json<{ items: Json[] }>(
          await call(acme, 'GET', '/v1/conversations?limit=200'),
          200,
        );
        const ids = page.items.map((item) => item.conversationId);
        const bumped = page.items.find((item) => item.conversationId === older.conversationId);
        return ids.includes(newer.conversationId) && bumped?.messageCount === 2 ? ids : undefined;
      });
      expect(listed.indexOf(older.conversationId)).toBeLessThan(
        listed.indexOf(newer.conversationId),
      );

      const first = await json<{ items: Json[]; next: string }>(
        await call(acme, 'GET', '/v1/conversations?limit=1'),
        200,
      );
      const second = await json<{ items: Json[] }>(
        await call(acme, 'GET', `/v1/conversations?limit=1&after=${first.next}`),
        200,
      );
      expect(second.items[0]?.conversationId).not.toBe(first.items[0]?.conversationId);
      const ended = await json<{ items: Json[] }>(
        await call(acme, 'GET', '/v1/conversations?status=ended'),
        200,
      );
      expect(ended.items.every((item) => item.status === 'ended')).toBe(true);
    });

    it('keeps the earlier text of an edited message as its history', async () => {
      const { conversationId } = await start();
      const { userMessage, assistantMessage } = await post(conversationId, 'Helo');
      const path = `/v1/conversations/${conversationId}/messages/${userMessage.messageId}`;
      const edited = await json<Message>(await call(acme, 'PUT', path, { content: 'Hello' }), 200);
      expect(edited).toMatchObject({ content: 'Hello', edited: true });
      expect(edited.editHistory).toEqual([
        { editId: expect.any(String), content: 'Helo', replacedAt: expect.any(String) },
      ]);
      // The same text again is not another edit.
      const again = await json<Message>(await call(acme, 'PUT', path, { content: 'Hello' }), 200);
      expect(again.editHistory).toHaveLength(1);

      const details = await get(conversationId);
      expect(details.messages[0]).toMatchObject({ content: 'Hello', edited: true });
      expect(details.messageCount).toBe(2);
      const assistantPath = `/v1/conversations/${conversationId}/messages/${assistantMessage.messageId}`;
      expect((await call(acme, 'PUT', assistantPath, { content: 'x' })).status).toBe(409);
      expect(
        (
          await call(acme, 'PUT', `/v1/conversations/${conversationId}/messages/nope`, {
            content: 'x',
          })
        ).status,
      ).toBe(404);
    });

    it('branches from any message: the branch shares the history up to it, then has its own', async () => {
      const { conversationId: rootId } = await start({ title: 'root' });
      const first = await post(rootId, 'one');
      await post(rootId, 'two');

      const branch = await json<Details>(
        await call(acme, 'POST', `/v1/conversations/${rootId}/branches`, {
          fromMessageId: first.assistantMessage.messageId,
        }),
        201,
      );
      expect(branch).toMatchObject({
        title: 'root',
        parentConversationId: rootId,
        branchedFromMessageId: first.assistantMessage.messageId,
        messageCount: 0,
      });
      expect(branch.messages.map((m) => [m.content, m.inherited])).toEqual([
        ['one', true],
        ['You said: one', true],
      ]);

      const inBranch = await post(branch.conversationId, 'three');
      expect(inBranch.userMessage.parentMessageId).toBe(first.assistantMessage.messageId);
      // The reply is written from the branch's whole history.
      expect(assistant.requests.at(-1)?.history.map((m) => m.content)).toEqual([
        'one',
        'You said: one',
        'three',
      ]);

      // A branch of the branch, from a message the branch inherited.
      const nested = await json<Details>(
        await call(acme, 'POST', `/v1/conversations/${branch.conversationId}/branches`, {
          fromMessageId: first.userMessage.messageId,
          title: 'nested',
        }),
        201,
      );
      expect(nested.messages.map((m) => m.content)).toEqual(['one']);
      expect((await get(branch.conversationId)).messages.map((m) => m.content)).toEqual([
        'one',
        'You said: one',
        'three',
        'You said: three',
      ]);
      expect((await get(rootId)).messages.map((m) => m.content)).toEqual([
        'one',
        'You said: one',
        'two',
        'You said: two',
      ]);
      const unknown = await call(acme, 'POST', `/v1/conversations/${rootId}/branches`, {
        fromMessageId: 'not-a-message',
      });
      expect(unknown.status).toBe(404);
    });

    it('refuses messages once a conversation has ended (409), yet lets it be branched', async () => {
      const { conversationId } = await start();
      const { userMessage } = await post(conversationId, 'last words');
      const ended = await json<Details>(
        await call(acme, 'POST', `/v1/conversations/${conversationId}/end`, { reason: 'done' }),
        200,
      );
      expect(ended.status).toBe('ended');
      const refused = await call(acme, 'POST', `/v1/conversations/${conversationId}/messages`, {
        content: 'hello?',
      });
      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(await refused.json()).toMatchObject({
        type: 'https://awp.dev/problems/illegal_state',
      });
      expect((await call(acme, 'POST', `/v1/conversations/${conversationId}/end`, {})).status).toBe(
        409,
      );
      const branched = await call(acme, 'POST', `/v1/conversations/${conversationId}/branches`, {
        fromMessageId: userMessage.messageId,
      });
      expect(branched.status).toBe(201);
    });

    it('records the message and answers 503 when the assistant fails', async () => {
      const { conversationId } = await start();
      const failed = await call(acme, 'POST', `/v1/conversations/${conversationId}/messages`, {
        content: 'please [fail]',
      });
      expect(failed.status).toBe(503);
      expect(await failed.json()).toMatchObject({ detail: expect.stringContaining('overloaded') });
      expect((await get(conversationId)).messages.map((m) => m.content)).toEqual(['please [fail]']);
    });
  });

  describe('replies as Server-Sent Events', () => {
    it('streams the recorded message, the tokens and the recorded reply, with increasing ids', async () => {
      const { conversationId } = await start();
      const response = await streamPost(conversationId, 'stream this please');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events = await readEvents(response);
      // "You said: stream this please", a word per token.
      expect(events.map((e) => e.event)).toEqual(['message', ...Array(5).fill('token'), 'done']);
      const ids = events.map((e) => Number(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      expect(events[0]?.data).toMatchObject({ role: 'user', content: 'stream this please' });
      const text = events.filter((e) => e.event === 'token').map((e) => e.data.text);
      expect(text.join('')).toBe('You said: stream this please');
      const done = events.at(-1)?.data as { message: Message; reply: Json };
      expect(done.message).toMatchObject({
        role: 'assistant',
        content: 'You said: stream this please',
      });
      expect((await get(conversationId)).messages.at(-1)).toEqual(done.message);
    });

    it('resumes after a lost connection from Last-Event-ID, without loss or duplicates', async () => {
      const { conversationId } = await start();
      assistant.paced = true;
      assistant.release(2);
      const first = await readEvents(
        await streamPost(conversationId, 'a reply in several pieces'),
        (_event, all) => all.length === 3,
      );
      expect(first.map((e) => e.event)).toEqual(['message', 'token', 'token']);
      const lastSeen = first.at(-1)?.id as string;

      const resumed = await call(
        acme,
        'GET',
        `/v1/conversations/${conversationId}/stream`,
        undefined,
        {
          'last-event-id': lastSeen,
        },
      );
      expect(resumed.status).toBe(200);
      assistant.release();
      const rest = await readEvents(resumed);
      expect(rest.at(-1)?.event).toBe('done');
      expect(Number(rest[0]?.id)).toBeGreaterThan(Number(lastSeen));
      const tokens = [...first, ...rest].filter((e) => e.event === 'token').map((e) => e.data.text);
      expect(tokens.join('')).toBe('You said: a reply in several pieces');

      // After the end: from the last id there is nothing to follow; without one, a replay.
      const doneId = rest.at(-1)?.id as string;
      const atEnd = await call(
        acme,
        'GET',
        `/v1/conversations/${conversationId}/stream?lastEventId=${doneId}`,
      );
      expect(atEnd.status).toBe(204);
      const replay = await readEvents(
        await call(acme, 'GET', `/v1/conversations/${conversationId}/stream`),
      );
      expect(replay.map((e) => e.id)).toEqual([...first, ...rest].map((e) => e.id));
    });

    it('records the reply when the client went away before it was written', async () => {
      const { conversationId } = await start();
      assistant.paced = true;
      const seen = await readEvents(
        await streamPost(conversationId, 'nobody is listening'),
        (event) => event.event === 'message',
      );
      expect(seen).toHaveLength(1);
      assistant.release();
      const details = await eventually(async () => {
        const current = await get(conversationId);
        return current.messages.length === 2 ? current : undefined;
      });
      expect(details.messages[1]).toMatchObject({
        role: 'assistant',
        content: 'You said: nobody is listening',
      });
    });

    it('refuses a second message while a reply is being written (409)', async () => {
      const { conversationId } = await start();
      assistant.paced = true;
      await readEvents(await streamPost(conversationId, 'first'), (e) => e.event === 'message');
      const second = await call(acme, 'POST', `/v1/conversations/${conversationId}/messages`, {
        content: 'second',
      });
      expect(second.status).toBe(409);
      assistant.release();
    });

    it('ends the stream with an error event as problem+json when the reply fails', async () => {
      const { conversationId } = await start();
      const events = await readEvents(await streamPost(conversationId, 'stream [fail]'));
      expect(events.map((e) => e.event)).toEqual(['message', 'error']);
      expect(events[1]?.id).toBeDefined();
      expect(events[1]?.data).toMatchObject({
        type: 'https://awp.dev/problems/unavailable',
        status: 503,
        detail: 'the model provider is overloaded; try again',
      });
    });

    it('answers 204 when there is no reply to follow', async () => {
      const { conversationId } = await start();
      const response = await call(acme, 'GET', `/v1/conversations/${conversationId}/stream`);
      expect(response.status).toBe(204);
    });
  });

  describe('full-text search', () => {
    it('finds messages by their words, best first, with a snippet', async () => {
      const { conversationId } = await start({ title: 'Invoices' });
      await post(conversationId, 'Reconcile the quarterly zebrafish invoices with the ledger');
      const found = await eventually(async () => {
        const result = await json<{ items: Json[] }>(
          await call(acme, 'GET', '/v1/conversations/search?q=zebrafish%20ledger'),
          200,
        );
        return result.items.length >= 2 ? result.items : undefined;
      });
      expect(found[0]).toMatchObject({ conversationId, conversationTitle: 'Invoices' });
      expect(String(found[0]?.snippet)).toContain('**zebrafish**');
      // Phrases, exclusions and ranking are covered beside the read model's SQL.
    });
  });
}

describe('conversations on the embedded profile', () => {
  conversationSuite('embedded');
});

describeWithServices(
  ['postgres', 'kafka', 'redis'],
  'conversations on real PostgreSQL, Kafka and Redis',
  () => {
    // The development issuer is off by default there; these tests sign their tokens with it.
    conversationSuite('distributed', { AWP_DEV_TOKENS: 'true' });
  },
);
