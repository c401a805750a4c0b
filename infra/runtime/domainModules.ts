import type Router from '@koa/router';
import type { DomainName } from './serviceNames.js';
import type {
  Clock,
  Database,
  EventStore,
  IdGenerator,
  Migration,
  Projection,
} from '../../contracts/index.js';
import {
  createTenantRoutes,
  platformMigrations,
  tenantsProjection,
} from '../../domains/platform/index.js';

/** What a hosting process needs from a domain: its tables, HTTP routes and read models. */
export interface DomainModule {
  migrations: readonly Migration[];
  projections: readonly Projection[];
  routers: readonly Router[];
}

export interface DomainDeps {
  db: Database;
  eventStore: EventStore;
  clock: Clock;
  ids: IdGenerator;
}

export type { DomainName } from './serviceNames.js';

/** Every domain the hosting process can load; `serviceNames.ts` lists the same names. */
export const domainModules: Partial<Record<DomainName, (deps: DomainDeps) => DomainModule>> = {
  platform: (deps) => ({
    migrations: platformMigrations,
    projections: [tenantsProjection],
    routers: [createTenantRoutes(deps)],
  }),
};

export function loadDomainModule(name: DomainName, deps: DomainDeps): DomainModule {
  const create = domainModules[name];
  if (!create) throw new Error(`service '${name}' is not available yet`);
  return create(deps);
}
