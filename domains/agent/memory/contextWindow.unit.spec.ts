import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { AwpError } from '../../../contracts/index.js';
import type { ChatMessage } from '../llm/index.js';
import { fitContextWindow, planContextWindow } from './contextWindow.js';
import type { ContextWindowOptions, SummaryRequest, Summarizer } from './contextWindow.js';

// One character, one token, no per-message overhead: budgets in these tests read as lengths.
const exact = { estimate: (text: string) => text.length, messageOverheadTokens: 0 };
const system: ChatMessage = { role: 'system', content: 'You write workflows.' }; // 20
const user = (content: string): ChatMessage => ({ role: 'user', content });
const assistant = (content: string): ChatMessage => ({ role: 'assistant', content });
const conversation = (n: number, length = 50) =>
  Array.from({ length: n }, (_, i) =>
    (i % 2 === 0 ? user : assistant)(`${i}`.padEnd(length, i % 2 === 0 ? 'q' : 'a')),
  );

const summarizerSaying = (text: (request: SummaryRequest) => string) => {
  const summarize = vi.fn(async (request: SummaryRequest) => text(request));
  return { summarizer: { summarize } satisfies Summarizer, summarize };
};
const cost = (messages: readonly ChatMessage[]) =>
  messages.reduce((total, m) => total + m.content.length, 0);

describe('context window', () => {
  it('sends the conversation unchanged when everything fits, without summarising', async () => {
    const turns = [system, ...conversation(4)];
    const { summarizer, summarize } = summarizerSaying(() => 'unused');
    const window = await fitContextWindow(turns, { budgetTokens: 1_000, ...exact }, summarizer);
    expect(window).toMatchObject({ messages: turns, foldedTurns: 0, truncated: false });
    expect(window.summary).toBeUndefined();
    expect(summarize).not.toHaveBeenCalled();
  });

  it('folds the oldest turns into a summary placed after the system prompt', async () => {
    const turns = [system, ...conversation(10)];
    const { summarizer, summarize } = summarizerSaying(({ turns }) => `${turns.length} turns`);
    const options = {
      budgetTokens: 500,
      summaryTokens: 250,
      summarizerInputTokens: 5_000,
      ...exact,
    };
    const window = await fitContextWindow(turns, options, summarizer);

    // 500 - 20 (system) - 250 (summary) leaves 230: the four newest turns of 50 each.
    expect(window.foldedTurns).toBe(6);
    expect(summarize.mock.calls[0]?.[0].turns).toEqual(turns.slice(1, 7));
    expect(window.messages[0]).toBe(system);
    expect(window.messages[1]?.content).toContain('<untrusted-data source="conversation-summary">');
    expect(window.messages[1]?.content).toContain('6 turns');
    expect(window.messages.slice(2)).toEqual(turns.slice(7));
    expect(window.summary).toBe('6 turns');
    expect(window.estimatedTokens).toBeLessThanOrEqual(500);
  });

  it('cuts one huge newest message to fit, keeping its start and its end', async () => {
    const huge = user(`START ${'x'.repeat(10_000)} END`);
    const { summarizer } = summarizerSaying(() => 'earlier: greetings');
    const options = { budgetTokens: 700, summaryTokens: 300, ...exact };
    const window = await fitContextWindow([system, ...conversation(2), huge], options, summarizer);

    const last = window.messages[window.messages.length - 1]!;
    expect(last.content.startsWith('START')).toBe(true);
    expect(last.content.endsWith('END')).toBe(true);
    expect(last.content).toContain('characters omitted');
    expect(window.truncated).toBe(true);
    expect(window.estimatedTokens).toBeLessThanOrEqual(700);
  });

  it('gives the summarizer a cut copy of an older message too big for one call', async () => {
    const turns = [user('q'.repeat(5_000)), ...conversation(2)];
    const { summarizer, summarize } = summarizerSaying(() => 'a long question was asked');
    const options = { budgetTokens: 600, summaryTokens: 300, ...exact };
    await fitContextWindow(turns, options, summarizer);
    const request = summarize.mock.calls[0]![0];
    expect(request.turns[0]?.content).toContain('characters omitted');
    // The call's input (turns and the summary it may write) stays within one call's budget.
    expect(cost(request.turns) + request.maxTokens).toBeLessThanOrEqual(600);
  });

  it('cuts a summary that comes back longer than its reserved share', async () => {
    const { summarizer } = summarizerSaying(() => 'S'.repeat(5_000));
    const options = { budgetTokens: 500, summaryTokens: 250, ...exact };
    const window = await fitContextWindow([system, ...conversation(10)], options, summarizer);
    expect(window.truncated).toBe(true);
    expect(window.summary).toMatch(/^S+\n\[… \d+ characters omitted/);
    expect(window.summary!.length).toBeLessThan(250);
    expect(window.estimatedTokens).toBeLessThanOrEqual(500);
  });

  it('cuts an earlier summary that alone no longer fits, with nothing new to fold', async () => {
    const { summarizer, summarize } = summarizerSaying(() => 'unused');
    const options: ContextWindowOptions = {
      budgetTokens: 500,
      summaryTokens: 300,
      priorSummary: 'P'.repeat(1_000),
      ...exact,
    };
    const window = await fitContextWindow([system, ...conversation(2)], options, summarizer);
    expect(summarize).not.toHaveBeenCalled();
    expect(window.foldedTurns).toBe(0);
    expect(window.summary).toContain('characters omitted');
    expect(window.estimatedTokens).toBeLessThanOrEqual(500);
  });

  it('summarises in rounds, each continuing the previous summary, when one call cannot hold all', async () => {
    const { summarizer, summarize } = summarizerSaying(
      ({ previousSummary, turns }) => `${previousSummary ?? ''}+${turns.length}`,
    );
    const options = { budgetTokens: 400, summaryTokens: 150, summarizerInputTokens: 150, ...exact };
    const window = await fitContextWindow(conversation(12), options, summarizer);
    const calls = summarize.mock.calls.map(([request]) => request);
    expect(calls.length).toBeGreaterThan(1);
    let expected: string | undefined;
    for (const request of calls) {
      expect(request.previousSummary).toBe(expected);
      expect(cost(request.turns) + request.maxTokens).toBeLessThanOrEqual(150);
      expected = `${expected ?? ''}+${request.turns.length}`;
    }
    // 400 - 150 keeps the five newest turns: the seven before them are summarised, in order.
    expect(calls.flatMap((request) => request.turns)).toEqual(conversation(12).slice(0, 7));
    expect(window.summary).toBe(expected);
  });

  it('never separates a tool result from the assistant message that called the tool', () => {
    const call: ChatMessage = {
      role: 'assistant',
      content: 'looking it up',
      toolCalls: [{ id: 'c1', name: 'catalog', arguments: '{}' }],
    };
    const result: ChatMessage = { role: 'tool', content: 'r'.repeat(60), toolCallId: 'c1' };
    const turns = [...conversation(4), call, result, user('and now?')];
    // Room for the result and the question, not for the call: both go into the summary.
    const plan = planContextWindow(turns, { budgetTokens: 120, summaryTokens: 40, ...exact });
    expect(plan.keep).toEqual([user('and now?')]);
    expect(plan.fold.slice(-2)).toEqual([call, result]);
  });

  it('refuses a budget smaller than the system prompt', () => {
    const plan = () => planContextWindow([system, user('hi')], { budgetTokens: 10, ...exact });
    expect(plan).toThrow(AwpError);
    expect(plan).toThrow(/system prompt alone/);
  });

  it('counts about four characters a token by default, plus each message framing', () => {
    // 400 characters are 100 tokens, and the message's framing 4 more.
    const turns = [user('x'.repeat(400))];
    expect(planContextWindow(turns, { budgetTokens: 104 })).toMatchObject({ truncated: false });
    expect(planContextWindow(turns, { budgetTokens: 103 })).toMatchObject({ truncated: true });
  });

  it('always stays within the budget and ends with the newest turn', async () => {
    const turn = fc.record({
      role: fc.constantFrom('user' as const, 'assistant' as const),
      content: fc.string({ maxLength: 400 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(turn, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 120, max: 2_000 }),
        fc.string({ maxLength: 600 }),
        async (turns, budgetTokens, said) => {
          const { summarizer } = summarizerSaying(() => said);
          const window = await fitContextWindow(turns, { budgetTokens, ...exact }, summarizer);
          expect(cost(window.messages)).toBeLessThanOrEqual(budgetTokens);
          const newest = turns[turns.length - 1]!;
          const last = window.messages[window.messages.length - 1]!;
          expect(last.role).toBe(newest.role);
          expect(newest.content.startsWith(last.content.split('\n[…')[0]!)).toBe(true);
        },
      ),
    );
  });
});
