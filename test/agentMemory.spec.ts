import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { summaryInstructionStart } from '../domains/agent/index.js';
import { startFakeOpenAiServer } from './support/fakeLlm/index.js';
import type { FakeOpenAiServer } from './support/fakeLlm/index.js';
import { startTestPlatform } from './support/testPlatform.js';
import type { TestPlatform } from './support/testPlatform.js';

/**
 * Agent memory on the real platform: memories written through `/v1/memories` are recalled
 * into the prompt of later turns (read back from what the fake OpenAI-compatible model was
 * sent), kept per user and per tenant, and a long conversation is summarised to fit the
 * agent's history budget. Embeddings come from the same fake server.
 */
const dimension = 16;
let platform: TestPlatform;
let model: FakeOpenAiServer;
const tokens: Record<'chef' | 'sous' | 'viewer' | 'rival' | 'chatty', string> = {
  chef: '',
  sous: '',
  viewer: '',
  rival: '',
  chatty: '',
};

async function call(
  base: string,
  path: string,
  init: { method?: string; body?: unknown; as: string },
) {
  const response = await fetch(`${base}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      authorization: `Bearer ${init.as}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  // The assertions below check the shape; a typed client for each body would only repeat them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json().catch(() => null)) as any };
}
const api = (path: string, init: { method?: string; body?: unknown; as: string }) =>
  call(platform.url, path, init);

const remember = (
  as: string,
  scope: 'user' | 'tenant',
  kind: 'fact' | 'preference',
  text: string,
) => api('/v1/memories', { body: { scope, kind, text }, as });

async function converse(as: string, ...contents: string[]) {
  const started = await api('/v1/conversations', { body: { title: 'Memory' }, as });
  expect(started.status).toBe(201);
  const conversationId = started.body.conversationId as string;
  let posted: Awaited<ReturnType<typeof api>> | undefined;
  for (const content of contents) {
    posted = await api(`/v1/conversations/${conversationId}/messages`, { body: { content }, as });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
  }
  return posted!;
}

type Message = { role: string; content: string };
const messagesOf = (body: Record<string, unknown>) => body.messages as Message[];
/** The prompt's memory block, or '' when the prompt has none. */
function memoryBlock(body: Record<string, unknown>): string {
  const system = messagesOf(body)[0]!.content;
  const start = system.indexOf('<untrusted-data source="memory">');
  return start === -1 ? '' : system.slice(start, system.indexOf('</untrusted-data>', start));
}
const isSummaryRequest = (body: Record<string, unknown>) =>
  messagesOf(body)[0]!.content.startsWith(summaryInstructionStart);

beforeAll(async () => {
  model = await startFakeOpenAiServer({ embeddingDimension: dimension });
  platform = await startTestPlatform('embedded', {
    AWP_LLM_PROVIDER: 'openai',
    AWP_LLM_BASE_URL: model.baseUrl,
    AWP_LLM_API_KEY: model.apiKey,
    AWP_LLM_MODEL: 'fake-model',
    AWP_EMBEDDINGS_PROVIDER: 'openai',
    AWP_EMBEDDINGS_BASE_URL: model.baseUrl,
    AWP_EMBEDDINGS_API_KEY: model.apiKey,
    AWP_EMBEDDINGS_MODEL: 'fake-embeddings',
    AWP_EMBEDDINGS_DIMENSIONS: String(dimension),
    AWP_TIER_LIMITS: JSON.stringify({
      free: { apiRequestsPerMinute: 100_000, llmTokensPerMonth: 10_000_000 },
    }),
  });
  const sign = (accountId: string, userId: string, role: 'owner' | 'editor' | 'viewer') =>
    platform.devIssuer!.sign({ accountId, roles: [role], userId, ttlSeconds: 900 });
  tokens.chef = await sign('bistro', 'chef', 'owner');
  tokens.sous = await sign('bistro', 'sous', 'editor');
  tokens.viewer = await sign('bistro', 'guest', 'viewer');
  tokens.rival = await sign('rival', 'rival-chef', 'owner');
  tokens.chatty = await sign('chatty', 'talker', 'owner');
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  await model?.close();
});

beforeEach(() => model.reset());

describe('agent memory in conversations', () => {
  it('recalls a preference the user asked the agent to remember, as delimited data', async () => {
    const stored = await remember(
      tokens.chef,
      'user',
      'preference',
      'Send every kitchen alert to the #pass channel, never by e-mail.',
    );
    expect(stored.status, JSON.stringify(stored.body)).toBe(201);
    expect(stored.body).toMatchObject({ outcome: 'created', scope: 'user', userId: 'chef' });
    const again = await remember(
      tokens.chef,
      'user',
      'preference',
      'Send every kitchen alert to the #pass channel, never by e-mail.',
    );
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ memoryId: stored.body.memoryId, outcome: 'unchanged' });

    const posted = await converse(tokens.chef, 'Alert me when the fridge gets warm.');
    expect(posted.body.reply.metadata).toMatchObject({ memory: 'recalled', memoriesRecalled: 1 });
    const block = memoryBlock(model.chatBodies()[0]!);
    expect(block).toContain('#pass channel, never by e-mail');
    expect(block).toContain("this user's preference");
  });

  it('shares tenant memories with every user, and a user memory with nobody else', async () => {
    await remember(tokens.chef, 'user', 'fact', 'Chef Ana signs off every new supplier herself.');
    const shared = await remember(
      tokens.chef,
      'tenant',
      'fact',
      'The bistro is closed on Mondays.',
    );
    expect(shared.status).toBe(201);
    expect(shared.body.userId).toBeNull();

    await converse(tokens.sous, 'Plan the weekly stock order.');
    const block = memoryBlock(model.chatBodies()[0]!);
    expect(block).toContain('closed on Mondays');
    expect(block).not.toContain('Chef Ana');
    expect(block).not.toContain('#pass channel');

    const seenBySous = await api('/v1/memories/search?q=supplier&limit=50', { as: tokens.sous });
    expect(seenBySous.status).toBe(200);
    const texts = seenBySous.body.items.map((hit: { text: string }) => hit.text);
    expect(texts).toContain('The bistro is closed on Mondays.');
    expect(texts.some((text: string) => text.includes('Chef Ana'))).toBe(false);
    const seenByChef = await api('/v1/memories/search?q=supplier&limit=50', { as: tokens.chef });
    expect(seenByChef.body.items.map((hit: { text: string }) => hit.text)).toEqual(
      expect.arrayContaining(['Chef Ana signs off every new supplier herself.']),
    );
  });

  it('keeps memories to their tenant, and a user memory to its user, also for deletion', async () => {
    const own = await remember(tokens.chef, 'user', 'fact', 'Chef Ana is allergic to peanuts.');
    const memoryId = own.body.memoryId as string;
    const elsewhere = await api('/v1/memories/search?q=peanuts&limit=50', { as: tokens.rival });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.items).toEqual([]);
    const forget = (as: string) => api(`/v1/memories/${memoryId}`, { method: 'DELETE', as });
    expect((await forget(tokens.rival)).status).toBe(404);
    expect((await forget(tokens.sous)).status).toBe(404);
    expect((await forget(tokens.chef)).status).toBe(204);
    // Forgotten once: a second delete finds nothing.
    expect((await forget(tokens.chef)).status).toBe(404);
    const after = await api('/v1/memories/search?q=peanuts&limit=50', { as: tokens.chef });
    expect(after.body.items.map((hit: { memoryId: string }) => hit.memoryId)).not.toContain(
      memoryId,
    );
    expect(
      (await api('/v1/memories/unknown-id', { method: 'DELETE', as: tokens.chef })).status,
    ).toBe(404);
  });

  it('asks memory:read and memory:write of the caller', async () => {
    expect((await remember(tokens.viewer, 'tenant', 'fact', 'Viewers write nothing.')).status).toBe(
      403,
    );
    expect((await api('/v1/memories/search?q=x', { as: tokens.viewer })).status).toBe(403);
  });

  it('still answers, without memories, when the embeddings model fails', async () => {
    model.failEmbeddings({ status: 500, message: 'embedding backend crashed' });
    const posted = await converse(tokens.chef, 'Alert me when the oven is left on.');
    expect(posted.body.assistantMessage.content).toBe('ok');
    expect(posted.body.reply.metadata.memory).toBe('unavailable');
    expect(memoryBlock(model.chatBodies()[0]!)).toBe('');
    model.failEmbeddings({ status: 500 });
    const refused = await remember(tokens.chef, 'tenant', 'fact', 'The oven is gas-fired.');
    expect(refused.status).toBe(503);
    expect(refused.body.detail).toMatch(/embeddings model 'fake-embeddings'/);
  });
});

describe('context window', () => {
  it('summarises the oldest turns of a long conversation, and meters the summary', async () => {
    const configured = await api('/v1/agents/default', {
      method: 'PUT',
      body: { name: 'brief', contextTokens: 400 },
      as: tokens.chatty,
    });
    expect(configured.status, JSON.stringify(configured.body)).toBe(200);
    expect(configured.body.contextTokens).toBe(400);
    model.handle((request) => {
      const body = request.body as Record<string, unknown>;
      return isSummaryRequest(body)
        ? {
            text: 'EARLIER: the user runs a bakery.',
            usage: { inputTokens: 1000, outputTokens: 9 },
          }
        : { text: 'ok', usage: { inputTokens: 50, outputTokens: 1 } };
    });
    // About 150 tokens each: the third message no longer fits beside the first two.
    const long = (label: string) => `${label} ${'flour and sugar deliveries '.repeat(22)}`;
    const posted = await converse(
      tokens.chatty,
      long('FIRST-TURN'),
      long('SECOND-TURN'),
      long('THIRD-TURN'),
    );

    const bodies = model.chatBodies();
    const summaries = bodies.filter(isSummaryRequest);
    expect(summaries.length).toBeGreaterThan(0);
    const asked = messagesOf(summaries[0]!).at(-1)!.content;
    expect(asked).toMatch(/<untrusted-data source="conversation">[\s\S]*FIRST-TURN/);

    const main = bodies.at(-1)!;
    expect(isSummaryRequest(main)).toBe(false);
    const sent = messagesOf(main)
      .map((message) => message.content)
      .join('\n');
    expect(sent).toMatch(
      /<untrusted-data source="conversation-summary">\nEARLIER: the user runs a bakery\./,
    );
    expect(sent).not.toContain('FIRST-TURN');
    expect(sent).toContain('THIRD-TURN');
    expect(posted.body.reply.metadata.summarisedTurns).toBeGreaterThan(0);
    // The reply's usage is the summary's and the answer's together.
    expect(posted.body.reply).toMatchObject({
      inputTokens: summaries.length * 1000 + 50,
      outputTokens: summaries.length * 9 + 1,
    });
  });
});

describe('without an embeddings model', () => {
  let bare: TestPlatform;
  let token: string;

  beforeAll(async () => {
    bare = await startTestPlatform('embedded', {
      AWP_LLM_PROVIDER: 'openai',
      AWP_LLM_BASE_URL: model.baseUrl,
      AWP_LLM_API_KEY: model.apiKey,
      AWP_LLM_MODEL: 'fake-model',
    });
    token = await bare.devIssuer!.sign({
      accountId: 'bistro',
      roles: ['owner'],
      userId: 'chef',
      ttlSeconds: 900,
    });
  }, 120_000);

  afterAll(async () => {
    await bare?.stop();
  });

  it('answers the memory API with 503, naming the settings to configure', async () => {
    const answers = [
      await call(bare.url, '/v1/memories', {
        body: { scope: 'user', kind: 'fact', text: 'x' },
        as: token,
      }),
      await call(bare.url, '/v1/memories/search?q=x', { as: token }),
      await call(bare.url, '/v1/memories/some-id', { method: 'DELETE', as: token }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      for (const setting of [
        'AWP_EMBEDDINGS_PROVIDER',
        'AWP_EMBEDDINGS_BASE_URL',
        'AWP_EMBEDDINGS_MODEL',
      ]) {
        expect(answer.body.detail).toContain(setting);
      }
    }
  });
});
