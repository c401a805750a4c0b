import { describe, expect, it, vi } from 'vitest';
import type { ModelCall } from '../generation/workflowAuthor.js';
import type { ChatMessage, ChatRequest } from '../llm/index.js';
import type { SummaryRequest } from '../memory/contextWindow.js';
import { fitHistory, withSummary } from './historyWindow.js';
import type { ReplyTurn } from './replyTypes.js';

const turn = (i: number, role: ReplyTurn['role'] = i % 2 === 0 ? 'user' : 'assistant') => ({
  messageId: `m${i}`,
  role,
  content: `turn ${i} `.padEnd(400, i % 2 === 0 ? 'q' : 'a'),
});

const summarizing = () => {
  const summarize = vi.fn(
    async (request: SummaryRequest) => `${request.turns.length} earlier turns`,
  );
  return { summarize };
};

describe('history window', () => {
  it('keeps a short conversation verbatim and asks for no summary', async () => {
    const summarizer = summarizing();
    const window = await fitHistory([turn(0), turn(1), turn(2)], 24_000, summarizer);
    expect(window.turns.map((t) => t.content)).toEqual([0, 1, 2].map((i) => turn(i).content));
    expect(window).toMatchObject({ foldedTurns: 0, truncated: false });
    expect(window.summary).toBeUndefined();
    expect(summarizer.summarize).not.toHaveBeenCalled();
  });

  it('folds the oldest turns of a long conversation into a summary', async () => {
    const history = Array.from({ length: 12 }, (_, i) => turn(i));
    const summarizer = summarizing();
    // About 104 tokens a turn: 600 leave room for a summary and the few newest turns.
    const window = await fitHistory(history, 600, summarizer);
    expect(window.foldedTurns).toBeGreaterThan(0);
    expect(window.turns.at(-1)!.content).toBe(history.at(-1)!.content);
    expect(window.turns).toHaveLength(12 - window.foldedTurns);
    expect(window.summary?.role).toBe('system');
    expect(window.summary?.content).toMatch(/<untrusted-data[^>]*>\n\d+ earlier turns/);
    const folded = summarizer.summarize.mock.calls.flatMap(([request]) => request.turns);
    expect(folded.map((t) => t.content)).toEqual(
      history.slice(0, window.foldedTurns).map((t) => t.content),
    );
  });

  it('leaves out system and tool turns, which the authoring prompt does not send', async () => {
    const window = await fitHistory(
      [turn(0), turn(1, 'system'), turn(2, 'tool'), turn(3, 'assistant')],
      24_000,
      summarizing(),
    );
    expect(window.turns.map((t) => t.role)).toEqual(['user', 'assistant']);
  });
});

describe('summary in the first call', () => {
  const recording = () => {
    const requests: Array<Omit<ChatRequest, 'model'>> = [];
    const call: ModelCall = (request) => {
      requests.push(request);
      return (async function* () {})();
    };
    return { call, requests };
  };
  const summary: ChatMessage = { role: 'system', content: 'Summary: a bistro' };

  it('goes after the system prompt of the first call and into no later one', async () => {
    const { call, requests } = recording();
    const wrapped = withSummary(call, summary);
    const first = [
      { role: 'system' as const, content: 'rules' },
      { role: 'user' as const, content: 'hi' },
    ];
    for await (const _ of wrapped({ messages: first })) void _;
    for await (const _ of wrapped({ messages: first })) void _;
    expect(requests[0]!.messages.map((m) => m.content)).toEqual([
      'rules',
      'Summary: a bistro',
      'hi',
    ]);
    expect(requests[1]!.messages).toEqual(first);
  });

  it('changes nothing without a summary', async () => {
    const { call, requests } = recording();
    const messages = [{ role: 'user' as const, content: 'hi' }];
    for await (const _ of withSummary(call, undefined)({ messages })) void _;
    expect(requests[0]!.messages).toBe(messages);
  });
});
