import type { Actor, StateWrite } from '../../../contracts/index.js';
import type { ExtractedOperation, NotCallableOperation } from './extractOperations.js';

/** The `agent_connectors` row one import writes. */
export interface ConnectorRow {
  accountId: string;
  connectorId: string;
  name: string;
  version: number;
  source: 'upload' | 'url';
  sourceUrl: string | null;
  documentUri: string;
  documentJson: string;
  documentSha256: string;
  openapiVersion: string;
  title: string;
  apiVersion: string;
  operationCount: number;
  notCallable: readonly NotCallableOperation[];
  credentialSecret: string | null;
  importedAt: string;
  importedBy: Actor;
}

/**
 * The statements an import runs in the transaction of its `ConnectorImported` event: the
 * connector row (inserted, or replaced by a re-import), then its operations replaced whole.
 * Each is one statement, as `StateWrite` requires; the operations go as one JSON array.
 */
export function importWrites(
  row: ConnectorRow,
  operations: readonly ExtractedOperation[],
): StateWrite[] {
  const key = [row.accountId, row.connectorId];
  return [
    {
      sql: `INSERT INTO agent_connectors (account_id, connector_id, name, name_key, version, source,
              source_url, document_uri, document, document_sha256, openapi_version, title,
              api_version, operation_count, not_callable, credential_secret, imported_at,
              imported_by)
            VALUES ($1, $2, $3, lower($3), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
              $14::jsonb, $15, $16, $17::jsonb)
            ON CONFLICT (account_id, connector_id) DO UPDATE SET name = EXCLUDED.name,
              name_key = EXCLUDED.name_key, version = EXCLUDED.version, source = EXCLUDED.source,
              source_url = EXCLUDED.source_url, document_uri = EXCLUDED.document_uri,
              document = EXCLUDED.document, document_sha256 = EXCLUDED.document_sha256,
              openapi_version = EXCLUDED.openapi_version, title = EXCLUDED.title,
              api_version = EXCLUDED.api_version, operation_count = EXCLUDED.operation_count,
              not_callable = EXCLUDED.not_callable,
              credential_secret = EXCLUDED.credential_secret,
              imported_at = EXCLUDED.imported_at, imported_by = EXCLUDED.imported_by`,
      params: [
        ...[...key, row.name, row.version, row.source, row.sourceUrl, row.documentUri],
        ...[row.documentJson, row.documentSha256, row.openapiVersion, row.title, row.apiVersion],
        ...[row.operationCount, JSON.stringify(row.notCallable), row.credentialSecret],
        ...[row.importedAt, JSON.stringify(row.importedBy)],
      ],
    },
    {
      sql: `DELETE FROM agent_connector_operations WHERE account_id = $1 AND connector_id = $2`,
      params: key,
    },
    {
      sql: `INSERT INTO agent_connector_operations (account_id, connector_id, operation_id,
              method, path, summary, description, operation, search_terms)
            SELECT $1, $2, o.operation_id, o.method, o.path, o.summary, o.description,
              o.operation, o.search_terms
            FROM jsonb_to_recordset($3::jsonb) AS o(operation_id text, method text, path text,
              summary text, description text, operation text, search_terms text)`,
      params: [...key, JSON.stringify(operations.map(operationRecord))],
    },
  ];
}

/** Removing a connector deletes its row; its operations go with it (ON DELETE CASCADE). */
export function removeWrite(accountId: string, connectorId: string): StateWrite {
  return {
    sql: `DELETE FROM agent_connectors WHERE account_id = $1 AND connector_id = $2`,
    params: [accountId, connectorId],
  };
}

function operationRecord(operation: ExtractedOperation) {
  return {
    operation_id: operation.operationId,
    method: operation.method,
    path: operation.path,
    summary: operation.summary ?? null,
    description: operation.description ?? null,
    // Text inside the JSON array: the operation stays JSON text in its column (see migration).
    operation: JSON.stringify(operation),
    search_terms: searchTermsOf(operation),
  };
}

/**
 * The words of an operation's id and path, for the 'simple' text-search configuration, which
 * splits on punctuation but not on case: `findPetsByStatus` and `/pet/{petId}` become
 * `findpetsbystatus find pets by status get pet petid pet id`, so a query for "pets" or
 * "status" finds it as a query for the whole id does.
 */
export function searchTermsOf(
  operation: Pick<ExtractedOperation, 'operationId' | 'path' | 'method'>,
): string {
  const words = (text: string) =>
    text
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
  const terms = [
    operation.operationId,
    ...words(operation.operationId),
    operation.method,
    ...operation.path.split(/[^\p{L}\p{N}]+/u).filter(Boolean),
    ...words(operation.path),
  ];
  return [...new Set(terms.map((term) => term.toLowerCase()))].join(' ');
}
