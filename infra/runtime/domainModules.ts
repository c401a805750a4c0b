import type { DomainName } from './serviceNames.js';
import type { DomainDeps, DomainModule } from './domainModule.js';
import { createWorkflowModule } from './workflowModule.js';
import {
  ApiKeys,
  SecretVault,
  createApiKeyRoutes,
  createSecretRoutes,
  createTenantAdminRoutes,
  createTenantDirectory,
  createTenantRoutes,
  platformMigrations,
  secretStoreMigrations,
  tenantsProjection,
  usageProjection,
} from '../../domains/platform/index.js';
import { adminAccess } from '../admin/adminAccess.js';

export type { DomainDeps, DomainModule } from './domainModule.js';
export type { DomainName } from './serviceNames.js';

/** Every domain the hosting process can load; `serviceNames.ts` lists the same names. */
export const domainModules: Partial<
  Record<DomainName, (deps: DomainDeps) => DomainModule | Promise<DomainModule>>
> = {
  platform: async (deps) => {
    const vault = new SecretVault({ ...deps, keys: await deps.secretKeys() });
    const adminGuard = adminAccess(deps.config.adminToken);
    const directory = createTenantDirectory({
      db: deps.db,
      limits: deps.config.tierLimits,
      clock: deps.clock,
    });
    return {
      migrations: [...platformMigrations, ...secretStoreMigrations],
      projections: [tenantsProjection, usageProjection],
      routers: [
        createTenantAdminRoutes({ ...deps, adminGuard }),
        createTenantRoutes({ db: deps.db, directory, clock: deps.clock }),
        createSecretRoutes({ vault, adminGuard }),
        createApiKeyRoutes({ apiKeys: new ApiKeys(deps) }),
      ],
    };
  },
  workflow: (deps) => createWorkflowModule(deps),
};

export async function loadDomainModule(name: DomainName, deps: DomainDeps): Promise<DomainModule> {
  const create = domainModules[name];
  if (!create) throw new Error(`service '${name}' is not available yet`);
  return create(deps);
}
