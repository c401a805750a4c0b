import type Anthropic from '@anthropic-ai/sdk';
import { LlmProviderError } from '../../domains/agent/llm/llmProvider.js';
import type { ChatMessage, ChatRequest } from '../../domains/agent/llm/llmProvider.js';
import { schemaName } from './openAiRequest.js';

type Params = Anthropic.MessageCreateParamsStreaming;
type Block = Anthropic.ContentBlockParam;

/** The tool that carries a structured answer (see `anthropicParams`). */
export interface AnswerTool {
  name: string;
  /** True when the schema's root is not an object and sits under `value` in the tool input. */
  wrapped: boolean;
}

/**
 * The Messages API request for `request`. Anthropic has no JSON-schema response format, so a
 * `responseSchema` becomes a tool the model is forced to call (`tool_choice`), whose input
 * schema is the response schema: the tool input is the answer. Tool inputs must be objects, so
 * another root (an array, say) is wrapped as `{ value }`.
 */
export function anthropicParams(
  request: ChatRequest,
  provider: string,
  defaultMaxOutputTokens: number,
): { params: Params; answerTool: AnswerTool | undefined } {
  const tools: Anthropic.Tool[] = (request.tools ?? []).map((tool) => ({
    name: tool.name,
    description: tool.description,
    input_schema: tool.parameters as Anthropic.Tool.InputSchema,
  }));
  const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content);
  let answerTool: AnswerTool | undefined;
  const schema = request.responseSchema;
  if (schema) {
    let name = schemaName(schema.name);
    while (tools.some((tool) => tool.name === name)) name = `${name}_answer`.slice(-64);
    const wrapped = schema.schema.type !== 'object';
    tools.push({
      name,
      description: `Gives your whole answer, as data matching the ${schema.name} schema.`,
      input_schema: (wrapped
        ? { type: 'object', properties: { value: schema.schema }, required: ['value'] }
        : schema.schema) as Anthropic.Tool.InputSchema,
    });
    system.push(`Answer by calling the tool "${name}" once; its input is your whole answer.`);
    answerTool = { name, wrapped };
  }
  return {
    params: {
      model: request.model,
      max_tokens: request.maxOutputTokens ?? defaultMaxOutputTokens,
      messages: toMessages(request.messages, provider),
      stream: true,
      ...(system.length > 0 ? { system: system.join('\n\n') } : {}),
      ...(tools.length > 0 ? { tools } : {}),
      ...(answerTool ? { tool_choice: { type: 'tool' as const, name: answerTool.name } } : {}),
      ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
    },
    answerTool,
  };
}

/**
 * Conversation turns as Anthropic wants them: tool results are `tool_result` blocks of a user
 * turn, tool calls `tool_use` blocks of an assistant turn, and consecutive messages of one role
 * share a turn (all results of one assistant turn must come back in the next user turn).
 */
function toMessages(messages: readonly ChatMessage[], provider: string): Anthropic.MessageParam[] {
  const turns: { role: 'user' | 'assistant'; content: Block[] }[] = [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = blocksOf(message, provider);
    if (blocks.length === 0) continue;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  }
  return turns;
}

function blocksOf(message: ChatMessage, provider: string): Block[] {
  if (message.role === 'tool') {
    if (!message.toolCallId) {
      throw new LlmProviderError(
        provider,
        'bad_request',
        'a tool message needs the id of the call it answers',
      );
    }
    return [{ type: 'tool_result', tool_use_id: message.toolCallId, content: message.content }];
  }
  // The API refuses empty text blocks.
  const text: Block[] = message.content === '' ? [] : [{ type: 'text', text: message.content }];
  const calls: Block[] = (message.toolCalls ?? []).map((call) => ({
    type: 'tool_use',
    id: call.id,
    name: call.name,
    input: parseArguments(call.arguments, call.name, provider),
  }));
  return [...text, ...calls];
}

function parseArguments(text: string, tool: string, provider: string): unknown {
  try {
    return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
  } catch {
    throw new LlmProviderError(
      provider,
      'bad_request',
      `the arguments of an earlier call to tool '${tool}' are not JSON`,
    );
  }
}
