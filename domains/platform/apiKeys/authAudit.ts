import { platformTopic } from '../../../contracts/index.js';
import type {
  AuthEventData,
  EventStore,
  IdGenerator,
  RequestContext,
} from '../../../contracts/index.js';

/**
 * Appends the gateway's audit entries as `AuthEvent`s. Each entry is its own stream
 * (`auth-<id>`): entries are facts, not an aggregate, and a shared per-account stream would
 * make concurrent requests fight over its version.
 */
export function createAuthAudit(deps: { eventStore: EventStore; ids: IdGenerator }) {
  return {
    async record(entry: { request: RequestContext; data: AuthEventData }): Promise<void> {
      const accountId = entry.request.accountId;
      if (!accountId) return;
      await deps.eventStore.append({
        streamId: `auth-${deps.ids.newId()}`,
        expectedVersion: 'no_stream',
        events: [{ type: 'AuthEvent', data: entry.data }],
        metadata: {
          accountId,
          correlationId: entry.request.correlationId,
          causationId: null,
          actor: entry.request.actor,
        },
        topic: platformTopic,
      });
    },
  };
}
