import type { ConnectorDocument } from '../connectorDocument.js';

/**
 * Reads, validates and extracts a tenant's OpenAPI document (`readConnectorDocument`'s
 * contract: the same result, the same `validation` errors). The host may run it away from the
 * event loop: a large document keeps swagger-parser busy for hundreds of milliseconds, and
 * nothing else would be served meanwhile. The catalog reads in-process without one.
 */
export type ConnectorDocumentReader = (
  input: string | Record<string, unknown>,
  maxBytes: number,
  fetchedFrom: string | null,
) => Promise<ConnectorDocument>;
