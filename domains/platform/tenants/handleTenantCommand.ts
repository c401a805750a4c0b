import { platformTopic } from '../../../contracts/index.js';
import type {
  EventEnvelope,
  EventMetadata,
  EventStore,
  PlatformEvent,
  UniqueKey,
} from '../../../contracts/index.js';
import { tenantDecider } from './decide.js';
import type { TenantCommand } from './decide.js';
import { tenantStreamId } from './tenant.js';
import type { ExistingTenant } from './tenant.js';

export interface TenantCommandResult {
  /** The tenant once the command is applied. */
  tenant: ExistingTenant;
  /** Its stream version: the read model shows this version once it caught up. */
  version: number;
  /** What was appended; empty when the command changed nothing. */
  events: EventEnvelope[];
}

export type TenantCommandHandler = (
  command: TenantCommand,
  metadata: Omit<EventMetadata, 'accountId'>,
  uniqueKeys?: readonly UniqueKey[],
) => Promise<TenantCommandResult>;

/**
 * Load → fold → decide → append, like `createCommandHandler`, with two differences the operator
 * endpoints need: a command that decides no events (the same tier again) appends nothing, and
 * the caller gets the tenant's new state to answer with (the read model lags behind).
 */
export function createTenantCommandHandler(eventStore: EventStore): TenantCommandHandler {
  const { evolve, decide, initialState } = tenantDecider;
  return async function handleTenantCommand(command, metadata, uniqueKeys) {
    const { accountId } = command.data;
    const streamId = tenantStreamId(accountId);
    const history = (await eventStore.readStream(streamId)) as unknown as PlatformEvent[];
    const before = history.reduce(evolve, initialState());
    const decided = decide(command, before);
    const after = decided.reduce(evolve, before);
    // Every command refuses an absent tenant, and CreateTenant leaves one: never absent here.
    const tenant = after as ExistingTenant;
    if (decided.length === 0) return { tenant, version: history.length, events: [] };
    const result = await eventStore.append({
      streamId,
      expectedVersion: history.length === 0 ? 'no_stream' : history.length,
      events: decided,
      metadata: { ...metadata, accountId },
      topic: platformTopic,
      ...(uniqueKeys ? { uniqueKeys } : {}),
    });
    return { tenant, version: result.nextVersion, events: result.events };
  };
}
