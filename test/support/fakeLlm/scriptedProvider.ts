import { LlmProviderError } from '../../../domains/agent/llm/llmProvider.js';
import type {
  ChatChunk,
  ChatRequest,
  LlmProvider,
} from '../../../domains/agent/llm/llmProvider.js';

/** What one call to a scripted provider does. */
export interface ScriptedCall {
  /** Chunks sent in order (default: one text chunk `ok`, then `done`). */
  chunks?: ChatChunk[];
  /** Thrown after the chunks (before any, when `chunks` is empty). */
  error?: LlmProviderError;
  /** Sends nothing until the request is aborted. */
  hang?: boolean;
}

export interface ScriptedProvider extends LlmProvider {
  /** Every request received, oldest first. */
  readonly requests: ChatRequest[];
  /** Requests whose signal was aborted by the time they ended. */
  aborted: number;
}

/**
 * An in-process provider for the router's unit tests: each call takes the next script, the
 * last one repeating. The adapters' protocol is tested against the fake vendor servers.
 */
export function scriptedProvider(name: string, ...script: ScriptedCall[]): ScriptedProvider {
  const requests: ChatRequest[] = [];
  const provider: ScriptedProvider = {
    name,
    requests,
    aborted: 0,
    async *stream(request) {
      requests.push(request);
      const step = (script.length > 1 ? script.shift() : script[0]) ?? {};
      try {
        if (step.hang) await abortOf(request.signal, name);
        for (const chunk of step.chunks ?? answer('ok')) yield chunk;
        if (step.error) throw step.error;
      } finally {
        if (request.signal?.aborted) provider.aborted += 1;
      }
    },
  };
  return provider;
}

/** The chunks of a plain text answer, one per word, with usage when given. */
export function answer(text: string, usage?: { input: number; output: number }): ChatChunk[] {
  return [
    ...(text.match(/\s*\S+/g) ?? []).map((piece): ChatChunk => ({ type: 'text', text: piece })),
    ...(usage
      ? [
          {
            type: 'usage',
            usage: { inputTokens: usage.input, outputTokens: usage.output },
          } as const,
        ]
      : []),
    { type: 'done', finishReason: 'stop' },
  ];
}

function abortOf(signal: AbortSignal | undefined, name: string): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new LlmProviderError(name, 'unavailable', 'request aborted'));
    if (signal?.aborted) fail();
    signal?.addEventListener('abort', fail, { once: true });
  });
}
