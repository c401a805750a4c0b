import { AwpError, StreamVersionConflict, platformTopic } from '../../../contracts/index.js';
import type { Clock, EventStore, Queryable, QuotaExceededData } from '../../../contracts/index.js';
import { readUsage } from '../queries/usageQueries.js';
import { quotaRefusalOf } from './quotaRefusal.js';
import type { MeteredAction, QuotaRefusal } from './quotaRefusal.js';
import type { PlatformTenantDirectory } from './tenantDirectory.js';
import { monthOf } from './usageProjection.js';

/** Implements the gateway's `QuotaGate` port. */
export interface QuotaGate {
  admit(
    accountId: string,
    action: MeteredAction,
    request: { correlationId: string },
  ): Promise<void>;
}

export interface QuotaGateOptions {
  db: Queryable;
  eventStore: EventStore;
  directory: PlatformTenantDirectory;
  clock: Clock;
  /** At most one `QuotaExceeded` per account and resource in this interval; default 60,000 ms. */
  noticeIntervalMs?: number;
  /** Told when a `QuotaExceeded` could not be recorded (the refusal stands regardless). */
  onNoticeFailed?: (error: unknown, accountId: string) => void;
}

/** Stream of an account's quota notices: `quota-<accountId>`. */
export const quotaStreamId = (accountId: string): string => `quota-${accountId}`;

const gateActor = { type: 'system', id: 'quota-gate' } as const;

/**
 * Admits or refuses a metered command against the tenant's tier, reading the usage projection.
 *
 * The metering is eventually consistent: usage is what the projection has applied, so commands
 * admitted but not yet projected (in flight, or in the projection's lag) are not counted yet,
 * and a burst of N concurrent requests can overshoot a limit by up to N − 1 plus whatever is
 * still in the lag. The limits are budgets for fair use, not hard guarantees; a hard cap would
 * need a reservation written in the command's own transaction.
 *
 * A refusal is recorded as `QuotaExceeded` on `quota-<accountId>`, at most once per account,
 * resource and interval: a client hammering a spent budget must not flood the log. This process
 * remembers what it recorded, and a unique key per (account, resource, interval bucket) makes
 * the other replicas' appends in the same bucket fail, so the cap holds across processes.
 */
export function createQuotaGate(options: QuotaGateOptions): QuotaGate {
  const { db, eventStore, directory, clock } = options;
  const intervalMs = options.noticeIntervalMs ?? 60_000;
  const lastNotice = new Map<string, number>();

  function shouldNotice(key: string, now: number): boolean {
    const last = lastNotice.get(key);
    if (last !== undefined && now - last < intervalMs) return false;
    if (lastNotice.size >= 10_000) {
      for (const [k, at] of lastNotice) if (now - at >= intervalMs) lastNotice.delete(k);
    }
    lastNotice.set(key, now);
    return true;
  }

  async function notice(
    accountId: string,
    refusal: QuotaRefusal,
    correlationId: string,
    now: number,
  ): Promise<void> {
    if (!shouldNotice(`${accountId}\n${refusal.resourceType}`, now)) return;
    const data: QuotaExceededData = {
      accountId,
      resourceType: refusal.resourceType,
      usage: refusal.usage,
      limit: refusal.max,
      window: refusal.window,
    };
    const append = () =>
      eventStore.append({
        streamId: quotaStreamId(accountId),
        expectedVersion: 'any',
        events: [{ type: 'QuotaExceeded', data }],
        metadata: { accountId, correlationId, causationId: null, actor: gateActor },
        topic: platformTopic,
        uniqueKeys: [
          {
            scope: 'quota-notice',
            value: `${accountId}/${refusal.resourceType}/${Math.floor(now / intervalMs)}`,
            takenMessage: `quota notice for ${accountId} already recorded`,
          },
        ],
      });
    try {
      // Two notices of one account (different resources) may race for the stream's next
      // version: the loser tries once more.
      await append().catch((error: unknown) => {
        if (error instanceof StreamVersionConflict) return append();
        throw error;
      });
    } catch (error) {
      // `conflict` without a version: another replica recorded this bucket's notice already.
      const recordedElsewhere =
        error instanceof AwpError &&
        error.code === 'conflict' &&
        !(error instanceof StreamVersionConflict);
      if (!recordedElsewhere) options.onNoticeFailed?.(error, accountId);
    }
  }

  return {
    async admit(accountId, action, request) {
      const now = clock.now();
      const [standing, usage] = await Promise.all([
        directory.standing(accountId),
        readUsage(db, accountId, monthOf(now)),
      ]);
      const refusal = quotaRefusalOf(action, usage, standing.tier, standing.limits);
      if (refusal === null) return;
      await notice(accountId, refusal, request.correlationId, now.getTime());
      throw new AwpError('quota_exceeded', refusal.message, {
        field: refusal.limit,
        retryable: refusal.retryable,
      });
    },
  };
}
