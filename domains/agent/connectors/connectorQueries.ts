import type { Actor, Queryable } from '../../../contracts/index.js';
import type { CatalogOperation } from './catalogOperation.js';
import type {
  ConnectorDetails,
  ConnectorSummary,
  OperationSearchResult,
} from './connectorViews.js';
import type { ExtractedOperation, NotCallableOperation } from './extractOperations.js';
import { keyOf } from './operationRetrieval.js';
import type { OperationKey } from './operationRetrieval.js';

/*
 * Reads of the connector catalog. Every statement is filtered by `account_id` first: another
 * tenant's connector is indistinguishable from one that does not exist.
 */

interface ConnectorRecord {
  connector_id: string;
  name: string;
  version: number;
  source: 'upload' | 'url';
  source_url: string | null;
  document_uri: string;
  document_sha256: string;
  openapi_version: string;
  title: string;
  api_version: string;
  operation_count: number;
  not_callable: NotCallableOperation[] | string;
  credential_secret: string | null;
  imported_at: Date | string;
  imported_by: Actor | string;
}

interface OperationRecord {
  connector_id: string;
  connector_name: string;
  document_uri: string;
  credential_secret: string | null;
  operation: string;
}

const connectorColumns = `connector_id, name, version, source, source_url, document_uri,
  document_sha256, openapi_version, title, api_version, operation_count, not_callable,
  credential_secret, imported_at, imported_by`;

const operationColumns = `o.connector_id, c.name AS connector_name, c.document_uri,
  c.credential_secret, o.operation`;
const operationsFrom = `agent_connector_operations o
  JOIN agent_connectors c ON c.account_id = o.account_id AND c.connector_id = o.connector_id`;
const operationOrder = `c.name_key, o.path, o.method, o.operation_id`;

export async function listConnectors(
  db: Queryable,
  accountId: string,
): Promise<ConnectorSummary[]> {
  const { rows } = await db.query<ConnectorRecord>(
    `SELECT ${connectorColumns} FROM agent_connectors WHERE account_id = $1 ORDER BY name_key`,
    [accountId],
  );
  return rows.map(summaryOf);
}

/** The connector named `name` (regardless of case), for a re-import. */
export async function findConnectorByName(
  db: Queryable,
  accountId: string,
  name: string,
): Promise<ConnectorSummary | undefined> {
  const { rows } = await db.query<ConnectorRecord>(
    `SELECT ${connectorColumns} FROM agent_connectors WHERE account_id = $1 AND name_key = lower($2)`,
    [accountId, name],
  );
  return rows[0] && summaryOf(rows[0]);
}

export async function findConnector(
  db: Queryable,
  accountId: string,
  connectorId: string,
): Promise<ConnectorDetails | undefined> {
  const { rows } = await db.query<ConnectorRecord>(
    `SELECT ${connectorColumns} FROM agent_connectors WHERE account_id = $1 AND connector_id = $2`,
    [accountId, connectorId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const operations = await selectOperations(db, `o.account_id = $1 AND o.connector_id = $2`, [
    accountId,
    connectorId,
  ]);
  return { ...summaryOf(row), operations, notCallable: jsonOf(row.not_callable) };
}

/** The stored document's JSON text. */
export async function findDocument(
  db: Queryable,
  accountId: string,
  connectorId: string,
): Promise<string | undefined> {
  const { rows } = await db.query<{ document: string }>(
    `SELECT document FROM agent_connectors WHERE account_id = $1 AND connector_id = $2`,
    [accountId, connectorId],
  );
  return rows[0]?.document;
}

export function allOperations(db: Queryable, accountId: string): Promise<CatalogOperation[]> {
  return selectOperations(db, `o.account_id = $1`, [accountId]);
}

/**
 * Full-text search, ranked: operations holding every word of `query` (websearch syntax:
 * quotes, `or`, `-word`) first, then those holding any word (a word of three letters or more
 * also as a prefix: "pet" finds "pets"). Nothing found: the operations in name order.
 */
export async function searchOperations(
  db: Queryable,
  accountId: string,
  query: string,
  options: { limit: number; connectorId?: string },
): Promise<OperationSearchResult> {
  const scope = [accountId, options.connectorId ?? null];
  const inScope = `o.account_id = $1 AND ($2::text IS NULL OR o.connector_id = $2)`;
  const anyWord = anyWordQuery(query);
  if (anyWord !== undefined) {
    const { rows } = await db.query<OperationRecord>(
      `SELECT ${operationColumns}
       FROM ${operationsFrom},
         LATERAL (SELECT websearch_to_tsquery('simple', $3) AS every,
                         to_tsquery('simple', $4) AS some) q
       WHERE ${inScope} AND (o.search @@ q.some OR o.search @@ q.every)
       ORDER BY (o.search @@ q.every) DESC, ts_rank(o.search, q.some) DESC, ${operationOrder}
       LIMIT $5`,
      [...scope, query, anyWord, options.limit],
    );
    if (rows.length > 0) return { items: rows.map(catalogOperationOf), matched: true };
  }
  const items = await selectOperations(db, inScope, scope, options.limit);
  return { items, matched: false };
}

/** The account's operations with these keys, in the order given; unknown keys are skipped. */
export async function operationsByKey(
  db: Queryable,
  accountId: string,
  keys: readonly OperationKey[],
): Promise<CatalogOperation[]> {
  if (keys.length === 0) return [];
  const { rows } = await db.query<OperationRecord & { operation_id: string }>(
    `SELECT ${operationColumns}, o.operation_id
     FROM ${operationsFrom}
     JOIN unnest($2::text[], $3::text[]) AS k(connector_id, operation_id)
       ON k.connector_id = o.connector_id AND k.operation_id = o.operation_id
     WHERE o.account_id = $1`,
    [accountId, keys.map((key) => key.connectorId), keys.map((key) => key.operationId)],
  );
  const byKey = new Map(
    rows.map((row) => [
      keyOf({ connectorId: row.connector_id, operationId: row.operation_id }),
      row,
    ]),
  );
  return keys.flatMap((key) => {
    const row = byKey.get(keyOf(key));
    return row ? [catalogOperationOf(row)] : [];
  });
}

/**
 * The operation `operationId` with the connector's document when its schemas still hold
 * `$ref`s (cycles). Ids are unique per document, not per account: with no `connectorId`, the
 * connector first in name order answers.
 */
export async function findOperationForMock(
  db: Queryable,
  accountId: string,
  operationId: string,
  connectorId?: string,
): Promise<{ operation: ExtractedOperation; document?: unknown } | undefined> {
  const { rows } = await db.query<{ connector_id: string; operation: string }>(
    `SELECT o.connector_id, o.operation FROM ${operationsFrom}
     WHERE o.account_id = $1 AND o.operation_id = $2 AND ($3::text IS NULL OR o.connector_id = $3)
     ORDER BY c.name_key LIMIT 1`,
    [accountId, operationId, connectorId ?? null],
  );
  const row = rows[0];
  if (!row) return undefined;
  const operation = JSON.parse(row.operation) as ExtractedOperation;
  if (!row.operation.includes('"$ref"')) return { operation };
  const document = await findDocument(db, accountId, row.connector_id);
  return { operation, document: document === undefined ? undefined : JSON.parse(document) };
}

async function selectOperations(
  db: Queryable,
  where: string,
  params: unknown[],
  limit?: number,
): Promise<CatalogOperation[]> {
  const bounded = limit === undefined ? '' : `LIMIT $${params.length + 1}`;
  const { rows } = await db.query<OperationRecord>(
    `SELECT ${operationColumns} FROM ${operationsFrom} WHERE ${where}
     ORDER BY ${operationOrder} ${bounded}`,
    limit === undefined ? params : [...params, limit],
  );
  return rows.map(catalogOperationOf);
}

/**
 * `a | b:* | …` from the query's words; only letters and digits reach `to_tsquery`, so its
 * syntax cannot be injected. Undefined when the query has no word.
 */
function anyWordQuery(query: string): string | undefined {
  const words = [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, 32);
  if (words.length === 0) return undefined;
  return words.map((word) => (word.length >= 3 ? `${word}:*` : word)).join(' | ');
}

function catalogOperationOf(row: OperationRecord): CatalogOperation {
  const { responses: _responses, ...operation } = JSON.parse(row.operation) as ExtractedOperation;
  return {
    connectorId: row.connector_id,
    connectorName: row.connector_name,
    documentUri: row.document_uri,
    ...operation,
    ...(row.credential_secret ? { credentialSecret: row.credential_secret } : {}),
  };
}

function summaryOf(row: ConnectorRecord): ConnectorSummary {
  return {
    connectorId: row.connector_id,
    name: row.name,
    version: row.version,
    source: row.source,
    sourceUrl: row.source_url,
    documentUri: row.document_uri,
    documentSha256: row.document_sha256,
    openapiVersion: row.openapi_version,
    title: row.title,
    apiVersion: row.api_version,
    operationCount: row.operation_count,
    notCallableCount: jsonOf<NotCallableOperation[]>(row.not_callable).length,
    credentialSecret: row.credential_secret,
    importedAt: new Date(row.imported_at).toISOString(),
    importedBy: jsonOf(row.imported_by),
  };
}

/** jsonb arrives parsed from `pg`, but as text through some drivers: both are accepted. */
function jsonOf<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}
