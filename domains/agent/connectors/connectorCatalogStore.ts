import { AwpError, StreamVersionConflict, agentTopic } from '../../../contracts/index.js';
import type {
  Actor,
  Clock,
  ConnectorImportedData,
  EventStore,
  IdGenerator,
  PendingEvent,
  Queryable,
  StateWrite,
} from '../../../contracts/index.js';
import type { CatalogOperation, ConnectorCatalog } from './catalogOperation.js';
import {
  allOperations,
  findConnector,
  findConnectorByName,
  findDocument,
  findOperationForMock,
  listConnectors,
  operationsByKey,
  searchOperations,
} from './connectorQueries.js';
import { importWrites, removeWrite } from './connectorRows.js';
import type {
  ConnectorDetails,
  ConnectorImportReport,
  ConnectorSummary,
  OperationSearchResult,
} from './connectorViews.js';
import { checkedImport, checkedUrl } from './connectorInput.js';
import type { ConnectorImport } from './connectorInput.js';
import { readConnectorDocument } from './connectorDocument.js';
import type { ConnectorDocument } from './connectorDocument.js';
import { mockResponseOf } from './mockResponse.js';
import type { MockResponse } from './mockResponse.js';
import { maxDocumentBytes } from './openApiDocument.js';
import type { ConnectorDocumentReader } from './ports/connectorDocumentReader.js';
import type { ConnectorCredentials } from './ports/connectorCredentials.js';
import type { OpenApiDocumentFetcher } from './ports/openApiDocumentFetcher.js';
import type { OperationIndex } from './ports/operationIndex.js';
import { fuseRankings } from './operationRetrieval.js';

export interface ConnectorCatalogDeps {
  db: Queryable;
  /** Only appends: the catalog reads its own tables. */
  eventStore: Pick<EventStore, 'append'>;
  ids: IdGenerator;
  clock: Clock;
  /** Fetches documents imported by URL; without one, URL imports are refused. */
  fetcher?: OpenApiDocumentFetcher;
  /** Stores credential values given at import; without it, only secret names are accepted. */
  credentials?: ConnectorCredentials;
  /** Reads, validates and extracts documents; default in-process (`readConnectorDocument`). */
  reader?: ConnectorDocumentReader;
  /** Largest document accepted. Default 2 MiB. */
  maxDocumentBytes?: number;
  /** How long fetching a document by URL may take. Default 30 000 ms. */
  fetchTimeoutMs?: number;
  /** Operations by meaning, with an embeddings model; without one, search is full-text only. */
  index?: OperationIndex;
}

/** Who asks for a change, for the event that records it. */
export interface ConnectorChange {
  actor: Actor;
  correlationId: string;
}

export const connectorStreamId = (connectorId: string) => `connector-${connectorId}`;
/** Where a workflow finds an uploaded document; the engine resolves the scheme. */
export const uploadedDocumentUri = (connectorId: string) =>
  `awp://connectors/${connectorId}/openapi.json`;

/**
 * Each tenant's connector catalog: imported OpenAPI documents and their operations, which the
 * agent may call from the workflows it writes. Every import appends `ConnectorImported` on
 * `connector-<id>` with the connector and operation rows written in the same transaction, so
 * the catalog and its history cannot disagree; a re-import under the same name is the same
 * connector's next version. Every read is filtered by account.
 */
export class ConnectorCatalogStore implements ConnectorCatalog {
  constructor(private readonly deps: ConnectorCatalogDeps) {}

  /** Imports a document given as JSON or YAML text, or as a JSON object. */
  async importDocument(
    accountId: string,
    request: ConnectorImport & { document: string | Record<string, unknown> },
    change: ConnectorChange,
  ): Promise<ConnectorImportReport> {
    const checked = checkedImport(request);
    const document = await this.read(request.document, null);
    return this.save(accountId, checked, document, { source: 'upload' }, change);
  }

  /** Fetches the document at `url` (through the SSRF guard) and imports it. */
  async importFromUrl(
    accountId: string,
    request: ConnectorImport & { url: string },
    change: ConnectorChange,
    signal?: AbortSignal,
  ): Promise<ConnectorImportReport> {
    const checked = checkedImport(request);
    const url = checkedUrl(request.url);
    if (!this.deps.fetcher) {
      throw new AwpError('unavailable', 'this platform does not import connectors by URL');
    }
    const deadline = AbortSignal.timeout(this.deps.fetchTimeoutMs ?? 30_000);
    const fetched = await this.deps.fetcher.fetch(
      url,
      signal ? AbortSignal.any([signal, deadline]) : deadline,
      accountId,
    );
    const document = await this.read(fetched.body, url);
    return this.save(accountId, checked, document, { source: 'url', url }, change);
  }

  private read(
    input: string | Record<string, unknown>,
    fetchedFrom: string | null,
  ): Promise<ConnectorDocument> {
    return (this.deps.reader ?? readConnectorDocument)(input, this.maxBytes, fetchedFrom);
  }

  list(accountId: string): Promise<ConnectorSummary[]> {
    return listConnectors(this.deps.db, accountId);
  }

  async describe(accountId: string, connectorId: string): Promise<ConnectorDetails> {
    const found = await findConnector(this.deps.db, accountId, connectorId);
    if (!found) throw notFound(connectorId);
    return found;
  }

  /** The stored document (for `awp://connectors/<id>/openapi.json`). */
  async document(accountId: string, connectorId: string): Promise<Record<string, unknown>> {
    const text = await findDocument(this.deps.db, accountId, connectorId);
    if (text === undefined) throw notFound(connectorId);
    return JSON.parse(text) as Record<string, unknown>;
  }

  async remove(accountId: string, connectorId: string, change: ConnectorChange): Promise<void> {
    const found = await findConnector(this.deps.db, accountId, connectorId);
    if (!found) throw notFound(connectorId);
    await this.append(accountId, connectorId, found.version, change, {
      event: { type: 'ConnectorRemoved', data: { connectorId } },
      writes: [removeWrite(accountId, connectorId)],
      name: found.name,
    });
  }

  operations(accountId: string): Promise<readonly CatalogOperation[]> {
    return allOperations(this.deps.db, accountId);
  }

  /**
   * The operations most relevant to `query`: full-text matches fused with the nearest by
   * meaning (which find "how busy are the cooks" in an operation about oven workload). When
   * the index fails or there is none, full text alone, falling back to the catalog's order.
   */
  async search(
    accountId: string,
    query: string,
    limit: number,
  ): Promise<readonly CatalogOperation[]> {
    const { index } = this.deps;
    const [lexical, semantic] = await Promise.all([
      this.searchOperations(accountId, query, { limit }),
      index && query.trim() !== ''
        ? index.nearest(accountId, query.slice(0, 2_000), limit).catch(() => [])
        : [],
    ]);
    if (semantic.length === 0) return lexical.items;
    const fused = fuseRankings([lexical.matched ? lexical.items : [], semantic], limit);
    return operationsByKey(this.deps.db, accountId, fused);
  }

  /** Search with the fallback made visible (`matched`), optionally in one connector. */
  searchOperations(
    accountId: string,
    query: string,
    options: { limit: number; connectorId?: string },
  ): Promise<OperationSearchResult> {
    const limit = Math.max(1, Math.min(Math.trunc(options.limit) || 1, 500));
    return searchOperations(this.deps.db, accountId, query.slice(0, 500), { ...options, limit });
  }

  /** `connectorId` picks among connectors whose documents share an operationId. */
  async mockResponse(
    accountId: string,
    operationId: string,
    connectorId?: string,
  ): Promise<MockResponse | undefined> {
    const found = await findOperationForMock(this.deps.db, accountId, operationId, connectorId);
    return found && mockResponseOf(found.operation.responses, found.document);
  }

  private get maxBytes(): number {
    return this.deps.maxDocumentBytes ?? maxDocumentBytes;
  }

  private async save(
    accountId: string,
    request: ConnectorImport,
    document: ConnectorDocument,
    origin: { source: 'upload' } | { source: 'url'; url: string },
    change: ConnectorChange,
  ): Promise<ConnectorImportReport> {
    const { operations, notCallable } = document;
    const existing = await findConnectorByName(this.deps.db, accountId, request.name);
    const connectorId = existing?.connectorId ?? this.deps.ids.newId();
    const version = (existing?.version ?? 0) + 1;
    // A re-import without credentials keeps the secret named before: it belongs to the API,
    // not to one version of its description.
    const credentialSecret = request.credentials?.secretName ?? existing?.credentialSecret ?? null;
    // Stored only now that the document is known good, so a refused import leaves no secret.
    const value = request.credentials?.value;
    if (request.credentials && value !== undefined) {
      if (!this.deps.credentials) {
        throw new AwpError('unavailable', 'this platform cannot store connector credentials');
      }
      await this.deps.credentials.store(
        accountId,
        request.credentials.secretName,
        value,
        change.actor,
      );
    }
    const sourceUrl = origin.source === 'url' ? origin.url : null;
    const row = {
      ...{ accountId, connectorId, name: request.name, version, source: origin.source, sourceUrl },
      documentUri: sourceUrl ?? uploadedDocumentUri(connectorId),
      ...{ documentJson: document.json, documentSha256: document.sha256 },
      ...{ openapiVersion: document.openapiVersion, title: document.title },
      ...{ apiVersion: document.apiVersion, operationCount: operations.length, notCallable },
      ...{ credentialSecret, importedAt: this.deps.clock.now().toISOString() },
      importedBy: change.actor,
    };
    const data: ConnectorImportedData = {
      ...{ connectorId, name: request.name, source: origin.source, sourceUrl },
      ...{ documentSha256: document.sha256, operationCount: operations.length },
      credentialSecrets: credentialSecret === null ? [] : [credentialSecret],
    };
    await this.append(accountId, connectorId, version - 1, change, {
      event: { type: 'ConnectorImported', data },
      writes: importWrites(row, operations),
      name: request.name,
    });
    // Not awaited: the import is done; the index embeds the new operations meanwhile, and a
    // search before it finishes waits for it (or falls back to full text if it fails).
    this.deps.index?.refresh(accountId).catch(() => undefined);
    const connector = await findConnector(this.deps.db, accountId, connectorId);
    if (!connector)
      throw new AwpError('internal', `connector '${connectorId}' vanished after import`);
    const { operations: _operations, notCallable: _notCallable, ...summary } = connector;
    return {
      connector: summary,
      created: existing === undefined,
      callable: operations.map(({ operationId, method, path, effect }) => ({
        ...{ operationId, method, path, effect },
      })),
      notCallable,
    };
  }

  private async append(
    accountId: string,
    connectorId: string,
    currentVersion: number,
    change: ConnectorChange,
    what: { event: PendingEvent; writes: StateWrite[]; name: string },
  ): Promise<void> {
    try {
      await this.deps.eventStore.append({
        streamId: connectorStreamId(connectorId),
        expectedVersion: currentVersion === 0 ? 'no_stream' : currentVersion,
        events: [what.event],
        metadata: {
          accountId,
          correlationId: change.correlationId,
          causationId: null,
          actor: change.actor,
        },
        topic: agentTopic,
        alongside: what.writes,
      });
    } catch (error) {
      // Two imports under one new name race on the name's unique constraint instead.
      const code = (error as { code?: unknown }).code;
      if (error instanceof StreamVersionConflict || code === '23505') {
        throw new AwpError('conflict', `connector '${what.name}' changed meanwhile; try again`, {
          retryable: true,
        });
      }
      throw error;
    }
  }
}

function notFound(connectorId: string): AwpError {
  return new AwpError('not_found', `connector '${connectorId}' does not exist`);
}
