import type { ToolCall } from './llmProvider.js';
import type { RoutedAnswer, RoutedStream } from './modelRouter.js';

/** A whole answer: for callers that need the complete text (DSL generation, summaries). */
export interface CollectedAnswer extends RoutedAnswer {
  text: string;
  toolCalls: ToolCall[];
}

/** Reads a routed stream to its end; `onText` sees each text delta as it arrives. */
export async function collectAnswer(
  stream: RoutedStream,
  onText?: (delta: string) => void,
): Promise<CollectedAnswer> {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for await (const chunk of stream) {
    if (chunk.type === 'text') {
      text += chunk.text;
      onText?.(chunk.text);
    } else if (chunk.type === 'tool_call') {
      toolCalls.push(chunk.call);
    }
  }
  return { ...(await stream.answer), text, toolCalls };
}
