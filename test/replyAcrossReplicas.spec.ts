import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ScriptedAssistant, openSocket, readEvents } from './conversationHarness.js';
import { describeWithServices } from './support/realServices.js';
import { startTestPlatform } from './support/testPlatform.js';
import type { TestPlatform } from './support/testPlatform.js';

/**
 * Two replicas of the distributed profile (one PostgreSQL database, Kafka topics and Redis
 * keys between them): a client that lost its connection to the replica writing a reply
 * resumes it on the other, over SSE or a WebSocket, without losing or repeating an event.
 */
describeWithServices(['postgres', 'kafka', 'redis'], 'replies across replicas', () => {
  let first: TestPlatform;
  let second: TestPlatform;
  let token: string;
  const assistant = new ScriptedAssistant();

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'replicas', alg: 'RS256', use: 'sig' };
    const issuer = 'https://idp.replicas.test';
    const identity = {
      AWP_OIDC_ISSUERS: JSON.stringify([
        { issuer, audience: 'awp-api', keys: { keys: [jwk] }, algorithms: ['RS256'] },
      ]),
    };
    token = await new SignJWT({ awp_account: 'replica-co', roles: ['editor'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'replicas' })
      .setIssuer(issuer)
      .setAudience('awp-api')
      .setSubject('resumer')
      .setExpirationTime('15m')
      .sign(privateKey);
    first = await startTestPlatform('distributed', identity, { assistantReplies: assistant });
    second = await startTestPlatform(
      'distributed',
      {
        ...identity,
        AWP_DATABASE_URL: first.config.databaseUrl as string,
        AWP_TOPIC_PREFIX: first.config.topicPrefix,
        AWP_SECRETS_KEY: first.config.secretsKey as string,
      },
      { assistantReplies: assistant },
    );
  }, 180_000);

  afterAll(async () => {
    assistant.reset();
    await second?.stop();
    await first?.stop();
  });

  afterEach(() => assistant.reset());

  const headers = (extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    ...extra,
  });

  async function startConversation(): Promise<string> {
    const response = await fetch(`${first.url}/v1/conversations`, {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ title: 'across replicas' }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { conversationId: string }).conversationId;
  }

  it('resumes over SSE on the other replica from Last-Event-ID', async () => {
    const conversationId = await startConversation();
    assistant.paced = true;
    assistant.release(1);
    const posted = await fetch(`${first.url}/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json', accept: 'text/event-stream' }),
      body: JSON.stringify({ content: 'one two three' }),
    });
    const before = await readEvents(posted, (event) => event.event === 'token');
    const lastSeen = before.at(-1)?.id as string;

    const resumed = await fetch(`${second.url}/v1/conversations/${conversationId}/stream`, {
      headers: headers({ 'last-event-id': lastSeen }),
    });
    expect(resumed.status).toBe(200);
    const rest = readEvents(resumed);
    assistant.release();
    const after = await rest;

    const all = [...before, ...after];
    expect(all.map((event) => event.event)).toEqual(['message', ...Array(5).fill('token'), 'done']);
    const ids = all.map((event) => Number(event.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(
      all
        .filter((e) => e.event === 'token')
        .map((e) => e.data.text)
        .join(''),
    ).toBe('You said: one two three');
  });

  it('resumes over a WebSocket on the other replica', async () => {
    const conversationId = await startConversation();
    assistant.paced = true;
    assistant.release(2);
    const socketOf = (platform: TestPlatform) =>
      `${platform.url.replace(/^http/, 'ws')}/v1/conversations/${conversationId}/ws`;
    const before = await openSocket(socketOf(first), { headers: headers() });
    before.send({ type: 'message', content: 'hello there' });
    await before.frame((frame) => frame.type === 'token');
    await before.close();
    const lastSeen = before.frames.at(-1)?.id as string;

    const after = await openSocket(socketOf(second), { protocols: ['bearer', token] });
    after.send({ type: 'resume', lastEventId: lastSeen });
    assistant.release();
    await after.frame((frame) => frame.type === 'done');
    await after.close();

    const all = [...before.frames, ...after.frames];
    const ids = all.map((frame) => Number(frame.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(all.at(-1)?.data).toMatchObject({
      message: { role: 'assistant', content: 'You said: hello there' },
    });
    expect(
      all
        .filter((f) => f.type === 'token')
        .map((f) => f.data.text)
        .join(''),
    ).toBe('You said: hello there');
  });

  it('refuses a second message on the other replica while a reply is being written', async () => {
    const conversationId = await startConversation();
    assistant.paced = true;
    const posting = fetch(`${first.url}/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ content: 'slow one' }),
    });
    // The first post has claimed the conversation once its message is recorded.
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const stream = await fetch(`${second.url}/v1/conversations/${conversationId}/stream`, {
        headers: headers(),
      });
      await stream.body?.cancel();
      if (stream.status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const refused = await fetch(`${second.url}/v1/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: headers({ 'content-type': 'application/json' }),
      body: JSON.stringify({ content: 'impatient' }),
    });
    expect(refused.status).toBe(409);
    assistant.release();
    expect((await posting).status).toBe(201);
  });
});
