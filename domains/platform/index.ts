export { createTenantRoutes } from './api/tenantRoutes.js';
export type { TenantRoutesDeps } from './api/tenantRoutes.js';
export { tenantsProjection } from './readModels/tenantSummary.js';
export type { TenantSummary } from './readModels/tenantSummary.js';
export { platformMigrations } from './migrations.js';
export { tenantDecider } from './tenants/decide.js';
export type { TenantCommand } from './tenants/decide.js';
