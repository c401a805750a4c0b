import type { EventEnvelope, Projection, TenantCreatedData } from '../../../contracts/index.js';
import { platformTopic } from '../../../contracts/index.js';

/** One row of the `platform_tenants` read model, as the API returns it. */
export interface TenantSummary {
  accountId: string;
  name: string;
  tier: string;
  createdAt: string;
  version: number;
}

/** Pure: the summary a TenantCreated event describes. */
export function tenantSummaryFrom(event: EventEnvelope<'TenantCreated', TenantCreatedData>) {
  return {
    accountId: event.data.accountId,
    name: event.data.accountName,
    tier: event.data.tier,
    createdAt: event.occurredAt,
    version: event.streamVersion,
  } satisfies TenantSummary;
}

export const tenantsProjection: Projection = {
  name: 'platform.tenants',
  topics: [platformTopic],
  async apply(tx, event) {
    if (event.type !== 'TenantCreated') return;
    const row = tenantSummaryFrom(event as EventEnvelope<'TenantCreated', TenantCreatedData>);
    // The version guard makes an out-of-date redelivery a no-op even without the dedupe table.
    await tx.query(
      `INSERT INTO platform_tenants (account_id, name, tier, created_at, version)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (account_id) DO UPDATE
         SET name = EXCLUDED.name, tier = EXCLUDED.tier, version = EXCLUDED.version
         WHERE platform_tenants.version < EXCLUDED.version`,
      [row.accountId, row.name, row.tier, row.createdAt, row.version],
    );
  },
  async reset(tx) {
    await tx.query('DELETE FROM platform_tenants');
  },
};
