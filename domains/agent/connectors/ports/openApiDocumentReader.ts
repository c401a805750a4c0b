import type { OpenApiDocument } from '../openApiDocument.js';

/**
 * Reads and validates a tenant's OpenAPI document (`readOpenApiDocument`'s contract: the same
 * result, the same `validation` errors). The host may run it away from the event loop: a large
 * document keeps swagger-parser busy for hundreds of milliseconds, and nothing else would be
 * served meanwhile. The catalog reads in-process without one.
 */
export type OpenApiDocumentReader = (
  input: string | Record<string, unknown>,
  maxBytes: number,
) => Promise<OpenApiDocument>;
