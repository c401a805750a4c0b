import type { Actor } from '../../../contracts/index.js';
import type { CatalogOperation } from './catalogOperation.js';
import type { NotCallableOperation } from './extractOperations.js';

/*
 * What the catalog answers about connectors. The API returns these as they are, so their JSDoc
 * is also the API's documentation. No view ever holds a credential value: only its secret name.
 */

/** A tenant's connector: one imported OpenAPI document, at its latest version. */
export interface ConnectorSummary {
  connectorId: string;
  /** Unique in the account regardless of case; importing under it again replaces the document. */
  name: string;
  /**
   * 1 for the first import, bumped by each re-import under the same name.
   * @isInt
   */
  version: number;
  source: 'upload' | 'url';
  /** The URL it was imported from; null for an upload. */
  sourceUrl: string | null;
  /** What `call: openapi` tasks put in `with.document.endpoint`. */
  documentUri: string;
  /** Hex SHA-256 of the stored document (its JSON text). */
  documentSha256: string;
  openapiVersion: string;
  /** The document's `info.title` and `info.version`, as untrusted text. */
  title: string;
  apiVersion: string;
  /**
   * Operations a workflow can call (those with an operationId).
   * @isInt
   */
  operationCount: number;
  /**
   * Operations listed in the document that a workflow cannot call.
   * @isInt
   */
  notCallableCount: number;
  /** The tenant secret holding this connector's credential; never its value. */
  credentialSecret: string | null;
  importedAt: string;
  importedBy: Actor;
}

/** A connector with every operation it offers. */
export interface ConnectorDetails extends ConnectorSummary {
  operations: CatalogOperation[];
  notCallable: NotCallableOperation[];
}

/** One callable operation, as an import report lists it. */
export interface OperationBrief {
  operationId: string;
  method: string;
  path: string;
  effect: 'read' | 'write' | 'delete';
}

/** What an import did. */
export interface ConnectorImportReport {
  connector: ConnectorSummary;
  /** False when a connector of this name existed: this import is its new version. */
  created: boolean;
  callable: OperationBrief[];
  /** Operations without an operationId (or with one a workflow cannot name), and why. */
  notCallable: NotCallableOperation[];
}

/** Operations found for a query, best first. */
export interface OperationSearchResult {
  items: CatalogOperation[];
  /**
   * False when nothing matched the query: `items` are then the operations in name order (up
   * to the limit), so a tenant with few operations always sees them.
   */
  matched: boolean;
}
