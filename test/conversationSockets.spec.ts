import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform } from './support/testPlatform.js';
import type { TestPlatform } from './support/testPlatform.js';
import {
  ScriptedAssistant,
  conversationClient,
  openSocket,
  refusedUpgrade,
} from './conversationHarness.js';

/**
 * The conversation WebSocket (`/v1/conversations/{id}/ws`) on the whole platform: a message and
 * its reply as frames mirroring the SSE events, resumption on a new connection, and the upgrade
 * refused with plain HTTP problems (401, 403, 404) before any connection exists.
 */
let platform: TestPlatform;
const assistant = new ScriptedAssistant();
const { call, json, tokenFor, socketUrl } = conversationClient(() => platform);
const acme = { accountId: 'ws-acme' };

beforeAll(async () => {
  platform = await startTestPlatform('embedded', {}, { assistantReplies: assistant });
});
afterAll(async () => {
  await platform?.stop();
});
afterEach(() => {
  assistant.reset();
});

async function startConversation(): Promise<string> {
  const started = await json<{ conversationId: string }>(
    await call(acme, 'POST', '/v1/conversations', { title: 'over a socket' }),
    201,
  );
  return started.conversationId;
}

const bearer = async (role: 'editor' | 'viewer' = 'editor', accountId = acme.accountId) => ({
  authorization: `Bearer ${await tokenFor(accountId, role)}`,
});

describe('the conversation WebSocket', () => {
  it('posts a message and sends the reply as numbered frames', async () => {
    const conversationId = await startConversation();
    const client = await openSocket(socketUrl(conversationId), { headers: await bearer() });
    client.send({ type: 'message', content: 'hello over ws' });
    await client.frame((frame) => frame.type === 'done');
    await client.close();

    // "You said: hello over ws", a word per token.
    expect(client.frames.map((f) => f.type)).toEqual([
      'message',
      ...Array(5).fill('token'),
      'done',
    ]);
    const ids = client.frames.map((f) => Number(f.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(client.frames[0]?.data).toMatchObject({ role: 'user', content: 'hello over ws' });
    expect(client.frames.at(-1)?.data).toMatchObject({
      message: { role: 'assistant', content: 'You said: hello over ws' },
    });
    const details = await json<{ messages: unknown[] }>(
      await call(acme, 'GET', `/v1/conversations/${conversationId}`),
      200,
    );
    expect(details.messages).toHaveLength(2);
  });

  it('resumes a reply on a new connection (token as a subprotocol) without loss or duplicates', async () => {
    const conversationId = await startConversation();
    assistant.paced = true;
    assistant.release(1);
    const first = await openSocket(socketUrl(conversationId), { headers: await bearer() });
    first.send({ type: 'message', content: 'resume me later' });
    await first.frame((frame) => frame.type === 'token');
    await first.close();
    const lastSeen = first.frames.at(-1)?.id as string;

    const token = await tokenFor(acme.accountId, 'editor');
    const second = await openSocket(socketUrl(conversationId), { protocols: ['bearer', token] });
    expect(second.socket.protocol).toBe('bearer');
    second.send({ type: 'resume', lastEventId: lastSeen });
    assistant.release();
    await second.frame((frame) => frame.type === 'done');
    await second.close();

    const all = [...first.frames, ...second.frames];
    const ids = all.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    const text = all.filter((f) => f.type === 'token').map((f) => f.data.text);
    expect(text.join('')).toBe('You said: resume me later');
  });

  it('accepts the token as ?access_token= and answers bad frames with an error frame', async () => {
    const conversationId = await startConversation();
    const token = await tokenFor(acme.accountId, 'editor');
    const client = await openSocket(socketUrl(conversationId, `?access_token=${token}`));
    client.send('{not json');
    client.send({ type: 'message', content: '   ' });
    client.send({ type: 'dance' });
    await client.frame(() => client.frames.length === 3);
    await client.close();
    expect(client.frames.map((f) => [f.type, f.id, f.data.status])).toEqual([
      ['error', undefined, 400],
      ['error', undefined, 400],
      ['error', undefined, 400],
    ]);
    const details = client.frames.map((f) => String(f.data.detail));
    expect(details).toContainEqual(expect.stringContaining("'content' must not be empty"));
    expect(details).toContainEqual(expect.stringContaining('not valid JSON'));
  });

  it('refuses the upgrade without a credential (401), for a viewer (403) and for another tenant (404)', async () => {
    const conversationId = await startConversation();
    const url = socketUrl(conversationId);
    const anonymous = await refusedUpgrade(url);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body)).toMatchObject({
      type: 'https://awp.dev/problems/unauthorized',
    });
    expect((await refusedUpgrade(url, { headers: await bearer('viewer') })).status).toBe(403);
    const stranger = await refusedUpgrade(url, { headers: await bearer('editor', 'ws-globex') });
    expect(stranger.status).toBe(404);
    expect(stranger.body).not.toContain('over a socket');
    expect((await refusedUpgrade(`${url}x`, { headers: await bearer() })).status).toBe(404);
    const forged = await refusedUpgrade(url, { headers: { authorization: 'Bearer not-a-token' } });
    expect(forged.status).toBe(401);
  });
});
