import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAiServer } from './support/fakeLlm/index.js';
import type { FakeOpenAiServer } from './support/fakeLlm/index.js';
import { startTestPlatform } from './support/testPlatform.js';
import type { TestPlatform } from './support/testPlatform.js';

/**
 * `AWP_WORKFLOW_URL`: the agent publishes approved drafts and sends dry runs to the workflow
 * service it names, not to its own process. Two platforms trust one identity provider; the
 * user converses on the second, and the approved workflow appears on the first only.
 */
let workflowService: TestPlatform;
let agentSide: TestPlatform;
let model: FakeOpenAiServer;
let token: string;

const issuer = 'https://idp.workflow-url.test';

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'shared', alg: 'RS256', use: 'sig' };
  const identity = {
    AWP_OIDC_ISSUERS: JSON.stringify([
      { issuer, audience: 'awp-api', keys: { keys: [jwk] }, algorithms: ['RS256'] },
    ]),
  };
  token = await new SignJWT({ awp_account: 'split-co', roles: ['owner'] })
    .setProtectedHeader({ alg: 'RS256', kid: 'shared' })
    .setIssuer(issuer)
    .setAudience('awp-api')
    .setSubject('planner')
    .setExpirationTime('15m')
    .sign(privateKey);
  model = await startFakeOpenAiServer();
  workflowService = await startTestPlatform('embedded', identity);
  agentSide = await startTestPlatform('embedded', {
    ...identity,
    AWP_LLM_PROVIDER: 'openai',
    AWP_LLM_BASE_URL: model.baseUrl,
    AWP_LLM_API_KEY: model.apiKey,
    AWP_LLM_MODEL: 'fake-model',
    // A trailing slash is forgiven.
    AWP_WORKFLOW_URL: `${workflowService.url}/`,
  });
}, 120_000);

afterAll(async () => {
  await agentSide?.stop();
  await workflowService?.stop();
  await model?.close();
});

async function call(base: TestPlatform, path: string, body?: unknown) {
  const response = await fetch(`${base.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, body: (await response.json().catch(() => null)) as any };
}

describe('AWP_WORKFLOW_URL', () => {
  it('publishes approved drafts and runs dry runs on the workflow service it names', async () => {
    const document = `document: { dsl: '1.0.3', namespace: planning, name: greet, version: '1.0.0' }
do:
  - greet: { set: { greeting: hello } }
`;
    model.reply({
      text: 'Here it is.',
      toolCalls: [{ name: 'propose_workflow', arguments: { document } }],
      usage: { inputTokens: 10, outputTokens: 10 },
    });
    const started = await call(agentSide, '/v1/conversations', { title: 'Greeting' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const conversationId = started.body.conversationId as string;
    const posted = await call(agentSide, `/v1/conversations/${conversationId}/messages`, {
      content: 'Say hello.',
    });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const draftId = posted.body.reply.metadata.draftId as string;
    const drafts = `/v1/conversations/${conversationId}/drafts/${draftId}`;

    const simulated = await call(agentSide, `${drafts}/simulate`, {});
    expect(simulated.status, JSON.stringify(simulated.body)).toBe(200);
    expect(simulated.body.simulation).toMatchObject({
      status: 'completed',
      output: { greeting: 'hello' },
    });

    const approved = await call(agentSide, `${drafts}/approve`, {});
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const workflowId = approved.body.workflowId as string;
    const there = await call(workflowService, `/v1/workflows/${workflowId}`);
    expect(there.status).toBe(200);
    expect(there.body).toMatchObject({ namespace: 'planning', name: 'greet' });
    expect((await call(agentSide, `/v1/workflows/${workflowId}`)).status).toBe(404);
  });
});
