/**
 * The one interface every language-model vendor is reached through. Adapters (infra/llm) map it
 * onto the vendors' SDKs; the router (modelRouter.ts) chooses among them. Chunks are the
 * vendor-neutral shape of a streamed answer: text deltas, complete tool calls, token usage.
 */

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  /** The vendor's id for the call; a `tool` message answers it by this id. */
  id: string;
  name: string;
  /** The arguments as the model wrote them: a JSON text, parsed by whoever runs the tool. */
  arguments: string;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** On assistant messages: the tools the model asked to call. */
  toolCalls?: readonly ToolCall[];
  /** On tool messages: the call this message answers. */
  toolCallId?: string;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

export interface ChatRequest {
  model: string;
  messages: readonly ChatMessage[];
  tools?: readonly ToolSpec[];
  /**
   * Constrain the answer to JSON matching `schema` where the vendor supports it (OpenAI
   * `response_format: json_schema`); other vendors get the schema as an instruction and the
   * caller validates the answer either way.
   */
  responseSchema?: { name: string; schema: Record<string, unknown> };
  maxOutputTokens?: number;
  temperature?: number;
  signal?: AbortSignal;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export type ChatChunk =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; call: ToolCall }
  | { type: 'usage'; usage: TokenUsage }
  | { type: 'done'; finishReason: string };

/** Why a provider call failed, so the router knows whether another provider may succeed. */
export type LlmFailureKind =
  | 'rate_limited'
  | 'unavailable'
  | 'timeout'
  | 'authentication'
  | 'bad_request'
  | 'content_filtered';

export class LlmProviderError extends Error {
  override name = 'LlmProviderError';
  constructor(
    readonly provider: string,
    readonly kind: LlmFailureKind,
    message: string,
    readonly details: { status?: number; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
  }

  /** Worth trying again, here or on another provider: the request itself was not at fault. */
  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'unavailable' || this.kind === 'timeout';
  }
}

export interface LlmProvider {
  /** The configured name (e.g. `openai`, `local-vllm`), used in events, metrics and errors. */
  readonly name: string;
  /** Streams one answer; throws `LlmProviderError` (before or during the stream). */
  stream(request: ChatRequest): AsyncIterable<ChatChunk>;
}

export interface EmbeddingsProvider {
  readonly name: string;
  readonly model: string;
  /** One vector per input text, in order. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}
