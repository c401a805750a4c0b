import {
  Body,
  Controller,
  Get,
  Middlewares,
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
import { AwpError } from '../../../contracts/index.js';
import type { WorkflowDetails } from '../definitions/workflowRegistry.js';
import type { WorkflowDocumentBody, WorkflowPage, WorkflowVersionDocument } from './apiModels.js';
import { documentFromYamlBody } from './requestBodies.js';
import type { RequestScope } from './requestScope.js';

/** Workflow definitions and their versions. Thin: parse (tsoa), call the registry, map. */
@Route('v1/workflows')
@Tags('Workflows')
@Response<Problem>(400, 'Invalid request: the problem names each field')
@Response<Problem>(401, 'No valid credential: a bearer JWT or API key naming an account')
@Response<Problem>(403, 'The caller’s roles do not grant the permission this needs')
export class WorkflowsController extends Controller {
  constructor(private readonly scope: RequestScope) {
    super();
  }

  /**
   * Creates a workflow from a Serverless Workflow 1.0 document. The body is JSON
   * `{ "document": "<YAML or JSON text>" }`, or the raw text as `application/yaml`.
   */
  @Post()
  @Security('bearer', ['workflow:write'])
  @Middlewares(documentFromYamlBody)
  @SuccessResponse(201, 'Created')
  @Response<Problem>(400, 'The document is not a valid workflow: every problem with its position')
  @Response<Problem>(409, 'A workflow with this namespace and name exists')
  public async createWorkflow(@Body() workflow: WorkflowDocumentBody): Promise<WorkflowDetails> {
    const created = await this.scope.deps.registry.create({
      ...this.change(),
      text: workflow.document,
      sourceConversationId: workflow.sourceConversationId ?? null,
    });
    this.setHeader('Location', `/v1/workflows/${created.workflowId}`);
    return created;
  }

  /** Adds a version: same namespace and name, a version string not used before. */
  @Post('{workflowId}/versions')
  @Security('bearer', ['workflow:write'])
  @Middlewares(documentFromYamlBody)
  @SuccessResponse(201, 'Created')
  @Response<Problem>(400, 'Invalid document, or one that renames the workflow')
  @Response<Problem>(404, 'No such workflow')
  @Response<Problem>(409, 'The version exists')
  public async addWorkflowVersion(
    @Path() workflowId: string,
    @Body() workflow: WorkflowDocumentBody,
  ): Promise<WorkflowDetails> {
    const details = await this.scope.deps.registry.addVersion({
      ...this.change(),
      workflowId,
      text: workflow.document,
    });
    this.setHeader('Location', `/v1/workflows/${workflowId}/versions/${details.latestVersion}`);
    return details;
  }

  /**
   * The account's workflows, page by page. Eventually consistent: a workflow appears here a
   * moment after it was created.
   * @param limit How many per page.
   * @param after The `next` of the previous page.
   * @isInt limit must be a whole number
   * @minimum limit 1 must be at least 1
   * @maximum limit 200 must be at most 200
   * @maxLength after 100 must be at most 100 characters
   */
  @Get()
  @Security('bearer', ['workflow:read'])
  public async listWorkflows(@Query() limit = 50, @Query() after?: string): Promise<WorkflowPage> {
    return this.scope.deps.registry.list(this.scope.accountId, {
      limit,
      ...(after === undefined ? {} : { after }),
    });
  }

  /** One workflow with its versions. */
  @Get('{workflowId}')
  @Security('bearer', ['workflow:read'])
  @Response<Problem>(404, 'No such workflow')
  public async getWorkflow(@Path() workflowId: string): Promise<WorkflowDetails> {
    const details = await this.scope.deps.registry.get(this.scope.accountId, workflowId);
    if (!details) throw notFound(workflowId);
    return details;
  }

  /** The document of one version (`latest` for the newest), as it was submitted. */
  @Get('{workflowId}/versions/{version}')
  @Security('bearer', ['workflow:read'])
  @Response<Problem>(404, 'No such workflow or version')
  public async getWorkflowVersion(
    @Path() workflowId: string,
    @Path() version: string,
  ): Promise<WorkflowVersionDocument> {
    const { registry } = this.scope.deps;
    const details = await registry.get(this.scope.accountId, workflowId);
    if (!details) throw notFound(workflowId);
    const resolved = version === 'latest' ? details.latestVersion : version;
    const document = await registry.document(this.scope.accountId, workflowId, resolved);
    if (document === undefined) {
      throw new AwpError('not_found', `workflow '${workflowId}' has no version '${version}'`);
    }
    return { workflowId, version: resolved, document };
  }

  private change() {
    const { accountId, actor, correlationId } = this.scope;
    return { accountId, actor, correlationId };
  }
}

function notFound(workflowId: string): AwpError {
  return new AwpError('not_found', `workflow '${workflowId}' does not exist`);
}
