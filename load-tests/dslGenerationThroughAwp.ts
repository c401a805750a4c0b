import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { startKitchenApi } from '../test/support/servers/index.js';
import { startAgentPlatform, startConversation, startFakeOpenAiProcess } from './agentPlatform.js';
import type { AgentPlatform, FakeOpenAiProcess } from './agentPlatform.js';
import { latencyLine } from './agentStreaming.js';
import { authoredWorkflow, misnamedWorkflow } from './dslGeneration.js';

interface Posted {
  status: number;
  body: string;
}

async function post(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  dispatcher: Dispatcher,
): Promise<Posted> {
  const response = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    dispatcher,
  });
  return { status: response.statusCode, body: await response.body.text() };
}

/** What is wrong with the reply to a message, if anything: it must carry a repaired draft. */
function replyProblem(posted: Posted): string | undefined {
  if (posted.status !== 201) return `status ${posted.status}: ${posted.body.slice(0, 300)}`;
  const reply = JSON.parse(posted.body) as {
    assistantMessage: { content: string };
    reply: { metadata?: { draftId?: string } };
  };
  const content = reply.assistantMessage.content;
  if (!reply.reply.metadata?.draftId) return `no draft in the reply: ${content.slice(0, 300)}`;
  if (!/repair round 1/.test(content) || !/is valid/.test(content)) {
    return `not a draft valid after one repair: ${content.slice(0, 300)}`;
  }
  return undefined;
}

/**
 * The two chat completions of the round trip, sent straight to the fake as the platform's
 * client sends them (streamed): one offering the proposal tool, one asking for a JSON-schema
 * answer. The prompts are short; sending AWP's longer ones is part of what AWP adds.
 */
async function modelCallsDirect(fake: FakeOpenAiProcess, dispatcher: Dispatcher) {
  const headers = { authorization: `Bearer ${fake.apiKey}` };
  const base = {
    model: 'fake-model',
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: 'Check capacity, then schedule or reject.' }],
  };
  const calls = [
    {
      ...base,
      tools: [
        {
          type: 'function',
          function: { name: 'propose_workflow', parameters: { type: 'object' } },
        },
      ],
    },
    {
      ...base,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'repair', schema: { type: 'object' } },
      },
    },
  ];
  for (const body of calls) {
    const answered = await post(`${fake.baseUrl}/chat/completions`, headers, body, dispatcher);
    if (answered.status !== 200 || !answered.body.includes('[DONE]')) {
      throw new Error(`the fake answered ${answered.status}: ${answered.body.slice(0, 300)}`);
    }
  }
}

/**
 * Issue 7, DSL generation round trip, through the whole platform: a user's message to a fresh
 * conversation (`POST …/messages`, final message) on the built embedded AWP, whose tenant has
 * imported the kitchen API as a connector. The fake model (its own process) proposes a workflow
 * naming an operation the catalog lacks; AWP records the message, retrieves the catalog, builds
 * the prompt, validates and grounds the proposal, asks for one repair, validates the answer,
 * records the draft (`DSLGenerated`) and the reply. Platform time is that round trip minus the
 * same two model calls sent straight to the fake, paired and in alternating order.
 */
export async function dslGenerationThroughAwpBenchmark(requests = 150, warmUp = 20) {
  const kitchen = await startKitchenApi();
  const documentUri = `${kitchen.baseUrl}/openapi.json`;
  const fake = await startFakeOpenAiProcess({
    tokens: 3,
    proposal: misnamedWorkflow(documentUri),
    repair: authoredWorkflow(documentUri),
  });
  const dispatcher = new Agent({ connections: 4 });
  let awp: AgentPlatform | undefined;
  try {
    awp = await startAgentPlatform(fake, {
      AWP_OUTBOUND_ALLOW_HOSTS: new URL(kitchen.baseUrl).host,
    });
    const platform = awp;
    const headers = { authorization: `Bearer ${platform.token}` };
    const imported = await post(
      `${platform.url}/v1/connectors/import`,
      headers,
      { name: 'kitchen', url: documentUri },
      dispatcher,
    );
    if (imported.status !== 201) {
      throw new Error(`importing the kitchen API: ${imported.status} ${imported.body}`);
    }
    const through: number[] = [];
    const direct: number[] = [];
    const platformTime: number[] = [];
    for (let i = 0; i < warmUp + requests; i++) {
      const conversationId = await startConversation(platform.url, platform.token);
      const viaAwp = async () => {
        const started = performance.now();
        const posted = await post(
          `${platform.url}/v1/conversations/${conversationId}/messages`,
          headers,
          { content: 'When an order arrives, check kitchen capacity, then schedule or reject it.' },
          dispatcher,
        );
        const problem = replyProblem(posted);
        if (problem) throw new Error(`AWP: ${problem}`);
        return performance.now() - started;
      };
      const straight = async () => {
        const started = performance.now();
        await modelCallsDirect(fake, dispatcher);
        return performance.now() - started;
      };
      let ours: number;
      let theirs: number;
      if (i % 2 === 0) {
        theirs = await straight();
        ours = await viaAwp();
      } else {
        ours = await viaAwp();
        theirs = await straight();
      }
      if (i < warmUp) continue;
      through.push(ours);
      direct.push(theirs);
      platformTime.push(ours - theirs);
    }
    console.log(
      `\n## DSL generation round trip through AWP: POST …/messages → draft valid after 1 repair, embedded, ${requests} sequential (target: platform time p50 < 100 ms)`,
    );
    console.log(latencyLine('the same 2 model calls straight to the fake', direct, 46));
    console.log(latencyLine('AWP: message → repaired draft recorded', through, 46));
    console.log(latencyLine('platform time (AWP − straight, paired)', platformTime, 46));
  } finally {
    await awp?.stop();
    await fake.stop();
    await dispatcher.close();
    await kitchen.close();
  }
}
