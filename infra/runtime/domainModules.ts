import type { DomainName } from './serviceNames.js';
import type { DomainDeps, DomainModule } from './domainModule.js';
import { createWorkflowModule } from './workflowModule.js';
import {
  ApiKeys,
  SecretVault,
  createPlatformApiRouter,
  createTenantDirectory,
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
    const { db, eventStore, ids, clock, config } = deps;
    return {
      migrations: [...platformMigrations, ...secretStoreMigrations],
      projections: [tenantsProjection, usageProjection],
      routers: [
        createPlatformApiRouter({
          db,
          eventStore,
          ids,
          clock,
          directory: createTenantDirectory({ db, limits: config.tierLimits, clock }),
          vault: new SecretVault({ ...deps, keys: await deps.secretKeys() }),
          apiKeys: new ApiKeys(deps),
          adminGuard: adminAccess(config.adminToken),
        }),
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
