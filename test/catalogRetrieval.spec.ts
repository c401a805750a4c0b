import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAiServer } from './support/fakeLlm/index.js';
import type { Embedder, FakeOpenAiServer } from './support/fakeLlm/index.js';
import { eventually } from './support/eventually.js';
import { startTestPlatform } from './support/testPlatform.js';
import type { TestPlatform } from './support/testPlatform.js';

/**
 * Catalog operations found by meaning: with an embeddings model, the operations put in the
 * agent's prompt are full-text matches fused with the nearest vectors, so a question that
 * shares no word with the right operation still brings it in. Without the model (or when it
 * fails) the catalog is searched by words, as before.
 */
let platform: TestPlatform;
let model: FakeOpenAiServer;
let token: string;
let rivalToken: string;

// Words that mean the same thing share a dimension: the fake's whole notion of meaning.
const concepts = [
  ['oven', 'ovens', 'workload', 'busy', 'cooks', 'kitchen', 'load'],
  ['widget', 'widgets', 'batch', 'list'],
  ['invoice', 'invoices', 'billing', 'bill'],
];
const conceptEmbedder: Embedder = (text, dimension) => {
  const words = text.toLowerCase().split(/[^a-z]+/);
  const vector = Array.from({ length: dimension }, (_, i) =>
    i < concepts.length ? words.filter((word) => concepts[i]!.includes(word)).length : 0,
  );
  vector[dimension - 1] = 0.05;
  const norm = Math.hypot(...vector);
  return vector.map((value) => value / norm);
};

/** 25 operations about widgets first in catalog order, then the one about oven workload. */
function kitchenDocument() {
  const paths: Record<string, unknown> = {};
  for (let n = 0; n < 25; n++) {
    paths[`/a-widgets/${n}`] = {
      get: {
        operationId: `listWidgets${n}`,
        summary: `List widgets batch ${n}`,
        responses: { '200': { description: 'widgets' } },
      },
    };
  }
  paths['/z/ovens/load'] = {
    get: {
      operationId: 'getOvenLoad',
      summary: 'Current oven workload',
      responses: { '200': { description: 'oven workload' } },
    },
  };
  return {
    openapi: '3.0.3',
    info: { title: 'Kitchen', version: '1.0.0' },
    servers: [{ url: 'https://kitchen.example' }],
    paths,
  };
}

beforeAll(async () => {
  model = await startFakeOpenAiServer({ embeddingDimension: 8 });
  platform = await startTestPlatform('embedded', {
    AWP_LLM_PROVIDER: 'openai',
    AWP_LLM_BASE_URL: model.baseUrl,
    AWP_LLM_API_KEY: model.apiKey,
    AWP_LLM_MODEL: 'fake-model',
    AWP_EMBEDDINGS_PROVIDER: 'openai',
    AWP_EMBEDDINGS_BASE_URL: model.baseUrl,
    AWP_EMBEDDINGS_API_KEY: model.apiKey,
    AWP_EMBEDDINGS_MODEL: 'fake-embeddings',
    AWP_EMBEDDINGS_DIMENSIONS: '8',
  });
  const sign = (accountId: string) =>
    platform.devIssuer!.sign({ accountId, roles: ['owner'], userId: 'chef', ttlSeconds: 900 });
  token = await sign('retrieval-bistro');
  rivalToken = await sign('retrieval-rival');
}, 120_000);

afterAll(async () => {
  await platform?.stop();
  await model?.close();
});

// After each test, not before: the first reads what the import (in `beforeAll`) sent.
afterEach(() => {
  model.reset();
  model.embedWith(conceptEmbedder);
});

async function call(path: string, body?: unknown, as = token) {
  const response = await fetch(`${platform.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${as}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json().catch(() => null)) as any };
}

/** Asks one question in a new conversation; the prompt the model received. */
async function promptFor(question: string, as = token): Promise<string> {
  model.reply({ text: 'Let me look.' });
  const started = await call('/v1/conversations', { title: 'capacity' }, as);
  const posted = await call(
    `/v1/conversations/${started.body.conversationId}/messages`,
    { content: question },
    as,
  );
  expect(posted.status, JSON.stringify(posted.body)).toBe(201);
  return JSON.stringify(model.chatBodies().at(-1)?.messages);
}

describe('catalog operations by meaning', () => {
  beforeAll(async () => {
    model.embedWith(conceptEmbedder);
    const imported = await call('/v1/connectors', { name: 'kitchen', document: kitchenDocument() });
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    const rival = await call(
      '/v1/connectors',
      {
        name: 'billing',
        document: {
          ...kitchenDocument(),
          info: { title: 'Billing', version: '1.0.0' },
          paths: {
            '/invoices': {
              get: {
                operationId: 'listInvoices',
                summary: 'List invoices',
                responses: { '200': { description: 'invoices' } },
              },
            },
          },
        },
      },
      rivalToken,
    );
    expect(rival.status, JSON.stringify(rival.body)).toBe(201);
  });

  it('embeds an imported connector’s operations in the background, in batches', async () => {
    const batches = await eventually(async () => {
      const inputs = model.requests
        .filter((request) => request.path === '/v1/embeddings')
        .map((request) => (request.body as { input: string | string[] }).input)
        .filter((input): input is string[] => Array.isArray(input) && input.length > 1);
      return inputs.length > 0 ? inputs : undefined;
    });
    // All 26 operations in one request: the batch is 128.
    expect(batches[0]).toHaveLength(26);
    expect(batches[0]).toContain('getOvenLoad: GET /z/ovens/load\nCurrent oven workload');
  });

  it('brings in the operation a question means, though it shares no word with it', async () => {
    const prompt = await promptFor('How busy are the cooks right now?');
    expect(prompt).toContain('getOvenLoad');
  });

  it('searches by words alone when the embeddings model fails, and still replies', async () => {
    model.failEmbeddings({ status: 503, message: 'overloaded' });
    // Not the question above: its vector would still be reused (queries are kept a minute).
    const prompt = await promptFor('How busy are the cooks at this moment?');
    // Nothing matches by words: the catalog's first operations stand in, the oven's is last.
    expect(prompt).toContain('listWidgets0');
    expect(prompt).not.toContain('getOvenLoad');
  });

  it('keeps each tenant to its own operations', async () => {
    const rivalPrompt = await promptFor('How busy are the cooks? Any invoices?', rivalToken);
    expect(rivalPrompt).toContain('listInvoices');
    expect(rivalPrompt).not.toContain('getOvenLoad');
    expect(rivalPrompt).not.toContain('listWidgets');
    const ownPrompt = await promptFor('Any invoices to bill?');
    expect(ownPrompt).not.toContain('listInvoices');
  });
});
