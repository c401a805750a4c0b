import type {
  EventEnvelope,
  PlatformEvent,
  Projection,
  Queryable,
  TenantCreatedData,
  TenantTier,
} from '../../../contracts/index.js';
import { platformTopic } from '../../../contracts/index.js';
import type { TenantStatus } from '../tenants/tenant.js';
import { currentTier } from '../tenants/tiers.js';

/** One row of the `platform_tenants` read model, as the API returns it. */
export interface TenantSummary {
  accountId: string;
  name: string;
  tier: TenantTier;
  status: TenantStatus;
  /** Why the operator suspended the tenant; null while it is active. */
  suspendedReason: string | null;
  createdAt: string;
  version: number;
}

/** Pure: the summary a TenantCreated event describes. */
export function tenantSummaryFrom(
  event: EventEnvelope<'TenantCreated', TenantCreatedData>,
): TenantSummary {
  return {
    accountId: event.data.accountId,
    name: event.data.accountName,
    tier: currentTier(event.data.tier),
    status: 'active',
    suspendedReason: null,
    createdAt: event.occurredAt,
    version: event.streamVersion,
  };
}

type TenantEnvelope = {
  [Type in PlatformEvent['type']]: EventEnvelope<
    Type,
    Extract<PlatformEvent, { type: Type }>['data']
  >;
}[PlatformEvent['type']];

const tenantEventTypes: ReadonlySet<string> = new Set<PlatformEvent['type']>([
  'TenantCreated',
  'TenantSuspended',
  'TenantReactivated',
  'TenantTierChanged',
]);

/**
 * `platform_tenants`, one row per tenant. Every write carries the event's stream version and
 * changes the row only when it is newer, so an out-of-date redelivery is a no-op even without
 * the runner's dedupe table.
 */
export const tenantsProjection: Projection = {
  name: 'platform.tenants',
  topics: [platformTopic],
  async apply(tx, event) {
    if (!tenantEventTypes.has(event.type)) return;
    await applyTenantEvent(tx, event as TenantEnvelope);
  },
  async reset(tx) {
    await tx.query('DELETE FROM platform_tenants');
  },
};

async function applyTenantEvent(tx: Queryable, event: TenantEnvelope): Promise<void> {
  const { accountId } = event.data;
  const version = event.streamVersion;
  switch (event.type) {
    case 'TenantCreated': {
      const row = tenantSummaryFrom(event);
      await tx.query(
        `INSERT INTO platform_tenants (account_id, name, tier, status, created_at, version)
         VALUES ($1, $2, $3, 'active', $4, $5)
         ON CONFLICT (account_id) DO UPDATE
           SET name = EXCLUDED.name, tier = EXCLUDED.tier, version = EXCLUDED.version
           WHERE platform_tenants.version < EXCLUDED.version`,
        [row.accountId, row.name, row.tier, row.createdAt, row.version],
      );
      return;
    }
    case 'TenantSuspended':
      await updateTenant(tx, accountId, version, "status = 'suspended', suspended_reason = $3", [
        event.data.reason,
      ]);
      return;
    case 'TenantReactivated':
      await updateTenant(tx, accountId, version, "status = 'active', suspended_reason = NULL");
      return;
    case 'TenantTierChanged':
      await updateTenant(tx, accountId, version, 'tier = $3', [currentTier(event.data.to)]);
      return;
    default: {
      const unknownEvent: never = event;
      return unknownEvent;
    }
  }
}

/** `assignments` may use `$3`, `$4`…: `$1` is the account and `$2` the event's version. */
function updateTenant(
  tx: Queryable,
  accountId: string,
  version: number,
  assignments: string,
  params: readonly unknown[] = [],
) {
  return tx.query(
    `UPDATE platform_tenants SET ${assignments}, version = $2
     WHERE account_id = $1 AND version < $2`,
    [accountId, version, ...params],
  );
}
