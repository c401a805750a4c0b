import type { ConversationTurn } from '../generation/generationPrompt.js';
import type { ModelCall } from '../generation/workflowAuthor.js';
import type { ChatMessage } from '../llm/index.js';
import { fitContextWindow } from '../memory/contextWindow.js';
import type { Summarizer } from '../memory/contextWindow.js';
import type { ReplyTurn } from './replyTypes.js';

/** The conversation as a turn's prompt carries it. */
export interface HistoryWindow {
  /** The recent turns, verbatim (the newest cut in the middle if it alone is too long). */
  turns: ConversationTurn[];
  /** The system message summarising the older turns, when some were folded. */
  summary?: ChatMessage;
  foldedTurns: number;
  truncated: boolean;
}

/**
 * Fits the history into `budgetTokens`, folding the oldest turns into a summary. Only user
 * and assistant turns count: they are all the authoring prompt sends of a conversation.
 */
export async function fitHistory(
  history: readonly ReplyTurn[],
  budgetTokens: number,
  summarizer: Summarizer,
  signal?: AbortSignal,
): Promise<HistoryWindow> {
  const turns: ChatMessage[] = history
    .filter((turn) => turn.role === 'user' || turn.role === 'assistant')
    .map((turn) => ({ role: turn.role, content: turn.content }));
  const window = await fitContextWindow(turns, { budgetTokens }, summarizer, signal);
  // Nothing given was a system message: the only one in the window is the summary.
  const summary = window.messages.find((message) => message.role === 'system');
  return {
    turns: window.messages
      .filter((message) => message.role !== 'system')
      .map((message) => ({ role: message.role, content: message.content })),
    ...(summary ? { summary } : {}),
    foldedTurns: window.foldedTurns,
    truncated: window.truncated,
  };
}

/**
 * Puts the summary right after the system prompt of the first call, the one that carries the
 * conversation (the authoring prompt keeps only user and assistant turns of what it is given,
 * so the summary cannot travel as a turn). Repair rounds send no conversation, so no summary.
 */
export function withSummary(call: ModelCall, summary: ChatMessage | undefined): ModelCall {
  let pending = summary;
  return (request) => {
    if (!pending) return call(request);
    const firstTurn = request.messages.findIndex((message) => message.role !== 'system');
    const at = firstTurn === -1 ? request.messages.length : firstTurn;
    const messages = [...request.messages.slice(0, at), pending, ...request.messages.slice(at)];
    pending = undefined;
    return call({ ...request, messages });
  };
}
