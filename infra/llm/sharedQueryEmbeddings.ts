import type { EmbeddingsProvider } from '../../domains/agent/llm/index.js';

export interface SharedQueryEmbeddingsOptions {
  /** Texts remembered. Default 256. */
  maxEntries?: number;
  /** How long a vector is reused. Default 60 s. */
  ttlMs?: number;
  now?: () => number;
}

interface Entry {
  vector: Promise<number[]>;
  expires: number;
}

/**
 * One request for the same query text however many parts of a turn embed it: memory recall
 * and catalog retrieval both embed the user's latest messages, at the same moment. Single
 * texts only (queries); batches (memories, catalog operations) go straight through. A failed
 * request is shared by those waiting on it, then forgotten, so the next turn asks again.
 */
export function sharedQueryEmbeddings(
  provider: EmbeddingsProvider,
  options: SharedQueryEmbeddingsOptions = {},
): EmbeddingsProvider {
  const maxEntries = options.maxEntries ?? 256;
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  return {
    name: provider.name,
    model: provider.model,
    async embed(texts, signal) {
      const [text] = texts;
      if (texts.length !== 1 || text === undefined) return provider.embed(texts, signal);
      const known = entries.get(text);
      if (known && known.expires > now()) return [await until(known.vector, signal)];
      // Not tied to one caller's signal: another caller may be waiting on the same request.
      const vector = provider.embed([text]).then(([first]) => first ?? []);
      entries.delete(text);
      entries.set(text, { vector, expires: now() + ttlMs });
      vector.catch(() => {
        if (entries.get(text)?.vector === vector) entries.delete(text);
      });
      // Map order is insertion order: the first entry is the oldest.
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      return [await until(vector, signal)];
    },
  };
}

/** The shared request goes on for the others; this caller stops waiting when it aborts. */
function until<T>(shared: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return shared;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const aborted = () => reject(signal.reason);
    signal.addEventListener('abort', aborted, { once: true });
    shared.then(resolve, reject).finally(() => signal.removeEventListener('abort', aborted));
  });
}
