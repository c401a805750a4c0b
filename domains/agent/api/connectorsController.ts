import {
  Body,
  Controller,
  Delete,
  Get,
  Path,
  Post,
  Query,
  Response,
  Route,
  Security,
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { Problem } from '../../../contracts/api/index.js';
import type {
  ConnectorDetails,
  ConnectorImportReport,
  OperationSearchResult,
} from '../connectors/connectorViews.js';
import type {
  ConnectorId,
  ConnectorList,
  ConnectorUpload,
  ConnectorUrlImport,
} from './connectorModels.js';
import { changeOf } from './requestScope.js';
import type { RequestScope } from './requestScope.js';

/**
 * `/v1/connectors`: the account's connectors, OpenAPI documents whose operations the agent may
 * call from the workflows it writes (`call: openapi`). Another account's connector answers 404
 * exactly like one that does not exist. Credentials go to the account's secrets; responses
 * name the secret, never its value.
 */
@Route('v1/connectors')
@Tags('Connectors')
@Response<Problem>(400, 'Invalid request: the problem names each field')
@Response<Problem>(401, 'No valid credential: a bearer JWT or API key naming an account')
@Response<Problem>(403, 'The caller’s roles do not grant the permission this needs')
export class ConnectorsController extends Controller {
  constructor(private readonly scope: RequestScope) {
    super();
  }

  /** Imports an OpenAPI document sent in the request, or re-imports it under an existing name. */
  @Post()
  @Security('bearer', ['connector:write'])
  @SuccessResponse(201, 'Imported as a new connector')
  @Response<ConnectorImportReport>(200, 'Re-imported: the named connector’s next version')
  @Response<Problem>(409, 'The connector changed meanwhile')
  public async uploadConnector(@Body() upload: ConnectorUpload): Promise<ConnectorImportReport> {
    const { accountId, deps } = this.scope;
    return this.answered(
      await deps.connectors.importDocument(accountId, upload, changeOf(this.scope)),
    );
  }

  /** Fetches an OpenAPI document from a URL and imports it (or re-imports under the name). */
  @Post('import')
  @Security('bearer', ['connector:write'])
  @SuccessResponse(201, 'Imported as a new connector')
  @Response<ConnectorImportReport>(200, 'Re-imported: the named connector’s next version')
  @Response<Problem>(409, 'The connector changed meanwhile')
  @Response<Problem>(503, 'The document’s server could not be reached, failed or was too slow')
  public async importConnector(@Body() source: ConnectorUrlImport): Promise<ConnectorImportReport> {
    const { accountId, deps } = this.scope;
    return this.answered(
      await deps.connectors.importFromUrl(accountId, source, changeOf(this.scope)),
    );
  }

  /** The account's connectors, by name. */
  @Get()
  @Security('bearer', ['connector:read'])
  public async listConnectors(): Promise<ConnectorList> {
    return { items: await this.scope.deps.connectors.list(this.scope.accountId) };
  }

  /** One connector with its operations, and those a workflow cannot call. */
  @Get('{connectorId}')
  @Security('bearer', ['connector:read'])
  @Response<Problem>(404, 'No such connector in this account')
  public async getConnector(@Path() connectorId: ConnectorId): Promise<ConnectorDetails> {
    return this.scope.deps.connectors.describe(this.scope.accountId, connectorId);
  }

  /** The stored OpenAPI document (as JSON, whatever form it was imported in). */
  @Get('{connectorId}/document')
  @Security('bearer', ['connector:read'])
  @Response<Problem>(404, 'No such connector in this account')
  public async getConnectorDocument(
    @Path() connectorId: ConnectorId,
  ): Promise<{ [key: string]: unknown }> {
    return this.scope.deps.connectors.document(this.scope.accountId, connectorId);
  }

  /**
   * The connector's operations that best match `q` (full text over operationId, summary,
   * description and path). When nothing matches, its operations in name order and
   * `matched: false`.
   * @minLength q 1 must not be empty
   * @maxLength q 500 must be at most 500 characters
   * @isInt limit must be a whole number
   * @minimum limit 1 must be at least 1
   * @maximum limit 100 must be at most 100
   */
  @Get('{connectorId}/operations/search')
  @Security('bearer', ['connector:read'])
  @Response<Problem>(404, 'No such connector in this account')
  public async searchConnectorOperations(
    @Path() connectorId: ConnectorId,
    @Query() q: string,
    @Query() limit?: number,
  ): Promise<OperationSearchResult> {
    const { accountId, deps } = this.scope;
    // Answers 404 for another account's connector rather than an empty result.
    await deps.connectors.describe(accountId, connectorId);
    return deps.connectors.searchOperations(accountId, q, { limit: limit ?? 20, connectorId });
  }

  /** Removes the connector; workflows generated afterwards may not call it. */
  @Delete('{connectorId}')
  @Security('bearer', ['connector:write'])
  @SuccessResponse(204, 'Removed')
  @Response<Problem>(404, 'No such connector in this account')
  @Response<Problem>(409, 'The connector changed meanwhile')
  public async removeConnector(@Path() connectorId: ConnectorId): Promise<void> {
    await this.scope.deps.connectors.remove(
      this.scope.accountId,
      connectorId,
      changeOf(this.scope),
    );
  }

  private answered(report: ConnectorImportReport): ConnectorImportReport {
    this.setStatus(report.created ? 201 : 200);
    this.setHeader('Location', `/v1/connectors/${report.connector.connectorId}`);
    return report;
  }
}
