import type OpenAI from 'openai';
import type { ChatChunk, TokenUsage } from '../../domains/agent/llm/llmProvider.js';

interface PartialCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Turns OpenAI stream chunks into the port's chunks. Text goes out as it comes; a tool call's
 * id, name and argument pieces arrive spread over chunks, keyed by `index`, so calls go out
 * whole once the choice finishes. Usage comes last (a chunk with no choices) and some servers
 * repeat it on every chunk, so only the last one seen is kept.
 */
export class OpenAiChunkReader {
  private readonly calls = new Map<number, PartialCall>();
  private usage: TokenUsage | undefined;
  private refusal = '';
  private emittedCalls = 0;
  finishReason: string | undefined;

  read(chunk: OpenAI.Chat.ChatCompletionChunk): ChatChunk[] {
    if (chunk.usage) {
      this.usage = {
        inputTokens: chunk.usage.prompt_tokens,
        outputTokens: chunk.usage.completion_tokens,
      };
    }
    const choice = chunk.choices?.[0];
    if (!choice) return [];
    const out: ChatChunk[] = [];
    const delta = choice.delta ?? {};
    if (delta.content) out.push({ type: 'text', text: delta.content });
    if (delta.refusal) this.refusal += delta.refusal;
    for (const [position, piece] of (delta.tool_calls ?? []).entries()) {
      // Some servers send whole calls without an index: their position then says which.
      const index = piece.index ?? position;
      const call = this.calls.get(index) ?? { id: '', name: '', arguments: '' };
      if (piece.id) call.id = piece.id;
      if (piece.function?.name) call.name += piece.function.name;
      if (piece.function?.arguments) call.arguments += piece.function.arguments;
      this.calls.set(index, call);
    }
    if (choice.finish_reason) {
      this.finishReason = choice.finish_reason;
      out.push(...this.completedCalls());
    }
    return out;
  }

  /** What the model refused to say, when it refused (structured-output refusals). */
  get refused(): string | undefined {
    return this.refusal === '' ? undefined : this.refusal;
  }

  /** The closing chunks: usage when reported, and `done` with a vendor-neutral reason. */
  close(): ChatChunk[] {
    const out = this.completedCalls();
    if (this.usage) out.push({ type: 'usage', usage: this.usage });
    // Ollama and some llama.cpp builds say `stop` after tool calls; callers look for tool_calls.
    const reason =
      this.finishReason === 'stop' && this.emittedCalls > 0 ? 'tool_calls' : this.finishReason;
    out.push({ type: 'done', finishReason: reason ?? 'stop' });
    return out;
  }

  private completedCalls(): ChatChunk[] {
    const calls = [...this.calls.entries()].sort(([a], [b]) => a - b);
    this.calls.clear();
    this.emittedCalls += calls.length;
    return calls.map(([index, call]) => ({
      type: 'tool_call',
      call: { id: call.id || `call_${index}`, name: call.name, arguments: call.arguments || '{}' },
    }));
  }
}
