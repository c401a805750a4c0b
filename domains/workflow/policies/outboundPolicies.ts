import { AwpError, StreamVersionConflict, workflowTopic } from '../../../contracts/index.js';
import type { Actor, EventStore, OutboundPolicyChangedData } from '../../../contracts/index.js';

export interface OutboundPolicyView {
  allowHosts: string[];
  /** Stream version: 0 when the account never set one. */
  version: number;
}

export interface OutboundPoliciesDeps {
  eventStore: EventStore;
  /** Throws an AwpError('validation') naming each bad entry (the SSRF guard's own parser). */
  validateAllowHosts(allowHosts: readonly string[]): void;
  /** How long a read policy is reused by the engine's calls. Default 2 s. */
  cacheMs?: number;
  now?: () => number;
}

const maxEntries = 100;
export const outboundPolicyStreamId = (accountId: string) => `outbound-policy-${accountId}`;

/**
 * Each account's outbound allow-list: which hosts, ports and ranges its workflows may call
 * besides public addresses. Stored as events on `outbound-policy-<accountId>` (the latest one
 * wins) and read by the engine before every call, through a short cache.
 */
export class OutboundPolicies {
  private readonly cache = new Map<string, { view: OutboundPolicyView; readAt: number }>();

  constructor(private readonly deps: OutboundPoliciesDeps) {}

  async get(accountId: string): Promise<OutboundPolicyView> {
    const events = await this.deps.eventStore.readStream(outboundPolicyStreamId(accountId));
    const last = events.at(-1);
    return {
      allowHosts: last ? [...(last.data as OutboundPolicyChangedData).allowHosts] : [],
      version: events.length,
    };
  }

  /** The allow-list the engine applies, at most `cacheMs` old. */
  async allowHosts(accountId: string): Promise<readonly string[]> {
    const now = (this.deps.now ?? Date.now)();
    const cached = this.cache.get(accountId);
    if (cached && now - cached.readAt < (this.deps.cacheMs ?? 2_000)) return cached.view.allowHosts;
    const view = await this.get(accountId);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(accountId, { view, readAt: now });
    return view.allowHosts;
  }

  async set(
    accountId: string,
    allowHosts: readonly string[],
    actor: Actor,
    correlationId: string,
  ): Promise<OutboundPolicyView> {
    if (allowHosts.length > maxEntries) {
      throw new AwpError('validation', `an allow-list holds at most ${maxEntries} entries`, {
        field: 'allowHosts',
      });
    }
    this.deps.validateAllowHosts(allowHosts);
    const entries = [...new Set(allowHosts.map((entry) => entry.trim()))];
    const current = await this.get(accountId);
    try {
      const result = await this.deps.eventStore.append({
        streamId: outboundPolicyStreamId(accountId),
        expectedVersion: current.version === 0 ? 'no_stream' : current.version,
        events: [
          {
            type: 'OutboundPolicyChanged',
            data: { allowHosts: entries } satisfies OutboundPolicyChangedData,
          },
        ],
        metadata: { accountId, correlationId, causationId: null, actor },
        topic: workflowTopic,
      });
      this.cache.delete(accountId);
      return { allowHosts: entries, version: result.nextVersion };
    } catch (error) {
      if (error instanceof StreamVersionConflict) {
        throw new AwpError('conflict', 'the allow-list changed meanwhile; read it again and retry');
      }
      throw error;
    }
  }
}
