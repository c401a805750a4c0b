/**
 * What the DSL generator knows of a tenant's APIs: the operations of its imported OpenAPI
 * documents, reduced to what a `call: openapi` task needs and what a model must be told.
 * Everything here that came from the document (summaries, descriptions, names) is untrusted
 * text: prompts delimit it as data.
 */

/** One parameter of an operation; `in: body` is the request body (`with.parameters.body`). */
export interface OperationParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie' | 'body';
  required: boolean;
  description?: string;
  schema?: Record<string, unknown>;
}

export interface CatalogOperation {
  connectorId: string;
  connectorName: string;
  /** Where a workflow loads the document from: `with.document.endpoint` of `call: openapi`. */
  documentUri: string;
  operationId: string;
  method: string;
  path: string;
  summary?: string;
  description?: string;
  parameters: readonly OperationParameter[];
  requestBodyRequired: boolean;
  /** The request body's schema (JSON first), when it has one; also the `body` parameter's. */
  requestBodySchema?: Record<string, unknown>;
  /** GET/HEAD/OPTIONS read; everything else writes or deletes and is flagged to the user. */
  effect: 'read' | 'write' | 'delete';
  /** Names of the security schemes the operation requires (empty: none). */
  security: readonly string[];
  /** The tenant secret holding this connector's credential, when one was given at import. */
  credentialSecret?: string;
  /** The document's `servers` URLs (absolute): where plain `call: http` tasks may go. */
  servers?: readonly string[];
}

/** The part of the connector catalog the generator reads; implemented by the catalog store. */
export interface ConnectorCatalog {
  /** Every operation of the account's connectors (for grounding checks). */
  operations(accountId: string): Promise<readonly CatalogOperation[]>;
  /** The operations most relevant to `query`, best first (for the prompt). */
  search(accountId: string, query: string, limit: number): Promise<readonly CatalogOperation[]>;
  /**
   * A response for `operationId` built from the document's examples, else from its response
   * schema (for dry runs); `undefined` when the operation is unknown.
   */
  mockResponse(
    accountId: string,
    operationId: string,
  ): Promise<{ status: number; body: unknown } | undefined>;
}
