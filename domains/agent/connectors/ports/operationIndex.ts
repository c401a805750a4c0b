import type { OperationKey } from '../operationRetrieval.js';

/**
 * The catalog's semantic index, owned by the catalog store: operations embedded by the
 * platform's embeddings model, searched by similarity to what the user wrote. Absent without
 * an embeddings model; the catalog then searches by full text alone.
 */
export interface OperationIndex {
  /**
   * Embeds the account's operations that have no vector yet (after an import, all of its
   * new ones). Safe to call at any time from any replica: it only fills gaps.
   */
  refresh(accountId: string): Promise<void>;
  /** The account's operations nearest to `query`, most similar first. */
  nearest(accountId: string, query: string, limit: number): Promise<OperationKey[]>;
}
