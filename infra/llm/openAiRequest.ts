import type OpenAI from 'openai';
import { LlmProviderError } from '../../domains/agent/llm/llmProvider.js';
import type { ChatMessage, ChatRequest } from '../../domains/agent/llm/llmProvider.js';

type Params = OpenAI.Chat.ChatCompletionCreateParamsStreaming;
type Message = OpenAI.Chat.ChatCompletionMessageParam;

/**
 * How a structured answer is asked for. `json_schema` is OpenAI's, and vLLM, Ollama (0.5+) and
 * llama.cpp accept it too; `json_object` is for servers that only know JSON mode; `instruction`
 * for those with neither. The last two put the schema in a system message.
 */
export type ResponseFormatMode = 'json_schema' | 'json_object' | 'instruction';

export interface OpenAiRequestOptions {
  provider: string;
  includeUsage: boolean;
  responseFormat: ResponseFormatMode;
  /** OpenAI's reasoning models refuse `max_tokens`; many other servers know only it. */
  maxTokensParameter: 'max_tokens' | 'max_completion_tokens';
}

/** The chat-completions request for `request`. */
export function openAiParams(request: ChatRequest, options: OpenAiRequestOptions): Params {
  const schema = request.responseSchema;
  const instructed = schema !== undefined && options.responseFormat !== 'json_schema';
  const messages = request.messages.map((message) => toMessage(message, options.provider));
  if (instructed) messages.unshift({ role: 'system', content: schemaInstruction(schema) });
  return {
    model: request.model,
    messages,
    stream: true,
    ...(options.includeUsage ? { stream_options: { include_usage: true } } : {}),
    ...(request.tools && request.tools.length > 0
      ? {
          tools: request.tools.map((tool) => ({
            type: 'function' as const,
            function: {
              name: tool.name,
              description: tool.description,
              parameters: tool.parameters,
            },
          })),
        }
      : {}),
    ...(schema && options.responseFormat === 'json_schema'
      ? {
          response_format: {
            type: 'json_schema' as const,
            // strict: false, since strict mode refuses schemas without additionalProperties:
            // false everywhere, and servers other than OpenAI ignore or reject it.
            json_schema: { name: schemaName(schema.name), schema: schema.schema, strict: false },
          },
        }
      : {}),
    ...(schema && options.responseFormat === 'json_object'
      ? { response_format: { type: 'json_object' as const } }
      : {}),
    ...(request.maxOutputTokens === undefined
      ? {}
      : { [options.maxTokensParameter]: request.maxOutputTokens }),
    ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
  };
}

function toMessage(message: ChatMessage, provider: string): Message {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant':
      return {
        role: 'assistant',
        // With tool calls and no text, OpenAI wants null rather than an empty string.
        content: message.content === '' && message.toolCalls?.length ? null : message.content,
        ...(message.toolCalls?.length
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      };
    case 'tool':
      if (!message.toolCallId) {
        throw new LlmProviderError(
          provider,
          'bad_request',
          'a tool message needs the id of the call it answers',
        );
      }
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

/** OpenAI accepts 1–64 characters of `[A-Za-z0-9_-]` as a schema name. */
export function schemaName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return safe === '' ? 'answer' : safe;
}

/** Also says "JSON", which OpenAI's JSON mode requires somewhere in the messages. */
export function schemaInstruction(schema: {
  name: string;
  schema: Record<string, unknown>;
}): string {
  return (
    `Answer with one JSON value only, no prose and no code fences, matching this JSON Schema ` +
    `(${schema.name}):\n${JSON.stringify(schema.schema)}`
  );
}
