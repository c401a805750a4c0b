export { createPlatformApiRouter } from './platformApiRouter.js';
export type { PlatformApiDeps } from './requestScope.js';
export { MemberRole, TenantStatusFilter, Tier } from './apiModels.js';
export type {
  ApiKeyId,
  ApiKeyList,
  CreatedApiKey,
  NewApiKey,
  NewTenant,
  Reactivation,
  RewrapReport,
  SecretList,
  SecretValue,
  Suspension,
  TenantId,
  TenantListQuery,
  TenantStanding,
  TierChange,
} from './apiModels.js';
// tsoa finds the controllers through this entry file (tsoa.json, `domains`).
export { TenantAdminController } from './tenantAdminController.js';
export { TenantController } from './tenantController.js';
export { SecretsController } from './secretsController.js';
export { ApiKeysController } from './apiKeysController.js';
