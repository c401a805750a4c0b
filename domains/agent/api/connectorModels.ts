import type { ConnectorSummary } from '../connectors/connectorViews.js';

/*
 * The bodies the connector API takes and returns besides the catalog's own views
 * (ConnectorSummary, ConnectorDetails, ConnectorImportReport, OperationSearchResult): tsoa
 * validates requests against these types and writes them into the OpenAPI document, so their
 * JSDoc is the API's documentation. The domain checks the same rules again: it is called by
 * more than this API.
 */

/**
 * A connector's id, as its import answered.
 * @minLength 1 must not be empty
 * @maxLength 100 must be at most 100 characters
 */
export type ConnectorId = string;

/** The credential a connector's calls use, kept in the tenant's secrets. */
export interface ConnectorCredentialsBody {
  /**
   * The tenant secret holding the credential (`$secrets.<secretName>` in a workflow).
   * @pattern ^[A-Za-z_][A-Za-z0-9_]{0,127}$ must start with a letter or _, then letters, digits or _ (at most 128)
   */
  secretName: string;
  /**
   * Stored as the secret `secretName` (created or replaced). Without it, the secret is
   * referenced as it is. Never returned, logged or recorded in an event.
   * @minLength 1 must not be empty
   * @maxLength 65536 must be at most 65536 characters
   */
  value?: string;
}

/** An OpenAPI document to import as a connector. */
export interface ConnectorUpload {
  /**
   * Unique in the account regardless of case: importing under a name that exists replaces
   * that connector's document (its next version).
   * @minLength 1 must not be empty
   * @maxLength 100 must be at most 100 characters
   * @pattern ^[A-Za-z0-9][A-Za-z0-9\x20._-]*$ must be letters, digits, spaces, '.', '_' or '-', starting with a letter or digit
   */
  name: string;
  /**
   * The OpenAPI 3.0 or 3.1 document (not Swagger 2.0): its JSON or YAML text, or the JSON
   * object itself. At most 2 MiB. Problems in text are reported with their line and column.
   */
  document: string | { [key: string]: unknown };
  credentials?: ConnectorCredentialsBody;
}

/** An OpenAPI document to fetch and import as a connector. */
export interface ConnectorUrlImport {
  /**
   * As for an upload: an existing name is re-imported.
   * @minLength 1 must not be empty
   * @maxLength 100 must be at most 100 characters
   * @pattern ^[A-Za-z0-9][A-Za-z0-9\x20._-]*$ must be letters, digits, spaces, '.', '_' or '-', starting with a letter or digit
   */
  name: string;
  /**
   * An http(s) URL of the document, fetched once now; workflows then load it from there.
   * Loopback, private and link-local addresses are refused unless the outbound allow-list
   * permits them.
   * @minLength 1 must not be empty
   * @maxLength 2048 must be at most 2048 characters
   */
  url: string;
  credentials?: ConnectorCredentialsBody;
}

export interface ConnectorList {
  items: ConnectorSummary[];
}
