import type Router from '@koa/router';
import type {
  Clock,
  Database,
  EventStore,
  IdGenerator,
  Migration,
  Projection,
} from '../../contracts/index.js';
import type { AssistantReplies } from '../../domains/conversation/index.js';
import type { MasterKeys } from '../../domains/platform/index.js';
import type { WebSocketRoute } from '../../gateway/streaming/index.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../logging/logger.js';
import type { StoredConnectorDocuments } from './connectorDocuments.js';

/** What a hosting process needs from a domain: its tables, HTTP routes and read models. */
export interface DomainModule {
  migrations: readonly Migration[];
  projections: readonly Projection[];
  routers: readonly Router[];
  /** WebSocket endpoints, carried on the HTTP server's `upgrade` events. */
  webSockets?: readonly WebSocketRoute[];
  /** Background work (the workflow engine), started after migrations. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

export interface DomainDeps {
  db: Database;
  eventStore: EventStore;
  clock: Clock;
  ids: IdGenerator;
  config: Config;
  logger: Logger;
  /** The process's master keys for tenant secrets, opened on first use and then shared. */
  secretKeys(): Promise<MasterKeys>;
  /** Who writes assistant replies in conversations; absent: nobody (replies fail with 503). */
  assistantReplies?: AssistantReplies;
  /** The agent's catalog of uploaded connector documents, when the agent runs in this process. */
  connectorDocuments?: () => StoredConnectorDocuments | undefined;
  /** Where the workflow domain's API answers (the agent publishes approved drafts there). */
  workflowApiUrl?: () => string;
}
