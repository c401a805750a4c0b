import { extractOperations } from './extractOperations.js';
import type { ExtractedCatalog } from './extractOperations.js';
import { readOpenApiDocument } from './openApiDocument.js';
import type { OpenApiDocument } from './openApiDocument.js';
import { serverUrls } from './serverUrls.js';

/**
 * What an import stores of a document: its text and digest, what it says of itself, and its
 * operations, each with the servers it is called at. Neither the submitted nor the
 * dereferenced value: they are the heavy part, and the catalog keeps neither.
 */
export type ConnectorDocument = Pick<
  OpenApiDocument,
  'json' | 'sha256' | 'openapiVersion' | 'title' | 'apiVersion'
> &
  ExtractedCatalog;

/**
 * Reads and validates a document (`readOpenApiDocument`, same errors) and extracts its
 * operations. `fetchedFrom` is the URL a document was imported from, against which relative
 * server URLs resolve; `null` for an upload.
 */
export async function readConnectorDocument(
  input: string | Record<string, unknown>,
  maxBytes: number,
  fetchedFrom: string | null,
): Promise<ConnectorDocument> {
  const document = await readOpenApiDocument(input, maxBytes);
  const extracted = extractOperations(document.dereferenced, document.original);
  const servers = serverUrls(document.dereferenced, fetchedFrom);
  return {
    json: document.json,
    sha256: document.sha256,
    openapiVersion: document.openapiVersion,
    title: document.title,
    apiVersion: document.apiVersion,
    operations: extracted.operations.map((operation) => ({ ...operation, servers })),
    notCallable: extracted.notCallable,
  };
}
