import {
  Body,
  Controller,
  Delete,
  Get,
  Middlewares,
  Path,
  Post,
  Put,
  Response,
  Route,
  Security,
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { Middleware } from 'koa';
import type { Problem } from '../../../contracts/api/index.js';
import type { SecretMetadata } from '../secrets/secretVault.js';
import type { RewrapReport, SecretList, SecretValue } from './apiModels.js';
import { tenantOf } from './requestScope.js';
import type { RequestScope } from './requestScope.js';

/** Nothing about secrets belongs in a cache, not even their names. */
const noStore: Middleware = async function noStore(ctx, next) {
  await next();
  ctx.set('Cache-Control', 'no-store');
};

/**
 * `/v1/secrets`: the account's secrets, write-only. A value goes in with PUT and never comes
 * back: reads list names, versions and who changed them last. Workflows reference secrets by
 * name (`use.secrets`), and the engine alone reads their values.
 */
@Route('v1')
@Tags('Secrets')
@Middlewares(noStore)
@Response<Problem>(400, 'Invalid request: the problem names each field')
@Response<Problem>(401, 'No valid credential: a bearer JWT or API key naming an account')
@Response<Problem>(403, 'The caller’s roles do not grant the permission this needs')
export class SecretsController extends Controller {
  constructor(private readonly scope: RequestScope) {
    super();
  }

  /** The account's secrets: names, versions, last change; never a value. */
  @Get('secrets')
  @Security('bearer', ['secret:read'])
  public async listSecrets(): Promise<SecretList> {
    return { items: await this.scope.deps.vault.list(tenantOf(this.scope).accountId) };
  }

  /**
   * One secret's metadata.
   * @minLength name 1 must not be empty
   * @maxLength name 200 must be at most 200 characters
   */
  @Get('secrets/{name}')
  @Security('bearer', ['secret:read'])
  @Response<Problem>(404, 'No such secret')
  public async describeSecret(@Path() name: string): Promise<SecretMetadata> {
    return this.scope.deps.vault.describe(tenantOf(this.scope).accountId, name);
  }

  /**
   * Stores a secret, or replaces its value (a new version). The name is
   * `[A-Za-z_][A-Za-z0-9_]{0,127}`, so `$secrets.<name>` reads it in a workflow.
   * @minLength name 1 must not be empty
   * @maxLength name 200 must be at most 200 characters
   */
  @Put('secrets/{name}')
  @Security('bearer', ['secret:write'])
  @SuccessResponse(200, 'Replaced')
  @Response<SecretMetadata>(201, 'Created')
  public async writeSecret(
    @Path() name: string,
    @Body() secret: SecretValue,
  ): Promise<SecretMetadata> {
    const { accountId, actor, correlationId } = tenantOf(this.scope);
    const written = await this.scope.deps.vault.write(accountId, name, secret.value, {
      actor,
      correlationId,
    });
    if (written.created) {
      this.setStatus(201);
      this.setHeader('Location', `/v1/secrets/${name}`);
    }
    return written.secret;
  }

  /**
   * Deletes a secret; workflows that use it fault until it is written again.
   * @minLength name 1 must not be empty
   * @maxLength name 200 must be at most 200 characters
   */
  @Delete('secrets/{name}')
  @Security('bearer', ['secret:write'])
  @SuccessResponse(204, 'Deleted')
  @Response<Problem>(404, 'No such secret')
  public async deleteSecret(@Path() name: string): Promise<void> {
    const { accountId, actor, correlationId } = tenantOf(this.scope);
    await this.scope.deps.vault.remove(accountId, name, { actor, correlationId });
  }

  /**
   * For the operator, after a master-key rotation (`AWP_SECRETS_KEY` changed and the old key
   * moved to `AWP_SECRETS_PREVIOUS_KEYS`): moves every secret's data key onto the current key.
   */
  @Post('admin/secrets/rewrap')
  @Security('operator')
  @Tags('Operator')
  public async rewrapSecrets(): Promise<RewrapReport> {
    return this.scope.deps.vault.rewrapAll({
      actor: { type: 'system', id: 'operator' },
      correlationId: this.scope.request.correlationId,
    });
  }
}
