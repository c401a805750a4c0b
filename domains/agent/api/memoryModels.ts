/*
 * The bodies of the memory API (`/v1/memories`): tsoa validates requests against these types
 * and writes them into the OpenAPI document, so their JSDoc is the API's documentation.
 */

/** What the agent should remember. */
export interface RememberBody {
  /**
   * `user`: about the caller alone, recalled only in their conversations; `tenant`: about the
   * whole account, recalled in everyone's.
   */
  scope: 'user' | 'tenant';
  /** `fact`: something true about the business; `preference`: how the work should be done. */
  kind: 'fact' | 'preference';
  /**
   * The memory in a sentence or two, as the agent should read it.
   * @minLength 1 must not be empty
   * @maxLength 4000 must be at most 4000 characters
   */
  text: string;
}

/** A memory as stored. */
export interface MemoryView {
  memoryId: string;
  scope: 'user' | 'tenant';
  /** The user a `user` memory belongs to; null for `tenant` memories. */
  userId: string | null;
  kind: 'fact' | 'preference' | 'summary';
  text: string;
}

/** The memory the request stored, and whether it was new. */
export interface RememberedView extends MemoryView {
  /**
   * `created`; `updated`: a nearly identical memory of the same owner and kind was reworded;
   * `unchanged`: the same text was already remembered.
   */
  outcome: 'created' | 'updated' | 'unchanged';
}

/** A memory found by a search, with how close it is to the query. */
export interface MemoryHit extends MemoryView {
  /** Cosine similarity to the query: 1 for the same meaning, down to -1. */
  score: number;
}

export interface MemorySearchResult {
  /** Most similar first. */
  items: MemoryHit[];
}

/**
 * A memory's id, as remembering it answered.
 * @minLength 1 must not be empty
 * @maxLength 200 must be at most 200 characters
 */
export type MemoryId = string;
