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
import { AwpError } from '../../../contracts/index.js';
import type { AgentMemory } from '../memory/agentMemory.js';
import type { MemoryId, MemorySearchResult, RememberBody, RememberedView } from './memoryModels.js';
import { changeOf } from './requestScope.js';
import type { RequestScope } from './requestScope.js';

/** Why the memory API answers 503 on a platform without an embeddings model. */
export const memoryNotConfiguredMessage =
  'agent memory needs an embeddings model, and none is configured: set ' +
  'AWP_EMBEDDINGS_PROVIDER (openai, for any OpenAI-compatible server), AWP_EMBEDDINGS_BASE_URL ' +
  'and AWP_EMBEDDINGS_MODEL (with AWP_EMBEDDINGS_API_KEY where the server needs one, and ' +
  'AWP_EMBEDDINGS_DIMENSIONS when its vectors are not 1536 long)';

/**
 * `/v1/memories`: what the agent remembers across conversations, per user and per tenant, and
 * recalls into its prompts. A user's memories are theirs alone: to anyone else, including
 * other users of the tenant, they do not exist (404), as another tenant's memories do not.
 */
@Route('v1/memories')
@Tags('Memories')
@Response<Problem>(400, 'Invalid request: the problem names each field')
@Response<Problem>(401, 'No valid credential: a bearer JWT or API key naming an account')
@Response<Problem>(403, 'The caller’s roles do not grant the permission this needs')
@Response<Problem>(503, 'No embeddings model is configured, or it failed')
export class MemoriesController extends Controller {
  constructor(private readonly scope: RequestScope) {
    super();
  }

  /**
   * Remembers a fact or preference, about the caller (`user`) or the whole tenant (`tenant`).
   * A nearly identical memory of the same owner and kind is replaced rather than repeated.
   */
  @Post()
  @Security('bearer', ['memory:write'])
  @SuccessResponse(201, 'Remembered as a new memory')
  @Response<RememberedView>(200, 'A nearly identical memory was updated, or already held this')
  public async remember(@Body() body: RememberBody): Promise<RememberedView> {
    const memory = this.memory();
    const userId = body.scope === 'user' ? this.ownUserId('scope') : null;
    const input = { scope: body.scope, userId, kind: body.kind, text: body.text };
    const { accountId } = this.scope;
    const remembered = await memory.remember(accountId, input, changeOf(this.scope));
    this.setStatus(remembered.outcome === 'created' ? 201 : 200);
    return { ...remembered, ...input, text: body.text.trim() };
  }

  /**
   * The memories most similar in meaning to `q` that the caller's conversations recall: their
   * own and the tenant's.
   * @minLength q 1 must not be empty
   * @maxLength q 4000 must be at most 4000 characters
   * @isInt limit must be a whole number
   * @minimum limit 1 must be at least 1
   * @maximum limit 50 must be at most 50
   */
  @Get('search')
  @Security('bearer', ['memory:read'])
  public async searchMemories(
    @Query() q: string,
    @Query() limit?: number,
  ): Promise<MemorySearchResult> {
    const hits = await this.memory().recall(this.scope.accountId, this.userId(), q, limit ?? 10);
    return { items: hits.map(({ id, ...hit }) => ({ memoryId: id, ...hit })) };
  }

  /** Forgets a memory: the caller's own, or one of the tenant's. Later replies no longer see it. */
  @Delete('{memoryId}')
  @Security('bearer', ['memory:write'])
  @SuccessResponse(204, 'Forgotten')
  @Response<Problem>(404, 'No such memory among the caller’s and the tenant’s')
  public async forgetMemory(@Path() memoryId: MemoryId): Promise<void> {
    const memory = this.memory();
    const { accountId } = this.scope;
    const recorded = await memory.recorded(accountId, memoryId);
    if (!recorded || (recorded.scope === 'user' && recorded.userId !== this.userId())) {
      throw new AwpError('not_found', `memory '${memoryId}' does not exist`);
    }
    await memory.forget(accountId, [memoryId], changeOf(this.scope));
  }

  private memory(): AgentMemory {
    const { memory } = this.scope.deps;
    if (!memory)
      throw new AwpError('unavailable', memoryNotConfiguredMessage, { retryable: false });
    return memory;
  }

  /** The person calling; an API key acts for the tenant, not for a user. */
  private userId(): string | undefined {
    return this.scope.actor.type === 'user' ? this.scope.actor.id : undefined;
  }

  private ownUserId(field: string): string {
    const userId = this.userId();
    if (userId) return userId;
    throw new AwpError(
      'validation',
      "an API key acts for the tenant, not for a user: remember this with scope 'tenant'",
      { field },
    );
  }
}
