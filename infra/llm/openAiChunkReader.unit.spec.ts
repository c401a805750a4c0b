import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { OpenAiChunkReader } from './openAiChunkReader.js';

type Delta = OpenAI.Chat.ChatCompletionChunk.Choice.Delta;

function chunk(
  delta: Delta,
  finish: OpenAI.Chat.ChatCompletionChunk.Choice['finish_reason'] = null,
  usage?: { prompt_tokens: number; completion_tokens: number },
): OpenAI.Chat.ChatCompletionChunk {
  return {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...(usage
      ? { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }
      : {}),
  };
}

describe('reading OpenAI stream chunks', () => {
  it('takes whole tool calls sent without an index (Ollama) and reports tool_calls after stop', () => {
    const reader = new OpenAiChunkReader();
    const out = [
      ...reader.read(
        chunk({
          tool_calls: [
            { id: 'a', function: { name: 'one', arguments: '{}' } },
            { id: 'b', function: { name: 'two', arguments: '{"x":1}' } },
          ] as Delta['tool_calls'],
        }),
      ),
      ...reader.read(chunk({}, 'stop')),
      ...reader.close(),
    ];
    expect(out).toEqual([
      { type: 'tool_call', call: { id: 'a', name: 'one', arguments: '{}' } },
      { type: 'tool_call', call: { id: 'b', name: 'two', arguments: '{"x":1}' } },
      { type: 'done', finishReason: 'tool_calls' },
    ]);
  });

  it('keeps only the last usage when a server reports it on every chunk (vLLM)', () => {
    const reader = new OpenAiChunkReader();
    reader.read(chunk({ content: 'a' }, null, { prompt_tokens: 5, completion_tokens: 1 }));
    reader.read(chunk({ content: 'b' }, 'stop', { prompt_tokens: 5, completion_tokens: 2 }));
    expect(reader.close()).toEqual([
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 2 } },
      { type: 'done', finishReason: 'stop' },
    ]);
  });

  it('gives a call with no arguments an empty JSON object', () => {
    const reader = new OpenAiChunkReader();
    reader.read(chunk({ tool_calls: [{ index: 0, id: 'a', function: { name: 'now' } }] }));
    expect(reader.read(chunk({}, 'tool_calls'))).toEqual([
      { type: 'tool_call', call: { id: 'a', name: 'now', arguments: '{}' } },
    ]);
  });
});
