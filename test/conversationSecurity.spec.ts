import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/eventually.js';
import { startTestPlatform } from './support/testPlatform.js';
import type { TestPlatform } from './support/testPlatform.js';
import { ScriptedAssistant, conversationClient } from './conversationHarness.js';

/**
 * Who may do what with conversations, and what is refused as bad input: tenant isolation
 * (another account's conversations answer 404 and never show in its lists or searches), 401
 * without a credential, 403 for a viewer's writes, and a clear problem for malformed requests.
 */
let platform: TestPlatform;
const { call, json } = conversationClient(() => platform);
const acme = { accountId: 'sec-acme' };
const globex = { accountId: 'sec-globex', role: 'owner' as const };
let conversationId: string;
let messageId: string;

beforeAll(async () => {
  platform = await startTestPlatform('embedded', {}, { assistantReplies: new ScriptedAssistant() });
  conversationId = (
    await json<{ conversationId: string }>(
      await call(acme, 'POST', '/v1/conversations', { title: 'acme secret plans' }),
      201,
    )
  ).conversationId;
  const posted = await json<{ userMessage: { messageId: string } }>(
    await call(acme, 'POST', `/v1/conversations/${conversationId}/messages`, {
      content: 'the quokka protocol',
    }),
    201,
  );
  messageId = posted.userMessage.messageId;
});
afterAll(async () => {
  await platform?.stop();
});

const problemOf = async (response: Response) =>
  ({ status: response.status, ...((await response.json()) as Record<string, unknown>) }) as {
    status: number;
    detail?: string;
    field?: string;
  };

describe('tenant isolation', () => {
  it('answers 404 to another tenant on every action on a conversation, and changes nothing', async () => {
    const base = `/v1/conversations/${conversationId}`;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', base],
      ['POST', `${base}/messages`, { content: 'hijack' }],
      ['PUT', `${base}/messages/${messageId}`, { content: 'hijack' }],
      ['POST', `${base}/branches`, { fromMessageId: messageId }],
      ['POST', `${base}/end`, {}],
      ['GET', `${base}/stream`],
    ];
    for (const [method, path, body] of attempts) {
      const response = await call(globex, method, path, body);
      const text = await response.text();
      expect(response.status, `${method} ${path}: ${text}`).toBe(404);
      expect(text).not.toContain('quokka');
      expect(text).not.toContain('secret plans');
    }
    const details = await json<{ status: string; messages: unknown[] }>(
      await call(acme, 'GET', base),
      200,
    );
    expect(details).toMatchObject({ status: 'open' });
    expect(details.messages).toHaveLength(2);
  });

  it('lists and finds none of another tenant’s conversations', async () => {
    // Acme's own search proves the message is indexed before globex's is believed.
    await eventually(async () => {
      const own = await call(acme, 'GET', '/v1/conversations/search?q=quokka');
      return ((await own.json()) as { items: unknown[] }).items.length > 0 ? true : undefined;
    });
    const search = await call(globex, 'GET', '/v1/conversations/search?q=quokka');
    expect(await search.json()).toEqual({ items: [] });
    const list = await call(globex, 'GET', '/v1/conversations');
    expect(await list.text()).not.toContain(conversationId);
  });
});

describe('credentials and roles', () => {
  it('asks for a credential: 401 without one', async () => {
    for (const [method, path] of [
      ['GET', '/v1/conversations'],
      ['POST', '/v1/conversations'],
      ['GET', `/v1/conversations/${conversationId}`],
      ['GET', '/v1/conversations/search?q=quokka'],
    ] as const) {
      expect((await call(undefined, method, path, method === 'POST' ? {} : undefined)).status).toBe(
        401,
      );
    }
  });

  it('lets a viewer read and follow, but not post, edit, branch or end (403)', async () => {
    const viewer = { ...acme, role: 'viewer' as const };
    const base = `/v1/conversations/${conversationId}`;
    expect((await call(viewer, 'GET', base)).status).toBe(200);
    expect((await call(viewer, 'GET', '/v1/conversations')).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', '/v1/conversations', {}],
      ['POST', `${base}/messages`, { content: 'hi' }],
      ['PUT', `${base}/messages/${messageId}`, { content: 'hi' }],
      ['POST', `${base}/branches`, { fromMessageId: messageId }],
      ['POST', `${base}/end`, {}],
    ] as const) {
      const refused = await problemOf(await call(viewer, method, path, body));
      expect(refused, `${method} ${path}`).toMatchObject({
        status: 403,
        field: 'conversation:write',
      });
    }
  });
});

describe('malformed input', () => {
  const messages = () => `/v1/conversations/${conversationId}/messages`;

  it.each([
    ['an empty message', { content: '' }, 'content'],
    ['a blank message', { content: ' \n ' }, 'content'],
    ['an oversized message', { content: 'x'.repeat(32_001) }, 'content'],
    ['a message without content', {}, 'content'],
    ['a message with an unknown field', { content: 'hi', mood: 'happy' }, 'mood'],
    ['content that is not text', { content: 42 }, 'content'],
  ])('refuses %s with a problem naming the field', async (_what, body, field) => {
    const problem = await problemOf(await call(acme, 'POST', messages(), body));
    expect(problem).toMatchObject({ status: 400, field });
  });

  it('refuses a body that is not JSON', async () => {
    const problem = await problemOf(await call(acme, 'POST', messages(), '{"content": '));
    expect(problem.status).toBe(400);
    expect(problem.detail).toContain('not valid JSON');
  });

  it('refuses bad titles, queries, cursors and event ids', async () => {
    const refusals: Array<[string, string, unknown?]> = [
      ['POST', '/v1/conversations', { title: 'x'.repeat(201) }],
      ['GET', '/v1/conversations/search'],
      ['GET', '/v1/conversations/search?q=%20%20'],
      ['GET', '/v1/conversations?after=not-a-cursor'],
      ['GET', '/v1/conversations?limit=0'],
      ['GET', `/v1/conversations/${conversationId}/stream?lastEventId=abc`],
      ['POST', `/v1/conversations/${conversationId}/branches`, {}],
    ];
    for (const [method, path, body] of refusals) {
      const response = await call(acme, method, path, body);
      expect(response.status, `${method} ${path}: ${await response.text()}`).toBe(400);
    }
  });

  it('answers 404 for conversations and messages that do not exist', async () => {
    expect((await call(acme, 'GET', '/v1/conversations/no-such-id')).status).toBe(404);
    expect(
      (await call(acme, 'POST', '/v1/conversations/no-such-id/messages', { content: 'hi' })).status,
    ).toBe(404);
    const edit = await problemOf(
      await call(acme, 'PUT', `${messages()}/no-such-message`, { content: 'hi' }),
    );
    expect(edit).toMatchObject({ status: 404 });
    expect(edit.detail).toContain("message 'no-such-message'");
  });
});
