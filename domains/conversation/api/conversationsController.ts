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
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { Problem } from '../../../contracts/api/index.js';
import type { ConversationDetails } from '../conversationViews.js';
import type {
  ConversationPage,
  ConversationSearchResults,
} from '../readModels/conversationQueries.js';
import type {
  ConversationEnding,
  ConversationStatusFilter,
  NewBranch,
  NewConversation,
} from './apiModels.js';
import type { RequestScope } from './requestScope.js';

/** Conversations: start, list, search, read, branch and end. Messages have their own controller. */
@Route('v1/conversations')
@Tags('Conversations')
@Response<Problem>(400, 'Invalid request: the problem names each field')
@Response<Problem>(401, 'No valid credential: a bearer JWT or API key naming an account')
@Response<Problem>(403, 'The caller’s roles do not grant the permission this needs')
export class ConversationsController extends Controller {
  constructor(private readonly scope: RequestScope) {
    super();
  }

  /** Starts a conversation with an agent (the platform's default when none is named). */
  @Post()
  @Security('bearer', ['conversation:write'])
  @SuccessResponse(201, 'Created')
  public async startConversation(
    @Body() conversation: NewConversation,
  ): Promise<ConversationDetails> {
    const started = await this.scope.deps.conversations.start(this.scope.caller, conversation);
    this.setHeader('Location', `/v1/conversations/${started.conversationId}`);
    return started;
  }

  /**
   * The account's conversations, most recently active first. Eventually consistent: a
   * conversation and its activity show here a moment after they happened.
   * @param limit How many per page.
   * @param after The `next` of the previous page.
   * @isInt limit must be a whole number
   * @minimum limit 1 must be at least 1
   * @maximum limit 200 must be at most 200
   * @maxLength after 500 must be at most 500 characters
   */
  @Get()
  @Security('bearer', ['conversation:read'])
  public async listConversations(
    @Query() limit = 50,
    @Query() after?: string,
    @Query() status?: ConversationStatusFilter,
  ): Promise<ConversationPage> {
    return this.scope.deps.queries.list(this.scope.caller.accountId, {
      limit,
      ...(after === undefined ? {} : { after }),
      ...(status === undefined ? {} : { status }),
    });
  }

  /**
   * Full-text search of the account's messages (their current text), best match first, each
   * with a snippet. Web-search syntax: words, `"a phrase"`, `-without`, `or`. Eventually
   * consistent, like the list.
   * @param q What to look for.
   * @param limit How many matches at most.
   * @minLength q 1 must not be empty
   * @maxLength q 500 must be at most 500 characters
   * @pattern q \S must not be only whitespace
   * @isInt limit must be a whole number
   * @minimum limit 1 must be at least 1
   * @maximum limit 100 must be at most 100
   */
  // Declared before `{conversationId}`: routes are tried in this order, and "search" would
  // otherwise be taken for an id.
  @Get('search')
  @Security('bearer', ['conversation:read'])
  public async searchConversations(
    @Query() q: string,
    @Query() limit = 20,
  ): Promise<ConversationSearchResults> {
    return this.scope.deps.queries.search(this.scope.caller.accountId, q, limit);
  }

  /** One conversation with its whole history: a branch's inherited messages come first. */
  @Get('{conversationId}')
  @Security('bearer', ['conversation:read'])
  @Response<Problem>(404, 'No such conversation')
  public async getConversation(@Path() conversationId: string): Promise<ConversationDetails> {
    return this.scope.deps.conversations.get(this.scope.caller.accountId, conversationId);
  }

  /**
   * Starts a new conversation that shares this one's history up to and including a message,
   * then goes its own way (this one is unchanged). Ended conversations can be branched.
   */
  @Post('{conversationId}/branches')
  @Security('bearer', ['conversation:write'])
  @SuccessResponse(201, 'Created')
  @Response<Problem>(404, 'No such conversation, or the message is not in its history')
  public async branchConversation(
    @Path() conversationId: string,
    @Body() branch: NewBranch,
  ): Promise<ConversationDetails> {
    const created = await this.scope.deps.conversations.branch(
      this.scope.caller,
      conversationId,
      branch,
    );
    this.setHeader('Location', `/v1/conversations/${created.conversationId}`);
    return created;
  }

  /** Ends the conversation: nothing can be posted to it afterwards (it can still be branched). */
  @Post('{conversationId}/end')
  @Security('bearer', ['conversation:write'])
  @Response<Problem>(404, 'No such conversation')
  @Response<Problem>(409, 'The conversation has already ended')
  public async endConversation(
    @Path() conversationId: string,
    @Body() ending?: ConversationEnding,
  ): Promise<ConversationDetails> {
    return this.scope.deps.conversations.end(
      this.scope.caller,
      conversationId,
      ending?.reason ?? null,
    );
  }
}
