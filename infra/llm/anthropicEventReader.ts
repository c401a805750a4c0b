import type Anthropic from '@anthropic-ai/sdk';
import type { ChatChunk, TokenUsage } from '../../domains/agent/llm/llmProvider.js';
import type { AnswerTool } from './anthropicRequest.js';

interface OpenBlock {
  kind: 'tool' | 'answer';
  id: string;
  name: string;
  json: string;
}

/** Anthropic's stop reasons in the port's (OpenAI's) words, so callers check one vocabulary. */
const finishReasons: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  tool_use: 'tool_calls',
  max_tokens: 'length',
};

/**
 * Turns Messages API stream events into the port's chunks: text deltas as they come, a tool
 * call whole at its block's end (its input arrives as JSON pieces). Input tokens come with
 * `message_start`, output tokens (cumulative) with `message_delta`.
 */
export class AnthropicEventReader {
  private readonly blocks = new Map<number, OpenBlock>();
  private readonly usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  private usageSeen = false;
  private answered = false;
  stopReason: string | undefined;
  stopped = false;

  constructor(private readonly answerTool: AnswerTool | undefined) {}

  read(event: Anthropic.RawMessageStreamEvent): ChatChunk[] {
    switch (event.type) {
      case 'message_start': {
        const usage = event.message.usage;
        // Cached prompt tokens are prompt tokens too: all three are billed.
        this.usage.inputTokens =
          usage.input_tokens +
          (usage.cache_creation_input_tokens ?? 0) +
          (usage.cache_read_input_tokens ?? 0);
        this.usage.outputTokens = usage.output_tokens;
        this.usageSeen = true;
        return [];
      }
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'tool_use') {
          const kind = block.name === this.answerTool?.name ? 'answer' : 'tool';
          this.blocks.set(event.index, { kind, id: block.id, name: block.name, json: '' });
        }
        return [];
      }
      case 'content_block_delta':
        return this.delta(event);
      case 'content_block_stop':
        return this.stop(event.index);
      case 'message_delta':
        this.stopReason = event.delta.stop_reason ?? this.stopReason;
        if (event.usage.input_tokens !== null && event.usage.input_tokens !== undefined) {
          this.usage.inputTokens = event.usage.input_tokens;
        }
        this.usage.outputTokens = event.usage.output_tokens;
        this.usageSeen = true;
        return [];
      case 'message_stop':
        this.stopped = true;
        return [];
      default:
        return [];
    }
  }

  close(): ChatChunk[] {
    const reason = this.answered
      ? 'stop'
      : (finishReasons[this.stopReason ?? ''] ?? this.stopReason);
    return [
      ...(this.usageSeen ? [{ type: 'usage' as const, usage: { ...this.usage } }] : []),
      { type: 'done', finishReason: reason ?? 'stop' },
    ];
  }

  private delta(event: Anthropic.RawContentBlockDeltaEvent): ChatChunk[] {
    const delta = event.delta;
    if (delta.type === 'text_delta') return delta.text ? [{ type: 'text', text: delta.text }] : [];
    if (delta.type !== 'input_json_delta') return [];
    const block = this.blocks.get(event.index);
    if (!block || delta.partial_json === '') return [];
    block.json += delta.partial_json;
    // A structured answer streams as text, piece by piece, unless it has to be unwrapped first.
    if (block.kind === 'answer' && !this.answerTool?.wrapped) {
      return [{ type: 'text', text: delta.partial_json }];
    }
    return [];
  }

  private stop(index: number): ChatChunk[] {
    const block = this.blocks.get(index);
    if (!block) return [];
    this.blocks.delete(index);
    if (block.kind === 'tool') {
      return [
        {
          type: 'tool_call',
          call: { id: block.id, name: block.name, arguments: block.json || '{}' },
        },
      ];
    }
    this.answered = true;
    if (!this.answerTool?.wrapped) return [];
    const input = JSON.parse(block.json || '{}') as { value?: unknown };
    return [{ type: 'text', text: JSON.stringify(input.value ?? null) }];
  }
}
