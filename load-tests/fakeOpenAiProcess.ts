import { startFakeOpenAiServer } from '../test/support/fakeLlm/index.js';
import type { FakeReply } from '../test/support/fakeLlm/index.js';

/*
 * The fake OpenAI server as its own process (`node --import tsx load-tests/fakeOpenAiProcess.ts`),
 * so that streaming thousands of chunks does not share an event loop with the load generator
 * whose timings it would distort. Every chat completion gets the same streamed reply:
 *   FAKE_TOKENS            how many tokens (default 5): ` t0`, ` t1`, …
 *   FAKE_FIRST_TOKEN_MS    wait before the first token (default 0)
 *   FAKE_TOKEN_DELAY_MS    wait between tokens (default 0)
 * unless the agent's authoring protocol is scripted:
 *   FAKE_PROPOSAL          a request offering tools gets these tokens and then a
 *                          `propose_workflow` call with this document
 *   FAKE_REPAIR            a request asking for a JSON-schema answer (a repair) gets
 *                          `{"document": <this>}` as its text
 * Prints one JSON line `{"baseUrl","apiKey"}` on stdout once it listens; stops on SIGTERM.
 */
const count = Number(process.env.FAKE_TOKENS ?? 5);
const tokens = Array.from({ length: count }, (_, i) => ` t${i}`);
const firstTokenDelayMs = Number(process.env.FAKE_FIRST_TOKEN_MS ?? 0);
const tokenDelayMs = Number(process.env.FAKE_TOKEN_DELAY_MS ?? 0);
const proposal = process.env.FAKE_PROPOSAL;
const repair = process.env.FAKE_REPAIR;

const fake = await startFakeOpenAiServer({
  handler: (request) => {
    // The fake records every request for tests' assertions; here that would only hold every
    // prompt (several KiB each) in memory for the whole run.
    fake.requests.length = 0;
    const body = request.body as { tools?: unknown[]; response_format?: unknown };
    const reply: FakeReply = { tokens, firstTokenDelayMs, tokenDelayMs };
    if (proposal !== undefined && body.tools) {
      return {
        ...reply,
        toolCalls: [{ name: 'propose_workflow', arguments: { document: proposal } }],
      };
    }
    if (repair !== undefined && body.response_format) {
      return { text: JSON.stringify({ document: repair }) };
    }
    return reply;
  },
});
process.stdout.write(`${JSON.stringify({ baseUrl: fake.baseUrl, apiKey: fake.apiKey })}\n`);
process.once('SIGTERM', () => {
  void fake.close().then(() => process.exit(0));
});
