import { sample } from 'openapi-sampler';
import type { StoredResponse } from './extractOperations.js';

/** What a dry run of an operation answers: its documented success, without calling anything. */
export interface MockResponse {
  status: number;
  body: unknown;
}

/** How deep the sampler follows nested (and recursive) schemas. */
const maxSampleDepth = 6;

/**
 * The operation's first success response (the lowest 2xx; `2XX` after the exact codes; else
 * `default`): its first example when the document gives one, else a value sampled from its
 * schema, else `null` (a response without content, such as 204). An operation documenting no
 * success at all answers 200 with `null`. `document` resolves the `$ref`s left in schemas.
 */
export function mockResponseOf(
  responses: readonly StoredResponse[],
  document?: unknown,
): MockResponse {
  const success = responses
    .filter((response) => /^2(\d\d|XX)$/i.test(response.status))
    .sort((a, b) => rank(a.status) - rank(b.status));
  const chosen = success[0] ?? responses.find((response) => response.status === 'default');
  if (!chosen) return { status: 200, body: null };
  const status = /^2\d\d$/.test(chosen.status) ? Number(chosen.status) : 200;
  if (chosen.examples.length > 0) return { status, body: chosen.examples[0] };
  if (!chosen.schema) return { status, body: null };
  return { status, body: sampled(chosen.schema, document) };
}

/** `200` → 200, `2XX` → 299.5: exact codes first, then the range. */
function rank(status: string): number {
  return /^\d+$/.test(status) ? Number(status) : 299.5;
}

function sampled(schema: Record<string, unknown>, document: unknown): unknown {
  try {
    // A response is what the server writes: writeOnly properties (passwords) never appear in it.
    return sample(
      schema as Parameters<typeof sample>[0],
      { skipWriteOnly: true, quiet: true, maxSampleDepth },
      (document ?? {}) as object,
    );
  } catch {
    // A schema the sampler cannot follow (an external reference) still has a dry run.
    return null;
  }
}
