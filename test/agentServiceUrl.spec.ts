import { createServer } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSocket, readEvents } from './conversationHarness.js';
import { startFakeOpenAiServer } from './support/fakeLlm/index.js';
import type { FakeOpenAiServer } from './support/fakeLlm/index.js';
import { describeWithServices } from './support/realServices.js';
import { startTestPlatform } from './support/testPlatform.js';
import type { TestPlatform } from './support/testPlatform.js';

/**
 * `AWP_AGENT_URL`: a process that hosts conversations but not the agent gets its replies from
 * the agent service it names, streamed token by token, with the poster's own credential. Two
 * processes of the distributed profile share the database, Kafka and Redis and trust one
 * identity provider; conversations are served by the first, the model is called by the
 * second only.
 */
let agentService: TestPlatform;
let conversationService: TestPlatform;
let model: FakeOpenAiServer;
let sign: (accountId: string, roles: string[]) => Promise<string>;
let acmeToken: string;
let identity: Record<string, string>;

const issuer = 'https://idp.agent-url.test';

describeWithServices(['postgres', 'kafka', 'redis'], 'a split deployment', () => {
  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'shared', alg: 'RS256', use: 'sig' };
    identity = {
      AWP_OIDC_ISSUERS: JSON.stringify([
        { issuer, audience: 'awp-api', keys: { keys: [jwk] }, algorithms: ['RS256'] },
      ]),
    };
    sign = (accountId, roles) =>
      new SignJWT({ awp_account: accountId, roles })
        .setProtectedHeader({ alg: 'RS256', kid: 'shared' })
        .setIssuer(issuer)
        .setAudience('awp-api')
        .setSubject(`user-of-${accountId}`)
        .setExpirationTime('15m')
        .sign(privateKey);
    acmeToken = await sign('agent-url-acme', ['editor']);
    model = await startFakeOpenAiServer();
    // The distributed profile, as a split deployment runs: one database, Kafka and Redis.
    agentService = await startTestPlatform(
      'distributed',
      {
        ...identity,
        AWP_LLM_PROVIDER: 'openai',
        AWP_LLM_BASE_URL: model.baseUrl,
        AWP_LLM_API_KEY: model.apiKey,
        AWP_LLM_MODEL: 'fake-model',
        AWP_BODY_LIMIT: '64kb',
      },
      { services: ['platform', 'agent', 'workflow'] },
    );
    conversationService = await startTestPlatform(
      'distributed',
      {
        ...identity,
        AWP_DATABASE_URL: agentService.config.databaseUrl as string,
        AWP_TOPIC_PREFIX: agentService.config.topicPrefix,
        AWP_SECRETS_KEY: agentService.config.secretsKey as string,
        // A trailing slash is forgiven.
        AWP_AGENT_URL: `${agentService.url}/`,
        AWP_BODY_LIMIT: '64kb',
      },
      { services: ['platform', 'conversation'] },
    );
  }, 180_000);

  afterAll(async () => {
    // The agent's platform made the shared database, and drops it: it stops last.
    await conversationService?.stop();
    await agentService?.stop();
    await model?.close();
  });

  async function call(
    base: TestPlatform,
    path: string,
    body?: unknown,
    headers: Record<string, string> = { authorization: `Bearer ${acmeToken}` },
  ) {
    const response = await fetch(`${base.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (await response.json().catch(() => null)) as any };
  }

  async function startConversation(on: TestPlatform = conversationService): Promise<string> {
    const started = await call(on, '/v1/conversations', { title: 'Kitchen orders' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    return started.body.conversationId as string;
  }

  describe('AWP_AGENT_URL', () => {
    it('streams the reply written by the agent service, and records it here', async () => {
      model.reply({
        tokens: ['Orders ', 'are ', 'scheduled.'],
        usage: { inputTokens: 12, outputTokens: 3 },
      });
      const conversationId = await startConversation();
      const response = await fetch(
        `${conversationService.url}/v1/conversations/${conversationId}/messages`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${acmeToken}`,
            'content-type': 'application/json',
            accept: 'text/event-stream',
          },
          body: JSON.stringify({ content: 'How are orders handled?' }),
        },
      );
      expect(response.status).toBe(200);
      const events = await readEvents(response);
      expect(events.map((event) => event.event)).toEqual([
        'message',
        'token',
        'token',
        'token',
        'done',
      ]);
      expect(events.filter((e) => e.event === 'token').map((e) => e.data.text)).toEqual([
        'Orders ',
        'are ',
        'scheduled.',
      ]);
      expect(events.at(-1)?.data).toMatchObject({
        message: { role: 'assistant', content: 'Orders are scheduled.' },
        reply: { model: 'fake-model', provider: 'openai', inputTokens: 12, outputTokens: 3 },
      });
      // The model saw the conversation, and was called with the platform's key, not the user's.
      const [request] = model.requests.slice(-1);
      expect(JSON.stringify(request?.body)).toContain('How are orders handled?');
      expect(request?.headers.authorization).toBe(`Bearer ${model.apiKey}`);

      const read = await call(conversationService, `/v1/conversations/${conversationId}`);
      expect(read.body.messages.map((m: { role: string }) => m.role)).toEqual([
        'user',
        'assistant',
      ]);
      // The agent service keeps no conversation of its own.
      expect((await call(agentService, `/v1/conversations/${conversationId}`)).status).toBe(404);
    });

    it('ships a proposed workflow as a draft on the agent service', async () => {
      const document = `document: { dsl: '1.0.3', namespace: kitchen, name: greet, version: '1.0.0' }
do:
  - greet: { set: { greeting: hello } }
`;
      model.reply({
        text: 'Here it is.',
        toolCalls: [{ name: 'propose_workflow', arguments: { document } }],
        usage: { inputTokens: 10, outputTokens: 10 },
      });
      const conversationId = await startConversation();
      const posted = await call(
        conversationService,
        `/v1/conversations/${conversationId}/messages`,
        {
          content: 'Greet every order.',
        },
      );
      expect(posted.status, JSON.stringify(posted.body)).toBe(201);
      const draftId = posted.body.reply.metadata.draftId as string;
      expect(draftId).toEqual(expect.any(String));
      const draft = await call(
        agentService,
        `/v1/conversations/${conversationId}/drafts/${draftId}`,
      );
      expect(draft.status, JSON.stringify(draft.body)).toBe(200);
      expect(draft.body.valid, JSON.stringify(draft.body.problems)).toBe(true);
    });

    it('forwards a WebSocket’s credential from its subprotocol', async () => {
      model.reply({ tokens: ['over ', 'a socket'] });
      const conversationId = await startConversation();
      const url = `${conversationService.url.replace(/^http/, 'ws')}/v1/conversations/${conversationId}/ws`;
      const client = await openSocket(url, { protocols: ['bearer', acmeToken] });
      client.send({ type: 'message', content: 'hello' });
      await client.frame((frame) => frame.type === 'done' || frame.type === 'error');
      await client.close();
      expect(client.frames.map((frame) => frame.type)).toEqual([
        'message',
        'token',
        'token',
        'done',
      ]);
      expect(client.frames.at(-1)?.data).toMatchObject({
        message: { role: 'assistant', content: 'over a socket' },
      });
    });

    it('keeps the newest messages of a history too large for the agent’s body limit', async () => {
      const conversationId = await startConversation();
      const long = 'x'.repeat(20_000);
      for (let turn = 0; turn < 4; turn += 1) {
        model.reply({ text: `noted ${turn}` });
        const posted = await call(
          conversationService,
          `/v1/conversations/${conversationId}/messages`,
          {
            content: `${turn} ${long}`,
          },
        );
        expect(posted.status, JSON.stringify(posted.body)).toBe(201);
      }
      // The fourth turn's history (about 80 kB) was cut to fit 64 kB, from the oldest message on.
      const sent = JSON.stringify(model.requests.at(-1)?.body);
      expect(sent).toContain(`3 ${long}`);
      expect(sent).not.toContain(`0 ${long}`);
    });

    it('tells the user when the agent service cannot be reached; the message stays recorded', async () => {
      const closed = await unusedPort();
      const orphan = await startTestPlatform(
        'embedded',
        { ...identity, AWP_AGENT_URL: `http://127.0.0.1:${closed}` },
        { services: ['platform', 'conversation'] },
      );
      try {
        const conversationId = await startConversation(orphan);
        const posted = await call(orphan, `/v1/conversations/${conversationId}/messages`, {
          content: 'anyone there?',
        });
        expect(posted.status).toBe(503);
        expect(posted.body.detail).toMatch(
          /agent service at http:\/\/127\.0\.0\.1:\d+ could not be reached/,
        );
        const read = await call(orphan, `/v1/conversations/${conversationId}`);
        expect(read.body.messages.map((m: { role: string }) => m.role)).toEqual(['user']);
      } finally {
        await orphan.stop();
      }
    });

    it('passes the agent’s refusal on: a model failure reaches the user as the agent said it', async () => {
      model.reply({ error: { status: 401, message: 'invalid api key' } });
      const conversationId = await startConversation();
      const posted = await call(
        conversationService,
        `/v1/conversations/${conversationId}/messages`,
        {
          content: 'fail please',
        },
      );
      expect(posted.status).toBeGreaterThanOrEqual(400);
      expect(posted.body.detail).toMatch(/agent service failed to reply/);
    });
  });

  describe('POST /v1/agent-replies', () => {
    const turn = (conversationId: string) => ({
      conversationId,
      userMessageId: 'm-2',
      history: [
        { messageId: 'm-1', role: 'user', content: 'earlier' },
        { messageId: 'm-2', role: 'user', content: 'now' },
      ],
    });

    it('refuses a caller without a credential, or whose roles cannot write conversations', async () => {
      expect((await call(agentService, '/v1/agent-replies', turn('c-1'), {})).status).toBe(401);
      const viewer = await sign('agent-url-acme', ['viewer']);
      const refused = await call(agentService, '/v1/agent-replies', turn('c-1'), {
        authorization: `Bearer ${viewer}`,
      });
      expect(refused.status).toBe(403);
    });

    it('refuses malformed and oversized turns, naming the field', async () => {
      const malformed = await call(agentService, '/v1/agent-replies', '{"conversationId":', {
        authorization: `Bearer ${acmeToken}`,
      });
      expect(malformed.status).toBe(400);
      const noHistory = await call(agentService, '/v1/agent-replies', {
        ...turn('c-1'),
        history: [],
      });
      expect(noHistory.status).toBe(400);
      expect(JSON.stringify(noHistory.body)).toContain('history');
      const wrongLast = await call(agentService, '/v1/agent-replies', {
        ...turn('c-1'),
        userMessageId: 'm-1',
      });
      expect(wrongLast.status).toBe(400);
      expect(wrongLast.body).toMatchObject({ field: 'history' });
      const oversized = await call(agentService, '/v1/agent-replies', {
        ...turn('c-1'),
        history: [{ messageId: 'm-2', role: 'user', content: 'y'.repeat(70_000) }],
      });
      expect(oversized.status).toBe(413);
    });

    it('answers another account’s conversation as one that does not exist', async () => {
      const conversationId = await startConversation();
      const rival = await sign('agent-url-rival', ['editor']);
      // Asked at once, while the agent may still be hearing of the conversation: it waits.
      const refused = await call(agentService, '/v1/agent-replies', turn(conversationId), {
        authorization: `Bearer ${rival}`,
      });
      expect(refused.status).toBe(404);
      expect(model.requests.some((r) => JSON.stringify(r.body).includes('"now"'))).toBe(false);
    });

    it('answers a conversation it never heard of as one that does not exist, after waiting', async () => {
      const started = Date.now();
      const refused = await call(agentService, '/v1/agent-replies', turn('no-such-conversation'));
      expect(refused.status).toBe(404);
      expect(refused.body.detail).toBe("conversation 'no-such-conversation' does not exist");
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
    });
  });
});

async function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
