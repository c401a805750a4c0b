import type Router from '@koa/router';
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

/** The domains of ARCHITECTURE.md; `awp serve --services` takes a subset of these names. */
export const domainNames = ['platform', 'conversation', 'agent', 'workflow'] as const;
export type DomainName = (typeof domainNames)[number];

const modules: Partial<Record<DomainName, (deps: DomainDeps) => DomainModule>> = {
  platform: (deps) => ({
    migrations: platformMigrations,
    projections: [tenantsProjection],
    routers: [createTenantRoutes(deps)],
  }),
};

export const availableDomains = (): DomainName[] =>
  domainNames.filter((name) => modules[name] !== undefined);

/** Checks a `--services` list; the error names what is unknown and what can be hosted. */
export function parseServiceList(list: string): DomainName[] {
  const names = list
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) throw new Error('--services needs at least one service name');
  const available = availableDomains();
  for (const name of names) {
    if (!(domainNames as readonly string[]).includes(name)) {
      throw new Error(`unknown service '${name}' (available: ${available.join(', ')})`);
    }
    if (!available.includes(name as DomainName)) {
      throw new Error(
        `service '${name}' is not available yet (available: ${available.join(', ')})`,
      );
    }
  }
  return [...new Set(names)] as DomainName[];
}

export function loadDomainModule(name: DomainName, deps: DomainDeps): DomainModule {
  const create = modules[name];
  if (!create) throw new Error(`service '${name}' is not available yet`);
  return create(deps);
}
