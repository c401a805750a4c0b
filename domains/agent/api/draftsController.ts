import {
  Body,
  Controller,
  Get,
  Path,
  Post,
  Query,
  Response,
  Route,
  Security,
  Tags,
} from '@tsoa/runtime';
import type { Problem } from '../../../contracts/api/index.js';
import { AwpError } from '../../../contracts/index.js';
import { approveDraft, diffDrafts } from '../drafts/draftApproval.js';
import { simulateDraft } from '../drafts/draftSimulation.js';
import type {
  ApproveDraftRequest,
  DraftDiffView,
  DraftList,
  DraftView,
  SimulateDraftRequest,
} from './draftModels.js';
import { changeOf } from './requestScope.js';
import type { RequestScope } from './requestScope.js';

/**
 * `/v1/conversations/{conversationId}/drafts`: the workflow documents the agent wrote in a
 * conversation. A draft of another account's conversation answers 404 like a missing one.
 */
@Route('v1/conversations/{conversationId}/drafts')
@Tags('Drafts')
@Response<Problem>(400, 'Invalid request: the problem names each field')
@Response<Problem>(401, 'No valid credential: a bearer JWT or API key naming an account')
@Response<Problem>(403, 'The caller’s roles do not grant the permission this needs')
export class DraftsController extends Controller {
  constructor(private readonly scope: RequestScope) {
    super();
  }

  /** The conversation's drafts, oldest first (each revision is a new draft). */
  @Get()
  @Security('bearer', ['conversation:read'])
  @Response<Problem>(404, 'No such conversation')
  public async listDrafts(@Path() conversationId: string): Promise<DraftList> {
    return { items: await this.scope.deps.drafts.listOwned(this.scope.accountId, conversationId) };
  }

  /** One draft: document, problems, open questions and the summary of what it does. */
  @Get('{draftId}')
  @Security('bearer', ['conversation:read'])
  @Response<Problem>(404, 'No such draft in this conversation')
  public async getDraft(
    @Path() conversationId: string,
    @Path() draftId: string,
  ): Promise<DraftView> {
    return this.scope.deps.drafts.get(this.scope.accountId, conversationId, draftId);
  }

  /** What changed from another draft (by default, the one this draft revised). */
  @Get('{draftId}/diff')
  @Security('bearer', ['conversation:read'])
  @Response<Problem>(404, 'No such draft, or no earlier draft to compare with')
  @Response<Problem>(409, 'One of the drafts does not pass schema validation')
  public async diffDraft(
    @Path() conversationId: string,
    @Path() draftId: string,
    @Query() against?: string,
  ): Promise<DraftDiffView> {
    const { drafts } = this.scope.deps;
    const after = await drafts.get(this.scope.accountId, conversationId, draftId);
    const beforeId = against ?? after.previousDraftId;
    if (!beforeId) {
      throw new AwpError(
        'not_found',
        `draft '${draftId}' revises no earlier draft; name one to compare with in ?against=`,
      );
    }
    const before = await drafts.get(this.scope.accountId, conversationId, beforeId);
    return diffDrafts(before, after);
  }

  /**
   * Dry-runs the draft on the real engine against responses from its connectors' documents
   * (examples, else schema samples) or the fixtures given; nothing reaches the tenant's systems.
   * The trace is kept with the draft and shown with it.
   */
  @Post('{draftId}/simulate')
  @Security('bearer', ['conversation:write'])
  @Response<Problem>(400, 'A fixture names neither an operationId nor a method and url, or both')
  @Response<Problem>(404, 'No such draft in this conversation')
  @Response<Problem>(409, 'The draft does not pass DSL validation')
  public async simulateDraft(
    @Path() conversationId: string,
    @Path() draftId: string,
    @Body() body?: SimulateDraftRequest,
  ): Promise<DraftView> {
    const { deps } = this.scope;
    return simulateDraft(
      {
        drafts: deps.drafts,
        catalog: deps.connectors,
        simulation: deps.simulation,
        now: () => new Date(),
      },
      {
        accountId: this.scope.accountId,
        ...changeOf(this.scope),
        credentials: this.scope.credentials,
      },
      conversationId,
      draftId,
      body ?? {},
    );
  }

  /**
   * Approves a valid draft: the workflow domain creates the workflow (or a new version of the
   * one this conversation approved before), with the caller's own credentials.
   */
  @Post('{draftId}/approve')
  @Security('bearer', ['draft:approve'])
  @Response<Problem>(404, 'No such draft in this conversation')
  @Response<Problem>(
    409,
    'The draft is already approved, still has problems or missing values, or the workflow version exists',
  )
  public async approveDraft(
    @Path() conversationId: string,
    @Path() draftId: string,
    @Body() body?: ApproveDraftRequest,
  ): Promise<DraftView> {
    const { deps } = this.scope;
    return approveDraft(
      { drafts: deps.drafts, publisher: deps.publisher },
      {
        accountId: this.scope.accountId,
        ...changeOf(this.scope),
        credentials: this.scope.credentials,
      },
      conversationId,
      draftId,
      body?.workflowId ? { workflowId: body.workflowId } : {},
    );
  }
}
