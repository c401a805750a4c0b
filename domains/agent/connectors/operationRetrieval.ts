/**
 * How the catalog finds the operations a conversation needs: full-text search and, with an
 * embeddings model, nearest vectors, fused into one ranking. Pure: the queries and the vectors
 * are the store's and the index's.
 */

/** An operation named the way rankings compare them: a connector's operationId. */
export interface OperationKey {
  connectorId: string;
  operationId: string;
}

/** What an operation is embedded from: its name, its route and what its document says. */
export function operationSearchText(operation: {
  operationId: string;
  method: string;
  path: string;
  summary?: string | null;
  description?: string | null;
}): string {
  const lines = [
    `${operation.operationId}: ${operation.method.toUpperCase()} ${operation.path}`,
    operation.summary ?? '',
    operation.description ?? '',
  ];
  // Embedding models read a few hundred words at most; a long description adds nothing.
  return lines
    .map((line) => line.trim())
    .filter(Boolean)
    .join('\n')
    .slice(0, maxSearchTextChars);
}

export const maxSearchTextChars = 2_000;

/** RRF's damping constant: the value its authors found robust across rankers. */
const fusionK = 60;

/**
 * Reciprocal rank fusion: each key scores the sum of 1 / (60 + rank) over the rankings it is
 * in, so an operation both rankers place well comes first, and neither ranker's score scale
 * matters. Ties keep the order in which keys first appear (the first ranking first).
 */
export function fuseRankings(
  rankings: readonly (readonly OperationKey[])[],
  limit: number,
): OperationKey[] {
  const scores = new Map<string, { key: OperationKey; score: number; first: number }>();
  let seen = 0;
  for (const ranking of rankings) {
    ranking.forEach((key, rank) => {
      const id = keyOf(key);
      const entry = scores.get(id) ?? { key, score: 0, first: seen++ };
      entry.score += 1 / (fusionK + rank + 1);
      scores.set(id, entry);
    });
  }
  return [...scores.values()]
    .sort((a, b) => b.score - a.score || a.first - b.first)
    .slice(0, limit)
    .map((entry) => entry.key);
}

export const keyOf = (key: OperationKey): string => `${key.connectorId}\u0000${key.operationId}`;
