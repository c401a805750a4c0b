import {
  Body,
  Controller,
  Delete,
  Get,
  Path,
  Post,
  Response,
  Route,
  Security,
  SuccessResponse,
  Tags,
} from '@tsoa/runtime';
import type { Problem } from '../../../contracts/api/index.js';
import type { ApiKeyId, ApiKeyList, CreatedApiKey, NewApiKey } from './apiModels.js';
import { tenantOf } from './requestScope.js';
import type { RequestScope } from './requestScope.js';

/**
 * `/v1/api-keys`: machine credentials of the caller's account. The key is in the creation
 * response only; lists show ids, names and roles. Revoked keys stay listed, marked revoked.
 */
@Route('v1/api-keys')
@Tags('API keys')
@Response<Problem>(400, 'Invalid request: the problem names each field')
@Response<Problem>(401, 'No valid credential: a bearer JWT or API key naming an account')
@Response<Problem>(403, 'The caller’s roles do not grant the permission this needs')
export class ApiKeysController extends Controller {
  constructor(private readonly scope: RequestScope) {
    super();
  }

  /** Creates a key acting in the caller's account with the given roles. */
  @Post()
  @Security('bearer', ['apikey:manage'])
  @SuccessResponse(201, 'Created')
  public async createApiKey(@Body() key: NewApiKey): Promise<CreatedApiKey> {
    const created = await this.scope.deps.apiKeys.create(
      tenantOf(this.scope).accountId,
      { name: key.name.trim(), roles: key.roles },
      this.caller(),
    );
    this.setHeader('Cache-Control', 'no-store');
    this.setHeader('Location', `/v1/api-keys/${created.keyId}`);
    return created;
  }

  /** The account's keys, revoked ones included; never a key itself. */
  @Get()
  @Security('bearer', ['apikey:manage'])
  public async listApiKeys(): Promise<ApiKeyList> {
    return { items: await this.scope.deps.apiKeys.list(tenantOf(this.scope).accountId) };
  }

  /** Revokes a key: every replica refuses it within 5 s. */
  @Delete('{keyId}')
  @Security('bearer', ['apikey:manage'])
  @SuccessResponse(204, 'Revoked')
  @Response<Problem>(404, 'No such key')
  public async revokeApiKey(@Path() keyId: ApiKeyId): Promise<void> {
    await this.scope.deps.apiKeys.revoke(tenantOf(this.scope).accountId, keyId, this.caller());
  }

  private caller() {
    const { actor, roles = [], correlationId } = tenantOf(this.scope);
    return { actor, roles, correlationId };
  }
}
