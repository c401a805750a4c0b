import type { DslProblem } from '../../../dsl/index.js';
import type { ChatChunk, ChatRequest, TokenUsage } from '../llm/llmProvider.js';
import { checkDraft } from './draftValidation.js';
import type { DraftCheck } from './draftValidation.js';
import {
  authoringMessages,
  proposeWorkflowTool,
  repairMessages,
  repairedDocumentSchema,
} from './generationPrompt.js';
import type { AuthoringContext, ConversationTurn } from './generationPrompt.js';

/** One model call, already routed to a provider and model by the caller. */
export type ModelCall = (request: Omit<ChatRequest, 'model'>) => AsyncIterable<ChatChunk>;

export interface Proposal {
  document: string;
  check: DraftCheck;
  /** Repair rounds used (0: the first proposal validated). */
  repairRounds: number;
  /** The repair budget ran out with problems left. */
  exhausted: boolean;
  note?: string;
}

export interface AuthoredReply {
  /** What the model said to the user, streamed as tokens. */
  text: string;
  proposal?: Proposal;
  usage: TokenUsage;
}

export type AuthorEvent =
  | { type: 'token'; text: string }
  | { type: 'repairing'; round: number; problems: readonly DslProblem[] }
  | { type: 'reply'; reply: AuthoredReply };

export interface AuthorOptions {
  /** Repair rounds after the first proposal; 0 disables repair. */
  maxRepairRounds: number;
  signal?: AbortSignal;
}

/**
 * One agent turn: stream the model's answer to the user; when it proposes a workflow, check it
 * (DSL validation, grounding, placeholders) and send the positioned problems back for at most
 * `maxRepairRounds` rounds. Open placeholders are the user's to fill, so they never trigger a
 * repair.
 */
export async function* authorReply(
  call: ModelCall,
  context: AuthoringContext,
  turns: readonly ConversationTurn[],
  options: AuthorOptions,
): AsyncGenerator<AuthorEvent> {
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  let text = '';
  let proposed: { document?: string; note?: string; problem?: string } | undefined;
  for await (const chunk of call({
    messages: authoringMessages(context, turns),
    tools: [proposeWorkflowTool],
    ...(options.signal ? { signal: options.signal } : {}),
  })) {
    if (chunk.type === 'text') {
      text += chunk.text;
      yield { type: 'token', text: chunk.text };
    } else if (chunk.type === 'tool_call' && chunk.call.name === proposeWorkflowTool.name) {
      proposed = parseProposal(chunk.call.arguments);
    } else if (chunk.type === 'usage') {
      addUsage(usage, chunk.usage);
    }
  }
  if (!proposed) {
    yield { type: 'reply', reply: { text, usage } };
    return;
  }

  let document = proposed.document ?? '';
  let check: DraftCheck = proposed.problem
    ? {
        valid: false,
        repairable: [argumentsProblem(proposed.problem)],
        openQuestions: [],
        warnings: [],
      }
    : await checkDraft(document, context);
  let rounds = 0;
  while (check.repairable.length > 0 && rounds < options.maxRepairRounds) {
    rounds++;
    yield { type: 'repairing', round: rounds, problems: check.repairable };
    let answer = '';
    for await (const chunk of call({
      messages: repairMessages(context, document, check.repairable),
      responseSchema: repairedDocumentSchema,
      ...(options.signal ? { signal: options.signal } : {}),
    })) {
      if (chunk.type === 'text') answer += chunk.text;
      else if (chunk.type === 'usage') addUsage(usage, chunk.usage);
    }
    const repaired = documentFromAnswer(answer);
    if (repaired === undefined) {
      check = { ...check, repairable: [argumentsProblem('the repair answer held no document')] };
      continue;
    }
    document = repaired;
    check = await checkDraft(document, context);
  }
  yield {
    type: 'reply',
    reply: {
      text,
      usage,
      proposal: {
        document,
        check,
        repairRounds: rounds,
        exhausted: check.repairable.length > 0,
        ...(proposed.note ? { note: proposed.note } : {}),
      },
    },
  };
}

function parseProposal(args: string): { document?: string; note?: string; problem?: string } {
  try {
    const parsed = JSON.parse(args) as { document?: unknown; note?: unknown };
    if (typeof parsed.document !== 'string' || parsed.document.trim() === '') {
      return { problem: 'propose_workflow was called without a document' };
    }
    return {
      document: parsed.document,
      ...(typeof parsed.note === 'string' ? { note: parsed.note } : {}),
    };
  } catch {
    return { problem: 'the propose_workflow arguments were not valid JSON' };
  }
}

/** The document from a repair answer: JSON as asked, tolerating a bare or fenced YAML reply. */
export function documentFromAnswer(answer: string): string | undefined {
  const trimmed = answer.trim().replace(/^```[a-z]*\n([\s\S]*?)\n```$/i, '$1');
  try {
    const parsed = JSON.parse(trimmed) as { document?: unknown };
    return typeof parsed.document === 'string' ? parsed.document : undefined;
  } catch {
    return /^document\s*:/m.test(trimmed) ? trimmed : undefined;
  }
}

function argumentsProblem(message: string): DslProblem {
  return { severity: 'error', code: 'proposal-malformed', message, path: '', line: 1, column: 1 };
}

function addUsage(total: TokenUsage, more: TokenUsage): void {
  total.inputTokens += more.inputTokens;
  total.outputTokens += more.outputTokens;
}
